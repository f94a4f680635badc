"""State of Kapacitor's stateful lambda functions ``sigma``, ``count`` and ``spread``.

Kapacitor keeps one instance of each stateful function **per compiled expression and function
name** (two ``sigma()`` calls in one expression share one accumulator, reference §2.10); a
:class:`FunctionState` is that set for one compiled expression instance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

_sqrt = math.sqrt
_NAN = math.nan


@dataclass(slots=True)
class Count:
    """``count()``: 1, 2, 3, … per call."""

    n: int = 0

    def __call__(self) -> int:
        self.n += 1
        return self.n


@dataclass(slots=True)
class Sigma:
    """``sigma(x)``: Welford running mean and sample variance over every value seen, including x.

    Returns how many standard deviations x is from the running mean (0 until two values were
    seen or while the variance is 0). Float arithmetic follows Go exactly: no step raises.
    """

    n: float = 0.0
    mean: float = 0.0
    m2: float = 0.0

    def __call__(self, x: float) -> float:
        n = self.n + 1.0
        delta = x - self.mean
        mean = self.mean + delta / n
        m2 = self.m2 + delta * (x - mean)
        self.n, self.mean, self.m2 = n, mean, m2
        if n < 2:
            return 0.0
        variance = m2 / (n - 1.0)
        if variance == 0:
            return 0.0
        return abs(x - mean) / (_sqrt(variance) if variance >= 0 else _NAN)


@dataclass(slots=True)
class Spread:
    """``spread(x)``: running max − min of every value seen."""

    low: float = math.inf
    high: float = -math.inf

    def __call__(self, x: float) -> float:
        if x < self.low:
            self.low = x
        if x > self.high:
            self.high = x
        return self.high - self.low


@dataclass(slots=True)
class FunctionState:
    """One accumulator per stateful function name, for one compiled expression instance."""

    count: Count = field(default_factory=Count)
    sigma: Sigma = field(default_factory=Sigma)
    spread: Spread = field(default_factory=Spread)
