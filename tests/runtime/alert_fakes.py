"""Hand-made alert definitions for state-machine tests that do not need the parser."""

from __future__ import annotations

from collections.abc import Callable

from tickmini.alerting.event import Level
from tickmini.alerting.topics import TopicRegistry
from tickmini.errors import EvaluationError
from tickmini.pipeline.catalog import ALERT_DEFAULTS
from tickmini.pipeline.definition import CompiledLambdaValue, NodeDef
from tickmini.runtime.alert import AlertNode
from tickmini.runtime.context import TaskContext
from tickmini.values import Point


class FieldPredicate:
    """``lambda: "v" <op> threshold`` with Kapacitor's missing-field error."""

    def __init__(self, test: Callable[[float], bool], field: str = "v") -> None:
        self.test = test
        self.field = field

    def evaluate_bool(self, point: Point) -> bool:
        if self.field not in point.fields:
            raise EvaluationError(f'left reference value "{self.field}" is missing value')
        return self.test(point.fields[self.field])

    def copy_reset(self) -> FieldPredicate:
        return self


class PlainTemplates:
    """id = name:group (nil for ""), message = "<id> is <LEVEL>", details empty."""

    def for_node(self) -> PlainTemplates:
        return self

    def render_id(self, name, task, group, tags, server) -> str:
        return f"{name}:{group or 'nil'}"

    def render_message_details(
        self, event_id, name, task, group, tags, fields, level, t, d, server
    ):
        return f"{event_id} is {Level(level).name}", ""


def alert_node(**properties: object) -> tuple[AlertNode, list]:
    props = dict(ALERT_DEFAULTS)
    for key, value in properties.items():
        if isinstance(value, FieldPredicate):
            value = CompiledLambdaValue(None, value)
        props[key] = value
    definition = NodeDef(
        kind="alert",
        id=2,
        name="alert2",
        method="alert",
        args=(),
        properties=props,
        edge="stream",
    )
    definition.compiled["templates"] = PlainTemplates()
    events: list = []
    context = TaskContext(task_name="t", topics=TopicRegistry(), on_event=events.append)
    return AlertNode(definition, context), events


def point(v: float | None, t_seconds: int, group: str = "") -> Point:
    fields = {} if v is None else {"v": v}
    return Point(name="m", tags={}, fields=fields, time=t_seconds * 1_000_000_000, group_id=group)
