"""Parse speed of the TICKscript front end and start-up time of ``tickmini check``.

Goals (issue 2): a 40-line script parses in under 2 ms, a 4,000-line one in under 200 ms, and
``tickmini check`` starts and checks a sample in under 150 ms. Run: ``python benchmarks/bench_parse.py``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import Stopwatch, machine, peak_rss_mib

from tickmini.syntax.formatter import format_program
from tickmini.syntax.grammar import parse_tables
from tickmini.syntax.parser import parse_script

ROOT = Path(__file__).resolve().parents[1]

# 40 lines: a realistic alert task with vars, a where, a window, an eval and an alert.
SCRIPT_40 = """\
// CPU alert for the web tier
dbrp "telegraf"."autogen"

var period = 1m
var every = 10s
var warn = 80.0
var crit = 95.0
var hosts = /^web-\\d+$/

var data = stream
    |from()
        .measurement('cpu')
        .groupBy('host', 'region')
        .where(lambda: "host" =~ hosts AND "cpu" == 'cpu-total')
    |window()
        .period(period)
        .every(every)
    |mean('usage_user')
        .as('used')

data
    |eval(lambda: 100.0 - "used", lambda: if("used" > crit, 'hot', 'ok'))
        .as('idle', 'state')
        .keep('used', 'idle', 'state')
    |alert()
        .id('{{ .Name }}/{{ index .Tags "host" }}')
        .message('{{ .ID }} is {{ .Level }}: {{ index .Fields "used" }}%')
        .details('''
            <b>{{ .ID }}</b> at {{ .Time }}
        ''')
        .info(lambda: "used" > warn * 0.5)
        .warn(lambda: "used" > warn)
        .crit(lambda: "used" > crit OR ("state" == 'hot' AND -"idle" < -5.0))
        .stateChangesOnly(5m)
        .flapping(0.25, 0.5)
        .topic('cpu')
    |httpOut('cpu_alerts')

data
    |log()
"""


def _time_parse(text: str, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds per parse over ``repeat`` runs (after one warm-up). CPU time
    is the stable figure on a busy machine."""
    parse_script(text)
    wall, cpu = [], []
    for _ in range(repeat):
        with Stopwatch() as watch:
            parse_script(text)
        wall.append(watch.wall)
        cpu.append(watch.cpu)
    return statistics.median(wall), statistics.median(cpu)


def _startup_ms(argv: list[str], repeat: int) -> tuple[float, float]:
    """Median wall and CPU (user + system) milliseconds of ``python -m tickmini ARGV``."""
    wall, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tickmini", *argv],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    assert SCRIPT_40.count("\n") == 40, SCRIPT_40.count("\n")
    start = time.perf_counter()
    parse_tables()
    build_ms = (time.perf_counter() - start) * 1000
    big = SCRIPT_40 * 100
    lines = big.count("\n")
    wall40, cpu40 = _time_parse(SCRIPT_40, 200)
    wall4000, cpu4000 = _time_parse(big, 5)
    program = parse_script(big)
    start = time.perf_counter()
    format_program(program)
    fmt_ms = (time.perf_counter() - start) * 1000
    sample = str(ROOT / "samples" / "cpu_alert.tick")
    help_wall, help_cpu = _startup_ms(["--help"], 7)
    check_wall, check_cpu = _startup_ms(["check", "-q", sample], 7)
    rss_mb = peak_rss_mib()
    print(f"cpu: {machine()}, load average {os.getloadavg()[0]:.1f}")
    print("                                      wall        cpu")
    print(f"grammar build or cache load      {build_ms:8.2f} ms")
    print(
        f"parse 40-line script             {wall40 * 1e3:8.3f} ms {cpu40 * 1e3:8.3f} ms  (goal < 2 ms)"
    )
    print(
        f"parse {lines}-line script           {wall4000 * 1e3:8.1f} ms {cpu4000 * 1e3:8.1f} ms"
        f"  (goal < 200 ms; {lines / cpu4000:,.0f} lines/s)"
    )
    print(f"format {lines}-line script          {fmt_ms:8.1f} ms")
    print(f"tickmini --help start-up         {help_wall:8.1f} ms {help_cpu:8.1f} ms")
    print(
        f"tickmini check start-up + parse  {check_wall:8.1f} ms {check_cpu:8.1f} ms  (goal < 150 ms)"
    )
    print(f"peak RSS                         {rss_mb:8.1f} MB")


if __name__ == "__main__":
    main()
