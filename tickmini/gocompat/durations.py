"""Go and InfluxQL duration text: ``time.Duration.String()`` and ``influxql`` parse/format.

Durations are int64 nanoseconds. Two textual forms exist in Kapacitor: Go's ``Duration.String()``
(templates: ``1m30s``) and InfluxQL's ``FormatDuration``/``ParseDuration`` (lambdas' ``string()``,
``duration()``, the CLI, JSON of node properties: ``90s``).
"""

from __future__ import annotations

from tickmini.errors import TickminiError
from tickmini.gocompat.int64 import INT64_MAX, int_div, wrap_int64

NANOSECOND = 1
MICROSECOND = 1_000
MILLISECOND = 1_000_000
SECOND = 1_000_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY

_INFLUXQL_UNITS: tuple[tuple[int, str], ...] = (
    (WEEK, "w"),
    (DAY, "d"),
    (HOUR, "h"),
    (MINUTE, "m"),
    (SECOND, "s"),
    (MILLISECOND, "ms"),
    (MICROSECOND, "u"),
)

_UNIT_CHAR_NS: dict[str, int] = {
    "u": MICROSECOND,
    "µ": MICROSECOND,
    "s": SECOND,
    "h": HOUR,
    "d": DAY,
    "w": WEEK,
}


class InvalidDurationError(TickminiError):
    """A text is not an InfluxQL duration (``influxql.ErrInvalidDuration`` or overflow)."""


def format_influxql_duration(ns: int) -> str:
    """``influxql.FormatDuration``: largest unit that divides exactly (``90s``, ``1w``, ``5ns``)."""
    if ns == 0:
        return "0s"
    for unit_ns, suffix in _INFLUXQL_UNITS:
        if ns % unit_ns == 0:
            return f"{int_div(ns, unit_ns)}{suffix}"
    return f"{ns}ns"


def parse_influxql_duration(text: str) -> int:
    """``influxql.ParseDuration``: ``1h30m``, ``-5ms``, ``10ns``, ``1µs``; int64 nanoseconds.

    Raises :class:`InvalidDurationError` exactly where InfluxQL returns an error.
    """
    if len(text) < 2:
        raise InvalidDurationError(f"invalid duration {text!r}")
    i = 0
    negative = False
    if text[0] == "-":
        negative = True
        i = 1
    total = 0
    n = len(text)
    while i < n:
        start = i
        while i < n and "0" <= text[i] <= "9":
            i += 1
        if i >= n or i == start:
            raise InvalidDurationError(f"invalid duration {text!r}")
        measure = int(text[start:i])
        if measure > INT64_MAX:
            raise InvalidDurationError(f"invalid duration {text!r}")
        unit = text[i]
        if unit in ("n", "m") and i + 1 < n and text[i + 1] == "s":
            total = wrap_int64(total + measure * (NANOSECOND if unit == "n" else MILLISECOND))
            i += 2
            continue
        if unit == "m":
            factor = MINUTE
        elif unit in _UNIT_CHAR_NS:
            factor = _UNIT_CHAR_NS[unit]
        else:
            raise InvalidDurationError(f"invalid duration {text!r}")
        total = wrap_int64(total + wrap_int64(measure * factor))
        i += 1
    if total < 0 and not negative:
        raise InvalidDurationError(f"overflowed duration {text}: choose a smaller duration or INF")
    return wrap_int64(-total) if negative else total


def _frac(value: int, precision: int) -> tuple[str, int]:
    """Go ``fmtFrac``: the fraction of ``value / 10**precision`` without trailing zeros."""
    digits: list[str] = []
    printed = False
    for _ in range(precision):
        digit = value % 10
        printed = printed or digit != 0
        if printed:
            digits.append(chr(48 + digit))
        value //= 10
    if printed:
        digits.append(".")
    return "".join(reversed(digits)), value


def format_go_duration(ns: int) -> str:
    """Go ``time.Duration.String()``: ``0s``, ``1.5s``, ``2m0s``, ``1h0m0s``, ``100ms``, ``10µs``."""
    magnitude = -ns if ns < 0 else ns
    sign = "-" if ns < 0 else ""
    if magnitude < SECOND:
        if magnitude == 0:
            return "0s"
        if magnitude < MICROSECOND:
            return f"{sign}{magnitude}ns"
        if magnitude < MILLISECOND:
            frac, whole = _frac(magnitude, 3)
            return f"{sign}{whole}{frac}µs"
        frac, whole = _frac(magnitude, 6)
        return f"{sign}{whole}{frac}ms"
    frac, seconds = _frac(magnitude, 9)
    text = f"{seconds % 60}{frac}s"
    minutes = seconds // 60
    if minutes > 0:
        text = f"{minutes % 60}m{text}"
        hours = minutes // 60
        if hours > 0:
            text = f"{hours}h{text}"
    return sign + text
