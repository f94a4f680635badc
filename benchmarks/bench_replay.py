"""Speed of ``replay`` on the store: points/s (CPU time) with and without periodic state saves,
the cost of one save, and peak RSS.

    python benchmarks/bench_replay.py [--points 200000] [--hosts 1000]

Runs through the Python API (``ReplaySession``) in this process, events not printed, so the
numbers are the engine plus the store. One task: the seed rule grouped by host, so each host is
one event ID whose state is saved; about one point in seven changes level.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import machine, peak_rss_mib  # noqa: E402
from bench_run import GROUPED_SCRIPT  # noqa: E402

from tickmini.io.lineprotocol import read_inputs  # noqa: E402
from tickmini.store import ReplaySession, Store, define_task  # noqa: E402

T0 = 1_700_000_000_000_000_000


def write_lines(path: Path, points: int, hosts: int) -> None:
    with path.open("w") as out:
        for i in range(points):
            idle = 5.0 if i % 7 else 50.0
            out.write(f"cpu,host=h{i % hosts} usage_idle={idle} {T0 + i * 1_000_000}\n")


def replay_once(home: Path, data: Path, save_every: int) -> tuple[float, int, int]:
    """CPU seconds, points, saves for one replay into ``home``."""
    with Store.open(home) as store:
        started = time.process_time()
        session = ReplaySession.start(store, save_every=save_every)
        points = session.feed(read_inputs([str(data)]))
        session.finish()
        return time.process_time() - started, points, session.keeper.saves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--hosts", type=int, default=1000)
    args = parser.parse_args()
    print(f"cpu: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "cpu.lp"
        write_lines(data, args.points, args.hosts)
        for label, save_every in (("no periodic save", 10**12), ("save every 10000", 10_000)):
            home = Path(tmp) / f"home-{save_every}"
            with Store.open(home) as store:
                define_task(store, "cpu", GROUPED_SCRIPT, "cpu.tick", [])
                store.set_status(["cpu"], "enabled", 0)
            cpu, points, saves = replay_once(home, data, save_every)
            print(f"{label:>18}: {points / cpu:,.0f} points/s (CPU), {saves} save(s), {cpu:.2f}s")
            cpu2, _, _ = replay_once(home, data, save_every)
            print(f"{'second run':>18}: {points / cpu2:,.0f} points/s (CPU), state restored")
        store_path = Path(tmp) / "home-10000"
        with Store.open(store_path) as store:
            session = ReplaySession.start(store)
            keeper = session.keeper
            for topic in session.engine.topics.topics.values():
                topic.collected += 1
                for state in topic.states.values():
                    state.time += 1  # every event state changed: a full save
            started = time.perf_counter()
            written = keeper.save()
            elapsed = time.perf_counter() - started
            print(f"one save of {written} event states: {elapsed * 1000:.1f} ms (wall)")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
