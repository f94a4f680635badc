"""Alert-specific build behaviour: handler specs, lenient spellings, templates, defaults."""

from __future__ import annotations

import pytest

from tickmini.errors import BuildError
from tickmini.pipeline.builder import compile_script

BASE = "stream\n |from()\n  .measurement('cpu')\n |alert()\n  .crit(lambda: \"v\" > 1)\n"


def test_handlers_become_specs_with_kapacitor_option_names() -> None:
    p = compile_script(
        BASE
        + "  .post('http://x/a').header('k', 'v').timeout(5s)\n"
        + "  .log('/tmp/a.log').mode(0644)\n"
        + "  .tcp('h:1')\n"
        + "  .victorOps().routingKey('team')\n"
    )
    specs = [(h.spec.kind, h.spec.options) for h in p.nodes[2].handlers]
    assert specs == [
        ("post", {"url": "http://x/a", "headers": {"k": "v"}, "timeout": 5_000_000_000}),
        ("log", {"path": "/tmp/a.log", "mode": 0o644}),
        ("tcp", {"address": "h:1"}),
        ("victorops", {"routing-key": "team"}),
    ]


def test_alert_properties_still_apply_after_a_handler() -> None:
    p = compile_script(BASE + "  .post('http://x').stateChangesOnly(2m).id('x')\n")
    props = p.nodes[2].properties
    assert props["stateChangesOnly"] == 120_000_000_000 and props["id"] == "x"


def test_lowercase_victorops_is_accepted_with_a_warning() -> None:
    p = compile_script(BASE + "  .victorops()\n    .routingKey('team')\n", "s.tick")
    (warning,) = p.warnings
    assert (warning.line, warning.column) == (6, 4)
    assert "Kapacitor would reject" in warning.message
    assert "s.tick:6:4: warning:" in warning.render()
    assert p.nodes[2].handlers[0].spec.options == {"routing-key": "team"}


def test_strict_turns_the_warning_into_an_error() -> None:
    with pytest.raises(BuildError, match="Kapacitor would reject"):
        compile_script(BASE + "  .victorops()\n", "s.tick", strict=True)


def test_template_parse_error_is_reported_at_the_property() -> None:
    with pytest.raises(BuildError) as info:
        compile_script(BASE + "  .message('{{ .ID ')\n", "s.tick")
    assert (info.value.line, info.value.column) == (6, 4)
    assert "unclosed action" in info.value.message


def test_defaults_history_minimum_and_flapping_range() -> None:
    p = compile_script(BASE + "  .history(1)\n")
    props = p.nodes[2].properties
    assert props["history"] == 2
    assert props["id"] == "{{ .Name }}:{{ .Group }}"
    assert props["details"] == "{{ json . }}"
    with pytest.raises(BuildError, match="between 0 and 1"):
        compile_script(BASE + "  .flapping(0.2, 1.5)\n")


def test_post_refuses_authenticate_header_and_log_relative_path() -> None:
    with pytest.raises(BuildError, match="authenticate"):
        compile_script(BASE + "  .post('http://x').header('Authenticate', 'x')\n")
    with pytest.raises(BuildError, match="absolute"):
        compile_script(BASE + "  .log('alerts.log')\n")


def test_log_node_and_log_handler_are_told_apart_by_the_operator() -> None:
    p = compile_script(BASE + "  .log('/tmp/a.log')\n |log()\n")
    assert [n.kind for n in p.nodes] == ["stream", "from", "alert", "log"]
    assert p.nodes[2].handlers[0].kind == "log"
