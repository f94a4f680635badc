"""The step-by-step lambda view: its values are exactly the engine's, on any expression."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.errors import TickminiError
from tickmini.lang.compiler import compile_lambda
from tickmini.pipeline.builder import compile_script
from tickmini.syntax.parser import parse_lambda
from tickmini.teach.lambdas import LambdaExplainer, thresholds, value_text
from tickmini.values import Point

POINT = Point(
    name="m", tags={"host": "a'b"}, fields={"v": 7.5, "n": 3, "s": "x", "ok": True}, time=0
)


def explain(text: str, point: Point = POINT) -> str:
    return LambdaExplainer(parse_lambda(text, "t")).explain(point).render()


def test_the_issue_example() -> None:
    point = Point(name="cpu", tags={}, fields={"usage_idle": 7.5}, time=0)
    assert explain('"usage_idle" < 10', point) == '"usage_idle" < 10 -> 7.5 < 10 -> true'


def test_nested_operators_reduce_innermost_first() -> None:
    assert explain('("v" + 2.5) * 2.0 > 15.0 AND "s" == \'y\'') == (
        "(\"v\" + 2.5) * 2.0 > 15.0 AND \"s\" == 'y' -> (7.5 + 2.5) * 2.0 > 15.0 AND 'x' == 'y'"
        " -> 10 * 2.0 > 15.0 AND false -> 20 > 15.0 AND false -> true AND false -> false"
    )
    # OR with a true left side never looks at the right side (Go short-circuits).
    assert explain('"v" > 1.0 OR "s" == \'y\'') == (
        "\"v\" > 1.0 OR \"s\" == 'y' -> 7.5 > 1.0 OR … == 'y' -> true OR … -> true"
    )


def test_or_short_circuits_and_functions_are_values() -> None:
    assert (
        explain('"ok" OR "missing" > 1')
        == '"ok" OR "missing" > 1 -> true OR … > 1 -> true OR … -> true'
    )
    assert explain('abs(-"v") > 7.0') == 'abs(-"v") > 7.0 -> 7.5 > 7.0 -> true'
    assert explain('"host" =~ /^a/') == "\"host\" =~ /^a/ -> 'a\\'b' =~ /^a/ -> true"


def test_errors_and_stateful_functions() -> None:
    assert explain('"n" + 1.0 > 2.0') == (
        '"n" + 1.0 > 2.0 -> 3 + 1.0 > 2.0 -> error > 2.0 -> error: mismatched type to binary operator. '
        "got int + float. see bool(), int(), float(), string(), duration()"
    )
    stateful = LambdaExplainer(parse_lambda('sigma("v") > 2.0', "t")).explain(POINT)
    assert not stateful.evaluated
    assert stateful.render() == 'sigma("v") > 2.0 -> (calls a stateful function: not re-evaluated)'


def test_script_vars_are_shown_by_name_then_by_value() -> None:
    pipeline = compile_script(
        'var limit = 5.0\nstream\n    |from()\n    |where(lambda: "v" > limit)\n', "t.tick"
    )
    value = pipeline.by_kind("where")[0].properties["lambda"]
    explainer = LambdaExplainer(value.expr, value.compiled)
    assert explainer.explain(POINT).render() == '"v" > limit -> 7.5 > 5.0 -> true'
    assert [(t.field, t.op, t.value) for t in thresholds(explainer)] == [("v", ">", 5.0)]


def test_thresholds_put_the_field_on_the_left() -> None:
    explainer = LambdaExplainer(parse_lambda('10 > "v" AND "n" != 2', "t"))
    found = sorted((t.field, t.op, t.value) for t in thresholds(explainer))
    assert found == [("n", "!=", 2.0), ("v", "<", 10.0)]


# --- property: the last step is the engine's value -----------------------------------------

REFS = ['"v"', '"n"', '"s"', '"ok"', '"host"', '"gone"']
LITERALS = ["1", "2.5", "0", "'x'", "TRUE", "FALSE", "1s", "-3"]
BINARY = ["+", "-", "*", "/", "%", "<", ">", "==", "!=", "<=", ">=", "AND", "OR"]


def expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(REFS + LITERALS)

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(children, st.sampled_from(BINARY), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        )
        unary = st.tuples(st.sampled_from(["-", "!"]), children).map(lambda t: t[0] + t[1])
        call = st.tuples(st.sampled_from(["abs", "string", "int", "float"]), children).map(
            lambda t: f"{t[0]}({t[1]})"
        )
        return binary | unary | call

    return st.recursive(leaves, extend, max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(expressions())
def test_final_step_is_what_the_engine_computes(text: str) -> None:
    try:
        compiled = compile_lambda(text)
    except TickminiError:
        return  # rejected before any data, as Kapacitor would
    try:
        expected = value_text(compiled.evaluate(POINT))
    except TickminiError as err:
        expected = f"error: {err.message}"
    explained = LambdaExplainer(parse_lambda(text, "t"), compiled).explain(POINT)
    assert explained.steps[-1] == expected
    assert explained.steps[0] == explained.steps[0].strip()


def test_a_generated_giant_shows_only_its_value() -> None:
    text = " OR ".join(f"\"host\" == 'h{i}'" for i in range(3000)) + " OR \"host\" == 'a\\'b'"
    compiled = compile_lambda(text)
    explained = LambdaExplainer(parse_lambda(text, "t"), compiled).explain(POINT)
    assert explained.steps[-1] == "true"
    assert len(explained.steps) == 2
    assert explained.steps[0].endswith("…")
    assert len(explained.steps[0]) <= 300
