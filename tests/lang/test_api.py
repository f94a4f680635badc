"""The public API of compiled lambdas: compile_lambda/compile_expression, script variables, the
match-expression hook, per-instance stateful state, the predicate form and the fast path."""

from __future__ import annotations

import types

import pytest

import tickmini
from tickmini import Duration, Point
from tickmini.errors import BuildError, EvaluationError
from tickmini.lang.compiler import CompiledLambda, compile_expression
from tickmini.lang.functions import extra_function
from tickmini.lang.goconv import GoError
from tickmini.lang.regex import compile_regex
from tickmini.lang.types import T_DURATION, T_INT, T_STRING
from tickmini.syntax import ast
from tickmini.syntax.parser import parse_lambda


def pt(fields: dict[str, object], tags: dict[str, str] | None = None) -> Point:
    return Point("cpu", tags or {}, fields, 0)  # type: ignore[arg-type]


def test_compile_lambda_is_exported_and_evaluate_is_a_plain_function() -> None:
    compiled = tickmini.compile_lambda('"usage_idle" < 10')
    assert isinstance(compiled, CompiledLambda)
    assert isinstance(compiled.evaluate, types.FunctionType)
    assert isinstance(compiled.evaluate_bool, types.FunctionType)
    assert compiled.references == frozenset({"usage_idle"})
    assert compiled.evaluate(pt({"usage_idle": 5})) is True
    assert compiled.evaluate(pt({"usage_idle": 50.5})) is False


def test_references_exclude_time() -> None:
    compiled = tickmini.compile_lambda('hour("time") > 3 AND "host" == \'a\'')
    assert compiled.references == frozenset({"host"})


def test_evaluate_bool_applies_the_type_guard() -> None:
    compiled = tickmini.compile_lambda('"v" * 2.0')
    assert compiled.evaluate(pt({"v": 1.5})) == 3.0
    with pytest.raises(EvaluationError, match="unexpected type float, expected boolean"):
        compiled.evaluate_bool(pt({"v": 1.5}))
    assert tickmini.compile_lambda('"b"').evaluate_bool(pt({"b": True})) is True


def test_specialisations_for_unexpected_types_are_compiled_on_demand() -> None:
    compiled = tickmini.compile_lambda('"x" < 10')
    assert compiled.evaluate(pt({"x": 5})) is True
    assert compiled.evaluate(pt({"x": 50.0})) is False
    with pytest.raises(EvaluationError, match="got string < int"):
        compiled.evaluate(pt({"x": "5"}))
    with pytest.raises(EvaluationError, match="got duration < int"):
        compiled.evaluate(pt({"x": Duration(5)}))
    with pytest.raises(EvaluationError, match="invalid comparison operator < for type boolean"):
        compiled.evaluate(pt({"x": True}))
    assert compiled.evaluate(pt({"x": 5})) is True  # the specialised paths do not interfere


def test_stateful_state_is_per_instance_and_copy_reset_starts_fresh() -> None:
    compiled = tickmini.compile_lambda("count()")
    assert [compiled.evaluate(pt({})) for _ in range(3)] == [1, 2, 3]
    fresh = compiled.copy_reset()
    assert fresh.evaluate(pt({})) == 1
    assert compiled.evaluate(pt({})) == 4
    other = tickmini.compile_lambda("count()")
    assert other.evaluate(pt({})) == 1


def test_two_calls_of_a_stateful_function_share_one_accumulator() -> None:
    compiled = tickmini.compile_lambda('sigma("a") + sigma("b")')
    # one Welford accumulator sees a then b on each point (Kapacitor: state per function name)
    values = [compiled.evaluate(pt({"a": a, "b": b})) for a, b in [(1.0, 2.0), (3.0, 4.0)]]
    assert values[0] == pytest.approx(0.0 + 0.7071067811865475)


