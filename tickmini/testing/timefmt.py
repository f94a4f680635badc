"""Times and durations as test files write them, and as reports show them.

Durations are InfluxQL durations, as in TICKscript (``10s``, ``1m30s``, ``250ms``, ``1d``);
absolute times are RFC 3339 with up to nanosecond fractions, or integer nanoseconds since the
epoch. Everything is exact integer nanoseconds. Formatting reuses ``tickmini.gocompat``.
"""

from __future__ import annotations

import calendar
import re

from tickmini.gocompat.durations import (
    InvalidDurationError,
    format_go_duration,
    format_influxql_duration,
    parse_influxql_duration,
)
from tickmini.gocompat.timefmt import format_rfc3339nano

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))$"
)
NS_PER_S = 1_000_000_000

__all__ = ["describe_time", "format_duration", "format_rfc3339", "parse_duration", "parse_rfc3339"]


def parse_duration(text: str) -> int | None:
    """Nanoseconds for an InfluxQL duration (``1m30s``, ``-5ms``, ``0s``), or None."""
    text = text.strip()
    if text == "0":
        return 0
    try:
        return parse_influxql_duration(text)
    except InvalidDurationError:
        return None


def parse_rfc3339(text: str) -> int | None:
    """Nanoseconds since the epoch for an RFC 3339 time, or None if it is not one."""
    match = _RFC3339.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction = match.group(7) or ""
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 61):
        return None
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    if match.group(9):
        offset = (int(match.group(10)) * 60 + int(match.group(11))) * 60
        seconds -= offset if match.group(9) == "+" else -offset
    return seconds * NS_PER_S + int(fraction.ljust(9, "0") or 0)


format_rfc3339 = format_rfc3339nano
format_duration = format_influxql_duration  # what --update writes: parses back exactly


def describe_time(ns: int, start: int) -> str:
    """``+30s (2023-11-14T22:13:50Z)``: the offset from the case start, then the absolute time."""
    offset = ns - start
    prefix = "+" if offset >= 0 else ""
    return f"{prefix}{format_go_duration(offset)} ({format_rfc3339nano(ns)})"
