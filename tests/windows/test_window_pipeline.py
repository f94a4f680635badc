"""Windows inside whole scripts: batches reaching alert (reference 4.6), where and httpOut."""

from __future__ import annotations

from windows_helpers import SECOND, T0

from tickmini.alerting.event import Level
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine
from tickmini.values import Point

SCRIPT = """stream
  |from()
    .measurement('m')
    .groupBy('host')
  |window()
    .period(10s)
    .every(10s)
  |alert()
    .crit(lambda: "value" > 5)
    .levelTag('level')
  |httpOut('out')
"""


def run(script: str, samples: list[tuple[float, float]]) -> tuple[Engine, object]:
    engine = Engine()
    task = engine.add_task(compile_script(script, "w.tick"), name="w")
    for seconds, value in samples:
        engine.write(
            Point(
                name="m",
                tags={"host": "a", "dc": "x"},
                fields={"value": value},
                time=T0 + round(seconds * SECOND),
            )
        )
    engine.finish()
    return engine, task


def test_a_batch_alert_uses_the_first_point_of_the_highest_level() -> None:
    engine, task = run(SCRIPT, [(0, 1.0), (3, 7.0), (4, 9.0), (10, 1.0), (20, 1.0)])
    crit, ok = engine.events
    assert (crit.level, crit.time) == (Level.CRITICAL, T0 + 3 * SECOND)
    assert crit.fields == {"value": 7.0}
    assert crit.tags == {"host": "a"}  # batch events carry the group tags
    (data,) = crit.series  # the whole batch, before the level tag is added
    assert (data.tags, data.columns) == ({"host": "a"}, ["time", "dc", "value"])
    assert [row[1:] for row in data.values] == [["x", 1.0], ["x", 7.0], ["x", 9.0]]
    # the recovery of an all-OK batch is stamped with the batch time (tmax)
    assert (ok.level, ok.time) == (Level.OK, T0 + 20 * SECOND)
    (row,) = task.http_out("out").rows()
    assert row.tags == {"host": "a", "level": "OK"}
    assert row.values == [[T0 + 10 * SECOND, "x", 1.0]]


def test_an_empty_window_changes_no_alert_state() -> None:
    script = SCRIPT.replace(".period(10s)", ".period(2s)")
    engine, _task = run(script, [(0, 9.0), (9, 9.0), (19, 1.0), (29, 1.0)])
    # 19s emits [8s, 10s) = {9s}: CRITICAL; 29s emits [27s, 29s), empty: ignored (no
    # recovery); the window open until 39s is never flushed.
    assert [(e.level, (e.time - T0) // SECOND) for e in engine.events] == [(Level.CRITICAL, 9)]


def test_where_after_an_aggregate_and_httpout_keeps_the_last_row_per_group() -> None:
    script = """stream
  |from()
    .measurement('m')
  |window()
    .period(5s)
    .every(5s)
  |max('value')
    .as('peak')
  |where(lambda: "peak" > 5)
  |httpOut('out')
"""
    _engine, task = run(script, [(0, 6.0), (1, 8.0), (5, 1.0), (10, 2.0), (15, 0.0)])
    (row,) = task.http_out("out").rows()
    # windows at 5s (peak 8), 10s (1, filtered out), 15s (2, filtered out): 5s stays
    assert (row.tags, row.columns) == ({"dc": "x", "host": "a"}, ["time", "peak"])
    assert row.values == [[T0 + 5 * SECOND, 8.0]]
