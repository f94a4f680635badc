"""Kapacitor's lambda built-in functions (``tick/stateful/functions.go``) as a signature table.

Each function lists its signatures (argument types → result type) and, per signature, the Python
implementation for exactly those argument types. Arguments are type-checked against the table
before a call, as Kapacitor does, and because the argument types are known when an expression is
specialised, the implementation is chosen then: no type dispatch inside a call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tickmini.gocompat.durations import (
    InvalidDurationError,
    format_influxql_duration,
    parse_influxql_duration,
)
from tickmini.gocompat.gostrings import (
    index_any,
    last_index_any,
    to_lower,
    to_upper,
    trim_space,
    utf8,
)
from tickmini.gocompat.humanize import human_bytes
from tickmini.gocompat.int64 import float_to_int64, float_to_uint64, wrap_int64
from tickmini.gocompat.numbers import format_float_f, format_float_v
from tickmini.gocompat.strconv import GoError, parse_bool, parse_float, parse_int
from tickmini.gocompat.timefmt import civil, weekday
from tickmini.lang import goconv
from tickmini.lang.bessel import j0, j1, jn, y0, y1, yn
from tickmini.lang.regex import replace_all
from tickmini.lang.types import (
    T_BOOL,
    T_DURATION,
    T_FLOAT,
    T_INT,
    T_MISSING,
    T_REGEX,
    T_STRING,
    T_TIME,
)
from tickmini.values import Duration, Time

Signature = tuple[str, ...]

MAX_ARGS = 4  # Kapacitor's Domain array: a fifth argument panics


@dataclass(frozen=True)
class FunctionSpec:
    """A lambda function: its signatures, and an implementation per signature.

    ``stateful`` names the :class:`~tickmini.lang.stateful.FunctionState` accumulator used instead
    of an implementation. ``needs_context`` functions (match-expression extras) receive the
    evaluation context object as their first argument. An implementation reports a failure by
    raising :class:`~tickmini.gocompat.strconv.GoError`.
    """

    name: str
    signatures: Mapping[Signature, str]
    impls: Mapping[Signature, Callable[..., object]] = field(default_factory=dict)
    stateful: str | None = None
    needs_context: bool = False


def _same(x: object) -> object:
    return x


def _number_to_bool(value: float) -> bool:
    if value == 0:
        return False
    if value == 1:
        return True
    text = format_float_v(value) if isinstance(value, float) else str(value)
    raise GoError(f"cannot convert {text} to boolean")


def _duration_of_int(value: int, unit: Duration) -> Duration:
    return Duration(wrap_int64(value * unit.nanoseconds))


def _duration_of_float(value: float, unit: Duration) -> Duration:
    return Duration(float_to_int64(value * float(unit.nanoseconds)))


def _duration_of_string(text: str, _unit: Duration) -> Duration:
    try:
        return Duration(parse_influxql_duration(text))
    except InvalidDurationError:
        raise GoError(f'invalid duration string "{text}"') from None


def _conversion(result: str, impls: dict[str, Callable[..., object]]) -> FunctionSpec:
    name = {T_BOOL: "bool", T_INT: "int", T_FLOAT: "float", T_STRING: "string"}[result]
    return FunctionSpec(
        name,
        {(arg,): result for arg in impls},
        {(arg,): impl for arg, impl in impls.items()},
    )


def _simple(name: str, args: Signature, result: str, impl: Callable[..., object]) -> FunctionSpec:
    return FunctionSpec(name, {args: result}, {args: impl})


def _time_part(index: int) -> Callable[[Time], int]:
    def part(value: Time) -> int:
        return civil(value.nanoseconds)[index]

    return part


def _str_index(find: Callable[[bytes, bytes], int]) -> Callable[[str, str], int]:
    def index(text: str, sub: str) -> int:
        return find(utf8(text), utf8(sub))

    return index


def _str_replace(text: str, old: str, new: str, n: int) -> str:
    if n < 0:
        return text.replace(old, new)
    return text.replace(old, new, min(n, len(text) + 1))


def _if(condition: bool, yes: object, no: object) -> object:
    return yes if condition else no


def _build() -> dict[str, FunctionSpec]:
    specs: list[FunctionSpec] = [
        _conversion(
            T_BOOL,
            {
                T_BOOL: _same,
                T_STRING: parse_bool,
                T_INT: _number_to_bool,
                T_FLOAT: _number_to_bool,
            },
        ),
        _conversion(
            T_INT,
            {
                T_BOOL: int,
                T_STRING: parse_int,
                T_INT: _same,
                T_FLOAT: float_to_int64,
            },
        ),
        _conversion(
            T_FLOAT,
            {T_BOOL: float, T_STRING: parse_float, T_INT: float, T_FLOAT: _same},
        ),
        FunctionSpec(
            "string",
            {(t,): T_STRING for t in (T_BOOL, T_STRING, T_INT, T_FLOAT, T_DURATION)},
            {
                (T_BOOL,): lambda b: "true" if b else "false",
                (T_STRING,): _same,
                (T_INT,): str,
                (T_FLOAT,): format_float_f,
                (T_DURATION,): lambda d: format_influxql_duration(d.nanoseconds),
            },
        ),
        FunctionSpec(
            "duration",
            {
                (T_DURATION,): T_DURATION,
                (T_INT, T_DURATION): T_DURATION,
                (T_FLOAT, T_DURATION): T_DURATION,
                (T_STRING, T_DURATION): T_DURATION,
            },
            {
                (T_DURATION,): _same,
                (T_INT, T_DURATION): _duration_of_int,
                (T_FLOAT, T_DURATION): _duration_of_float,
                (T_STRING, T_DURATION): _duration_of_string,
            },
        ),
        _simple("pow10", (T_INT,), T_FLOAT, goconv.go_pow10),
        _simple("jn", (T_INT, T_FLOAT), T_FLOAT, jn),
        _simple("yn", (T_INT, T_FLOAT), T_FLOAT, yn),
        _simple("strLength", (T_STRING,), T_INT, lambda s: len(utf8(s))),
        _simple("strReplace", (T_STRING, T_STRING, T_STRING, T_INT), T_STRING, _str_replace),
        _simple("strSubstring", (T_STRING, T_INT, T_INT), T_STRING, goconv.substring),
        _simple("regexReplace", (T_REGEX, T_STRING, T_STRING), T_STRING, replace_all),
        FunctionSpec(
            "isPresent",
            {(t,): T_BOOL for t in (T_MISSING, T_BOOL, T_STRING, T_INT, T_FLOAT)},
            {(t,): (lambda v: True) for t in (T_BOOL, T_STRING, T_INT, T_FLOAT)}
            | {(T_MISSING,): lambda v: False},
        ),
        _simple("unixNano", (T_TIME,), T_INT, lambda t: t.nanoseconds),
        _simple("minute", (T_TIME,), T_INT, _time_part(4)),
        _simple("hour", (T_TIME,), T_INT, _time_part(3)),
        _simple("weekday", (T_TIME,), T_INT, lambda t: weekday(t.nanoseconds)),
        _simple("day", (T_TIME,), T_INT, _time_part(2)),
        _simple("month", (T_TIME,), T_INT, _time_part(1)),
        _simple("year", (T_TIME,), T_INT, _time_part(0)),
        _simple("now", (), T_TIME, lambda: Time(time.time_ns())),
        FunctionSpec(
            "humanBytes",
            {(T_FLOAT,): T_STRING, (T_INT,): T_STRING},
            {
                (T_FLOAT,): lambda f: human_bytes(float_to_uint64(f)),
                (T_INT,): lambda i: human_bytes(i & 0xFFFFFFFFFFFFFFFF),
            },
        ),
        FunctionSpec(
            "if",
            {
                (T_BOOL, t, t): t
                for t in (T_REGEX, T_TIME, T_DURATION, T_FLOAT, T_INT, T_STRING, T_BOOL)
            },
            {
                (T_BOOL, t, t): _if
                for t in (T_REGEX, T_TIME, T_DURATION, T_FLOAT, T_INT, T_STRING, T_BOOL)
            },
        ),
        FunctionSpec("sigma", {(T_FLOAT,): T_FLOAT}, stateful="sigma"),
        FunctionSpec("count", {(): T_INT}, stateful="count"),
        FunctionSpec("spread", {(T_FLOAT,): T_FLOAT}, stateful="spread"),
    ]
    for name, fn in {**goconv.MATH1, "j0": j0, "j1": j1, "y0": y0, "y1": y1}.items():
        specs.append(_simple(name, (T_FLOAT,), T_FLOAT, fn))
    for name, fn2 in goconv.MATH2.items():
        specs.append(_simple(name, (T_FLOAT, T_FLOAT), T_FLOAT, fn2))
    string2: dict[str, tuple[str, Callable[..., object]]] = {
        "strContains": (T_BOOL, lambda s, sub: sub in s),
        "strContainsAny": (T_BOOL, lambda s, chars: any(c in s for c in chars)),
        "strHasPrefix": (T_BOOL, str.startswith),
        "strHasSuffix": (T_BOOL, str.endswith),
        "strCount": (T_INT, str.count),
        "strIndex": (T_INT, _str_index(bytes.find)),
        "strIndexAny": (T_INT, index_any),
        "strLastIndex": (T_INT, _str_index(bytes.rfind)),
        "strLastIndexAny": (T_INT, last_index_any),
        "strTrim": (T_STRING, str.strip),
        "strTrimLeft": (T_STRING, str.lstrip),
        "strTrimRight": (T_STRING, str.rstrip),
        "strTrimPrefix": (T_STRING, str.removeprefix),
        "strTrimSuffix": (T_STRING, str.removesuffix),
    }
    for name, (result, impl) in string2.items():
        specs.append(_simple(name, (T_STRING, T_STRING), result, impl))
    for name, impl1 in {
        "strToLower": to_lower,
        "strToUpper": to_upper,
        "strTrimSpace": trim_space,
    }.items():
        specs.append(_simple(name, (T_STRING,), T_STRING, impl1))
    return {spec.name: spec for spec in specs}


BUILTINS: Mapping[str, FunctionSpec] = _build()


def extra_function(
    name: str,
    signatures: Mapping[Signature, str],
    impl: Callable[..., object],
) -> FunctionSpec:
    """A function for match expressions (``changed()``, ``level()``…): ``impl(context, *args)``.

    ``context`` is whatever the caller passes as ``evaluate(point, context)``. The impl may raise
    :class:`~tickmini.gocompat.strconv.GoError` to report a failure.
    """
    return FunctionSpec(
        name,
        dict(signatures),
        {sig: impl for sig in signatures},
        needs_context=True,
    )
