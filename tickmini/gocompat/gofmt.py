"""Go ``fmt`` printing of template values: ``Sprint``, ``Sprintln``, ``Sprintf`` and ``%T``.

Values follow the model of :mod:`tickmini.gocompat.gotypes`. Time and Duration print through
their Go ``String()`` methods where fmt would call them (``%v %s %q %x %X``); floats use Go's
shortest formatting; maps print ``map[k:v ...]`` with sorted keys; structs ``{v1 v2}``; nil
``<nil>``. Wrong verbs, missing and extra arguments print Go's ``%!v(...)`` markers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from tickmini.gocompat.durations import format_go_duration
from tickmini.gocompat.gotypes import GoByte, GoInt, GoMap, GoStruct
from tickmini.gocompat.numbers import format_float_v
from tickmini.gocompat.timefmt import GO_ZERO_TIME_SECONDS, MONTH_NAMES, civil, format_go_time
from tickmini.values import Duration, Time


def type_name(value: object) -> str:
    """Go ``%T`` of a value."""
    if value is None:
        return "<nil>"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoInt):
        return "int"
    if isinstance(value, GoByte):
        return "uint8"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, GoMap):
        return value.type_name
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, GoStruct):
        return value.type.name
    if isinstance(value, Time):
        return "time.Time"
    if isinstance(value, Duration):
        return "time.Duration"
    if isinstance(value, list | tuple):
        return "[]interface {}"
    return "interface {}"


def _map_items(value: GoMap | Mapping[str, object]) -> list[tuple[str, object]]:
    items = value.items if isinstance(value, GoMap) else value
    return sorted(items.items())


def format_v(value: object, *, plus: bool = False, top: bool = True) -> str:
    """Go ``%v`` (``%+v`` with ``plus``: struct field names) of one value."""
    if value is None:
        return "<nil>"
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return format_float_v(value)
    if isinstance(value, Time):
        return format_go_time(value.nanoseconds)
    if isinstance(value, Duration):
        return format_go_duration(value.nanoseconds)
    if isinstance(value, GoMap | dict):
        inner = " ".join(
            f"{format_v(k, plus=plus, top=False)}:{format_v(v, plus=plus, top=False)}"
            for k, v in _map_items(value)
        )
        return f"map[{inner}]"
    if isinstance(value, GoStruct):
        parts = []
        for declared, member in zip(value.type.fields, value.values, strict=True):
            text = format_v(member, plus=plus, top=False)
            parts.append(f"{declared.name}:{text}" if plus else text)
        return "{" + " ".join(parts) + "}"
    if isinstance(value, list | tuple):
        return "[" + " ".join(format_v(v, plus=plus, top=False) for v in value) + "]"
    return "?"


def sprint(*args: object) -> str:
    """Go ``fmt.Sprint``: a space between operands when neither side is a string."""
    out: list[str] = []
    previous_is_string = True
    for index, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if index > 0 and not is_string and not previous_is_string:
            out.append(" ")
        out.append(format_v(arg, top=False) if arg is not None else "<nil>")
        previous_is_string = is_string
    return "".join(out)


def sprintln(*args: object) -> str:
    """Go ``fmt.Sprintln``: operands separated by spaces, then a newline."""
    return " ".join(format_v(arg, top=False) for arg in args) + "\n"


# --- Sprintf -------------------------------------------------------------------------------


class _Spec:
    __slots__ = ("minus", "plus", "plus_v", "prec", "sharp", "sharp_v", "space", "width", "zero")

    def __init__(self) -> None:
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False
        self.width: int | None = None
        self.prec: int | None = None


def _pad(text: str, spec: _Spec, *, numeric: bool = False) -> str:
    width = spec.width
    if width is None or len(text) >= width:
        return text
    fill = width - len(text)
    if spec.minus:
        return text + " " * fill
    if spec.zero and numeric:
        sign = text[0] if text[:1] in ("+", "-", " ") else ""
        body = text[len(sign) :]
        return sign + "0" * fill + body
    if spec.zero and not numeric:
        return "0" * fill + text
    return " " * fill + text


def _bad_verb(verb: str, value: object) -> str:
    if value is None:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({type_name(value)}={format_v(value, top=False)})"


def _fmt_integer(value: int, verb: str, spec: _Spec) -> str:
    negative = value < 0
    magnitude = -value if negative else value
    if verb in ("d", "v"):
        digits = str(magnitude)
    elif verb == "b":
        digits = format(magnitude, "b")
    elif verb in ("o", "O"):
        digits = format(magnitude, "o")
    elif verb == "x":
        digits = format(magnitude, "x")
    elif verb == "X":
        digits = format(magnitude, "X")
    elif verb == "c":
        return _pad(_rune_text(value), spec)
    elif verb == "q":
        return _pad(_quote_rune(value), spec)
    elif verb == "U":
        text = f"U+{magnitude:04X}"
        if spec.sharp and 0 <= value <= 0x10FFFF and chr(value).isprintable():
            text += f" '{chr(value)}'"
        return _pad(text, spec)
    else:
        return _bad_verb(verb, value)
    if spec.prec is not None:
        digits = "" if spec.prec == 0 and magnitude == 0 else digits.rjust(spec.prec, "0")
    elif spec.zero and not spec.minus and spec.width is not None:
        room = spec.width - (1 if negative or spec.plus or spec.space else 0)
        digits = digits.rjust(room, "0")
    if spec.sharp:
        if verb == "x":
            digits = "0x" + digits
        elif verb == "X":
            digits = "0X" + digits
        elif verb == "o" and not digits.startswith("0"):
            digits = "0" + digits
        elif verb == "b":
            digits = "0b" + digits
    if verb == "O":
        digits = "0o" + digits
    if negative:
        digits = "-" + digits
    elif spec.plus:
        digits = "+" + digits
    elif spec.space:
        digits = " " + digits
    saved_zero = spec.zero
    spec.zero = False
    text = _pad(digits, spec)
    spec.zero = saved_zero
    return text


def _rune_text(value: int) -> str:
    if 0 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF:
        return chr(value)
    return "\ufffd"


def _escape_rune(ch: str, quote: str, ascii_only: bool) -> str:
    code = ord(ch)
    if ch == quote or ch == "\\":
        return "\\" + ch
    if ascii_only and code >= 0x80:
        pass
    elif ch.isprintable() or (code < 0x80 and 0x20 <= code < 0x7F):
        return ch
    simple = {
        "\a": "\\a",
        "\b": "\\b",
        "\f": "\\f",
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        "\v": "\\v",
    }
    if ch in simple:
        return simple[ch]
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return "\\ufffd"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def quote_go(text: str, *, ascii_only: bool = False) -> str:
    """Go ``strconv.Quote`` (``QuoteToASCII`` with ``ascii_only``)."""
    return '"' + "".join(_escape_rune(ch, '"', ascii_only) for ch in text) + '"'


def _quote_rune(value: int) -> str:
    return "'" + _escape_rune(_rune_text(value), "'", False) + "'"


def _hex_float(value: float, upper: bool) -> str:
    """Go ``%x`` of a float64 (``strconv.FormatFloat(f, 'x', -1, 64)``): ``0x1.cp+01``."""
    if value == 0:
        text = ("-" if math.copysign(1.0, value) < 0 else "") + "0x0p+00"
    else:
        mantissa, _, exponent = float.hex(value).partition("p")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        exp = int(exponent)
        text = f"{mantissa}p{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return text.upper().replace("0X", "0X") if upper else text


def _fmt_float(value: float, verb: str, spec: _Spec) -> str:
    if verb in "xX" and not (math.isnan(value) or math.isinf(value)):
        text = _hex_float(value, verb == "X")
        if spec.plus and not text.startswith("-"):
            text = "+" + text
        return _pad(text, spec, numeric=True)
    if verb not in "eEfFgGvxX":
        return _bad_verb(verb, value)
    if math.isnan(value) or math.isinf(value):
        # Go keeps the sign of infinities; NaN gets one only when asked for.
        if math.isnan(value):
            text = "+NaN" if spec.plus else (" NaN" if spec.space else "NaN")
        elif value > 0:
            text = " Inf" if spec.space and not spec.plus else "+Inf"
        else:
            text = "-Inf"
        saved = spec.zero
        spec.zero = False
        out = _pad(text, spec)
        spec.zero = saved
        return out
    prec = spec.prec
    if verb == "v" or (verb in "gG" and prec is None):
        text = format_float_v(value)
        if verb == "G":
            text = text.upper()
    elif verb in "eE":
        text = f"{value:.{6 if prec is None else prec}e}"
        if verb == "E":
            text = text.upper()
    elif verb in "fF":
        text = f"{value:.{6 if prec is None else prec}f}"
    else:
        text = _go_g(value, prec or 1, verb == "G", spec.sharp)
    if spec.plus and not text.startswith("-"):
        text = "+" + text
    elif spec.space and not text.startswith("-"):
        text = " " + text
    return _pad(text, spec, numeric=True)


def _go_g(value: float, prec: int, upper: bool, sharp: bool) -> str:
    text = f"{value:.{prec}{'#' if sharp else ''}g}"
    return text.upper() if upper else text


def _fmt_string(text: str, verb: str, spec: _Spec) -> str:
    if verb in ("s", "v"):
        if spec.prec is not None:
            text = text[: spec.prec]
        return _pad(text, spec)
    if verb == "q":
        if spec.prec is not None:
            text = text[: spec.prec]
        if spec.sharp and "`" not in text and all(ch == "\t" or ch.isprintable() for ch in text):
            return _pad("`" + text + "`", spec)
        return _pad(quote_go(text, ascii_only=spec.plus), spec)
    if verb in ("x", "X"):
        data = text.encode("utf-8", "surrogateescape")
        if spec.prec is not None:
            data = data[: spec.prec]
        hex_digits = [f"{b:02x}" if verb == "x" else f"{b:02X}" for b in data]
        prefix = ("0x" if verb == "x" else "0X") if spec.sharp else ""
        if spec.space:
            out = " ".join(prefix + h for h in hex_digits)
        else:
            out = prefix + "".join(hex_digits)
        return _pad(out, spec)
    return _bad_verb(verb, text)


def format_one(value: object, verb: str, spec: _Spec | None = None) -> str:
    """Format one operand with one verb as Go ``fmt`` does."""
    spec = spec or _Spec()
    if verb == "T":
        return _pad(type_name(value), spec)
    if verb == "v" and spec.sharp_v:
        return _pad(go_syntax(value), spec)
    if value is None:
        if verb == "v":
            return _pad("<nil>", spec)
        return _bad_verb(verb, value)
    if isinstance(value, Time):
        if verb in ("v", "s", "q", "x", "X"):
            return _fmt_string(format_go_time(value.nanoseconds), verb, spec)
        if verb == "d":
            seconds, nanos = divmod(value.nanoseconds, 1_000_000_000)
            return f"{{{nanos} {seconds - GO_ZERO_TIME_SECONDS} 0}}"
        return _bad_verb(verb, value)
    if isinstance(value, Duration):
        if verb in ("v", "s", "q", "x", "X"):
            return _fmt_string(format_go_duration(value.nanoseconds), verb, spec)
        return _fmt_integer(value.nanoseconds, verb, spec)
    if isinstance(value, str):
        return _fmt_string(value, verb, spec)
    if isinstance(value, bool):
        if verb in ("t", "v"):
            return _pad("true" if value else "false", spec)
        return _bad_verb(verb, value)
    if isinstance(value, int):
        if verb in "eEfFgG":
            return _bad_verb(verb, value)
        return _fmt_integer(int(value), verb, spec)
    if isinstance(value, float):
        return _fmt_float(value, verb, spec)
    if isinstance(value, GoMap | dict):
        inner = " ".join(
            f"{format_one(k, verb, _copy(spec))}:{format_one(v, verb, _copy(spec))}"
            for k, v in _map_items(value)
        )
        return f"map[{inner}]"
    if isinstance(value, GoStruct):
        parts = []
        for declared, member in zip(value.type.fields, value.values, strict=True):
            text = format_one(member, verb, _copy(spec))
            parts.append(f"{declared.name}:{text}" if spec.plus_v else text)
        return "{" + " ".join(parts) + "}"
    if isinstance(value, list | tuple):
        return "[" + " ".join(format_one(v, verb, _copy(spec)) for v in value) + "]"
    return _bad_verb(verb, value)


def go_syntax(value: object, *, nested: bool = False) -> str:
    """Go ``%#v``: a Go-syntax representation of the value."""
    if value is None:
        return "interface {}(nil)" if nested else "<nil>"
    if isinstance(value, str):
        return quote_go(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, GoByte):
        return f"0x{int(value):x}"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return format_float_v(value)
    if isinstance(value, Duration):
        return str(value.nanoseconds)
    if isinstance(value, Time):
        year, month, day, hour, minute, second, nanos = civil(value.nanoseconds)
        month_name = MONTH_NAMES[month - 1]
        return f"time.Date({year}, time.{month_name}, {day}, {hour}, {minute}, {second}, {nanos}, time.UTC)"
    if isinstance(value, GoMap | dict):
        inner = ", ".join(
            f"{quote_go(k)}:{go_syntax(v, nested=True)}" for k, v in _map_items(value)
        )
        return f"{type_name(value)}{{{inner}}}"
    if isinstance(value, GoStruct):
        parts = []
        for declared, member in zip(value.type.fields, value.values, strict=True):
            name = (
                member.type.name.rsplit(".", 1)[-1]
                if declared.embedded and isinstance(member, GoStruct)
                else declared.name
            )
            parts.append(f"{name}:{go_syntax(member, nested=True)}")
        return f"{value.type.name}{{{', '.join(parts)}}}"
    if isinstance(value, list | tuple):
        return "[]interface {}{" + ", ".join(go_syntax(v, nested=True) for v in value) + "}"
    return "?"


