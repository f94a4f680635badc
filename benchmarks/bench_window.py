"""Speed and memory of ``window()`` + ``mean()`` + ``alert()`` against the seed rule.

    python benchmarks/bench_window.py [--points 1000000] [--hosts 100]
                                      [--memory-hosts 100000] [--memory-points-per-host 12]

1. points/s of ``tickmini run`` for the seed rule (``samples/cpu_alert.tick``, no window) and
   for ``window().period(1m).every(10s) |mean('usage_idle') |alert().crit(lambda: "mean" < 10)``
   grouped by host, over the same Telegraf-like cpu lines (100 hosts, one point per host per
   10 s). The goal is at least half the seed rule's points/s.
2. Peak RSS of a 1-hour window over 100,000 hosts (``--memory-points-per-host`` points per host
   spread over the hour, so every point is still held when the input ends), next to the seed
   rule on the same lines: the difference is what the open windows hold.
3. Engine-only points/s (lines parsed beforehand, CPU time) of the seed rule, the seed rule
   grouped by host, and the window rule, to show the window's own cost.

Each ``tickmini run`` is a separate process, driven by ``bench_run.run_tickmini`` (wall and CPU
points/s, the child's peak RSS from ``resource.getrusage``); the lines come from
``bench_run.write_lines`` (the shared Telegraf-like generator).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
import time
from pathlib import Path

from _common import machine, peak_rss_mib

ROOT = Path(__file__).resolve().parent.parent
SEED_SCRIPT = ROOT / "samples" / "cpu_alert.tick"
WINDOW_SCRIPT = """stream
  |from()
    .measurement('cpu')
    .groupBy('host')
  |window()
    .period(1m)
    .every(10s)
  |mean('usage_idle')
  |alert()
    .crit(lambda: "mean" < 10)
    .message('Hey, check your CPU')
    .topic('cpu')
"""
HOUR_WINDOW_SCRIPT = """stream
  |from()
    .measurement('cpu')
    .groupBy('host')
  |window()
    .period(1h)
    .every(1h)
  |mean('usage_idle')
  |alert()
    .crit(lambda: "mean" < 10)
    .topic('cpu')
"""
INTERVAL_NS = 10_000_000_000


def _bench_run_module():
    """``benchmarks/bench_run.py``: the shared line generator and ``tickmini run`` driver."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "bench_run.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def write_spread_lines(path: Path, hosts: int, per_host: int, seed: int = 2) -> int:
    """Lines for the memory run: ``per_host`` points per host spread evenly over one hour."""
    rng = random.Random(seed)
    start = 1_700_000_000_000_000_000
    step = 3_600_000_000_000 // per_host
    with path.open("w", encoding="ascii") as out:
        for k in range(per_host):
            t = start + k * step
            for host in range(hosts):
                idle = rng.uniform(20.0, 99.0)
                out.write(
                    f"cpu,cpu=cpu-total,host=host{host:06d} usage_idle={idle:.4g},"
                    f"usage_user={(100 - idle) * 0.7:.4g},usage_system={(100 - idle) * 0.3:.4g}"
                    f" {t + host}\n"
                )
    return hosts * per_host


def run_process(bench_run, script: Path, data: Path, points: int) -> tuple[float, float, float]:
    """(points/s wall, points/s CPU, peak RSS MiB) of one ``tickmini run`` process."""
    return bench_run.run_tickmini(script, data, points)


def engine_rate(script_text: str, data: Path) -> tuple[float, int]:
    """Engine-only points/s (points parsed before timing) and the number of alert events."""
    sys.path.insert(0, str(ROOT))
    from tickmini.io.lineprotocol import read_points
    from tickmini.pipeline.builder import compile_script
    from tickmini.runtime.engine import Engine

    with data.open(encoding="ascii") as handle:
        points = list(read_points(handle, dbrp=("telegraf", "autogen")))
    engine = Engine(collect=False)
    events = 0

    def count(_event: object) -> None:
        nonlocal events
        events += 1

    engine.on_event = count
    engine.add_task(compile_script(script_text, "bench.tick"), name="bench")
    start = time.process_time()  # CPU time: steadier than wall time on a shared machine
    for point in points:
        engine.write(point)
    engine.finish()
    return len(points) / (time.process_time() - start), events


