"""Go ``int64`` arithmetic on unbounded Python ints: the range, wrap-around, truncating division
and the float→integer conversions as compiled for amd64.

Every layer that needs Go integer behaviour (durations, lambdas, literals, line protocol) imports
it from here so the edge cases (MinInt64 / -1, NaN → MinInt64) are written once.
"""

from __future__ import annotations

from typing import Final

INT64_MIN: Final = -(1 << 63)
INT64_MAX: Final = (1 << 63) - 1
UINT64_MAX: Final = (1 << 64) - 1


def wrap_int64(value: int) -> int:
    """Go int64 arithmetic wraps around (two's complement)."""
    if INT64_MIN <= value <= INT64_MAX:
        return value
    return ((value - INT64_MIN) & UINT64_MAX) + INT64_MIN


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


def float_to_int64(value: float) -> int:
    """Go ``int64(f)``: truncation toward zero; NaN and out-of-range give MinInt64 (amd64)."""
    if value != value or value >= 9.223372036854775807e18 or value < -9.223372036854775808e18:
        return INT64_MIN
    return int(value)


def float_to_uint64(value: float) -> int:
    """Go ``uint64(f)`` as compiled for amd64: below 2^63 through int64, else offset by 2^63."""
    if value < 9.223372036854775808e18:
        return float_to_int64(value) & UINT64_MAX
    return (float_to_int64(value - 9.223372036854775808e18) ^ (1 << 63)) & UINT64_MAX
