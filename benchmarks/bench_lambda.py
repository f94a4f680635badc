"""Evaluations per second of compiled lambdas, next to a hand-written Python function.

Goal (issue 3): at least 5 million evaluations/s for ``"usage_idle" < 10`` and within 2x of a
Python function written by hand for the same test. Run: ``python benchmarks/bench_lambda.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from _common import machine, peak_rss_mib

from tickmini import compile_lambda
from tickmini.values import Point

N = 1_000_000
REPEATS = 5


def _rate(function: Callable[[Point], object], points: list[Point]) -> float:
    """Best of REPEATS runs over ``points`` (cycled to N calls), in evaluations per CPU second
    (process time, so that other processes on a shared machine disturb the numbers less)."""
    batch = (points * (N // len(points) + 1))[:N]
    best = float("inf")
    for _ in range(REPEATS):
        start = time.process_time()
        for point in batch:
            function(point)
        best = min(best, time.process_time() - start)
    return N / best


def _hand_written_usage_idle(point: Point) -> bool:
    """The same test by hand: the field if present (else the tag), compared with 10."""
    value = point.fields.get("usage_idle")
    if value is None:
        value = point.tags.get("usage_idle")
    return value < 10


def main() -> None:
    points = [
        Point(
            "cpu",
            {"host": "serverA" if i % 3 else "serverB", "cpu": "cpu-total"},
            {"usage_idle": float(i % 20), "value": 80.0 + i % 20, "x": "a" + "z" * (i % 5) + "b"},
            i,
        )
        for i in range(100)
    ]
    simple = compile_lambda('"usage_idle" < 10')
    logic = compile_lambda('"host" == \'serverA\' AND "value" > 90.0 OR "x" =~ /^a.*b$/')
    sigma = compile_lambda('sigma("value")')

    print(f"CPU: {machine()}")
    hand = _rate(_hand_written_usage_idle, points)
    rows = [
        ('"usage_idle" < 10 (hand-written Python)', hand),
        ('"usage_idle" < 10', _rate(simple.evaluate, points)),
        ('"usage_idle" < 10 (evaluate_bool)', _rate(simple.evaluate_bool, points)),
        (
            '"host" == \'serverA\' AND "value" > 90.0 OR "x" =~ /^a.*b$/',
            _rate(logic.evaluate, points),
        ),
        ('sigma("value")', _rate(sigma.evaluate, points)),
    ]
    for label, rate in rows:
        print(f"{rate / 1e6:8.2f} M evals/s  {label}")
    ratio = hand / rows[1][1]
    print(f"hand-written / compiled for the first test: {ratio:.2f}x (goal <= 2x, >= 5 M evals/s)")
    print(f"peak RSS: {peak_rss_mib():.1f} MiB")


if __name__ == "__main__":
    main()
