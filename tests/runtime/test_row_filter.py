"""Skipping rows never shows: a run with the row filter gives exactly what a run without it gives.

Each test runs the same script over the same line protocol twice, through the public path
(``Engine`` + ``read_points(row_filter=...)``, or ``tickmini run``), once with the filter the
engine offers and once without, and compares everything a user can see: events, handler and
httpOut output, diagnostics, task errors, the reader's counts and rejected-line reports.
"""

from __future__ import annotations

import gzip
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tickmini.alerting.handlers import create_handler
from tickmini.alerting.services import Services
from tickmini.cli.main import main
from tickmini.config import default_config
from tickmini.io import read_points, sources
from tickmini.pipeline.builder import compile_script
from tickmini.runtime import row_filter as row_filter_module
from tickmini.runtime.engine import Engine
from tickmini.runtime.row_filter import RowFilter, row_filter_for

T0 = 1_700_000_000_000_000_000
SECOND = 1_000_000_000
NOW = T0 + 10**6 * SECOND
DBRP = ("telegraf", "autogen")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# -- running a script both ways -----------------------------------------------------------------


@dataclass
class Outcome:
    """Everything a run shows: compared whole between the two runs."""

    events: list[str]
    levels: list[str]
    diagnostics: tuple[dict[str, int], list[str]]
    task_errors: list[str]
    stats: tuple[int, int, int, list[str]]
    log_file: str
    http_out: str
    log_lines: list[str]


def run_script(
    script: str, data: str, *, use_filter: bool, workdir: Path
) -> tuple[Outcome, int, bool]:
    """The outcome, how many points the reader yielded and whether a filter was used."""
    log_path = workdir / "alerts.log"
    log_path.unlink(missing_ok=True)
    services = Services.create(default_config(), stdout=io.StringIO(), stderr=io.StringIO())
    log_lines: list[str] = []
    engine = Engine(
        services=services,
        make_handler=lambda spec: create_handler(spec, services),
        log_sink=log_lines.append,
    )
    task = engine.add_task(
        compile_script(script.replace("LOG_PATH", str(log_path)), "rule.tick"),
        name="rule",
        dbrps=[DBRP],
    )
    row_filter = engine.row_filter(*DBRP) if use_filter else None
    reader = read_points(io.StringIO(data), dbrp=DBRP, row_filter=row_filter, now=lambda: NOW)
    yielded = engine.feed(reader, all_for_task=True)
    engine.finish()
    services.close()
    outs = task.http_outs()
    outcome = Outcome(
        events=[repr(e) for e in engine.events],
        levels=[str(e.level) for e in engine.events],
        diagnostics=(dict(engine.diagnostics.counts), list(engine.diagnostics.messages)),
        task_errors=[err.render() for err in engine.errors],
        stats=(
            reader.stats.points,
            reader.stats.lines,
            reader.stats.rejected,
            [err.render() for err in reader.errors],
        ),
        log_file=log_path.read_text() if log_path.exists() else "",
        http_out="".join(outs[name].result_json() for name in sorted(outs)),  # type: ignore[attr-defined]
        log_lines=log_lines,
    )
    return outcome, yielded, row_filter is not None


def both_ways(script: str, data: str, workdir: Path) -> tuple[Outcome, Outcome, int, int]:
    filtered, filtered_points, used = run_script(script, data, use_filter=True, workdir=workdir)
    assert used, "the engine offered no row filter for a script of the shape it handles"
    plain, plain_points, _ = run_script(script, data, use_filter=False, workdir=workdir)
    return filtered, plain, filtered_points, plain_points


# -- the script family --------------------------------------------------------------------------

