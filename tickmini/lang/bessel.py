"""Bessel functions of the first and second kind (Go ``math.J0 J1 Jn Y0 Y1 Yn``).

Python's ``math`` has none. Small and moderate arguments use the power series evaluated in
``decimal`` with enough extra digits to absorb the series' cancellation; large arguments use
Hankel's asymptotic expansion. Both are accurate to about an ulp, not bit-identical to Go's
FreeBSD-derived polynomials (documented in docs/lambdas.md).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

_EULER = Decimal("0.57721566490153286060651209008240243104215933593992")
_PI = Decimal("3.14159265358979323846264338327950288419716939937511")
_ASYMPTOTIC_FROM = 25.0


def _series(n: int, x: float, second_kind: bool) -> float:
    digits = 40 + int(x * 0.5)
    with localcontext() as ctx:
        ctx.prec = digits
        half = Decimal(x) / 2
        quarter_sq = -(half * half)
        term = half**n / math.factorial(n)  # k = 0 term of J_n
        j_sum = Decimal(0)
        h_sum = Decimal(0)
        harmonic_k = Decimal(0)
        harmonic_nk = sum((Decimal(1) / i for i in range(1, n + 1)), Decimal(0))
        k = 0
        eps = Decimal(10) ** (-digits + 2)
        while True:
            j_sum += term
            if second_kind:
                h_sum += (harmonic_k + harmonic_nk) * term
            k += 1
            term = term * quarter_sq / (k * (n + k))
            harmonic_k += Decimal(1) / k
            harmonic_nk += Decimal(1) / (n + k)
            if abs(term) < eps and k > n:
                break
        if not second_kind:
            return float(j_sum)
        finite = sum(
            (
                Decimal(math.factorial(n - i - 1)) / math.factorial(i) * half ** (2 * i - n)
                for i in range(n)
            ),
            Decimal(0),
        )
        value = (2 * j_sum * (half.ln() + _EULER) - finite - h_sum) / _PI
        return float(value)


def _hankel(n: int, x: float) -> tuple[float, float]:
    mu = 4.0 * n * n
    p, q = 1.0, 0.0
    term = 1.0
    k = 1
    while k < 200:
        next_term = term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * x)
        if abs(next_term) > abs(term) and k > 2:
            break
        term = next_term
        if k % 2 == 1:
            q += term if (k // 2) % 2 == 0 else -term
        else:
            p += term if (k // 2) % 2 == 0 else -term
        if abs(term) < 1e-17 * max(abs(p), 1e-300):
            break
        k += 1
    phase = (n / 2.0 + 0.25) * math.pi
    cos_chi = math.cos(x) * math.cos(phase) + math.sin(x) * math.sin(phase)
    sin_chi = math.sin(x) * math.cos(phase) - math.cos(x) * math.sin(phase)
    scale = math.sqrt(2.0 / (math.pi * x))
    return scale * (p * cos_chi - q * sin_chi), scale * (p * sin_chi + q * cos_chi)


def _use_asymptotic(n: int, x: float) -> bool:
    return x >= _ASYMPTOTIC_FROM and n * n < x


def jn(n: int, x: float) -> float:
    """Go ``math.Jn``."""
    if x != x:
        return x
    if math.isinf(x):
        return 0.0
    sign = 1.0
    if n < 0:
        n = -n
        sign = -1.0 if n % 2 else 1.0
    if x < 0:
        x = -x
        if n % 2:
            sign = -sign
    if x == 0:
        return sign * (1.0 if n == 0 else 0.0)
    value = _hankel(n, x)[0] if _use_asymptotic(n, x) else _series(n, x, False)
    return sign * value


def yn(n: int, x: float) -> float:
    """Go ``math.Yn``."""
    if x < 0 or x != x:
        return math.nan
    if math.isinf(x):
        return 0.0
    sign = 1.0
    if n < 0:
        n = -n
        sign = -1.0 if n % 2 else 1.0
    if x == 0:
        return -math.inf * sign
    value = _hankel(n, x)[1] if _use_asymptotic(n, x) else _series(n, x, True)
    if math.isinf(value) or value != value:
        return -math.inf * sign
    return sign * value


def j0(x: float) -> float:
    return jn(0, x)


def j1(x: float) -> float:
    return jn(1, x)


def y0(x: float) -> float:
    return yn(0, x)


def y1(x: float) -> float:
    return yn(1, x)
