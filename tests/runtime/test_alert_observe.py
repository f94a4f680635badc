"""The alert node's observation hook: lambdas as evaluated, levels, and why no event was sent."""

from __future__ import annotations

import io

from alert_fakes import FieldPredicate, alert_node, point
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.alerting.encode import alert_data_json
from tickmini.errors import EvaluationError
from tickmini.io.lineprotocol import read_points
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.alert import AlertObservation
from tickmini.runtime.engine import Engine

SECOND = 1_000_000_000
T0 = 31536000 * SECOND


def lines_at(values, measurement="m", tags="host=a"):
    return [f"{measurement},{tags} v={v} {T0 + i * SECOND}" for i, v in enumerate(values)]


def observed_run(script: str, lines: list[str]) -> tuple[Engine, list[AlertObservation]]:
    engine = Engine()
    task = engine.add_task(compile_script(script, "t.tick"), name="t")
    seen: list[AlertObservation] = []
    task.observe_alerts(seen.append)
    engine.run(read_points(io.StringIO("".join(line + "\n" for line in lines))))
    return engine, seen


def summary(seen: list[AlertObservation]) -> list[tuple]:
    return [
        (
            o.previous_level.name,
            o.level.name,
            [(e.level.name, e.reset, e.result) for e in o.evaluations],
            o.reason,
        )
        for o in seen
    ]


def test_each_point_with_its_lambdas_levels_and_reason() -> None:
    script = """stream |from().measurement('m')
        |alert().warn(lambda: "v" > 60).crit(lambda: "v" > 80).critReset(lambda: "v" < 70)
            .stateChangesOnly().details('')"""
    engine, seen = observed_run(script, lines_at([90, 95, 75, 50, 40]))
    assert summary(seen) == [
        ("OK", "CRITICAL", [("CRITICAL", False, True)], None),
        (
            "CRITICAL",
            "CRITICAL",
            [("CRITICAL", False, True)],
            "stateChangesOnly and level unchanged",
        ),
        # at CRITICAL: crit false, then its reset (75 < 70 is false): stay CRITICAL
        (
            "CRITICAL",
            "CRITICAL",
            [("CRITICAL", False, False), ("CRITICAL", True, False)],
            "stateChangesOnly and level unchanged",
        ),
        (
            "CRITICAL",
            "OK",
            # Kapacitor scans again from the current level down after a true reset
            [
                ("CRITICAL", False, False),
                ("CRITICAL", True, True),
                ("CRITICAL", False, False),
                ("WARNING", False, False),
            ],
            None,
        ),
        (
            "OK",
            "OK",
            [("CRITICAL", False, False), ("WARNING", False, False)],
            "stateChangesOnly and level unchanged",  # checked before "OK and unchanged"
        ),
    ]
    assert [o.event.level.name for o in seen if o.sent] == ["CRITICAL", "OK"]
    assert [o.event for o in seen if o.sent] == engine.events
    assert all(o.node == "alert2" and o.group == "" for o in seen)
    assert [o.item.fields["v"] for o in seen] == [90, 95, 75, 50, 40]


def test_a_failing_lambda_is_reported_as_its_error() -> None:
    script = """stream |from().measurement('m') |alert().crit(lambda: "v" > 80).details('')"""
    lines = [f"m,host=a w=1 {T0}"]
    _, seen = observed_run(script, lines)
    ((observation,),) = [seen]
    ((evaluation,),) = [observation.evaluations]
    assert isinstance(evaluation.result, EvaluationError)
    assert "v" in evaluation.result.message
    assert (observation.level.name, observation.reason) == ("OK", "OK and unchanged")


def test_no_recoveries_flapping_and_inhibited_reasons() -> None:
    script = """stream |from().measurement('m')
        |alert().crit(lambda: "v" > 80).noRecoveries().details('')"""
    _, seen = observed_run(script, lines_at([90, 10]))
    assert [o.reason for o in seen] == [None, "noRecoveries"]

    script = """stream |from().measurement('m')
        |alert().crit(lambda: "v" > 80).flapping(0.25, 0.5).history(3).details('')"""
    _, seen = observed_run(script, lines_at([90, 10, 90, 10]))
    assert "flapping" in [o.reason for o in seen]

    script = """
var cpu = stream |from().measurement('cpu')
    |alert().category('system').crit(lambda: "v" > 80).details('')
var up = stream |from().measurement('up')
    |alert().inhibit('system').crit(lambda: "v" == 0).details('')
"""
    engine, seen = observed_run(script, [f"up v=0 {T0}", f"cpu v=99 {T0 + SECOND}"])
    inhibited = [o for o in seen if o.node == "alert2"]
    assert [o.reason for o in inhibited] == ["inhibited"]
    assert inhibited[0].event is not None and inhibited[0].event not in engine.events