# Fields on cpu lines: usage (float), count (integer), flag (boolean), a/b (floats, b may be 0),
# ia/ib (integers, ib may be 0i), dual (a field on some lines and a tag on some series).
CLEAN_LEVEL_LAMBDAS = [
    '"usage" > 90.0',
    '"usage" < 10',
    '"usage" >= 70 AND "host" == \'b\'',
    '"host" == \'c\' AND "usage" > 85',
    'abs("usage" - 50.0) > 45.0',
]
LEVEL_LAMBDAS = [
    '"usage" > 90.0',
    '"usage" < 10',
    '"usage" >= 70 AND "host" == \'b\'',
    "\"state\" == 'down'",
    "\"host\" == 'c'",
    '"dual" > 5',
    '"missing" > 0',
    '"count" > 8',
    '"flag" == TRUE',
    '"a" / "b" > 2.0',
    '"ia" / "ib" > 2',
    'abs("usage" - 50.0) > 45.0',
    '"usage" + 1.0',  # not a boolean: an evaluation error
    "FALSE",
    '"flag"',
    '!"flag" AND "usage" > 85',
    '"host" =~ /^[ab]$/ AND "usage" > 88',
    'if("usage" > 95.0, TRUE, "count" > 9)',
    'strLength("host") > 1 OR int("usage") > 92',
    'isPresent("dual") AND "usage" > 80',
    'float("count") / float("ia") > 1.0',
    '"count" * 9223372036854775807 > 0',
    'pow(10.0, "usage" * 4.0) > 1.0',  # +Inf past 10^308
    'log("b") < -1.0',  # -Inf at 0
    'sqrt("a" - 15.0) > 2.0',  # NaN below 0
    '"usage" > 10 AND "usage" < 12',
    '"a" + "b" > "usage"',
]
WHERE_LAMBDAS = [
    "\"host\" != 'c'",
    '"usage" > 5.0',
    "\"dc\" == 'east'",
    '"count" > 2 OR "host" == \'a\'',
    '"missing" > 1',
    '"dual" < 100',
]
GROUPINGS = [
    "",
    ".groupBy('host')",
    ".groupBy('host', 'dc')",
    ".groupBy('dc')",
    ".groupByMeasurement()",
    ".groupBy(*)",
]
MESSAGES = [
    "{{ .ID }} is {{ .Level }}",
    '{{ slice (index .Tags "dc") 1 }}',  # fails for events of points without dc
]
ID_TEMPLATES = [
    "",
    '{{ .Name }}:{{ index .Tags "host" }}',
    "{{ .Group }}",
    "{{ .TaskName }}",
    '{{ slice (index .Tags "dc") 1 }}',  # fails for series without dc: the task stops
]


@st.composite
def scripts(draw: st.DrawFn) -> str:
    lines = ["stream", "    |from()", "        .measurement('cpu')"]
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2]))):  # two where()s are ANDed
        lines.append(f"        .where(lambda: {draw(st.sampled_from(WHERE_LAMBDAS))})")
    grouping = draw(st.sampled_from(GROUPINGS))
    if grouping:
        lines.append(f"        {grouping}")
    lines.append("    |alert()")
    levels = draw(st.lists(st.sampled_from(["crit", "warn", "info"]), min_size=1, unique=True))
    for level in levels:
        lambdas = CLEAN_LEVEL_LAMBDAS if draw(st.booleans()) else LEVEL_LAMBDAS
        lines.append(f"        .{level}(lambda: {draw(st.sampled_from(lambdas))})")
        if draw(st.integers(0, 3)) == 0:
            lines.append(f'        .{level}Reset(lambda: "usage" < 80)')
    scd = draw(st.sampled_from(["", ".stateChangesOnly()", ".stateChangesOnly(5s)"]))
    if scd:
        lines.append(f"        {scd}")
    if draw(st.booleans()):
        lines.append("        .noRecoveries()")
    id_template = draw(st.sampled_from(ID_TEMPLATES))
    if id_template:
        lines.append(f"        .id('{id_template}')")
    lines.append(f"        .message('{draw(st.sampled_from(MESSAGES))}')")
    if draw(st.booleans()):
        lines.append("        .topic('cpu')")
    if draw(st.integers(0, 3)) == 0:  # events of one dc inhibit the others' in that dc
        lines.append("        .category('cpu').inhibit('cpu', 'dc')")
    if draw(st.booleans()):
        lines.append('        .details(\'{{ index .Fields "usage" }} {{ index .Tags "dc" }}\')')
    if draw(st.booleans()):
        lines.append("        .levelTag('level')")
    if draw(st.booleans()):
        lines.append("        .idField('alert_id')")
    if draw(st.booleans()):
        lines.append("        .log('LOG_PATH')")
    child = draw(st.sampled_from(["", "", "    |httpOut('out')", "    |log()"]))
    if child:
        lines.append(child)
    return "\n".join(lines) + "\n"