def _copy(spec: _Spec) -> _Spec:
    clone = _Spec()
    for name in _Spec.__slots__:
        setattr(clone, name, getattr(spec, name))
    return clone


_TOO_LARGE = 1_000_000


def _parse_num(fmt: str, i: int) -> tuple[int, bool, int]:
    """Go ``parsenum``: a crazy long number swallows the rest of the format (Go: tooLarge)."""
    num = 0
    present = False
    while i < len(fmt) and "0" <= fmt[i] <= "9":
        if num > _TOO_LARGE:
            return 0, False, len(fmt)
        num = num * 10 + ord(fmt[i]) - 48
        present = True
        i += 1
    return num, present, i


def _int_arg(args: list[object] | tuple[object, ...], index: int) -> bool:
    """Go ``intFromArg``: an integer argument within ±1e6 can be a width or precision."""
    if index >= len(args):
        return False
    value = args[index]
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and -_TOO_LARGE <= value <= _TOO_LARGE
    )


def _arg_number(fmt: str, i: int, arg_index: int, count: int) -> tuple[int, int, bool, bool]:
    """Go ``argNumber``: an explicit ``[n]`` index at ``fmt[i]``.

    Returns (argument index, new position, whether an index was read, whether it was valid).
    """
    if i >= len(fmt) or fmt[i] != "[":
        return arg_index, i, False, True
    close = fmt.find("]", i + 1)
    if close < 0:
        return arg_index, len(fmt), True, False
    digits = fmt[i + 1 : close]
    if not digits.isdigit() or not 1 <= int(digits) <= count:
        return arg_index, close + 1, True, False
    return int(digits) - 1, close + 1, True, True


