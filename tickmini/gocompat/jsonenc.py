"""Go ``encoding/json`` output, byte for byte: ``json.Marshal`` and ``Encoder.Encode``.

Maps (``dict``, :class:`GoMap`) get sorted keys, structs (:class:`GoStruct`) keep their declared
order (embedded structs flattened, ``omitempty`` honoured), floats follow
:func:`format_float_json`, :class:`Time` is RFC3339Nano and :class:`Duration` integer
nanoseconds. Strings are escaped as Go 1.19 does: ``\\n \\r \\t \\" \\\\`` short forms, other
control characters as ``\\u00xx``, ``< > &`` as ``\\u003c \\u003e \\u0026`` when ``escape_html``,
U+2028/U+2029 escaped, invalid UTF-8 (lone surrogates) as ``\\ufffd``, other non-ASCII raw.
"""

from __future__ import annotations

from collections.abc import Mapping

from tickmini.errors import TickminiError
from tickmini.gocompat.gotypes import GoMap, GoStruct
from tickmini.gocompat.jsonstr import quote_string
from tickmini.gocompat.numbers import format_float_json
from tickmini.gocompat.timefmt import format_rfc3339nano
from tickmini.values import Duration, Time


class JSONEncodeError(TickminiError):
    """A value has no Go JSON encoding (NaN/Inf, a non-string map key, an unknown type)."""


def encode(value: object, *, escape_html: bool = True) -> str:
    """``json.Marshal(value)`` (compact, no trailing newline)."""
    parts: list[str] = []
    _encode_into(value, parts, escape_html)
    return "".join(parts)


def encode_line(value: object, *, escape_html: bool = True) -> str:
    """``json.NewEncoder(w).Encode(value)``: compact JSON followed by ``\\n``."""
    return encode(value, escape_html=escape_html) + "\n"


def is_empty(value: object) -> bool:
    """Go's ``omitempty`` test: false, 0, "", nil, and empty maps/slices."""
    if value is None or value is False:
        return True
    if isinstance(value, str | list | tuple | dict):
        return len(value) == 0
    if isinstance(value, GoMap):
        return len(value.items) == 0
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value == 0
    if isinstance(value, Duration):
        return value.nanoseconds == 0
    return False


def _encode_map(items: Mapping[object, object], parts: list[str], escape_html: bool) -> None:
    if not items:
        parts.append("{}")
        return
    for key in items:
        if not isinstance(key, str):
            raise JSONEncodeError(f"json: unsupported map key type {type(key).__name__}")
    separator = "{"
    for key in sorted(items):  # type: ignore[type-var]
        parts.append(separator)
        separator = ","
        parts.append(quote_string(key, escape_html=escape_html))  # type: ignore[arg-type]
        parts.append(":")
        _encode_into(items[key], parts, escape_html)
    parts.append("}")


def struct_members(value: GoStruct) -> list[tuple[str, object]]:
    """The JSON members of a struct in encoding/json order (omitempty applied)."""
    members: list[tuple[str, object]] = []
    for path, key, omitempty, _, _ in value.type.json_layout:
        member: object = value
        for index in path:
            member = member.values[index]  # type: ignore[attr-defined]
        if omitempty and is_empty(member):
            continue
        members.append((key, member))
    return members


def _encode_struct(value: GoStruct, parts: list[str], escape_html: bool) -> None:
    separator = "{"
    for path, _, omitempty, key_html, key_plain in value.type.json_layout:
        member: object = value
        for index in path:
            member = member.values[index]  # type: ignore[attr-defined]
        if omitempty and is_empty(member):
            continue
        parts.append(separator)
        separator = ","
        parts.append(key_html if escape_html else key_plain)
        _encode_into(member, parts, escape_html)
    parts.append("}" if separator == "," else "{}")


def _encode_sequence(
    items: list[object] | tuple[object, ...], parts: list[str], escape_html: bool
) -> None:
    parts.append("[")
    for index, item in enumerate(items):
        if index:
            parts.append(",")
        _encode_into(item, parts, escape_html)
    parts.append("]")


def _encode_into(value: object, parts: list[str], escape_html: bool) -> None:
    kind = type(value)
    if kind is str:
        parts.append(quote_string(value, escape_html=escape_html))  # type: ignore[arg-type]
    elif kind is float:
        parts.append(format_float_json(value))  # type: ignore[arg-type]
    elif kind is bool:
        parts.append("true" if value else "false")
    elif kind is int:
        parts.append(str(value))
    elif value is None:
        parts.append("null")
    elif kind is GoMap:
        _encode_map(value.items, parts, escape_html)  # type: ignore[attr-defined]
    elif kind is GoStruct:
        _encode_struct(value, parts, escape_html)  # type: ignore[arg-type]
    elif kind is dict:
        _encode_map(value, parts, escape_html)  # type: ignore[arg-type]
    elif kind is Time:
        parts.append('"' + format_rfc3339nano(value.nanoseconds) + '"')  # type: ignore[attr-defined]
    elif kind is Duration:
        parts.append(str(value.nanoseconds))  # type: ignore[attr-defined]
    else:
        _encode_other(value, parts, escape_html)


def _encode_other(value: object, parts: list[str], escape_html: bool) -> None:
    """Subclasses of the plain types (GoInt, JSContent ...) and sequences."""
    if isinstance(value, str):
        parts.append(quote_string(value, escape_html=escape_html))
    elif isinstance(value, bool):
        parts.append("true" if value else "false")
    elif isinstance(value, int):
        parts.append(str(int(value)))
    elif isinstance(value, float):
        parts.append(format_float_json(value))
    elif isinstance(value, Mapping):
        _encode_map(value, parts, escape_html)
    elif isinstance(value, list | tuple):
        _encode_sequence(value, parts, escape_html)
    else:
        raise JSONEncodeError(f"json: unsupported type {type(value).__name__}")
