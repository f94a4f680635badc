"""``--trace``: each point's path, the lambdas step by step, the alert decisions and timeline.

The worked example is the reference's 4.5 table (input copied in
tests/conformance/alertstate/doc_worked_example, see its PROVENANCE.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tickmini.cli.main import main
from tickmini.io.lineprotocol import read_inputs
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine
from tickmini.teach.timeline import row_cells
from tickmini.teach.trace import TraceOptions, Tracer
from tickmini.values import Point

ROOT = Path(__file__).resolve().parents[2]
WORKED_INPUT = ROOT / "tests/conformance/alertstate/doc_worked_example/input.lp"
SAMPLES = ROOT / "samples"

WORKED = """stream
    |from()
        .measurement('m')
    |alert()
        .crit(lambda: "v" > 80)
"""

# Reference 4.5: t, v, level, changed, event sent, duration, emitted downstream.
WORKED_TABLE = [
    ("50", "OK", "no", "no", "-", "no"),
    ("90", "CRITICAL", "yes", "CRITICAL", "0s", "yes"),
    ("95", "CRITICAL", "no", "CRITICAL", "1s", "yes"),
    ("70", "OK", "yes", "OK (recovery)", "2s", "yes"),
    ("70", "OK", "no", "no", "-", "no"),
    ("85", "CRITICAL", "yes", "CRITICAL", "0s", "yes"),
]


def worked_points() -> list[Point]:
    return list(read_inputs([str(WORKED_INPUT)]))


def traced(script: str, points: list[Point], options: TraceOptions | None = None):
    engine = Engine()
    task = engine.add_task(compile_script(script, "t.tick"), name="t")
    lines: list[str] = []
    tracer = Tracer(task, options, lines.append).attach()
    engine.run(points)
    tracer.finish()
    return tracer, engine, lines


def table(tracer: Tracer) -> list[tuple[str, ...]]:
    return [
        tuple(row_cells(row, ["v"])[2:8])  # v, level, changed, sent, duration, emitted
        for row in tracer.rows()
    ]


def test_worked_example_reads_as_the_reference_table() -> None:
    tracer, engine, lines = traced(WORKED, worked_points())
    assert table(tracer) == WORKED_TABLE
    text = "\n".join(lines)
    assert 'crit: "v" > 80 -> 90 > 80 -> true' in text
    assert 'crit: "v" > 80 -> 70 > 80 -> false' in text
    assert "level OK -> CRITICAL (changed): crit is true" in text
    assert "level CRITICAL -> OK (changed): no level lambda is true" in text
    assert "event sent: OK (recovery)" in text
    assert text.count("not sent: OK and unchanged") == 2
    # The table is printed at the end with the reference's columns.
    header = next(line for line in lines if line.startswith("| time"))
    for column in ("v", "level", "changed", "event sent", "duration", "emitted downstream"):
        assert f" {column} " in header
    assert len(engine.events) == 4


def test_state_changes_only_says_why_t2_is_not_sent() -> None:
    script = WORKED.replace('"v" > 80)', '"v" > 80)\n        .stateChangesOnly()')
    tracer, _, lines = traced(script, worked_points())
    sent = [row[3] for row in table(tracer)]
    assert sent == ["no", "CRITICAL", "no", "OK (recovery)", "no", "CRITICAL"]
    assert tracer.rows()[2].reason == "not sent: stateChangesOnly and level unchanged"
    assert "        | not sent: stateChangesOnly and level unchanged" in lines


def test_no_recoveries_suppresses_t3() -> None:
    script = WORKED.replace('"v" > 80)', '"v" > 80)\n        .noRecoveries()')
    tracer, _, _ = traced(script, worked_points())
    row = tracer.rows()[3]
    assert (row.level.name, row.sent, row.emitted) == ("OK", None, False)
    assert row.reason == "not sent: noRecoveries (recovery suppressed)"


def test_missing_field_makes_a_recovery_and_shows_the_error() -> None:
    points = worked_points()
    points[2] = Point(name="m", tags={"host": "serverA"}, fields={"w": 1.0}, time=points[2].time)
    tracer, _, lines = traced(WORKED, points)
    assert table(tracer)[2][1:4] == ("OK", "yes", "OK (recovery)")
    text = "\n".join(lines)
    assert 'crit: "v" > 80 -> missing > 80 -> error: left reference value "v" is missing' in text


def test_flapping_is_named() -> None:
    script = """stream
    |from().measurement('m')
    |alert()
        .crit(lambda: "v" > 80)
        .flapping(0.25, 0.5)
        .history(4)
