"""Go conversions the lambda built-ins rely on: ``strconv`` parsing, float→int64 truncation,
byte-oriented string helpers, go-humanize ``Bytes`` and ``math`` functions with Go's special
values (Python's ``math`` raises where Go returns ±Inf or NaN).

Failures raise :class:`GoError` (an ``error`` value in Go) or :class:`GoPanic` (a Go runtime
panic); the compiled lambda turns both into :class:`tickmini.errors.EvaluationError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from tickmini.lang.types import INT64_MAX, INT64_MIN


class GoError(Exception):
    """A Go function returned an error (the message is Go's)."""


class GoPanic(GoError):
    """A Go runtime panic (integer divide by zero, slice bounds, ...)."""


_INF = math.inf
_NAN = math.nan

# --- strconv --------------------------------------------------------------------------------

_TRUE_TEXTS = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE_TEXTS = frozenset({"0", "f", "F", "FALSE", "false", "False"})
_DECIMAL_INT = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_HEX_FLOAT = re.compile(
    r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+\Z"
)
_SPECIAL_FLOAT = re.compile(r"(?:[+-]?(?:inf|infinity)|nan)\Z", re.IGNORECASE)  # no "+nan" in Go


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_bool(text: str) -> bool:
    """``strconv.ParseBool``."""
    if text in _TRUE_TEXTS:
        return True
    if text in _FALSE_TEXTS:
        return False
    raise GoError(f"strconv.ParseBool: parsing {_quote(text)}: invalid syntax")


def parse_int(text: str) -> int:
    """``strconv.ParseInt(text, 10, 64)``."""
    if not _DECIMAL_INT.match(text):
        raise GoError(f"strconv.ParseInt: parsing {_quote(text)}: invalid syntax")
    value = int(text)
    if not INT64_MIN <= value <= INT64_MAX:
        raise GoError(f"strconv.ParseInt: parsing {_quote(text)}: value out of range")
    return value


def parse_float(text: str) -> float:
    """``strconv.ParseFloat(text, 64)`` (decimal, hexadecimal and inf/nan forms)."""
    if _SPECIAL_FLOAT.match(text):
        return float(text)
    if _DECIMAL_FLOAT.match(text):
        value = float(text)
    elif _HEX_FLOAT.match(text):
        value = float.fromhex(text)
    else:
        raise GoError(f"strconv.ParseFloat: parsing {_quote(text)}: invalid syntax")
    if math.isinf(value):
        raise GoError(f"strconv.ParseFloat: parsing {_quote(text)}: value out of range")
    return value


def float_to_int64(value: float) -> int:
    """Go ``int64(f)``: truncation toward zero; NaN and out-of-range give MinInt64 (amd64)."""
    if value != value or value >= 9.223372036854775807e18 or value < -9.223372036854775808e18:
        return INT64_MIN
    return int(value)


def float_to_uint64(value: float) -> int:
    """Go ``uint64(f)`` as compiled for amd64: below 2^63 through int64, else offset by 2^63."""
    if value < 9.223372036854775808e18:
        return float_to_int64(value) & 0xFFFFFFFFFFFFFFFF
    return (float_to_int64(value - 9.223372036854775808e18) ^ (1 << 63)) & 0xFFFFFFFFFFFFFFFF


# --- Go integer division --------------------------------------------------------------------


def int_div(a: int, b: int) -> int:
    """Go int64 ``a / b`` for ``b != 0``: truncates toward zero, MinInt64 / -1 wraps."""
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        q = -q
    return INT64_MIN if q > INT64_MAX else q


def int_rem(a: int, b: int) -> int:
    """Go int64 ``a % b`` for ``b != 0``: the sign of the dividend."""
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def float_div(a: float, b: float) -> float:
    """IEEE float64 division (Python raises on a zero divisor; Go gives ±Inf or NaN)."""
    if b:
        return a / b
    if a != a or a == 0:
        return _NAN
    return math.copysign(_INF, a) * math.copysign(1.0, b)


# --- strings (Go strings are bytes) ---------------------------------------------------------


def utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def from_utf8(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def byte_offset(text: str, char_index: int) -> int:
    if char_index < 0:
        return -1
    return len(utf8(text[:char_index]))


def index_any(text: str, chars: str) -> int:
    for i, ch in enumerate(text):
        if ch in chars:
            return byte_offset(text, i)
    return -1


def last_index_any(text: str, chars: str) -> int:
    for i in range(len(text) - 1, -1, -1):
        if text[i] in chars:
            return byte_offset(text, i)
    return -1


_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def trim_space(text: str) -> str:
    return text.strip(_GO_SPACE)


def _simple_case(text: str, convert: Callable[[str], str]) -> str:
    # Go maps rune by rune (unicode.ToUpper/ToLower); Python's full mappings can grow a
    # character into several (ß -> SS), which Go never does.
    if text.isascii():
        return convert(text)
    out = []
    for ch in text:
        mapped = convert(ch)
        out.append(mapped if len(mapped) == 1 else ch)
    return "".join(out)


def to_upper(text: str) -> str:
    return _simple_case(text, str.upper)


def to_lower(text: str) -> str:
    return _simple_case(text, str.lower)


def substring(text: str, start: int, stop: int) -> str:
    """Kapacitor's ``strSubstring`` (byte offsets; the last byte can never be included)."""
    if start < 0:
        raise GoError(f"found negative index for strSubstring: {start}")
    if stop < 0:
        raise GoError(f"found negative index for strSubstring: {stop}")
    data = utf8(text)
    if stop >= len(data):
        raise GoError(f"stop index too large for string in strSubstring: {stop}")
    if start > stop:
        raise GoPanic(f"runtime error: slice bounds out of range [{start}:{stop}]")
    return from_utf8(data[start:stop])


# --- go-humanize ----------------------------------------------------------------------------

_SIZES = ("B", "kB", "MB", "GB", "TB", "PB", "EB")


def human_bytes(size: int) -> str:
    """go-humanize v1.0.1 ``Bytes(uint64)``: SI units, base 1000."""
    if size < 10:
        return f"{size} B"
    exponent = math.floor(math.log(float(size)) / math.log(1000.0))
    value = math.floor(float(size) / math.pow(1000.0, exponent) * 10 + 0.5) / 10
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return f"{text} {_SIZES[exponent]}"


# --- math with Go's special values ----------------------------------------------------------


def _guard1(
    fn: Callable[[float], float], on_overflow: Callable[[float], float]
) -> Callable[[float], float]:
    def call(x: float) -> float:
        try:
            return fn(x)
        except OverflowError:
            return on_overflow(x)
        except ValueError:
            return _NAN

    return call


def _plus_inf(_: float) -> float:
    return _INF


def _signed_inf(x: float) -> float:
    return math.copysign(_INF, x)


def _log_family(fn: Callable[[float], float], pole: float) -> Callable[[float], float]:
    def call(x: float) -> float:
        if x == pole:
            return -_INF
        if x < pole:
            return _NAN
        return fn(x)

    return call


def _rounding(fn: Callable[[float], int]) -> Callable[[float], float]:
    def call(x: float) -> float:
        if math.isinf(x) or x != x:
            return x
        result = float(fn(x))
        return math.copysign(0.0, x) if result == 0 else result

    return call


def go_gamma(x: float) -> float:
    if x == 0:
        return math.copysign(_INF, x)
    if x == -_INF or (x < 0 and x == math.floor(x)):
        return _NAN
    try:
        return math.gamma(x)
    except OverflowError:
        return _INF
    except ValueError:
        return _NAN


def go_logb(x: float) -> float:
    if x == 0:
        return -_INF
    if math.isinf(x):
        return _INF
    if x != x:
        return x
    return float(math.frexp(x)[1] - 1)


def _is_odd_int(y: float) -> bool:
    return math.isfinite(y) and y == math.floor(y) and math.fmod(y, 2.0) != 0


def go_pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)
    except OverflowError:
        return -_INF if x < 0 and _is_odd_int(y) else _INF
    except ValueError:
        if x == 0 and y < 0:
            return math.copysign(_INF, x) if _is_odd_int(y) else _INF
        return _NAN


def go_pow10(n: int) -> float:
    if n < -323:
        return 0.0
    if n > 308:
        return _INF
    return float(f"1e{n}")


def go_mod(x: float, y: float) -> float:
    try:
        return math.fmod(x, y)
    except ValueError:
        return _NAN


def go_max(x: float, y: float) -> float:
    if x == _INF or y == _INF:
        return _INF
    if x != x or y != y:
        return _NAN
    if x == 0 and y == 0:
        return y if math.copysign(1.0, x) < 0 else x
    return x if x > y else y


def go_min(x: float, y: float) -> float:
    if x == -_INF or y == -_INF:
        return -_INF
    if x != x or y != y:
        return _NAN
    if x == 0 and y == 0:
        return x if math.copysign(1.0, x) < 0 else y
    return x if x < y else y


def go_exp2(x: float) -> float:
    try:
        return math.pow(2.0, x)
    except OverflowError:
        return _INF


MATH1: dict[str, Callable[[float], float]] = {
    "abs": math.fabs,
    "acos": _guard1(math.acos, _plus_inf),
    "acosh": _guard1(math.acosh, _plus_inf),
    "asin": _guard1(math.asin, _plus_inf),
    "asinh": _guard1(math.asinh, _signed_inf),
    "atan": _guard1(math.atan, _plus_inf),
    "atanh": lambda x: math.copysign(_INF, x) if abs(x) == 1 else _guard1(math.atanh, _plus_inf)(x),
    "cbrt": _guard1(lambda x: math.copysign(abs(x) ** (1.0 / 3.0), x), _signed_inf),
    "ceil": _rounding(math.ceil),
    "cos": _guard1(math.cos, _plus_inf),
    "cosh": _guard1(math.cosh, _plus_inf),
    "erf": math.erf,
    "erfc": math.erfc,
    "exp": _guard1(math.exp, _plus_inf),
    "exp2": go_exp2,
    "expm1": _guard1(math.expm1, _plus_inf),
    "floor": _rounding(math.floor),
    "gamma": go_gamma,
    "log": _log_family(math.log, 0.0),
    "log10": _log_family(math.log10, 0.0),
    "log1p": _log_family(math.log1p, -1.0),
    "log2": _log_family(math.log2, 0.0),
    "logb": go_logb,
    "sin": _guard1(math.sin, _plus_inf),
    "sinh": _guard1(math.sinh, _signed_inf),
    "sqrt": _guard1(math.sqrt, _plus_inf),
    "tan": _guard1(math.tan, _plus_inf),
    "tanh": math.tanh,
    "trunc": _rounding(math.trunc),
}
if hasattr(math, "cbrt"):  # Python >= 3.11
    MATH1["cbrt"] = math.cbrt

MATH2: dict[str, Callable[[float, float], float]] = {
    "atan2": math.atan2,
    "hypot": math.hypot,
    "max": go_max,
    "min": go_min,
    "mod": go_mod,
    "pow": go_pow,
}
