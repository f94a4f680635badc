"""Lambda value types: Kapacitor's type names, the missing value, and how Python values map to them.

Values are plain Python objects so that the per-point path never wraps or unwraps them: int (int64),
float (float64), str, bool, :class:`~tickmini.values.Duration`, :class:`~tickmini.values.Time`, a
compiled RE2 pattern (regex) and :data:`MISSING` (a field or tag the point does not have).
"""

from __future__ import annotations

from typing import Final

import re2

from tickmini.gocompat.durations import format_go_duration
from tickmini.gocompat.numbers import format_float_v
from tickmini.values import Duration, Time

# Kapacitor's type names as printed in its errors (tick/ast/types.go).
T_INT: Final = "int"
T_FLOAT: Final = "float"
T_STRING: Final = "string"
T_BOOL: Final = "boolean"
T_DURATION: Final = "duration"
T_REGEX: Final = "regex"
T_TIME: Final = "time"
T_MISSING: Final = "missing"
T_INVALID: Final = "invalid type"


class Missing:
    """The value of a reference that names neither a field nor a tag of the point."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing()

REGEX_CLASS: Final = type(re2.compile(""))

# Python class of a runtime value -> Kapacitor type name. Anything else is "invalid type".
TYPE_OF_CLASS: Final[dict[type, str]] = {
    int: T_INT,
    float: T_FLOAT,
    str: T_STRING,
    bool: T_BOOL,
    Duration: T_DURATION,
    Time: T_TIME,
    Missing: T_MISSING,
    REGEX_CLASS: T_REGEX,
}

# The Go type names Kapacitor prints with %T in a few messages.
GO_TYPE_NAME: Final[dict[str, str]] = {
    T_INT: "int64",
    T_FLOAT: "float64",
    T_STRING: "string",
    T_BOOL: "bool",
    T_DURATION: "time.Duration",
    T_TIME: "time.Time",
    T_REGEX: "*regexp.Regexp",
    T_MISSING: "*ast.Missing",
}


def type_of_class(cls: type) -> str:
    """Kapacitor's type name for values of a Python class (subclasses of int, float, str count
    as their base type; anything else is "invalid type")."""
    kind = TYPE_OF_CLASS.get(cls)
    if kind is not None:
        return kind
    for base in (bool, int, float, str, Duration, Time):
        if issubclass(cls, base):
            return TYPE_OF_CLASS[base]
    return T_INVALID


def type_name(value: object) -> str:
    """Kapacitor's type name of a runtime value."""
    return type_of_class(type(value))


def describe(value: object) -> str:
    """A value as a user reads it in an error message (Go-like text plus its type)."""
    kind = type_name(value)
    if value is MISSING:
        return "<missing>"
    if kind == T_STRING:
        text = str(value)
        return repr(text) if len(text) <= 60 else repr(text[:60]) + "…"
    if kind == T_FLOAT:
        return f"{format_float_v(value)} (float)"  # type: ignore[arg-type]
    if kind == T_BOOL:
        return "TRUE" if value else "FALSE"
    if kind == T_DURATION:
        return f"{format_go_duration(value.nanoseconds)} (duration)"  # type: ignore[attr-defined]
    if kind == T_TIME:
        return f"time {value.nanoseconds}ns"  # type: ignore[attr-defined]
    if kind == T_REGEX:
        return f"/{value.pattern}/"  # type: ignore[attr-defined]
    if kind == T_INT:
        return f"{value} (int)"
    return f"{value!r} ({kind})"
