"""End-to-end speed of ``tickmini run``: points/s and peak RSS, plus per-group alert state size.

    python benchmarks/bench_run.py [--points 1000000] [--hosts 100] [--group-hosts 100000]
                                   [--with-events] [--mixed] [--repeat 3]

1. ``tickmini run samples/cpu_alert.tick`` (the seed rule ``usage_idle < 10``) over Telegraf-like
   cpu lines from 100 hosts.
2. The same rule with ``.groupBy('host')`` over 100,000 hosts (one alert state per host).
3. The memory of one group's alert state, measured with tracemalloc.

Each run is a separate ``tickmini run`` process (``--format json`` to /dev/null); its peak RSS
comes from ``resource.getrusage(RUSAGE_CHILDREN)``. Lines come from
``benchmarks/gen_cpu_lines.py`` when it exists, else from the small generator below.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_SCRIPT = ROOT / "samples" / "cpu_alert.tick"
GROUPED_SCRIPT = """stream
  |from()
    .measurement('cpu')
    .groupBy('host')
  |alert()
    .crit(lambda: "usage_idle" < 10)
    .message('Hey, check your CPU')
    .topic('cpu')
"""
FIELDS = (
    "usage_guest",
    "usage_guest_nice",
    "usage_idle",
    "usage_iowait",
    "usage_irq",
    "usage_nice",
    "usage_softirq",
    "usage_steal",
    "usage_system",
    "usage_user",
)


def write_lines(path: Path, points: int, hosts: int, seed: int = 1, own: bool = False) -> str:
    """Telegraf-like cpu lines, one point per host per 10 s; returns which generator wrote them.

    ``benchmarks/gen_cpu_lines.py`` (the line-protocol benchmark's generator, idle 76-99%, so
    the seed rule sends no event) unless ``own``: then about 1% of points are below 10% idle
    (about 2% of points send an event with the default details template).
    """
    generator = ROOT / "benchmarks" / "gen_cpu_lines.py"
    if generator.exists() and not own:
        spec = importlib.util.spec_from_file_location("gen_cpu_lines", generator)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        module.generate(points, hosts, path, seed)
        return "gen_cpu_lines.py"
    rng = random.Random(seed)
    start = 1_700_000_000_000_000_000
    with path.open("w", encoding="ascii") as out:
        for i in range(points):
            host = i % hosts
            t = start + (i // hosts) * 10_000_000_000
            idle = rng.uniform(0.5, 9.5) if rng.random() < 0.01 else rng.uniform(20.0, 99.0)
            values = {f: 0.0 for f in FIELDS}
            values["usage_idle"] = idle
            values["usage_user"] = (100 - idle) * 0.7
            values["usage_system"] = (100 - idle) * 0.3
            body = ",".join(f"{f}={values[f]:.4g}" for f in FIELDS)
            out.write(f"cpu,cpu=cpu-total,host=host{host:06d} {body} {t}\n")
    return "bench_run.py (1% below 10% idle)"


_CHILD = """
import resource, sys
from tickmini.cli.main import main
try:
    main(sys.argv[1:])
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write(f"\\nBENCH {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}\\n")
"""


def run_tickmini(script: Path, data: Path, points: int) -> tuple[float, float, float]:
    """Run ``tickmini run`` once in a fresh process: (points/s wall, points/s CPU, RSS MiB)."""
    command = [sys.executable, "-c", _CHILD, "run", str(script), "--input", str(data)]
    command += ["--dbrp", "telegraf.autogen", "--format", "json"]
    # As installed for a user: bytecode cached (a PYTHONDONTWRITEBYTECODE environment would
    # otherwise compile every module on each start), and warmed by one tiny run first.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    with tempfile.NamedTemporaryFile("w", suffix=".lp") as tiny, data.open(encoding="ascii") as f:
        tiny.write(f.readline())
        tiny.flush()
        warm = [*command[:5], tiny.name, *command[6:]]
        subprocess.run(warm, check=False, capture_output=True, env=env)
    start = time.perf_counter()
    done = subprocess.run(
        command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True
    )
    elapsed = time.perf_counter() - start
    report = [line for line in done.stderr.splitlines() if line.startswith("BENCH ")]
    if not report:
        raise SystemExit(f"tickmini run failed:\n{done.stderr}")
    _, rss_kib, cpu = report[-1].split()
    return points / elapsed, points / float(cpu), int(rss_kib) / 1024


def report(label: str, script: Path, data: Path, points: int, repeat: int) -> None:
    """Run ``repeat`` times and print the best and median rates: on a shared machine other
    tenants only ever slow a run down, so the best run is the least disturbed one."""
    runs = sorted((run_tickmini(script, data, points) for _ in range(repeat)), key=lambda r: r[1])
    best_wall, best_cpu, rss = runs[-1]
    median_cpu = statistics.median(r[1] for r in runs)
    print(
        f"{label}: {best_cpu:,.0f} points/s per CPU second (best of {repeat}; median "
        f"{median_cpu:,.0f}), {best_wall:,.0f} points/s wall, peak RSS {rss:.0f} MiB"
    )


def state_bytes(groups: int = 20_000) -> float:
    """Bytes per group held by an alert node (state object, history, dict slot, ID cache)."""
    sys.path.insert(0, str(ROOT))
    from tickmini.pipeline.builder import compile_script
    from tickmini.runtime.engine import Engine
    from tickmini.values import Point

    pipeline = compile_script(GROUPED_SCRIPT, "grouped.tick")
    engine = Engine(collect=False)
    engine.add_task(pipeline, name="bench")
    points = [
        Point(
            name="cpu",
            tags={"host": f"host{i:06d}", "cpu": "cpu-total"},
            fields={"usage_idle": 50.0},
            time=i,
        )
        for i in range(groups)
    ]
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for p in points:
        engine.write(p)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    return grown / groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--group-hosts", type=int, default=100_000)
    parser.add_argument(
        "--with-events", action="store_true", help="own lines: ~2%% of points send an event"
    )
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="also the seed rule over a mixed Telegraf batch (gen_telegraf_mix.py)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each row (default 3)")
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "cpu.lp"
        source = write_lines(data, args.points, args.hosts, own=args.with_events)
        print(f"lines from {source}")
        report(f"seed rule, {args.hosts} hosts", SEED_SCRIPT, data, args.points, args.repeat)
        grouped = Path(tmp) / "grouped.tick"
        grouped.write_text(GROUPED_SCRIPT, encoding="utf-8")
        write_lines(data, args.points, args.group_hosts, own=args.with_events)
        label = f"groupBy('host'), {args.group_hosts} hosts"
        report(label, grouped, data, args.points, args.repeat)
    if args.mixed:
        spec = importlib.util.spec_from_file_location(
            "gen_telegraf_mix", ROOT / "benchmarks" / "gen_telegraf_mix.py"
        )
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "mix.lp"
            module.generate(args.points, 20, data)
            label = "seed rule, mixed Telegraf batch (cpu, mem, disk, system; 20 hosts)"
            report(label, SEED_SCRIPT, data, args.points, args.repeat)
    print(f"alert state per group: {state_bytes():.0f} bytes")


if __name__ == "__main__":
    main()
