"""Parse speed of the TICKscript front end and start-up time of ``tickmini check``.

Goals (issue 2): a 40-line script parses in under 2 ms, a 4,000-line one in under 200 ms, and
``tickmini check`` starts and checks a sample in under 150 ms. Run: ``python benchmarks/bench_parse.py``.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tickmini.syntax.formatter import format_program
from tickmini.syntax.grammar import tickscript_parser
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


def _time_parse(text: str, repeat: int) -> float:
    """Median seconds per parse over ``repeat`` runs (after one warm-up)."""
    parse_script(text)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_script(text)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _startup_ms(repeat: int) -> tuple[float, float]:
    """Median wall time of ``tickmini --help`` and of ``tickmini check samples/cpu_alert.tick``."""
    sample = str(ROOT / "samples" / "cpu_alert.tick")
    results = []
    for argv in (["--help"], ["check", "-q", sample]):
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "tickmini", *argv],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            runs.append(time.perf_counter() - start)
        results.append(statistics.median(runs) * 1000)
    return results[0], results[1]


def main() -> None:
    assert SCRIPT_40.count("\n") == 40, SCRIPT_40.count("\n")
    start = time.perf_counter()
    tickscript_parser()
    build_ms = (time.perf_counter() - start) * 1000
    big = SCRIPT_40 * 100
    t40 = _time_parse(SCRIPT_40, 200)
    t4000 = _time_parse(big, 5)
    program = parse_script(big)
    start = time.perf_counter()
    format_program(program)
    fmt_ms = (time.perf_counter() - start) * 1000
    help_ms, check_ms = _startup_ms(7)
    lines = big.count("\n")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"python {platform.python_version()} on {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(f"grammar build (once per process):   {build_ms:8.2f} ms")
    print(f"parse  40-line script:              {t40 * 1000:8.3f} ms  (goal < 2 ms)")
    print(
        f"parse  {lines}-line script:          {t4000 * 1000:8.1f} ms  (goal < 200 ms, {lines / t4000:,.0f} lines/s)"
    )
    print(f"format {lines}-line script:          {fmt_ms:8.1f} ms")
    print(f"tickmini --help start-up:           {help_ms:8.1f} ms")
    print(f"tickmini check start-up + parse:    {check_ms:8.1f} ms  (goal < 150 ms)")
    print(f"peak RSS:                           {rss_mb:8.1f} MB")


if __name__ == "__main__":
    main()
