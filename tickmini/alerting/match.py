"""Topic-handler ``match`` expressions (reference §5.5), compiled once with the lambda compiler.

The text is a lambda body without ``lambda:``. ``OK``, ``INFO``, ``WARNING``, ``CRITICAL`` are
the ints 0..3; ``changed()``, ``level()``, ``name()``, ``taskName()`` and ``alertDuration()``
read the event; ``"tag"`` references read the event's tags (a missing tag is an error, and the
event is then not handled, as in Kapacitor). All built-in functions are available.
"""

from __future__ import annotations

from collections.abc import Callable

from tickmini.alerting.event import AlertEvent, Level
from tickmini.errors import BuildError, EvaluationError, HandlerSpecError, TickscriptSyntaxError
from tickmini.values import Duration, Point

MatchFunction = Callable[[AlertEvent], bool]

LEVEL_CONSTANTS: dict[str, object] = {level.name: int(level) for level in Level}


def _changed(event: AlertEvent) -> bool:
    return event.level != event.previous_level


def _level(event: AlertEvent) -> int:
    return int(event.level)


def _name(event: AlertEvent) -> str:
    return event.name


def _task_name(event: AlertEvent) -> str:
    return event.task_name


def _alert_duration(event: AlertEvent) -> Duration:
    return Duration(event.duration)


def compile_match(text: str) -> MatchFunction:
    """Compile ``text``; a bad expression is a :class:`HandlerSpecError` (position in ``text``)."""
    from tickmini.lang.compiler import compile_expression
    from tickmini.lang.functions import extra_function
    from tickmini.lang.types import T_BOOL, T_DURATION, T_INT, T_STRING
    from tickmini.syntax.parser import parse_lambda

    functions = {
        "changed": extra_function("changed", {(): T_BOOL}, _changed),
        "level": extra_function("level", {(): T_INT}, _level),
        "name": extra_function("name", {(): T_STRING}, _name),
        "taskName": extra_function("taskName", {(): T_STRING}, _task_name),
        "alertDuration": extra_function("alertDuration", {(): T_DURATION}, _alert_duration),
    }
    try:
        expr = parse_lambda(text, "<match>")
        compiled = compile_expression(
            expr,
            source=text,
            filename="<match>",
            extra_functions=functions,
            constants=LEVEL_CONSTANTS,
        )
    except (TickscriptSyntaxError, BuildError) as err:
        raise HandlerSpecError(
            f"invalid match expression: {err.message}",
            line=err.line,
            column=err.column,
            expected=err.expected,
            hint=err.hint,
        ) from None
    references = tuple(sorted(compiled.references))
    evaluate = compiled.evaluate_bool

    def matches(event: AlertEvent) -> bool:
        tags = event.tags
        for name in references:
            if name not in tags:
                raise EvaluationError(f"no tag exists for {name}")
        scope = Point(event.name, tags, {}, event.time)
        return evaluate(scope, event)

    return matches
