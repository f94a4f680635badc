"""Alert behaviour through whole scripts: batches, augmentation, inhibition, topics, failures."""

from __future__ import annotations

import io
import json

from tickmini.io.lineprotocol import read_points
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine

SECOND = 1_000_000_000
T0 = 31536000 * SECOND


def run(script: str, lines: list[str], **engine_options):
    engine = Engine(**engine_options)
    task = engine.add_task(compile_script(script, "t.tick"), name="t")
    engine.run(read_points(io.StringIO("".join(line + "\n" for line in lines))))
    return engine, task


def lines_at(values, measurement="m", tags="host=a", start=0):
    return [f"{measurement},{tags} v={v} {T0 + (start + i) * SECOND}" for i, v in enumerate(values)]


def test_batch_alert_uses_highest_point_and_batch_time_for_ok() -> None:
    script = """stream |from().measurement('m') |window().period(3s).every(3s)
        |alert().crit(lambda: "v" > 80).details('')"""
    engine, _ = run(script, lines_at([10, 90, 95, 10, 20, 30, 40]))
    events = engine.events
    assert [(e.level.name, (e.time - T0) // SECOND) for e in events] == [("CRITICAL", 1), ("OK", 6)]
    assert events[0].fields == {"v": 90}
    assert [len(r.values) for r in events[0].series] == [3]


def test_batch_all_takes_the_lowest_level() -> None:
    script = """stream |from().measurement('m') |window().period(2s).every(2s)
        |alert().crit(lambda: "v" > 80).all().details('')"""
    engine, _ = run(script, lines_at([90, 10, 90, 95, 1]))
    assert [(e.level.name, (e.time - T0) // SECOND) for e in engine.events] == [("CRITICAL", 4)]


def test_augmented_point_goes_downstream_but_not_into_the_event() -> None:
    script = """stream |from().measurement('m').groupBy('host')
        |alert().crit(lambda: "v" > 80).details('')
            .levelTag('level').idField('id').durationField('d').messageField('msg')
        |httpOut('out')"""
    engine, task = run(script, lines_at([90, 95]))
    row = json.loads(task.http_out("out").result_json())["series"][0]
    assert row["tags"] == {"host": "a", "level": "CRITICAL"}
    assert row["columns"] == ["time", "d", "id", "msg", "v"]
    assert row["values"][0][1:] == [SECOND, "m:host=a", "m:host=a is CRITICAL", 95]
    assert engine.events[0].series[0].columns == ["time", "v"]


def test_inhibitor_suppresses_publication_but_not_downstream() -> None:
    script = """
var cpu = stream |from().measurement('cpu').groupBy('host')
    |alert().category('system').crit(lambda: "v" > 80).details('') |httpOut('cpu')
var up = stream |from().measurement('up').groupBy('host')
    |alert().inhibit('system', 'host').crit(lambda: "v" == 0).details('')
"""
    lines = [
        f"up,host=a v=0 {T0}",  # host a down: inhibits system alerts of host a
        f"cpu,host=a v=99 {T0 + SECOND}",
        f"cpu,host=b v=99 {T0 + SECOND}",
    ]
    engine, task = run(script, lines)
    assert [e.id for e in engine.events] == ["up:host=a", "cpu:host=b"]
    served = json.loads(task.http_out("cpu").result_json())["series"]
    assert [r["tags"]["host"] for r in served] == ["a", "b"]


def test_topic_collects_after_the_anonymous_topic() -> None:
    script = """stream |from().measurement('m') |alert().crit(lambda: "v" > 80)
        .details('').topic('ops').post('http://127.0.0.1:9/')"""
    received: list = []

    class Recorder:
        def handle(self, event) -> None:
            received.append((event.topic, event.previous_level.name))

    engine = Engine(make_handler=lambda spec: Recorder())
    engine.topics.register_handler("ops", Recorder())
    engine.add_task(compile_script(script), name="t")
    engine.run(read_points(io.StringIO("\n".join(lines_at([90, 10])) + "\n")))
    assert received == [
        ("main:t:alert2", "OK"),
        ("ops", "OK"),
        ("main:t:alert2", "CRITICAL"),
        ("ops", "CRITICAL"),
    ]


def test_new_group_restores_state_from_the_topic() -> None:
    # One ID for every host: host b's first point finds the CRITICAL state host a left behind.
    script = """stream |from().measurement('m').groupBy('host')
        |alert().id('same').crit(lambda: "v" > 80).details('').post('http://127.0.0.1:9/')"""
    lines = [f"m,host=a v=90 {T0}", f"m,host=b v=90 {T0 + 5 * SECOND}"]
    engine, _ = run(script, lines, make_handler=lambda spec: _Null())
    assert [(e.duration // SECOND, e.previous_level.name) for e in engine.events] == [
        (0, "OK"),
        (5, "CRITICAL"),
    ]


def test_execute_error_stops_the_task_without_an_event() -> None:
    script = """stream |from().measurement('m') |alert().crit(lambda: TRUE).id('{{ .Level }}')"""
    engine, task = run(script, lines_at([1, 2]))
    assert engine.events == []
    assert "can't evaluate field Level" in task.error.message


def test_missing_field_is_a_recovery_and_is_reported() -> None:
    script = """stream |from().measurement('m') |alert().crit(lambda: "v" > 80).details('')"""
    lines = [*lines_at([90]), f"m,host=a w=1 {T0 + SECOND}"]
    engine, _ = run(script, lines)
    assert [e.level.name for e in engine.events] == ["CRITICAL", "OK"]
    assert engine.diagnostics.counts == {"error evaluating expression for level": 2}


def test_log_node_writes_each_point() -> None:
    logged: list[str] = []
    run(
        "stream |from().measurement('m') |log().prefix('P')",
        lines_at([1, 2]),
        log_sink=logged.append,
    )
    assert len(logged) == 2 and "prefix='P'" in logged[0] and '"v"' in logged[0]


class _Null:
    def handle(self, event) -> None:
        pass


def test_global_victorops_handler_is_added_from_the_config() -> None:
    from types import SimpleNamespace

    from tickmini.config import VictorOpsConfig, default_config

    config = default_config()
    config = type(config)(victorops=VictorOpsConfig(enabled=True, api_key="k", global_=True))
    specs: list = []

    def make_handler(spec):
        specs.append(spec)
        return _Null()

    script = """stream |from().measurement('m') |alert().crit(lambda: "v" > 80).details('')"""
    engine = Engine(services=SimpleNamespace(config=config), make_handler=make_handler)
    engine.add_task(compile_script(script), name="t")
    engine.run(read_points(io.StringIO("\n".join(lines_at([90])) + "\n")))
    assert [(s.kind, s.options) for s in specs] == [("victorops", {})]
    assert engine.events[0].topic == "main:t:alert2"


def test_without_any_topic_a_new_group_restores_nothing() -> None:
    # Kapacitor collects these events nowhere, so host b starts fresh (duration 0); tickmini
    # still reports them, with previousLevel as an anonymous topic would track it.
    script = """stream |from().measurement('m').groupBy('host')
        |alert().id('same').crit(lambda: "v" > 80).details('')"""
    lines = [f"m,host=a v=90 {T0}", f"m,host=b v=90 {T0 + 5 * SECOND}"]
    engine, _ = run(script, lines)
    assert [(e.duration, e.previous_level.name) for e in engine.events] == [
        (0, "OK"),
        (0, "CRITICAL"),
    ]


def test_nodes_that_set_tags_leave_the_readers_shared_tag_dicts_alone() -> None:
    """The reader shares one tags dict per series: eval .tags() and alert .levelTag()/.idTag()
    must copy before writing, or the next point of the series would carry their tags."""
    script = """stream |from().measurement('m').groupBy('host')
        |eval(lambda: "host" + '!').as('t').tags('t').keep()
        |alert().crit(lambda: "v" > 80).details('').levelTag('level').idTag('alert_id')
        |httpOut('out')"""
    text = "".join(line + "\n" for line in lines_at([90, 95, 10]))
    read = list(read_points(io.StringIO(text)))
    shared = read[0].tags
    assert all(p.tags is shared for p in read)
    engine = Engine()
    task = engine.add_task(compile_script(script, "t.tick"), name="t")
    engine.run(iter(read))
    assert shared == {"host": "a"}
    row = json.loads(task.http_out("out").result_json())["series"][0]
    assert row["tags"] == {"alert_id": "m:host=a", "host": "a", "level": "OK", "t": "a!"}
