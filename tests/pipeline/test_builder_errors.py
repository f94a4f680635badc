"""Define-time errors as Kapacitor's reflection reports them, with tickmini's positions/hints."""

from __future__ import annotations

import pytest

from tickmini.errors import BuildError
from tickmini.pipeline.builder import compile_script


def build_error(script: str) -> BuildError:
    with pytest.raises(BuildError) as info:
        compile_script(script, "t.tick")
    return info.value


def test_unknown_property_gets_did_you_mean_at_its_position() -> None:
    err = build_error("stream\n    |from()\n        .measurment('cpu')\n")
    assert (err.line, err.column) == (3, 10)
    assert 'no method or property "measurment" on *pipeline.FromNode' in err.message
    assert err.hint == "did you mean .measurement?"


def test_routingkey_lowercase_is_rejected_with_did_you_mean() -> None:
    err = build_error("stream\n |from()\n |alert()\n  .victorOps()\n  .routingkey('x')\n")
    assert (err.line, err.column) == (5, 4)
    assert "*pipeline.VictorOpsHandler" in err.message
    assert err.hint == "did you mean .routingKey?"


def test_capitalised_first_letter_is_accepted_like_kapacitor() -> None:
    pipeline = compile_script("stream\n |from()\n  .Measurement('cpu')\n |httpOut('x')\n")
    assert pipeline.nodes[1].properties["measurement"] == "cpu"


def test_flapping_with_integers_is_a_type_error() -> None:
    err = build_error("stream\n |from()\n |alert()\n  .flapping(0, 1)\n")
    assert "float64" in err.message and "int64" in err.message
    assert (err.line, err.column) == (4, 13)
    assert "0.0" in (err.hint or "")


def test_history_with_a_float_is_a_type_error() -> None:
    err = build_error("stream\n |from()\n |alert()\n  .history(21.0)\n")
    assert "reflect.Set: value of type float64 is not assignable to type int64" in err.message


def test_chain_method_used_as_property() -> None:
    err = build_error("stream\n |from()\n .alert()\n")
    assert "Use '|' operator instead" in err.message


def test_property_used_as_chain_method() -> None:
    err = build_error("stream\n |from()\n |measurement('cpu')\n")
    assert "Use '.' operator instead" in err.message


def test_unknown_chain_method_did_you_mean() -> None:
    err = build_error("stream\n |from()\n |alrt()\n")
    assert err.hint == "did you mean |alert?"


def test_batch_tasks_are_not_supported_yet() -> None:
    err = build_error("batch\n |query('SELECT 1')\n")
    assert "batch tasks are not supported yet" in err.message
    assert (err.line, err.column) == (1, 1)


def test_task_does_nothing() -> None:
    assert "task does nothing" in build_error("stream\n").message


@pytest.mark.parametrize("handler", ["exec('/bin/x')", "slack()", "email()", "pagerDuty()"])
def test_unsupported_handlers_are_named(handler: str) -> None:
    err = build_error(f"stream\n |from()\n |alert()\n  .{handler}\n")
    name = handler.split("(")[0]
    assert f".{name}()" in err.message and "not supported" in err.message


def test_unsupported_node_is_named() -> None:
    err = build_error("stream\n |from()\n |join()\n")
    assert "join() node is not supported" in err.message


def test_vars_are_immutable() -> None:
    err = build_error("var a = 'x'\nvar a = 'y'\nstream |from() |httpOut(a)\n")
    assert "attempted to redefine a, vars are immutable" in err.message


def test_undefined_identifier() -> None:
    err = build_error("stream |from() |httpOut(nope)\n")
    assert 'name "nope" is undefined' in err.message


def test_groupby_star_and_names_conflict() -> None:
    err = build_error("stream |from() .groupBy(*, 'host') |httpOut('x')\n")
    assert "cannot group by both '*' and named dimensions." in err.message


def test_window_without_period() -> None:
    err = build_error("stream |from() |window() |httpOut('x')\n")
    assert "period" in err.message


def test_node_ids_follow_creation_order() -> None:
    p = compile_script(
        "stream |from() .measurement('cpu') |window().period(1s) |count('v') |httpOut('x')"
    )
    assert [n.name for n in p.nodes] == ["stream0", "from1", "window2", "count3", "http_out4"]
    assert p.nodes[3].properties["field"] == "v" and p.nodes[3].properties["as"] == "count"


def test_wrong_argument_count() -> None:
    err = build_error("stream |from() .measurement('a', 'b') |httpOut('x')")
    assert "takes 1 argument" in err.message


def test_double_quoted_string_argument_suggests_single_quotes() -> None:
    err = build_error("stream\n |from()\n  .measurement(\"cpu\")\n |httpOut('x')\n")
    assert (err.line, err.column) == (3, 16)  # the opening double quote
    assert "single quotes" in (err.hint or "") and "'cpu'" in (err.hint or "")


def test_comparison_without_lambda_suggests_lambda() -> None:
    err = build_error('stream\n |from()\n |alert()\n  .crit("usage_idle" < 10)\n')
    assert err.line == 4
    assert '"usage_idle" can only be read inside a lambda' in err.message
    assert "lambda:" in (err.hint or "")
