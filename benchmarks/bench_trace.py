"""What tracing costs: points/s of the seed rule untraced, traced (every point, output
discarded), and traced with a filter that matches no point (the edges only forward).

    python benchmarks/bench_trace.py [--points 50000] [--hosts 20]

In-process (the engine and tracer directly, no line-protocol parsing), CPU time via
``time.process_time``; peak RSS from ``resource.getrusage``.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from _common import machine, peak_rss_mib

from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine
from tickmini.teach.trace import TraceOptions, Tracer
from tickmini.values import Point

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = (ROOT / "samples" / "cpu_alert.tick").read_text()


def make_points(count: int, hosts: int) -> list[Point]:
    rng = random.Random(1)
    return [
        Point(
            name="cpu",
            tags={"cpu": "cpu-total", "host": f"h{i % hosts}"},
            fields={"usage_idle": rng.uniform(0.0, 100.0), "usage_user": rng.uniform(0, 50)},
            time=1_700_000_000_000_000_000 + (i // hosts) * 10_000_000_000,
        )
        for i in range(count)
    ]


def measure(points: list[Point], options: TraceOptions | None) -> float:
    engine = Engine(collect=False)
    task = engine.add_task(compile_script(SCRIPT, "cpu_alert.tick"), name="cpu_alert")
    tracer = Tracer(task, options, lambda line: None).attach() if options else None
    start = time.process_time()
    engine.run(points)
    if tracer is not None:
        tracer.finish()
    return len(points) / max(time.process_time() - start, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=50_000)
    parser.add_argument("--hosts", type=int, default=20)
    args = parser.parse_args()
    print(f"cpu: {machine()}")
    points = make_points(args.points, args.hosts)
    cases = {
        "untraced": None,
        "traced, every point": TraceOptions(),
        "traced, filter matching nothing": TraceOptions(group=(("host", "none"),)),
        "rows only (what plot uses)": TraceOptions(points=False, timeline=False),
    }
    for label, options in cases.items():
        print(f"{label:34s} {measure(points, options):12,.0f} points/s")
    print(f"peak RSS {peak_rss_mib():.1f} MiB ({args.points} points)")


if __name__ == "__main__":
    main()