def test_batches_report_each_point_evaluated() -> None:
    script = """stream |from().measurement('m') |window().period(3s).every(3s)
        |alert().crit(lambda: "v" > 80).details('')"""
    _, seen = observed_run(script, lines_at([10, 90, 95, 10, 20, 30, 40]))
    first, second = seen
    # each point of the batch is evaluated from the group's level before the batch (OK)
    assert [(e.point.fields["v"], e.result) for e in first.evaluations] == [
        (10, False),
        (90, True),
        (95, True),
    ]
    # from CRITICAL without a reset Kapacitor scans crit twice per point
    assert [e.point.fields["v"] for e in second.evaluations] == [10, 10, 20, 20, 30, 30]
    assert (first.level.name, first.reason, second.level.name, second.reason) == (
        "CRITICAL",
        None,
        "OK",
        None,
    )


def test_unobserving_restores_the_fast_path_and_costs_nothing() -> None:
    node, events = alert_node(crit=FieldPredicate(lambda v: v > 80))
    fast = node.point
    seen: list[AlertObservation] = []
    node.observe(seen.append)
    assert node.point == node.point_generic and node.levels[3] is not node.plain_levels[3]
    node.point(point(90, 0))
    node.observe(None)
    assert node.point != node.point_generic and node.point is not fast
    assert node.levels[3] is node.plain_levels[3]
    node.point(point(10, 1))
    assert len(seen) == 1 and [e.level.name for e in events] == ["CRITICAL", "OK"]


values = st.lists(st.one_of(st.none(), st.integers(0, 100)), min_size=1, max_size=40)
scripts = st.fixed_dictionaries(
    {
        "levels": st.sampled_from(
            [
                '.crit(lambda: "v" > 80)',
                '.warn(lambda: "v" > 60).crit(lambda: "v" > 80)',
                '.info(lambda: "v" > 40).warn(lambda: "v" > 60).crit(lambda: "v" > 80)'
                '.critReset(lambda: "v" < 70).warnReset(lambda: "v" < 50)',
            ]
        ),
        "extra": st.sampled_from(
            [
                "",
                ".stateChangesOnly()",
                ".stateChangesOnly(3s)",
                ".noRecoveries()",
                ".flapping(0.2, 0.4)",
            ]
        ),
        "window": st.booleans(),
    }
)


@settings(max_examples=60, deadline=None)
@given(values, scripts, st.lists(st.sampled_from(["a", "b"]), min_size=40, max_size=40))
def test_observing_changes_no_event(vals, parts, hosts) -> None:
    window = "|window().period(2s).every(2s)" if parts["window"] else ""
    script = (
        f"stream |from().measurement('m').groupBy('host') {window} "
        f"|alert(){parts['levels']}{parts['extra']}.details('')"
    )
    lines = [
        f"m,host={hosts[i]} " + ("w=1" if v is None else f"v={v}") + f" {T0 + i * SECOND}"
        for i, v in enumerate(vals)
    ]
    outputs = []
    for observe in (False, True):
        engine = Engine()
        task = engine.add_task(compile_script(script, "t.tick"), name="t")
        seen: list[AlertObservation] = []
        if observe:
            task.observe_alerts(seen.append)
        engine.run(read_points(io.StringIO("".join(line + "\n" for line in lines))))
        outputs.append([alert_data_json(e) for e in engine.events])
        if observe:
            assert [alert_data_json(o.event) for o in seen if o.sent] == outputs[-1]
            for o in seen:
                # the level reached is the one of the last lambda that was true, or OK
                trues = [e for e in o.evaluations if e.result is True and not e.reset]
                if not parts["window"] and o.level.name != "OK" and o.level != o.previous_level:
                    assert trues and trues[-1].level == o.level
    assert outputs[0] == outputs[1]