def test_script_variables_replace_identifiers() -> None:
    expr = parse_lambda('"v" > t AND "host" =~ r AND "d" < limit AND is_on', "<x>")
    compiled = compile_expression(
        expr,
        variables={
            "t": 90,
            "r": compile_regex("^web"),
            "limit": Duration(5_000_000_000),
            "is_on": True,
        },
    )
    point = pt({"v": 95, "d": Duration(1)}, {"host": "web-1"})
    assert compiled.evaluate(point) is True


def test_variables_take_part_in_define_time_type_checks() -> None:
    expr = parse_lambda('"v" > 1 AND t + 1 > 0', "<x>")
    with pytest.raises(BuildError, match="got string \\+ int"):
        compile_expression(expr, variables={"t": "a"}, source='"v" > 1 AND t + 1 > 0')


def test_a_lambda_variable_is_inlined() -> None:
    inner = ast.Lambda(expr=parse_lambda('"v" > 1', "<x>"))
    compiled = compile_expression(parse_lambda("ok AND TRUE", "<x>"), variables={"ok": inner})
    assert compiled.evaluate(pt({"v": 2})) is True


def test_unknown_identifier_lists_the_names_in_scope() -> None:
    text = '"v" > thresold'
    with pytest.raises(BuildError) as info:
        compile_expression(
            parse_lambda(text, "task.tick"),
            variables={"threshold": 1, "period": Duration(1)},
            source=text,
            filename="task.tick",
        )
    error = info.value
    assert error.message == 'name "thresold" is undefined. Names in scope: period, threshold'
    assert (error.file, error.line, error.column) == ("task.tick", 1, 7)


class _Event:
    """A stand-in for the per-event context of a topic handler."""

    def __init__(self, level: int, name: str, previous: int) -> None:
        self.level = level
        self.name = name
        self.previous = previous


def test_match_expression_hook_with_extra_functions_and_constants() -> None:
    extras = {
        "level": extra_function("level", {(): T_INT}, lambda ctx: ctx.level),
        "name": extra_function("name", {(): T_STRING}, lambda ctx: ctx.name),
        "changed": extra_function(
            "changed", {(): "boolean"}, lambda ctx: ctx.level != ctx.previous
        ),
        "alertDuration": extra_function("alertDuration", {(): T_DURATION}, lambda ctx: Duration(0)),
    }
    levels = {"OK": 0, "INFO": 1, "WARNING": 2, "CRITICAL": 3}
    text = "level() >= WARNING AND \"host\" == 'a' AND changed() AND name() == 'cpu'"
    compiled = compile_expression(
        parse_lambda(text, "<match>"), extra_functions=extras, constants=levels, source=text
    )
    event_tags = pt({}, {"host": "a"})
    assert compiled.evaluate_bool(event_tags, _Event(3, "cpu", 0)) is True
    assert compiled.evaluate_bool(event_tags, _Event(1, "cpu", 0)) is False
    assert compiled.evaluate_bool(event_tags, _Event(3, "cpu", 3)) is False
    with pytest.raises(BuildError, match='name "BAD" is undefined'):
        compile_expression(
            parse_lambda("level() == BAD", "<m>"), extra_functions=extras, constants=levels
        )


def test_extra_function_errors_become_evaluation_errors() -> None:
    def broken(ctx: object) -> int:
        raise GoError("no level here")

    compiled = compile_expression(
        parse_lambda("level() > 1", "<m>"),
        extra_functions={"level": extra_function("level", {(): T_INT}, broken)},
    )
    with pytest.raises(EvaluationError, match='error calling "level": no level here'):
        compiled.evaluate(pt({}), object())


def test_field_names_are_data_never_code() -> None:
    name = "a\"b') or __import__('os').system('echo pwned') #\n"
    escaped = name.replace('"', '\\"')
    compiled = tickmini.compile_lambda(f'"{escaped}" + 1')
    assert compiled.references == frozenset({name})
    assert compiled.evaluate(pt({name: 41})) == 42
