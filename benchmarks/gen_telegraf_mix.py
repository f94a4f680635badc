"""Generate a Telegraf-like mixed batch: per host and 10 s, three cpu lines (cpu-total, cpu0,
cpu1; 10 fields), mem (integers and floats), two disk lines and system, as Telegraf writes them.

About 0.2% of cpu lines are below 10% idle, so the seed rule sends a few events. Streams to the
output file, so any size fits in constant memory.

    python benchmarks/gen_telegraf_mix.py --lines 700000 -o benchmarks/data/mix-700000.lp
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

START_NS = 1_700_000_000_000_000_000
INTERVAL_NS = 10_000_000_000
LINES_PER_HOST = 7


def host_lines(rng: random.Random, host: str, t: int) -> list[str]:
    """One interval of one host: 7 lines of 4 measurements."""
    lines = []
    for cpu in ("cpu-total", "cpu0", "cpu1"):
        idle = rng.uniform(70, 99) if rng.random() > 0.002 else rng.uniform(1, 9)
        lines.append(
            f"cpu,cpu={cpu},host={host} usage_guest=0,usage_guest_nice=0,usage_idle={idle!r},"
            f"usage_iowait={rng.random()!r},usage_irq=0,usage_nice=0,"
            f"usage_softirq={rng.random() / 10!r},usage_steal=0,"
            f"usage_system={rng.uniform(0, 5)!r},usage_user={rng.uniform(0, 20)!r} {t}"
        )
    lines.append(
        f"mem,host={host} active={rng.randrange(1 << 30)}i,available={rng.randrange(1 << 33)}i,"
        f"available_percent={rng.uniform(0, 100)!r},buffered={rng.randrange(1 << 28)}i,"
        f"free={rng.randrange(1 << 32)}i,total=16777216000i,used={rng.randrange(1 << 33)}i,"
        f"used_percent={rng.uniform(0, 100)!r} {t}"
    )
    for device in ("sda1", "sdb1"):
        lines.append(
            f"disk,device={device},fstype=ext4,host={host},mode=rw,path=/{device} "
            f"free={rng.randrange(1 << 36)}i,inodes_free={rng.randrange(1 << 20)}i,"
            f"inodes_total=6553600i,inodes_used={rng.randrange(1 << 20)}i,total=107374182400i,"
            f"used={rng.randrange(1 << 36)}i,used_percent={rng.uniform(0, 100)!r} {t}"
        )
    lines.append(
        f"system,host={host} load1={rng.uniform(0, 4):.2f},load15={rng.uniform(0, 4):.2f},"
        f"load5={rng.uniform(0, 4):.2f},n_cpus=2i,n_users=1i {t}"
    )
    return lines


def generate(lines: int, hosts: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    interval = 0
    with out.open("w", encoding="ascii") as stream:
        while written < lines:
            t = START_NS + interval * INTERVAL_NS
            for h in range(hosts):
                batch = host_lines(rng, f"host{h:03d}", t)[: lines - written]
                stream.write("".join(line + "\n" for line in batch))
                written += len(batch)
                if written >= lines:
                    break
            interval += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=700_000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    generate(args.lines, args.hosts, args.output)


if __name__ == "__main__":
    main()