"""
    values = [90, 10, 90, 10, 90, 10]
    points = [
        Point(name="m", tags={}, fields={"v": float(v)}, time=i * 10**9)
        for i, v in enumerate(values)
    ]
    tracer, engine, _ = traced(script, points)
    reasons = [row.reason for row in tracer.rows()]
    assert "not sent: flapping" in reasons
    sent = sum(1 for row in tracer.rows() if row.sent is not None)
    assert sent == len(engine.events)


def test_drops_are_explained() -> None:
    script = """stream
    |from()
        .measurement('cpu')
        .where(lambda: "host" == 'a')
    |where(lambda: "v" > 1.0 AND "v" < 5.0)
    |alert()
        .crit(lambda: "v" > 3.0)
"""
    points = [
        Point(name="mem", tags={"host": "a"}, fields={"v": 2.0}, time=1),
        Point(name="cpu", tags={"host": "b"}, fields={"v": 2.0}, time=2),
        Point(name="cpu", tags={"host": "a"}, fields={"v": 0.5}, time=3),
        Point(name="cpu", tags={"host": "a"}, fields={"x": 2.0}, time=4),
        Point(name="cpu", tags={"host": "a"}, fields={"v": 4.0}, time=5),
    ]
    _, engine, lines = traced(script, points)
    text = "\n".join(lines)
    assert "from1: dropped: measurement 'mem' is not 'cpu'" in text
    assert "from1: dropped: where is false" in text
    assert "where: \"host\" == 'a' -> 'b' == 'a' -> false" in text
    assert "where2: dropped: where is false" in text
    # AND short-circuits: the right side is never evaluated.
    assert 'where: "v" > 1.0 AND "v" < 5.0 -> 0.5 > 1.0 AND … < 5.0 -> false AND … -> false' in text
    assert 'where2: dropped: error while evaluating expression: left reference value "v"' in text
    assert "level OK -> CRITICAL (changed): crit is true" in text
    assert len(engine.events) == 1


def test_window_not_yet_complete() -> None:
    script = """stream
    |from().measurement('m')
    |window().period(10s).every(10s)
    |mean('v')
    |alert().crit(lambda: "mean" > 1.0)
"""
    points = [
        Point(name="m", tags={}, fields={"v": float(i)}, time=i * 4 * 10**9) for i in range(7)
    ]
    tracer, _, lines = traced(script, points)
    text = "\n".join(lines)
    assert "window2: held: window not yet complete" in text
    assert "window2: window complete: emitted a batch of 3 points" in text
    assert "mean3: mean('v') -> mean=1 " in text
    assert [row.level.name for row in tracer.rows()] == ["OK", "CRITICAL"]


SCRIPTS = [
    WORKED,
    WORKED.replace('"v" > 80)', '"v" > 80)\n        .stateChangesOnly()'),
    """stream
    |from().measurement('m').groupBy('host')
    |window().period(2s).every(1s)
    |max('v')
    |alert().warn(lambda: "max" > 60).crit(lambda: "max" > 90).critReset(lambda: "max" < 70)
