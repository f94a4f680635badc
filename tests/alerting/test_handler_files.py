"""Topic handler files (YAML/JSON) accepted exactly as ``define-topic-handler`` accepts them."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickmini.alerting.spec import HandlerSpec, load_handler_file, parse_handler_text
from tickmini.errors import HandlerSpecError, TickminiError

SAMPLES = Path(__file__).parent.parent.parent / "samples"


def test_the_seed_handler_file_loads() -> None:
    spec = load_handler_file(SAMPLES / "victorops_cpu_handler.yaml")
    assert spec == HandlerSpec(
        kind="victorops",
        options={"routing-key": "team_rocket"},
        id="victorops-cpu-alert",
        topic="cpu",
        source=str(SAMPLES / "victorops_cpu_handler.yaml"),
    )


def test_json_handler_file(tmp_path) -> None:
    path = tmp_path / "h.json"
    path.write_text(
        '{"id": "h1", "topic": "main:task:alert2", "kind": "post", "options": {"url": "http://x/"}}'
    )
    spec = load_handler_file(path)
    assert (spec.id, spec.topic, spec.kind, spec.options) == (
        "h1",
        "main:task:alert2",
        "post",
        {"url": "http://x/"},
    )


def test_yaml_octal_mode_and_case_insensitive_option_names() -> None:
    spec = parse_handler_text(
        "id: l\ntopic: t\nkind: log\noptions:\n  Path: /tmp/a.log\n  mode: 0644\n", "h.yaml"
    )
    assert spec.options == {"Path": "/tmp/a.log", "mode": 0o644}


def test_unknown_top_level_keys_are_accepted_with_a_warning() -> None:
    spec = parse_handler_text("id: a\ntopic: t\nkind: victorops\nmach: x\n", "h.yml")
    assert spec.match is None
    assert spec.warnings and "'mach'" in spec.warnings[0] and "h.yml:4" in spec.warnings[0]


def _error(text: str, name: str = "h.yaml") -> HandlerSpecError:
    with pytest.raises(HandlerSpecError) as info:
        parse_handler_text(text, name)
    return info.value


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        (
            "id: a\ntopic: t\nkind: victorops\noptions:\n  routing-kye: x\n",
            "unknown option 'routing-kye'",
            5,
            3,
        ),
        (
            "id: a\ntopic: t\nkind: victorops\noptions:\n  routing-key: 5\n",
            "must be a string, not a number",
            5,
            3,
        ),
        ("id: a b\ntopic: t\nkind: log\n", "handler id 'a b'", 1, 1),
        ("id: a\ntopic: t/x\nkind: log\n", "handler topic 't/x'", 2, 1),
        ("id: a\ntopic: t\n", "kind must not be empty", 1, 1),
        (
            "id: a\ntopic: t\nkind: slack\n",
            "'slack' is a Kapacitor handler tickmini does not support",
            3,
            1,
        ),
        ("id: a\ntopic: t\nkind: pager\n", "unsupported handler kind 'pager'", 3, 1),
        ("id: a\ntopic: t\nkind: log\noptions:\n  path: rel.log\n", "must be absolute", 5, 3),
        ("id: a\ntopic: t\nkind: log\noptions: [1]\n", "options must be a mapping", 4, 1),
        ("id: [a]\ntopic: t\nkind: log\n", "id must be a string", 1, 1),
        (
            "id: a\ntopic: t\nkind: post\noptions:\n  timeout: 10s\n",
            "'timeout' must be an integer number of nanoseconds",
            5,
            3,
        ),
        ("- a\n- b\n", "must be a mapping", 1, 1),
        ("id: a\n  topic: : t\n", "not valid YAML", 2, 8),
    ],
)
def test_bad_yaml_handler_files(text, message, line, column) -> None:
    err = _error(text)
    assert message in err.message
    assert (err.line, err.column) == (line, column)
    assert err.file == "h.yaml"
    assert "h.yaml" in err.render()


def test_bad_json_handler_files() -> None:
    err = _error(
        '{"id": "a", "topic": "t",\n "kind": "victorops", "options": {"routing-key": 1}}', "h.json"
    )
    assert "must be a string" in err.message and err.line == 2
    err = _error(
        '{"id": 5, "topic": "t", "kind": "log"}', "h.json"
    )  # JSON: a number is not a string
    assert "id must be a string" in err.message
    err = _error('{"id": "a",\n "topic": }', "h.json")
    assert "not valid JSON" in err.message and (err.line, err.column) == (2, 11)


def test_yaml_scalars_become_strings_like_go_yaml() -> None:
    spec = parse_handler_text("id: 123\ntopic: 2020\nkind: victorops\n", "h.yaml")
    assert (spec.id, spec.topic) == ("123", "2020")


def test_extension_decides_the_format(tmp_path) -> None:
    path = tmp_path / "handler.txt"
    path.write_text("id: a\n")
    with pytest.raises(HandlerSpecError, match=r"\.yaml, \.yml or \.json"):
        load_handler_file(path)
    with pytest.raises(HandlerSpecError, match="cannot read"):
        load_handler_file(tmp_path / "missing.yaml")


_yaml_scalars = st.one_of(
    st.text(max_size=12), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)
)
_values = st.recursive(
    _yaml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), st.sampled_from(["h.yaml", "h.json"]))
def test_fuzz_arbitrary_text_only_raises_tickmini_errors(text: str, name: str) -> None:
    with contextlib.suppress(TickminiError):
        parse_handler_text(text, name)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "topic", "kind", "match", "options", "other"]),
        _values | st.sampled_from(["victorops", "post", "log", "tcp"]),
        max_size=6,
    )
)
def test_fuzz_structured_documents_only_raise_tickmini_errors(document: dict) -> None:
    import json

    try:
        spec = parse_handler_text(json.dumps(document), "h.json")
    except TickminiError:
        return
    assert spec.kind in ("victorops", "post", "log", "tcp")
