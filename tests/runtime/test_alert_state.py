"""The alert state machine on the reference's worked examples (4.3, 4.5)."""

from __future__ import annotations

from alert_fakes import FieldPredicate, alert_node, point

from tickmini.alerting.event import Level
from tickmini.runtime.alert import AlertState
from tickmini.runtime.node import RuntimeNode

SECOND = 1_000_000_000
WORKED = [50, 90, 95, 70, 70, 85]


class Sink(RuntimeNode):
    def __init__(self) -> None:
        super().__init__("sink")
        self.points: list = []

    def point(self, p) -> None:
        self.points.append(p)


def run(values, **props):
    node, events = alert_node(**props)
    sink = Sink()
    node.children.append(sink)
    for t, v in enumerate(values):
        node.point(point(v, t))
    return events, sink.points


def summary(events):
    return [(e.time // SECOND, e.level.name, e.duration // SECOND) for e in events]


def test_worked_example_sends_non_ok_points_and_one_recovery() -> None:
    events, emitted = run(WORKED, crit=FieldPredicate(lambda v: v > 80))
    assert summary(events) == [
        (1, "CRITICAL", 0),
        (2, "CRITICAL", 1),
        (3, "OK", 2),
        (5, "CRITICAL", 0),
    ]
    assert [p.time // SECOND for p in emitted] == [1, 2, 3, 5]
    assert [e.previous_level.name for e in events] == ["OK", "CRITICAL", "CRITICAL", "OK"]


def test_worked_example_state_changes_only() -> None:
    events, _ = run(WORKED, crit=FieldPredicate(lambda v: v > 80), stateChangesOnly=0)
    assert [e.time // SECOND for e in events] == [1, 3, 5]


def test_worked_example_no_recoveries_neither_publishes_nor_emits() -> None:
    events, emitted = run(WORKED, crit=FieldPredicate(lambda v: v > 80), noRecoveries=True)
    assert [e.time // SECOND for e in events] == [1, 2, 5]
    assert [p.time // SECOND for p in emitted] == [1, 2, 5]
    assert all(e.recoverable is False for e in events)


def test_missing_field_makes_a_recovery() -> None:
    values = [50, 90, None, 70, 70, 85]
    events, _ = run(values, crit=FieldPredicate(lambda v: v > 80))
    assert summary(events)[:2] == [(1, "CRITICAL", 0), (2, "OK", 1)]


def test_reset_example_from_the_docs() -> None:
    values = [61, 73, 64, 85, 62, 56, 47]
    events, _ = run(
        values,
        info=FieldPredicate(lambda v: v > 60),
        infoReset=FieldPredicate(lambda v: v < 50),
        warn=FieldPredicate(lambda v: v > 70),
        warnReset=FieldPredicate(lambda v: v < 60),
        crit=FieldPredicate(lambda v: v > 80),
        critReset=FieldPredicate(lambda v: v < 70),
    )
    assert [e.level.name for e in events] == [
        "INFO",
        "WARNING",
        "WARNING",
        "CRITICAL",
        "INFO",
        "INFO",
        "OK",
    ]


def test_flapping_example_sends_nine_events() -> None:
    values = [97.1, 92.6, 95.6, 93.1, 92.6, 95.8, 92.7, 96.0, 93.4, 95.3, 92.4, 95.1]
    events, _ = run(
        values,
        info=FieldPredicate(lambda v: v < 95),
        warn=FieldPredicate(lambda v: v < 94),
        crit=FieldPredicate(lambda v: v < 93),
        flapping=(0.25, 0.5),
        history=21,
    )
    assert len(events) == 9


def test_state_changes_only_with_duration_resends_after_d() -> None:
    # TestStream_AlertStateChangesOnlyExpired: CRIT at 1,3,5,7,9 s, then OK at 10 s.
    node, events = alert_node(crit=FieldPredicate(lambda v: v > 80), stateChangesOnly=2 * SECOND)
    for t in range(10):
        node.point(point(90, t))
    node.point(point(10, 10))
    assert [(e.time // SECOND, e.duration // SECOND) for e in events] == [
        (0, 0),
        (2, 2),
        (4, 4),
        (6, 6),
        (8, 8),
        (10, 10),
    ]


def test_history_two_single_change_is_point_eight() -> None:
    state = AlertState(2)
    state.idx = 1
    state.history[1] = Level.CRITICAL
    assert state.percent_change() == 0.8


def test_duration_saturates_after_suppressed_trigger() -> None:
    state = AlertState(21)
    state.history[0] = Level.CRITICAL  # previous entry non-OK: firstTriggered stays year 1
    state.idx = 1
    state.history[1] = Level.CRITICAL
    state.triggered(10 * SECOND)
    assert state.duration() == 9223372036854775807


def test_groups_have_separate_state() -> None:
    node, events = alert_node(crit=FieldPredicate(lambda v: v > 80))
    node.point(point(90, 0, group="host=a"))
    node.point(point(90, 1, group="host=b"))
    node.point(point(90, 2, group="host=a"))
    assert [(e.id, e.duration // SECOND) for e in events] == [
        ("m:host=a", 0),
        ("m:host=b", 0),
        ("m:host=a", 2),
    ]