def sprintf(fmt: str, args: list[object] | tuple[object, ...]) -> str:
    """Go ``fmt.Sprintf``."""
    out: list[str] = []
    arg_index = 0
    reordered = False
    i = 0
    n = len(fmt)
    while i < n:
        pct = fmt.find("%", i)
        if pct < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:pct])
        i = pct + 1
        spec = _Spec()
        while i < n and fmt[i] in "#0+- ":
            flag = fmt[i]
            if flag == "#":
                spec.sharp = True
            elif flag == "0":
                spec.zero = not spec.minus
            elif flag == "+":
                spec.plus = True
            elif flag == "-":
                spec.minus = True
                spec.zero = False
            else:
                spec.space = True
            i += 1
        good_index = True
        arg_index, i, after_index, ok = _arg_number(fmt, i, arg_index, len(args))
        reordered = reordered or after_index
        good_index = good_index and ok
        if i < n and fmt[i] == "*":
            i += 1
            if _int_arg(args, arg_index):
                width = int(args[arg_index])  # type: ignore[call-overload]
                if width < 0:
                    spec.minus = True
                    width = -width
                spec.width = width
            else:
                out.append("%!(BADWIDTH)")
            arg_index += 1
        else:
            width, present, i = _parse_num(fmt, i)
            if present:
                spec.width = width
        if i < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                i += 1
                if _int_arg(args, arg_index):
                    spec.prec = max(int(args[arg_index]), 0)  # type: ignore[call-overload]
                else:
                    out.append("%!(BADPREC)")
                arg_index += 1
            else:
                prec, present, i = _parse_num(fmt, i)
                spec.prec = prec if present else 0
        arg_index, i, found, ok = _arg_number(fmt, i, arg_index, len(args))
        reordered = reordered or found
        good_index = good_index and ok
        if i >= n:
            out.append("%!(NOVERB)")
            break
        verb = fmt[i]
        i += 1
        if verb == "%":
            out.append("%")
            continue
        if not good_index:
            out.append(f"%!{verb}(BADINDEX)")
            continue
        if arg_index >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        value = args[arg_index]
        arg_index += 1
        if verb == "v":
            # %+v and %#v are flagless formats of their own (Go's plusV/sharpV).
            spec.plus_v, spec.plus = spec.plus, False
            spec.sharp_v, spec.sharp = spec.sharp, False
        out.append(format_one(value, verb, spec))
    if not reordered and arg_index < len(args):
        extra = ", ".join(
            "<nil>" if a is None else f"{type_name(a)}={format_v(a, top=False)}"
            for a in args[arg_index:]
        )
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)
