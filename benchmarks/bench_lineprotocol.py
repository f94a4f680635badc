"""Line-protocol reading speed and memory: tickmini vs the ``line-protocol-parser`` C extension.

For each size (default 1M and 10M Telegraf-like cpu lines, generated into benchmarks/data/ by
gen_cpu_lines.py), every contender streams the same file in a fresh subprocess, so its peak RSS
(``resource.getrusage``) is its own. Contenders run interleaved, ``--repeat`` times each; the best
rate is reported. Rates use process CPU time (``time.process_time``), which a busy shared
machine disturbs less than wall time; wall-clock rates are printed beside them. ``line-protocol-parser`` is not a tickmini dependency: when it is not installed
its rows are skipped.

    python benchmarks/bench_lineprotocol.py                 # 1M and 10M lines
    python benchmarks/bench_lineprotocol.py --sizes 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _common import Stopwatch, machine, peak_rss_mib  # noqa: E402


def run_tickmini(path: str) -> dict:
    from tickmini.io import read_points

    with Stopwatch() as watch:
        reader = read_points(path, dbrp="telegraf.autogen")
        count = 0
        for _ in reader:
            count += 1
    assert reader.stats.rejected == 0, reader.stats.summary()
    return {"lines": count, "seconds": watch.wall, "cpu_seconds": watch.cpu}


def run_c_extension(path: str) -> dict:
    from line_protocol_parser import parse_line

    count = 0
    with Stopwatch() as watch, open(path, encoding="utf-8") as f:
        for line in f:
            parse_line(line)
            count += 1
    return {"lines": count, "seconds": watch.wall, "cpu_seconds": watch.cpu}


def run_split_loop(path: str) -> dict:
    """The floor: read and split each line, no validation, no values."""
    count = 0
    with Stopwatch() as watch, open(path, encoding="utf-8") as f:
        for line in f:
            line.split(" ")
            count += 1
    return {"lines": count, "seconds": watch.wall, "cpu_seconds": watch.cpu}


CONTENDERS = {
    "tickmini": run_tickmini,
    "line-protocol-parser (C)": run_c_extension,
    "read+split loop (no parsing)": run_split_loop,
}


def child(name: str, path: str) -> None:
    result = CONTENDERS[name](path)
    result["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(result))


def measure(name: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def data_file(lines: int, hosts: int) -> Path:
    path = DATA / f"cpu-{lines}-h{hosts}.lp"
    if not path.exists():
        from gen_cpu_lines import generate

        print(f"generating {path} ...", flush=True)
        generate(lines, hosts, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", nargs=2, metavar=("CONTENDER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    contenders = list(CONTENDERS)
    if importlib.util.find_spec("line_protocol_parser") is None:
        print("line-protocol-parser is not installed: its comparison is skipped")
        contenders.remove("line-protocol-parser (C)")
    print(f"cpu: {machine()}")
    for size in (int(s) for s in args.sizes.split(",")):
        path = data_file(size, args.hosts)
        best: dict[str, dict] = {}
        for _ in range(args.repeat):
            for name in contenders:
                result = measure(name, path)
                if name not in best or result["cpu_seconds"] < best[name]["cpu_seconds"]:
                    best[name] = result
        print(f"\n{size:,} lines ({path.stat().st_size / 2**20:.0f} MiB, {args.hosts} hosts):")
        for name, result in best.items():
            rate = result["lines"] / result["cpu_seconds"]
            wall = result["lines"] / result["seconds"]
            print(
                f"  {name:30s} {rate:12,.0f} lines/s of CPU ({wall:12,.0f} wall)"
                f"   peak RSS {result['peak_rss_mib']:7.1f} MiB"
            )
        if "line-protocol-parser (C)" in best:
            c_ext = best["line-protocol-parser (C)"]
            ours = best["tickmini"]["lines"] / best["tickmini"]["cpu_seconds"]
            theirs = c_ext["lines"] / c_ext["cpu_seconds"]
            print(f"  ratio tickmini / line-protocol-parser (CPU time): {ours / theirs:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
