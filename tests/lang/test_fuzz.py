"""Hypothesis: random lambda texts over random points raise nothing but tickmini's errors, and the
predicate form agrees with the value form."""

from __future__ import annotations

import contextlib
import math
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickmini import Duration, Point, compile_lambda
from tickmini.errors import EvaluationError, TickminiError
from tickmini.lang import codegen
from tickmini.lang.functions import BUILTINS

from .reference_model import Model, ModelError

NAMES = ["a", "b", "s", "host", "time", "missing", 'q"uote']
FUNCTIONS = [*sorted(BUILTINS), "nosuch"]

_atoms = st.one_of(
    st.sampled_from(NAMES).map(lambda n: '"' + n.replace('"', '\\"') + '"'),
    st.integers(min_value=0, max_value=(1 << 63) - 1).map(str),
    st.sampled_from(["0", "1", "2", "07", "3.5", ".5", "0.0", "1e3", "08"]),
    st.sampled_from(["1s", "5m", "0s", "1u", "2h", "1w", "10ms"]),
    st.sampled_from(["'abc'", "''", "'serverA'", "'1.5'", "'true'", "'''x'''", "'10s'"]),
    st.sampled_from(["TRUE", "FALSE", "/a.*b/", "/^s/", "/(/", "//", "ident"]),
)
_binary_ops = st.sampled_from(
    ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "=~", "!~", "AND", "OR"]
)


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, _binary_ops, children).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(st.sampled_from(["-", "!"]), children).map(lambda t: t[0] + t[1]),
        children.map(lambda c: f"({c})"),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(children, max_size=5)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
    )


expressions = st.recursive(_atoms, _extend, max_leaves=12)

field_values = st.one_of(
    st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.booleans(),
    st.integers(min_value=-(1 << 40), max_value=1 << 40).map(Duration),
)
points = st.builds(
    lambda fields, tags, time: Point("m", tags, fields, time),
    st.dictionaries(st.sampled_from(NAMES), field_values, max_size=5),
    st.dictionaries(st.sampled_from(NAMES), st.text(max_size=4), max_size=3),
    st.integers(min_value=-(1 << 62), max_value=1 << 62),
)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=expressions, data=st.lists(points, min_size=1, max_size=4))
def test_random_lambdas_raise_only_tickmini_errors(expr: str, data: list[Point]) -> None:
    try:
        compiled = compile_lambda(expr)
    except TickminiError:
        return
    stateless = "count" not in expr and "sigma" not in expr and "spread" not in expr
    for point in data:
        try:
            value = compiled.evaluate(point)
        except TickminiError:
            continue
        assert type(value) in (int, float, str, bool, Duration)
        if stateless and type(value) is bool and "now(" not in expr:
            assert compiled.evaluate_bool(point) is value
            assert _same(compiled.evaluate(point), value)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("\"'()/-!+*%<>=~ .,a1sTRUEANDOR\\\n")), max_size=30)
)
def test_random_text_raises_only_tickmini_errors(text: str) -> None:
    try:
        compiled = compile_lambda(text)
    except TickminiError:
        return
    with contextlib.suppress(EvaluationError):
        compiled.evaluate(Point("m", {"s": "x"}, {"a": 1, "T": 2.5}, 0))


@settings(max_examples=150, deadline=None)
@given(
    name=st.text(
        st.characters(blacklist_characters="\\", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=12,
    ),
    value=st.text(
        st.characters(blacklist_characters="\\'", blacklist_categories=("Cs",)), max_size=12
    ),
)
def test_any_field_name_and_string_is_data(name: str, value: str) -> None:
    """Names and strings reach the generated code only as constants, whatever they contain."""
    if name == "time":
        return  # "time" is the point time, not a field
    escaped = name.replace('"', '\\"')
    try:
        compiled = compile_lambda(f"\"{escaped}\" == '{value}'")
    except TickminiError:
        return  # e.g. a newline inside a reference is a syntax error
    source = compiled._template._main_source()
    assert source.isascii()  # so no name with a non-ASCII character can be in it
    if not name.isascii():
        assert name not in source
    assert compiled.evaluate(Point("m", {}, {name: value}, 0)) is True
    assert compiled.evaluate(Point("m", {name: value + "x"}, {}, 0)) is False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=expressions, data=st.lists(points, min_size=1, max_size=6), shallow=st.booleans())
def test_generated_code_agrees_with_a_tree_walking_model(
    expr: str, data: list[Point], shallow: bool
) -> None:
    """The specialised code (inlined, on-demand and outlined) gives the model's answers, point by
    point, stateful functions included."""
    if shallow:  # outline every nested AND/OR branch into a helper function
        with mock.patch.object(codegen, "_MAX_DEPTH", 2):
            _agrees(expr, data)
    else:
        _agrees(expr, data)


def _agrees(expr: str, data: list[Point]) -> None:
    if "now(" in expr:
        return
    try:
        compiled = compile_lambda(expr)
    except TickminiError:
        return
    model = Model(compiled._template.analysis, compiled._template.literals)
    for point in data:
        try:
            expected: object = model.evaluate(point)
        except ModelError:
            expected = ModelError
        try:
            actual: object = compiled.evaluate(point)
        except EvaluationError:
            actual = ModelError
        assert _same(actual, expected), f"{expr!r} on {point!r}: {actual!r} != {expected!r}"