def speed_runs(bench_run, tmp: Path, points: int, hosts: int) -> Path:
    """``tickmini run`` of the seed rule and of the window rule over the same lines."""
    data = tmp / "cpu.lp"
    window_script = tmp / "window.tick"
    window_script.write_text(WINDOW_SCRIPT, encoding="utf-8")
    bench_run.write_lines(data, points, hosts)
    seed_rate, seed_cpu, seed_rss = run_process(bench_run, SEED_SCRIPT, data, points)
    window_rate, window_cpu, window_rss = run_process(bench_run, window_script, data, points)
    print(
        f"tickmini run, seed rule, {hosts} hosts: {seed_rate:,.0f} points/s wall, "
        f"{seed_cpu:,.0f} points/s CPU (peak RSS {seed_rss:.0f} MiB)"
    )
    print(
        f"tickmini run, window(1m, 10s) |mean |alert, {hosts} hosts: "
        f"{window_rate:,.0f} points/s wall, {window_cpu:,.0f} points/s CPU "
        f"(peak RSS {window_rss:.0f} MiB): {window_cpu / seed_cpu:.0%} of the seed rule (CPU)"
    )
    return data


def memory_runs(bench_run, tmp: Path, hosts: int, per_host: int) -> None:
    """Peak RSS of a 1-hour window holding every point, next to the seed rule on the same lines."""
    spread = tmp / "spread.lp"
    hour_script = tmp / "hour.tick"
    hour_script.write_text(HOUR_WINDOW_SCRIPT, encoding="utf-8")
    held = write_spread_lines(spread, hosts, per_host)
    _, _, base_rss = run_process(bench_run, SEED_SCRIPT, spread, held)
    _, rate, hour_rss = run_process(bench_run, hour_script, spread, held)
    extra = (hour_rss - base_rss) * 1024 * 1024 / held
    print(
        f"window(1h) over {hosts:,} hosts, {held:,} points all held: "
        f"peak RSS {hour_rss:.0f} MiB vs {base_rss:.0f} MiB for the seed rule "
        f"(~{extra:.0f} bytes per held point), {rate:,.0f} points/s CPU"
    )


def engine_runs(bench_run, data: Path) -> None:
    """In-process, lines parsed beforehand: what the window path itself costs."""
    seed_engine, seed_events = engine_rate(SEED_SCRIPT.read_text(), data)
    grouped_engine, _ = engine_rate(bench_run.GROUPED_SCRIPT, data)
    window_engine, window_events = engine_rate(WINDOW_SCRIPT, data)
    print(
        f"engine only, CPU, lines parsed beforehand: seed {seed_engine:,.0f} points/s "
        f"({seed_events} events), seed with groupBy('host') {grouped_engine:,.0f} points/s, "
        f"window {window_engine:,.0f} points/s ({window_events} events): "
        f"{window_engine / seed_engine:.0%} of the seed, "
        f"{window_engine / grouped_engine:.0%} of the grouped seed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--memory-hosts", type=int, default=100_000)
    parser.add_argument("--memory-points-per-host", type=int, default=12)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-engine", action="store_true")
    args = parser.parse_args()
    print(f"cpu: {machine()}")
    bench_run = _bench_run_module()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = None
        if not args.skip_speed:
            data = speed_runs(bench_run, tmp, args.points, args.hosts)
        # Before the engine-only runs: a child forked from a big parent inherits its peak RSS.
        if not args.skip_memory:
            memory_runs(bench_run, tmp, args.memory_hosts, args.memory_points_per_host)
        if not args.skip_engine and data is not None:
            engine_runs(bench_run, data)
    print(f"this process: peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