# -- the data family ----------------------------------------------------------------------------

HOSTS = ["a", "b", "c"]
usages = st.one_of(
    st.integers(20, 80).map(float),  # mostly quiet
    st.integers(20, 80).map(float),
    st.integers(20, 80).map(float),
    st.sampled_from([0.0, 5.5, 9.0, 10.0, 50.0, 90.0, 91.0, 99.5, 100.0]),
)
usage_texts = usages.map(lambda u: f"{u:g}")


@st.composite
def cpu_key(draw: st.DrawFn, dual_tag: bool = False) -> str:
    tags = {"host": draw(st.sampled_from(HOSTS))}
    if draw(st.integers(0, 3)):
        tags["dc"] = draw(st.sampled_from(["east", "west"]))
    if draw(st.integers(0, 5)) == 0:
        tags["state"] = draw(st.sampled_from(["up", "down"]))
    if dual_tag:
        tags["dual"] = draw(st.sampled_from(["7", "x"]))
    order = draw(st.permutations(sorted(tags)))
    return ",".join(["cpu", *(f"{k}={tags[k]}" for k in order)])


@st.composite
def segment(draw: st.DrawFn) -> list[str]:
    """A run of lines of one shape (lines without a time get one appended by the caller)."""
    shape = draw(
        st.sampled_from(
            ["full"] * 6
            + ["small", "dual-field", "dual-tag", "mem", "mem-full", "bad", "int-usage"]
        )
    )
    count = draw(st.integers(1, 40 if shape == "full" else 12))
    rows = []
    for _ in range(count):
        if shape == "mem":
            rows.append(f"mem,host={draw(st.sampled_from(HOSTS))} used={draw(usage_texts)}")
            continue
        if shape == "bad":
            rows.append(
                draw(st.sampled_from(["cpu,host=a usage=1.2.3", "cpu usage=", "cpu,host=b"]))
            )
            continue
        key = draw(cpu_key(dual_tag=shape == "dual-tag"))
        if shape == "mem-full":  # cpu's fields on another measurement: blocks of both
            key = "mem" + key[len("cpu") :]
        usage = draw(usage_texts)
        if shape == "small":
            rows.append(f"{key} usage={usage}")
        elif shape == "dual-field":
            rows.append(f"{key} usage={usage},dual={draw(st.integers(0, 9))}")
        elif shape == "int-usage":
            rows.append(f"{key} usage={draw(st.integers(0, 100))}i")
        else:
            b = draw(st.sampled_from(["0", "0.5", "2", "10"]))
            ib = draw(st.sampled_from(["0i", "1i", "3i"]))
            fields = (
                f"usage={usage},count={draw(st.integers(0, 10))}i,"
                f"flag={draw(st.sampled_from(['t', 'f', 'false', 'TRUE']))},"
                f"a={draw(st.integers(0, 30))},b={b},ia={draw(st.integers(0, 30))}i,ib={ib}"
            )
            rows.append(f"{key} {fields}")
    return rows


@st.composite
def datasets(draw: st.DrawFn) -> str:
    rows = [row for part in draw(st.lists(segment(), min_size=1, max_size=8)) for row in part]
    return "".join(f"{row} {T0 + i * SECOND}\n" for i, row in enumerate(rows))


