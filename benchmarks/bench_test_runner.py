"""How fast ``tickmini test`` runs a generated 1,000-case file (the seed's rule).

    python benchmarks/bench_test_runner.py [--cases 1000] [--points 20]

Each case feeds a short series (a ramp through the CRITICAL threshold and back) and checks the
exact list of events, as a user's test would. Prints cases/s, points/s and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from _common import Stopwatch, machine, peak_rss_mib

from tickmini.testing.runner import RunOptions, run_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def generate(path: str, cases: int, points: int) -> None:
    """A test file with ``cases`` cases of ``points`` samples each: values 50, 49, ... ."""
    half = points // 2
    lines = [
        f"script: {os.path.join(ROOT, 'samples', 'cpu_alert.tick')}",
        "interval: 10s",
        "tests:",
    ]
    for i in range(cases):
        low = 5 + i % 4  # the ramp bottoms out below 10 for a few samples
        values = f"{low + half}-1x{half - 1} {low + 1}+1x{points - half - 1}"
        samples = [low + half - k for k in range(half)] + [
            low + 1 + k for k in range(points - half)
        ]
        expected = []
        critical = False
        for step, value in enumerate(samples):
            if value < 10:
                expected.append(f"{{time: {step * 10}s, level: CRITICAL}}")
                critical = True
            elif critical:
                expected.append(f"{{time: {step * 10}s, level: OK}}")
                critical = False
        lines += [
            f"  - name: case {i}",
            "    input_series:",
            f"      - {{series: 'cpu,host=server{i % 100} usage_idle', values: '{values}'}}",
            "    expect:",
            "      alerts:",
            *(f"        - {e}" for e in expected),
        ]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--points", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "generated_test.yaml")
        generate(path, args.cases, args.points)
        with Stopwatch() as watch:
            result, _ = run_file(path, RunOptions())
        seconds, cpu_seconds = watch.wall, watch.cpu
    if result.error is not None:
        raise SystemExit(result.error.render())
    failed = [c for c in result.cases if c.status != "pass"]
    print(f"cpu: {machine()}")
    print(f"{len(result.cases)} cases ({len(failed)} not passing), {args.points} points each")
    print(f"total {seconds:.3f} s wall, {cpu_seconds:.3f} s CPU (load + compile + run + check)")
    print(f"load average {os.getloadavg()[0]:.1f} (other work on the machine inflates wall time)")
    print(
        f"{len(result.cases) / seconds:,.0f} cases/s, {len(result.cases) * args.points / seconds:,.0f} points/s"
    )
    print(f"peak RSS {peak_rss_mib():.1f} MiB")


if __name__ == "__main__":
    main()
