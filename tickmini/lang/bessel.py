"""Bessel functions of the first and second kind (Go ``math.J0 J1 Jn Y0 Y1 Yn``).

Python's ``math`` has none. Orders 0 and 1 use the power series evaluated in ``decimal`` with
enough extra digits to absorb its cancellation (small arguments) or Hankel's asymptotic expansion
(large arguments); higher orders use the stable recurrences (forward for ``Y`` and for ``J`` when
the order is below the argument, Miller's backward recurrence otherwise). Accurate to about an
ulp, not bit-identical to Go's FreeBSD-derived polynomials (docs/lambdas.md).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

from tickmini.gocompat.strconv import GoError

_EULER = Decimal("0.57721566490153286060651209008240243104215933593992")
_PI = Decimal("3.14159265358979323846264338327950288419716939937511")
_ASYMPTOTIC_FROM = 25.0
_MAX_ORDER = 1_000_000  # recurrences are O(order), like Go's; refuse absurd orders


def _series(order: int, x: float, second_kind: bool) -> float:
    """J_order(x) or Y_order(x) (order 0 or 1) from the power series, for 0 < x < 25."""
    digits = 40 + int(x * 0.5)
    with localcontext() as ctx:
        ctx.prec = digits
        half = Decimal(x) / 2
        quarter_sq = -(half * half)
        term = half**order
        j_sum = Decimal(0)
        h_sum = Decimal(0)
        harmonic_k = Decimal(0)
        harmonic_nk = Decimal(order)  # H_order for order 0 or 1
        k = 0
        eps = Decimal(10) ** (-digits + 2)
        while True:
            j_sum += term
            if second_kind:
                h_sum += (harmonic_k + harmonic_nk) * term
            k += 1
            term = term * quarter_sq / (k * (order + k))
            harmonic_k += Decimal(1) / k
            harmonic_nk += Decimal(1) / (order + k)
            if abs(term) < eps:
                break
        if not second_kind:
            return float(j_sum)
        finite = 1 / half if order == 1 else Decimal(0)
        return float((2 * j_sum * (half.ln() + _EULER) - finite - h_sum) / _PI)


def _hankel(order: int, x: float) -> tuple[float, float]:
    """(J_order(x), Y_order(x)) from Hankel's asymptotic expansion, for x >= 25."""
    mu = 4.0 * order * order
    p, q = 1.0, 0.0
    term = 1.0
    for k in range(1, 200):
        next_term = term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * x)
        if abs(next_term) > abs(term) and k > 2:
            break
        term = next_term
        sign = 1.0 if (k // 2) % 2 == 0 else -1.0
        if k % 2:
            q += sign * term
        else:
            p += sign * term
        if abs(term) < 1e-17:
            break
    phase = (order / 2.0 + 0.25) * math.pi
    cos_x, sin_x = math.cos(x), math.sin(x)
    cos_chi = cos_x * math.cos(phase) + sin_x * math.sin(phase)
    sin_chi = sin_x * math.cos(phase) - cos_x * math.sin(phase)
    scale = math.sqrt(2.0 / (math.pi * x))
    return scale * (p * cos_chi - q * sin_chi), scale * (p * sin_chi + q * cos_chi)


def _low_order(order: int, x: float, second_kind: bool) -> float:
    if x >= _ASYMPTOTIC_FROM:
        return _hankel(order, x)[1 if second_kind else 0]
    return _series(order, x, second_kind)


def _check_order(n: int) -> None:
    if abs(n) > _MAX_ORDER:
        raise GoError(f"Bessel function order {n} is too large (at most {_MAX_ORDER})")


def _j_positive(n: int, x: float) -> float:
    """J_n(x) for n >= 0, x > 0."""
    if n <= 1:
        return _low_order(n, x, False)
    if n * math.log(x / 2.0) - math.lgamma(n + 1.0) < -760.0:
        return 0.0  # underflows in float64
    if n < x:
        previous, current = _low_order(0, x, False), _low_order(1, x, False)
        for k in range(1, n):
            previous, current = current, (2.0 * k / x) * current - previous
        return current
    # Miller's backward recurrence, normalised by J0 + 2(J2 + J4 + ...) = 1.
    start = 2 * ((n + int(math.sqrt(40.0 * n)) + 20) // 2)
    following, current = 0.0, 1e-300
    total = 0.0
    result = 0.0
    for k in range(start, 0, -1):
        following, current = current, (2.0 * k / x) * current - following
        if abs(current) > 1e250:
            current, following, total, result = (
                current * 1e-250,
                following * 1e-250,
                total * 1e-250,
                result * 1e-250,
            )
        if k - 1 == n:
            result = current
        if (k - 1) % 2 == 0 and k - 1 > 0:
            total += 2.0 * current
    total += current  # k - 1 == 0: J0
    return result / total


def jn(n: int, x: float) -> float:
    """Go ``math.Jn``."""
    _check_order(n)
    if x != x:
        return x
    if math.isinf(x):
        return 0.0
    sign = 1.0
    if n < 0:
        n = -n
        if n % 2:
            sign = -sign
    if x < 0:
        x = -x
        if n % 2:
            sign = -sign
    if x == 0:
        return sign * (1.0 if n == 0 else 0.0)
    return sign * _j_positive(n, x)


def yn(n: int, x: float) -> float:
    """Go ``math.Yn``."""
    _check_order(n)
    if x < 0 or x != x:
        return math.nan
    if math.isinf(x):
        return 0.0
    sign = 1.0
    if n < 0:
        n = -n
        if n % 2:
            sign = -1.0
    if x == 0:
        return -math.inf * sign
    previous = _low_order(0, x, True)
    if n == 0:
        return sign * previous
    current = _low_order(1, x, True)
    for k in range(1, n):
        previous, current = current, (2.0 * k / x) * current - previous
        if math.isinf(current):
            break
    if math.isinf(current) or current != current:
        return -math.inf * sign
    return sign * current


def j0(x: float) -> float:
    return jn(0, x)


def j1(x: float) -> float:
    return jn(1, x)


def y0(x: float) -> float:
    return yn(0, x)


def y1(x: float) -> float:
    return yn(1, x)
