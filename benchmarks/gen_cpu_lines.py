"""Generate Telegraf-like ``cpu`` line protocol: 4 tags, 4 float fields, N hosts, one line per host per 10 s.

Values are computed the way Telegraf's cpu plugin does (percentages of deltas of cumulative CPU
seconds held as floats), so they carry the same long float digits real Telegraf output has.
Streams to the output file, so any size fits in constant memory.

    python benchmarks/gen_cpu_lines.py --lines 1000000 --hosts 100 -o benchmarks/data/cpu-1M.lp
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REGIONS = ("us-east-1", "us-west-2", "eu-central-1", "ap-southeast-1")
FIELDS = ("usage_idle", "usage_iowait", "usage_system", "usage_user")
START_NS = 1_700_000_000_000_000_000
INTERVAL_NS = 10_000_000_000


def _format(value: float) -> str:
    """Go's ``strconv.FormatFloat(v, 'f', -1, 64)``: shortest digits, never an exponent."""
    text = repr(value)
    return text if "e" not in text else f"{value:.17f}".rstrip("0").rstrip(".")


def generate(lines: int, hosts: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    keys = [
        f"cpu,cpu=cpu-total,dc=dc{h % 3},host=host{h:04d},region={REGIONS[h % len(REGIONS)]}"
        for h in range(hosts)
    ]
    # cumulative seconds per host: idle, iowait, system, user (jiffies / 100, as gopsutil reports)
    counters = [
        [rng.uniform(1e5, 1e6), rng.uniform(1e2, 1e3), rng.uniform(1e3, 1e4), rng.uniform(1e4, 1e5)]
        for _ in range(hosts)
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        written = 0
        step = 0
        while written < lines:
            t = START_NS + step * INTERVAL_NS
            for h in range(min(hosts, lines - written)):
                c = counters[h]
                before = list(c)
                busy = rng.uniform(0.5, 9.5)
                c[0] += round(40.0 - busy, 2)
                c[1] += round(rng.uniform(0.0, 0.3), 2)
                c[2] += round(busy * 0.3, 2)
                c[3] += round(busy * 0.7, 2)
                deltas = [c[i] - before[i] for i in range(4)]
                total = sum(deltas)
                values = ",".join(
                    f"{name}={_format(100.0 * d / total)}"
                    for name, d in zip(FIELDS, deltas, strict=True)
                )
                f.write(f"{keys[h]} {values} {t}\n")
            written += min(hosts, lines - written)
            step += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    generate(args.lines, args.hosts, args.output, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