""",
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_tracing_does_not_change_what_the_task_does(script: str) -> None:
    points = worked_points() + [
        Point(name="m", tags={"host": "serverB"}, fields={"v": 99.0}, time=p.time + 1)
        for p in worked_points()
    ]
    points.sort(key=lambda p: p.time)
    plain = Engine()
    plain.add_task(compile_script(script, "t.tick"), name="t")
    plain.run(points)
    _, engine, _ = traced(script, points)
    assert [(e.id, e.level, e.time, e.duration) for e in engine.events] == [
        (e.id, e.level, e.time, e.duration) for e in plain.events
    ]
    assert engine.events  # the scripts do alert


def test_group_filter_and_limit() -> None:
    points = worked_points()
    other = [Point(name="m", tags={"host": "b"}, fields={"v": 1.0}, time=p.time) for p in points]
    mixed = [q for pair in zip(points, other, strict=True) for q in pair]
    options = TraceOptions(group=(("host", "serverA"),), limit=2)
    tracer, _, lines = traced(WORKED, mixed, options)
    headers = [line for line in lines if line.startswith("point ")]
    assert len(headers) == 2
    assert all("host=serverA" in h for h in headers)
    assert len(tracer.rows()) == 2
    assert any("trace limit 2 reached" in line for line in lines)


def test_trace_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "worked.tick"
    script.write_text(WORKED)
    code = main(["trace", str(script), "--input", str(WORKED_INPUT), "--trace-limit", "3"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("\npoint ") + out.startswith("point ") == 3
    assert "timeline of alert2 (3 traced points)" in out


def test_trace_command_sample_and_bad_group(capsys: pytest.CaptureFixture[str]) -> None:
    script = str(SAMPLES / "cpu_alert.tick")
    code = main(["trace", script, "-i", str(SAMPLES / "cpu.lp"), "--trace-group", "host"])
    assert code == 2
    assert "TAG=VALUE" in capsys.readouterr().err
    code = main(["trace", script, "-i", str(SAMPLES / "cpu.lp"), "--trace-group", "host=serverA"])
    out = capsys.readouterr().out
    assert code == 0
    assert 'crit: "usage_idle" < 10 -> 9.5 < 10 -> true' in out
    assert "host=serverB" not in out.split("timeline of")[0]


def test_run_trace_hook_attaches_only_when_asked() -> None:
    import argparse
    import io

    from tickmini.cli.trace import add_trace_arguments, attach_if_requested

    parser = argparse.ArgumentParser()
    add_trace_arguments(parser, flag=True)
    engine = Engine()
    task = engine.add_task(compile_script(WORKED, "t.tick"), name="t")
    assert attach_if_requested(parser.parse_args([]), task, io.StringIO()) is None
    out = io.StringIO()
    args = parser.parse_args(["--trace", "--trace-group", "host=serverA", "--trace-limit", "2"])
    tracer = attach_if_requested(args, task, out)
    engine.run(worked_points())
    tracer.finish()
    text = out.getvalue()
    assert text.count("\npoint ") + text.startswith("point ") == 2
    assert "timeline of alert2 (2 traced points)" in text
    assert len(engine.events) == 4


def test_batch_into_alert_and_several_froms() -> None:
    script = """var s = stream
s
    |from().measurement('m').groupBy('host')
    |window().period(3s).everyCount(1)
    |alert().crit(lambda: "v" > 80)
s
    |from().measurement('other')
    |eval(lambda: "nope" * 2.0).as('x')
"""
    points = [*worked_points(), Point(name="other", tags={}, fields={"a": 1.0}, time=10**18)]
    tracer, engine, lines = traced(script, points)
    text = "\n".join(lines)
    assert "batch of 2 points" in text
    assert "from4: dropped: measurement 'm' is not 'other'" in text
    assert "eval5: dropped: error evaluating expression:" in text
    rows = tracer.rows()
    assert sum(1 for r in rows if r.sent is not None) == len(engine.events)
    # A batch row shows the values of the point behind its event (the highest level's).
    sent = [r for r in rows if r.sent is not None]
    assert sent[0].values == {"v": sent[0].event.fields["v"]}


def test_inhibited_event_is_named() -> None:
    script = """var data = stream
    |from()
        .measurement('m')
        .groupBy('host')
data
    |alert()
        .crit(lambda: "v" > 80)
        .inhibit('cpu', 'host')
data
    |alert()
        .category('cpu')
        .crit(lambda: "v" > 50)
"""
    tracer, _, lines = traced(script, worked_points()[:2])
    row = [r for r in tracer.rows() if r.node == "alert3"][-1]
    assert row.reason == "event CRITICAL not published: inhibited (still emitted downstream)"
    assert "        | event CRITICAL not published: inhibited (still emitted downstream)" in lines
    assert row.emitted


def test_a_failing_node_is_shown_where_the_task_stopped() -> None:
    script = WORKED.replace("|alert()", "|alert()\n        .id('{{ .Level }}')")
    engine = Engine()
    task = engine.add_task(compile_script(script, "t.tick"), name="t")
    lines: list[str] = []
    Tracer(task, None, lines.append).attach()
    engine.run(worked_points())
    assert engine.errors
    text = "\n".join(lines)
    assert text.count("failed: template: id:1:3") == 1
    assert '    alert2: failed: template: id:1:3: executing "id" at <.Level>' in text
    assert "the task stopped here" in text


def test_log_node_lines_are_shown_in_its_step() -> None:
    script = WORKED + "    |log()\n        .prefix('seen')\n"
    _, _, lines = traced(script, worked_points()[:2])
    logged = [line for line in lines if "| logged: ts=" in line]
    assert len(logged) == 1  # only the CRITICAL point is emitted downstream of the alert
    assert "prefix='seen'" in logged[0]
    assert '"values":[["1971-01-01T00:00:01Z",90]]' in logged[0]