# -- the differential property ------------------------------------------------------------------


@settings(
    max_examples=int(os.environ.get("ROW_FILTER_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    script=scripts(),
    data=datasets(),
    block_chars=st.sampled_from([64, 200, 700, 1 << 14]),
    series_memory=st.sampled_from([1, 3, 1 << 17]),
)
def test_the_filter_changes_nothing_a_run_shows(
    script: str, data: str, block_chars: int, series_memory: int, tmp_path: Path
) -> None:
    with (
        tempfile.TemporaryDirectory(dir=tmp_path) as workdir,
        mock.patch.object(sources, "BLOCK_CHARS", block_chars),
        mock.patch.object(row_filter_module, "_MAX_SERIES", series_memory),  # forgets series
    ):
        filtered, plain, filtered_points, plain_points = both_ways(script, data, Path(workdir))
    assert filtered == plain
    assert filtered_points <= plain_points
    event("rows skipped" if filtered_points < plain_points else "nothing skipped")
    event("with events" if plain.events else "no events")


# -- examples that must skip, and still agree ---------------------------------------------------


def quiet_cpu(count: int, *, hosts: tuple[str, ...] = ("a", "b"), spikes: dict[int, float]) -> str:
    """Lines of cpu usage_idle around 50 for each host in turn, with a few spikes."""
    rows = []
    for i in range(count):
        host = hosts[i % len(hosts)]
        rows.append(
            f"cpu,host={host},dc=east usage_idle={spikes.get(i, 50.0):g} {T0 + i * SECOND}\n"
        )
    return "".join(rows)


def test_the_seed_rule_skips_quiet_rows_and_agrees(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sources, "BLOCK_CHARS", 1 << 14)
    script = (SAMPLES / "cpu_alert.tick").read_text()
    data = quiet_cpu(3000, spikes={10: 5.0, 11: 5.0, 12: 50.0, 2000: 1.0, 2999: 2.0})
    filtered, plain, filtered_points, plain_points = both_ways(script, data, tmp_path)
    assert filtered == plain
    # CRITICAL twice (no stateChangesOnly), OK, CRITICAL, OK, CRITICAL: every spike, every recovery
    assert plain.levels == ["CRITICAL", "CRITICAL", "OK", "CRITICAL", "OK", "CRITICAL"]
    assert plain_points == 3000
    assert filtered_points < 100  # the quiet rows were never made Points


@pytest.mark.parametrize(
    "alert",
    [
        '.crit(lambda: "usage_idle" < 10).warn(lambda: "usage_idle" < 20).critReset(lambda: "usage_idle" > 40)',
        '.crit(lambda: "usage_idle" < 10).stateChangesOnly(3s).noRecoveries()',
        ".info(lambda: \"usage_idle\" < 10 AND \"host\" == 'b').id('{{ index .Tags \"host\" }}').details('').log('LOG_PATH')",
    ],
)
@pytest.mark.parametrize("grouping", ["", ".groupBy('host')", ".groupBy('host', 'dc')"])
def test_grouped_rules_skip_and_agree(
    alert: str, grouping: str, tmp_path: Path, monkeypatch
) -> None:
    # Blocks of ~360 lines: a group's rows are all handed out in the block that creates it.
    monkeypatch.setattr(sources, "BLOCK_CHARS", 1 << 14)
    script = f"stream|from().measurement('cpu'){grouping}|alert(){alert}|httpOut('out')\n"
    data = quiet_cpu(
        2000,
        hosts=("a", "b", "c"),
        spikes={7: 5.0, 8: 15.0, 9: 45.0, 10: 5.0, 400: 8.0, 401: 9.0, 1999: 1.0},
    )
    filtered, plain, filtered_points, plain_points = both_ways(script, data, tmp_path)
    assert filtered == plain
    assert plain.events
    assert filtered_points < plain_points // 4


@pytest.mark.parametrize(
    ("lines", "why"),
    [
        (["cpu,host=a usage_idle=50,dual=1", "cpu,host=b,dual=x usage_idle=50"], "field and tag"),
        (["cpu,host=a usage_idle=50", "cpu,host=a usage_idle=5i"], "integer after floats"),
        (["cpu,host=a usage_idle=50", "cpu,host=a other=1"], "a missing field"),
        (["cpu,host=a usage_idle=50", "cpu,host=a usage_idle=1.2.3"], "a bad line"),
    ],
)
def test_doubtful_blocks_agree(lines: list[str], why: str, tmp_path: Path) -> None:
    script = (
        "stream|from().measurement('cpu')|alert()"
        '.crit(lambda: "usage_idle" < 10 OR "dual" == 3).log(\'LOG_PATH\')\n'
    )
    quiet = quiet_cpu(300, spikes={})
    rows = "".join(f"{line} {T0 + (1000 + i) * SECOND}\n" for i, line in enumerate(lines * 20))
    data = quiet + rows + quiet.replace(str(T0)[:6], str(T0 + 5000 * SECOND)[:6])
    filtered, plain, _, _ = both_ways(script, data, tmp_path)
    assert filtered == plain, why
    assert plain.diagnostics[0] or plain.stats[2] or why == "field and tag", why


# -- divergences found here (fixed): a quiet row's ID render, a level reading the clock ---------


@pytest.mark.parametrize("grouping", ["", ".groupBy('host')"])
@pytest.mark.parametrize("block_chars", [1 << 14, 30])  # one block, or a block per line
def test_an_id_template_failing_on_a_quiet_row_stops_the_task_either_way(
    grouping: str, block_chars: int, tmp_path: Path, monkeypatch
) -> None:
    """The alert renders the ID of every point whose tags differ from the last one's; for the
    second point (no dc tag) that fails and stops the task, though the point is a quiet OK."""
    monkeypatch.setattr(sources, "BLOCK_CHARS", block_chars)
    script = (
        f"stream|from().measurement('cpu'){grouping}|alert()"
        ".id('{{ slice (index .Tags \"dc\") 1 }}')"
        '.crit(lambda: "x" > 5)\n'
    )
    data = f"cpu,dc=east,host=a x=1 {T0}\ncpu,host=a x=1 {T0 + SECOND}\n"
    filtered, plain, _, _ = both_ways(script, data, tmp_path)
    assert plain.task_errors  # slice of "" at 1: index out of range
    assert filtered == plain


def test_a_level_reading_the_wall_clock_sees_the_clock_of_its_row(tmp_path: Path) -> None:
    """An event handled in the middle of a block takes time (here: the clock jumps while the
    first event is handled), so a quiet group's later row must see the later clock."""
    limit = 2_000_000_000_000_000_000
    script = (
        "stream|from().measurement('cpu').groupBy('host')|alert()"
        f'.crit(lambda: "x" > 5 OR unixNano(now()) > {limit})\n'
    )
    first = "cpu,dc=" + "e" * 27 + ",host=b x=1 1\n"  # one block of 50 characters
    data = first + "cpu,host=a x=10 2\ncpu,host=b x=1 3\n"  # the next block

    def run(use_filter: bool) -> list[tuple[str, str]]:
        clock = [limit - 10**12]

        def slow_handler(event: object) -> None:
            clock[0] = limit + 1

        with (
            mock.patch("time.time_ns", lambda: clock[0]),
            mock.patch.object(sources, "BLOCK_CHARS", len(first)),
        ):
            engine = Engine(on_event=slow_handler)
            engine.add_task(compile_script(script, "rule.tick"), name="rule", dbrps=[DBRP])
            row_filter = engine.row_filter(*DBRP) if use_filter else None  # (or none at all)
            reader = read_points(io.StringIO(data), dbrp=DBRP, row_filter=row_filter)
            engine.feed(reader, all_for_task=True)
        return [(event.id, str(event.level)) for event in engine.events]

    plain = run(False)
    assert plain == [("cpu:host=a", "CRITICAL"), ("cpu:host=b", "CRITICAL")]
    assert run(True) == plain


# -- which tasks get a filter -------------------------------------------------------------------


def engine_with(script: str, dbrps: list[tuple[str, str]] | None = None) -> Engine:
    engine = Engine()
    engine.add_task(compile_script(script, "rule.tick"), name="rule", dbrps=dbrps or [DBRP])
    return engine


def test_the_seed_rule_gets_a_filter() -> None:
    engine = engine_with((SAMPLES / "cpu_alert.tick").read_text())
    assert isinstance(engine.row_filter(*DBRP), RowFilter)
    assert isinstance(row_filter_for(engine.tasks[0], *DBRP), RowFilter)


REFUSED = {
    "sigma": "stream|from().measurement('cpu')|alert().crit(lambda: sigma(\"usage_idle\") > 3)",
    "count": "stream|from().measurement('cpu')|alert().crit(lambda: count() > 3)",
    "spread": "stream|from().measurement('cpu')|alert().crit(lambda: spread(\"usage_idle\") > 3)",
    "now() in a level": "stream|from().measurement('cpu')"
    '|alert().crit(lambda: hour(now()) == 3 AND "usage_idle" < 10)',
    "now() in where": "stream|from().measurement('cpu').where(lambda: unixNano(now()) > 0)"
    '|alert().crit(lambda: "usage_idle" < 10)',
    "time in a level": "stream|from().measurement('cpu')|alert().crit(lambda: hour(\"time\") > 3)",
    "time in where": "stream|from().measurement('cpu').where(lambda: minute(\"time\") == 0)"
    '|alert().crit(lambda: "usage_idle" < 10)',
    "sigma in where": "stream|from().measurement('cpu').where(lambda: sigma(\"usage_idle\") > 1)"
    '|alert().crit(lambda: "usage_idle" < 10)',
    "flapping": "stream|from().measurement('cpu')|alert().crit(lambda: \"usage_idle\" < 10)"
    ".flapping(0.25, 0.5)",
    "window": "stream|from().measurement('cpu')|window().period(10s).every(10s)"
    '|alert().crit(lambda: "usage_idle" < 10)',
    "eval": "stream|from().measurement('cpu')|eval(lambda: \"usage_idle\" * 2.0).as('x')"
    '|alert().crit(lambda: "x" < 10)',
    "no measurement": 'stream|from()|alert().crit(lambda: "usage_idle" < 10)',
    "two children": "var s = stream|from().measurement('cpu')\n"
    's|alert().crit(lambda: "usage_idle" < 10)\ns|alert().crit(lambda: "usage_idle" < 5)',
    "two froms": "var s = stream\ns|from().measurement('cpu')|alert().crit(lambda: \"usage_idle\" < 10)\n"
    "s|from().measurement('mem')|alert().crit(lambda: \"used\" > 90)",
    "other database": "stream|from().measurement('cpu').database('other')"
    '|alert().crit(lambda: "usage_idle" < 10)',
    "other retention policy": "stream|from().measurement('cpu').retentionPolicy('other')"
    '|alert().crit(lambda: "usage_idle" < 10)',
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_shapes_it_cannot_prove_get_no_filter(name: str) -> None:
    engine = engine_with(REFUSED[name] + "\n")
    assert engine.row_filter(*DBRP) is None


def test_an_observed_alert_gets_no_filter() -> None:
    engine = engine_with((SAMPLES / "cpu_alert.tick").read_text())
    engine.observe_alerts(lambda observation: None)
    assert engine.row_filter(*DBRP) is None


def test_two_tasks_get_no_filter() -> None:
    engine = engine_with((SAMPLES / "cpu_alert.tick").read_text())
    engine.add_task(
        compile_script((SAMPLES / "cpu_alert.tick").read_text(), "second.tick"),
        name="second",
        dbrps=[DBRP],
    )
    assert engine.row_filter(*DBRP) is None


def test_a_traced_run_gets_no_filter(tmp_path: Path, capsys, monkeypatch) -> None:
    offered: list[object] = []
    original = Engine.row_filter

    def spy(self: Engine, database: str, retention_policy: str):
        found = original(self, database, retention_policy)
        offered.append(found)
        return found

    monkeypatch.setattr(Engine, "row_filter", spy)
    data = tmp_path / "cpu.lp"
    data.write_text(quiet_cpu(20, spikes={3: 1.0}))
    script = str(SAMPLES / "cpu_alert.tick")
    code, out, _ = run_cli(["run", script, "--input", str(data), "--trace"], capsys)
    assert code == 0 and "CRITICAL" in out
    assert offered == [None]  # every point is traced: none may be skipped


def test_another_dbrp_gets_no_filter() -> None:
    engine = engine_with((SAMPLES / "cpu_alert.tick").read_text())
    assert engine.row_filter("telegraf", "other") is None
    assert engine.row_filter("other", "autogen") is None


# -- the command line ---------------------------------------------------------------------------


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("output_format", "compressed"), [("text", False), ("json", True)])
def test_tickmini_run_prints_the_same_with_and_without_the_filter(
    output_format: str, compressed: bool, tmp_path: Path, capsys, monkeypatch
) -> None:
    script = tmp_path / "cpu_alert.tick"
    log = tmp_path / "alerts.log"
    script.write_text(
        (SAMPLES / "cpu_alert.tick").read_text()
        + f"        .log('{log}')\n"
        + "        .details('{{ index .Tags \"host\" }}')\n"
        + "    |httpOut('out')\n"
    )
    data = tmp_path / ("cpu.lp.gz" if compressed else "cpu.lp")
    quiet = quiet_cpu(4000, hosts=("a", "b", "c"), spikes={5: 3.0, 6: 50.0, 3000: 1.0})
    bad = f'cpu,host=a usage_idle=1.2.3 {T0}\ncpu,host=a usage_idle="x" {T0}\n'
    text = quiet[: len(quiet) // 2] + bad + quiet[len(quiet) // 2 :]
    data.write_bytes(gzip.compress(text.encode()) if compressed else text.encode())
    more = tmp_path / "more.lp"  # a second input: the same filter reads on
    more.write_text(quiet_cpu(500, hosts=("c", "d"), spikes={100: 2.0, 101: 2.0}))
    args = ["run", str(script), "--input", str(data), "--input", str(more)]
    args += ["--dbrp", "telegraf.autogen"]
    args += ["--format", output_format, "--http-out", str(tmp_path / "http")]

    offered: list[object] = []
    original = Engine.row_filter

    def spy(self: Engine, database: str, retention_policy: str):
        found = original(self, database, retention_policy)
        offered.append(found)
        return found

    monkeypatch.setattr(Engine, "row_filter", spy)
    with_filter = run_cli(args, capsys)
    log_with = log.read_text()
    http_with = sorted((p.name, p.read_text()) for p in (tmp_path / "http").iterdir())
    assert offered and offered[-1] is not None  # the run did use a filter

    log.unlink()
    monkeypatch.setattr(Engine, "row_filter", lambda self, database, retention_policy: None)
    without_filter = run_cli(args, capsys)
    assert with_filter == without_filter
    assert log.read_text() == log_with
    assert sorted((p.name, p.read_text()) for p in (tmp_path / "http").iterdir()) == http_with
    code, out, err = without_filter
    assert code == 1  # a rejected line
    assert len(out.splitlines()) == 7 and "1 rejected" in err and f"{data.name}:2001:26:" in err
    assert "1× error evaluating expression for level" in err  # the string usage_idle
