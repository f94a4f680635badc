"""What templates can do with values: truth, field/method access, comparison, indexing.

Only the Go value model of :mod:`tickmini.gocompat.gotypes` is reachable: struct fields through
:class:`GoStruct`, map keys through ``dict``/:class:`GoMap`, and a fixed table of
``time.Time``/``time.Duration`` methods. Nothing here ever touches a Python attribute by name.
"""

from __future__ import annotations

from collections.abc import Callable

from tickmini.gocompat.durations import HOUR, MINUTE, SECOND, format_go_duration
from tickmini.gocompat.gofmt import type_name
from tickmini.gocompat.gotypes import GoByte, GoInt, GoMap, GoStruct
from tickmini.gocompat.timefmt import (
    GO_ZERO_TIME_NS,
    civil,
    format_go_time,
    format_layout,
    sub_saturating,
    year_day,
)
from tickmini.values import Duration, Time


class ExecFailure(Exception):
    """An execute-time error message (the executor adds the template position)."""


def is_true(value: object) -> bool:
    """Go template truth: false, 0, "", nil and empty maps/slices are false."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | str | list | tuple | dict):
        return bool(value)
    if isinstance(value, GoMap):
        return bool(value.items)
    if isinstance(value, Duration):
        return value.nanoseconds != 0
    return True


def _go_quotient(a: int, b: int) -> tuple[int, int]:
    q = abs(a) // abs(b)
    q = q if (a >= 0) == (b >= 0) else -q
    return q, a - q * b


def _duration_float(ns: int, unit: int) -> float:
    whole, rest = _go_quotient(ns, unit)
    return float(whole) + float(rest) / float(unit)


def _duration_arg(value: object) -> int:
    if isinstance(value, Duration):
        return value.nanoseconds
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise ExecFailure(f"wrong type for value; expected time.Duration; got {type_name(value)}")


def _time_arg(value: object) -> int:
    if isinstance(value, Time):
        return value.nanoseconds
    raise ExecFailure(f"wrong type for value; expected time.Time; got {type_name(value)}")


def _string_arg(value: object) -> str:
    if isinstance(value, str):
        return value
    raise ExecFailure(f"wrong type for value; expected string; got {type_name(value)}")


def _round_duration(ns: int, m: int) -> int:
    if m <= 0:
        return ns
    whole, rest = _go_quotient(ns, m)
    del whole
    if ns < 0:
        rest = -rest
        if rest + rest < m:
            return ns + rest
        return ns - m + rest
    if rest + rest < m:
        return ns - rest
    return ns + m - rest


Method = Callable[..., object]

DURATION_METHODS: dict[str, tuple[int, Callable[..., object]]] = {
    "Hours": (0, lambda d: _duration_float(d, HOUR)),
    "Minutes": (0, lambda d: _duration_float(d, MINUTE)),
    "Seconds": (0, lambda d: _duration_float(d, SECOND)),
    "Milliseconds": (0, lambda d: _go_quotient(d, 1_000_000)[0]),
    "Microseconds": (0, lambda d: _go_quotient(d, 1_000)[0]),
    "Nanoseconds": (0, lambda d: d),
    "String": (0, format_go_duration),
    "Abs": (0, lambda d: Duration(abs(d) if d != -(1 << 63) else (1 << 63) - 1)),
    "Round": (1, lambda d, m: Duration(_round_duration(d, _duration_arg(m)))),
    "Truncate": (
        1,
        lambda d, m: Duration(
            d if _duration_arg(m) <= 0 else d - _go_quotient(d, _duration_arg(m))[1]
        ),
    ),
}

TIME_METHODS: dict[str, tuple[int, Callable[..., object]]] = {
    "String": (0, format_go_time),
    "Unix": (0, lambda t: t // SECOND),
    "UnixNano": (0, lambda t: t),
    "UnixMilli": (0, lambda t: t // 1_000_000),
    "UnixMicro": (0, lambda t: t // 1_000),
    "Year": (0, lambda t: GoInt(civil(t)[0])),
    "Day": (0, lambda t: GoInt(civil(t)[2])),
    "Hour": (0, lambda t: GoInt(civil(t)[3])),
    "Minute": (0, lambda t: GoInt(civil(t)[4])),
    "Second": (0, lambda t: GoInt(civil(t)[5])),
    "Nanosecond": (0, lambda t: GoInt(civil(t)[6])),
    "YearDay": (0, lambda t: GoInt(year_day(t))),
    "IsZero": (0, lambda t: t == GO_ZERO_TIME_NS),
    "UTC": (0, Time),
    "Format": (1, lambda t, layout: format_layout(t, _string_arg(layout))),
    "Add": (1, lambda t, d: Time(t + _duration_arg(d))),
    "Sub": (1, lambda t, u: Duration(sub_saturating(t, _time_arg(u)))),
    "Before": (1, lambda t, u: t < _time_arg(u)),
    "After": (1, lambda t, u: t > _time_arg(u)),
    "Equal": (1, lambda t, u: t == _time_arg(u)),
}


def find_method(receiver: object, name: str) -> tuple[int, Callable[..., object], int] | None:
    """(number of arguments, function, receiver as int) for a supported Go method, else None."""
    if isinstance(receiver, Duration):
        entry = DURATION_METHODS.get(name)
        return None if entry is None else (entry[0], entry[1], receiver.nanoseconds)
    if isinstance(receiver, Time):
        entry = TIME_METHODS.get(name)
        return None if entry is None else (entry[0], entry[1], receiver.nanoseconds)
    return None


def field_of(receiver: object, name: str, has_args: bool) -> object:
    """``receiver.Name`` for a struct field or map key (methods are handled by the caller)."""
    if isinstance(receiver, GoStruct):
        found, value = receiver.lookup(name)
        if found:
            if has_args:
                raise ExecFailure(f"{name} has arguments but cannot be invoked as function")
            return value
    elif isinstance(receiver, GoMap | dict):
        if has_args:
            raise ExecFailure(f"{name} is not a method but has arguments")
        items = receiver.items if isinstance(receiver, GoMap) else receiver
        return items.get(name)
    raise ExecFailure(f"can't evaluate field {name} in type {type_name(receiver)}")


# --- comparison (text/template funcs.go) ------------------------------------------------

_BAD_TYPE = "invalid type for comparison"
_BAD_COMPARISON = "incompatible types for comparison"


def _basic_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoByte):
        return "uint"
    if isinstance(value, int):
        return "int"
    if isinstance(value, Duration):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "invalid"


def _scalar(value: object) -> object:
    return value.nanoseconds if isinstance(value, Duration) else value


def _comparable(value: object) -> bool:
    return not isinstance(value, GoMap | dict | list | tuple)


def go_eq(arg1: object, *others: object) -> bool:
    if arg1 is not None and not _comparable(arg1):
        raise ExecFailure(_BAD_TYPE)
    if not others:
        raise ExecFailure("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for arg in others:
        k2 = _basic_kind(arg)
        if k1 != k2 and {k1, k2} == {"int", "uint"}:
            truth = _scalar(arg1) == _scalar(arg)
        elif k1 != k2:
            if arg1 is not None and arg is not None:
                raise ExecFailure(_BAD_COMPARISON)
            truth = False
        elif k1 == "invalid":
            if arg is not None and not _comparable(arg):
                raise ExecFailure(f"non-comparable type {type_name(arg)}")
            truth = arg1 == arg
        else:
            truth = _scalar(arg1) == _scalar(arg)
        if truth:
            return True
    return False


def go_ne(arg1: object, arg2: object) -> bool:
    return not go_eq(arg1, arg2)


def go_lt(arg1: object, arg2: object) -> bool:
    k1 = _basic_kind(arg1)
    k2 = _basic_kind(arg2)
    if k1 == "invalid" or k2 == "invalid":
        raise ExecFailure(_BAD_TYPE)
    if k1 != k2:
        if {k1, k2} == {"int", "uint"}:
            return _scalar(arg1) < _scalar(arg2)  # type: ignore[operator]
        raise ExecFailure(_BAD_COMPARISON)
    if k1 == "bool":
        raise ExecFailure(_BAD_TYPE)
    return _scalar(arg1) < _scalar(arg2)  # type: ignore[operator]


def go_le(arg1: object, arg2: object) -> bool:
    return go_lt(arg1, arg2) or go_eq(arg1, arg2)


def go_gt(arg1: object, arg2: object) -> bool:
    return not go_le(arg1, arg2)


def go_ge(arg1: object, arg2: object) -> bool:
    return not go_lt(arg1, arg2)


# --- index / slice / len ---------------------------------------------------------------


def _index_arg(index: object, size: int) -> int:
    if index is None:
        raise ExecFailure("cannot index slice/array with nil")
    if isinstance(index, bool) or not isinstance(index, int):
        raise ExecFailure(f"cannot index slice/array with type {type_name(index)}")
    if index < 0 or index >= size:
        raise ExecFailure(f"index out of range: {int(index)}")
    return int(index)


def go_index(item: object, *indexes: object) -> object:
    if item is None:
        raise ExecFailure("index of untyped nil")
    for index in indexes:
        if item is None:
            raise ExecFailure("index of nil pointer")
        if isinstance(item, str):
            data = item.encode("utf-8", "surrogateescape")
            item = GoByte(data[_index_arg(index, len(data))])
        elif isinstance(item, list | tuple):
            item = item[_index_arg(index, len(item))]
        elif isinstance(item, GoMap | dict):
            mapping = item.items if isinstance(item, GoMap) else item
            zero = item.zero() if isinstance(item, GoMap) else None
            if index is None:
                raise ExecFailure("value is nil; should be of type string")
            if not isinstance(index, str):
                raise ExecFailure(f"value has type {type_name(index)}; should be string")
            item = mapping.get(index, zero)
        else:
            raise ExecFailure(f"can't index item of type {type_name(item)}")
    return item


def go_slice(item: object, *indexes: object) -> object:
    if item is None:
        raise ExecFailure("slice of untyped nil")
    if len(indexes) > 3:
        raise ExecFailure(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise ExecFailure("cannot 3-index slice a string")
        sequence: bytes | list[object] | tuple[object, ...] = item.encode(
            "utf-8", "surrogateescape"
        )
    elif isinstance(item, list | tuple):
        sequence = item
    else:
        raise ExecFailure(f"can't slice item of type {type_name(item)}")
    size = len(sequence)
    bounds = [0, size]
    for position, index in enumerate(indexes[:2]):
        bounds[position] = _slice_arg(index, size)
    if bounds[0] > bounds[1]:
        raise ExecFailure(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    part = sequence[bounds[0] : bounds[1]]
    if isinstance(part, bytes):
        return part.decode("utf-8", "surrogateescape")
    return list(part)


def _slice_arg(index: object, size: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        raise ExecFailure(f"cannot index slice/array with type {type_name(index)}")
    if index < 0 or index > size:
        raise ExecFailure(f"index out of range: {int(index)}")
    return int(index)


def go_len(item: object) -> GoInt:
    if item is None:
        raise ExecFailure("len of untyped nil")
    if isinstance(item, str):
        return GoInt(len(item.encode("utf-8", "surrogateescape")))
    if isinstance(item, GoMap):
        return GoInt(len(item.items))
    if isinstance(item, dict | list | tuple):
        return GoInt(len(item))
    raise ExecFailure(f"len of type {type_name(item)}")


def go_call(fn: object, *args: object) -> object:
    if fn is None:
        raise ExecFailure("call of nil")
    raise ExecFailure(f"non-function of type {type_name(fn)}")


def go_not(arg: object) -> bool:
    return not is_true(arg)
