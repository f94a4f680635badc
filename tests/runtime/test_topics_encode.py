"""Topic state (previousLevel per topic and ID) and the alert JSON encoding."""

from __future__ import annotations

import json

from tickmini.alerting.encode import alert_data_json, result_text
from tickmini.alerting.event import AlertEvent, Level, Row
from tickmini.alerting.topics import TopicRegistry, anonymous_topic

T = 31536010_000_000_000  # 1971-01-01T00:00:10Z


def event(event_id: str, level: Level, **extra: object) -> AlertEvent:
    values: dict[str, object] = {
        "id": event_id,
        "message": f"{event_id} is {level.name}",
        "details": "<b>&</b>",
        "time": T,
        "duration": 0,
        "level": level,
        "name": "cpu",
        "task_name": "t",
        "group": "",
        "tags": {"host": "a"},
        "fields": {"v": 1.0},
        "series": [Row("cpu", {"host": "a"}, ["time", "v"], [[T, 1.0]])],
    }
    values.update(extra)
    return AlertEvent(**values)  # type: ignore[arg-type]


class Recorder:
    def __init__(self) -> None:
        self.events: list[AlertEvent] = []

    def handle(self, e: AlertEvent) -> None:
        self.events.append(e)


def test_previous_level_is_per_topic_and_id() -> None:
    topics = TopicRegistry()
    recorder = Recorder()
    topics.register_handler("t1", recorder)
    topics.collect("t1", event("a", Level.CRITICAL))
    topics.collect("t1", event("b", Level.WARNING))
    topics.collect("t1", event("a", Level.OK))
    topics.collect("t2", event("a", Level.INFO))
    assert [(e.id, e.previous_level.name, e.topic) for e in recorder.events] == [
        ("a", "OK", "t1"),
        ("b", "OK", "t1"),
        ("a", "CRITICAL", "t1"),
    ]
    assert topics.event_state("t2", "a").level == Level.INFO
    assert topics.topic("t1").level() == Level.WARNING
    assert topics.topic("t1").collected == 3


def test_anonymous_topic_name() -> None:
    assert anonymous_topic("cpu_alert", "alert2") == "main:cpu_alert:alert2"


def test_alert_json_is_kapacitor_struct_order_with_go_escaping() -> None:
    text = alert_data_json(event("x<y", Level.CRITICAL, previous_level=Level.WARNING))
    assert text == (
        '{"id":"x\\u003cy","message":"x\\u003cy is CRITICAL","details":"\\u003cb\\u003e\\u0026'
        '\\u003c/b\\u003e","time":"1971-01-01T00:00:10Z","duration":0,"level":"CRITICAL",'
        '"data":{"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","v"],'
        '"values":[["1971-01-01T00:00:10Z",1]]}]},"previousLevel":"WARNING","recoverable":true}\n'
    )
    assert json.loads(text)["data"]["series"][0]["values"] == [["1971-01-01T00:00:10Z", 1]]


def test_result_omits_empty_row_members_and_null_series() -> None:
    assert result_text([]) == '{"series":null}'
    assert result_text([Row("m", {}, [], [])]) == '{"series":[{"name":"m"}]}'


def test_row_float_shortcut_matches_the_go_encoder() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tickmini.alerting.encode import value_json
    from tickmini.gocompat.jsonenc import encode

    @settings(max_examples=500, deadline=None)
    @given(st.floats(allow_nan=False, allow_infinity=False))
    def same(value: float) -> None:
        assert value_json(value) == encode(value)

    same()
    for value in (0.0, -0.0, 1e-7, 1e20, 1e21, 123456789.125, 5e-324):
        assert value_json(value) == encode(value)


def test_simple_template_shortcut_equals_the_template_engine() -> None:
    from tickmini.gocompat.template.kapacitor import compile_message, id_data, message_data
    from tickmini.runtime.alert_templates import _MESSAGE_FIELDS, server_struct, simple_template
    from tickmini.runtime.context import ServerInfo

    server = server_struct(ServerInfo())
    for text in [
        "{{ .ID }} is {{ .Level }}",
        "x {{.Name}}/{{ .Group }} {{ .TaskName}}",
        "plain",
        "",
    ]:
        shortcut = simple_template(text, _MESSAGE_FIELDS)
        assert shortcut is not None
        data = message_data(id_data("cpu", "t", "", {}, server), "cpu:nil", {}, "OK", 0, 0)
        values = {"Name": "cpu", "Group": "nil", "TaskName": "t", "ID": "cpu:nil", "Level": "OK"}
        assert shortcut(values) == compile_message(text).render(data)
    for text in [
        "{{- .ID }}",
        "{{ .Fields }}",
        "{{ .ID | len }}",
        "{{/* c */}}",
        "{{ .Duration }}",
    ]:
        assert simple_template(text, _MESSAGE_FIELDS) is None
