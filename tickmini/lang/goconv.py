"""Go behaviour the lambda built-ins need beyond :mod:`tickmini.gocompat`: Kapacitor's
``strSubstring``, IEEE float division and ``math`` functions with Go's special values (Python's
``math`` raises where Go returns ±Inf or NaN).

Failures raise :class:`~tickmini.gocompat.strconv.GoError` (an ``error`` value in Go) or
:class:`GoPanic` (a Go runtime panic); the compiled lambda turns both into
:class:`tickmini.errors.EvaluationError`. Go number/string conversions live in
:mod:`tickmini.gocompat` (``int64``, ``strconv``, ``gostrings``, ``humanize``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from tickmini.gocompat.gostrings import from_utf8, utf8
from tickmini.gocompat.strconv import GoError


class GoPanic(GoError):
    """A Go runtime panic (integer divide by zero, slice bounds, ...)."""


_INF = math.inf
_NAN = math.nan


def float_div(a: float, b: float) -> float:
    """IEEE float64 division (Python raises on a zero divisor; Go gives ±Inf or NaN)."""
    if b:
        return a / b
    if a != a or a == 0:
        return _NAN
    return math.copysign(_INF, a) * math.copysign(1.0, b)


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
