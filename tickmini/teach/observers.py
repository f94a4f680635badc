"""What each kind of node did with one point, in words, read from outside the node.

An observer takes a snapshot before its node handles a point (or batch) and, afterwards, says
what happened: passed, dropped and why, held in a window, the alert's level and event. Nodes are
only read (their properties, their public state), never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tickmini.alerting.event import AlertEvent, Level
from tickmini.gocompat.durations import format_go_duration
from tickmini.gocompat.timefmt import format_rfc3339nano
from tickmini.pipeline.definition import CompiledLambdaValue, NodeDef
from tickmini.runtime.node import RuntimeNode
from tickmini.teach.alert_explain import (
    Decision,
    LevelExplainer,
    SendRules,
    level_reason,
    send_reason,
)
from tickmini.teach.lambdas import Explained, LambdaExplainer, value_text
from tickmini.values import Batch, Point

Item = Point | Batch


@dataclass(slots=True)
class Outcome:
    """What a node did with one item, as seen by the tracer."""

    forwarded: int  # items the node handed to its children
    last_out: Item | None  # the last of them
    errors: list[str]  # what the node reported (Kapacitor logs these)
    events: list[AlertEvent]  # events published while the node worked


@dataclass(slots=True)
class AlertRow:
    """One row of an alert node's timeline (the table of reference 4.5)."""

    node: str
    time: int
    group: str
    values: dict[str, object]
    before: Level
    level: Level
    sent: Level | None
    duration: int | None
    emitted: bool
    reason: str
    event: AlertEvent | None = None
    tags: dict[str, str] = field(default_factory=dict)  # of the point (batch: group tags)


@dataclass(slots=True)
class Observer:
    """Default: say whether the item went on."""

    definition: NodeDef
    node: RuntimeNode
    rows: list[AlertRow] = field(default_factory=list)
    detailed: bool = True  # False: only the alert rows are wanted (no lambda values)

    def before(self, item: Item) -> object:
        return None

    def after(self, item: Item, snapshot: object, outcome: Outcome) -> list[str]:
        if outcome.errors:
            return [f"dropped: {e}" for e in outcome.errors]
        if not self.definition.children:
            return ["done (last node)"]
        return ["passed"] if outcome.forwarded else ["no output"]


def _lambda_line(label: str, explained: Explained) -> str:
    return f"{label}: {explained.render()}"


def _lambda_of(definition: NodeDef, key: str) -> LambdaExplainer | None:
    value = definition.properties.get(key)
    if isinstance(value, CompiledLambdaValue):
        return LambdaExplainer(value.expr, value.compiled)  # type: ignore[arg-type]
    return None


def _group_text(group_id: str) -> str:
    return "nil" if group_id == "" else group_id.replace("\n", " ")


class FromObserver(Observer):
    """``|from()``: which check dropped the point."""

    def __init__(self, definition: NodeDef, node: RuntimeNode) -> None:
        super().__init__(definition, node)
        self.where = _lambda_of(definition, "where")
        p = definition.properties
        self.database = str(p.get("database") or "")
        self.retention_policy = str(p.get("retentionPolicy") or "")
        self.grouped = bool(p.get("groupBy") or p.get("groupByMeasurement"))

    def after(self, item: Item, snapshot: object, outcome: Outcome) -> list[str]:
        assert isinstance(item, Point)
        where = [_lambda_line("where", self.where.explain(item))] if self.where else []
        if outcome.forwarded or not self.definition.children:
            out = outcome.last_out
            group = f" (group {_group_text(out.group_id)})" if self.grouped and out else ""
            return ["passed" + group, *where]
        if self.database and item.database != self.database:
            return [f"dropped: database {item.database!r} is not {self.database!r}"]
        if self.retention_policy and item.retention_policy != self.retention_policy:
            return [f"dropped: retention policy {item.retention_policy!r} is not "
                    f"{self.retention_policy!r}"]  # fmt: skip
        if outcome.errors:
            return [*(f"dropped: {e}" for e in outcome.errors), *where]
        return ["dropped: where is false", *where]


class WhereObserver(Observer):
    def __init__(self, definition: NodeDef, node: RuntimeNode) -> None:
        super().__init__(definition, node)
        self.where = _lambda_of(definition, "lambda")

    def after(self, item: Item, snapshot: object, outcome: Outcome) -> list[str]:
        if isinstance(item, Batch):
            out = outcome.last_out
            kept = len(out.points) if isinstance(out, Batch) else 0
            return [f"kept {kept} of {len(item.points)} points of the batch"]
        lines = [_lambda_line("where", self.where.explain(item))] if self.where else []
        if outcome.errors:
            return [*(f"dropped: {e}" for e in outcome.errors), *lines]
        return ["passed" if outcome.forwarded else "dropped: where is false", *lines]


class EvalObserver(Observer):
    def after(self, item: Item, snapshot: object, outcome: Outcome) -> list[str]:
        if outcome.errors:
            return [f"dropped: {e}" for e in outcome.errors]
        out = outcome.last_out
        if isinstance(out, Point):
            names = self.definition.properties.get("as") or ()
            shown = ", ".join(f"{n}={value_text(out.fields[n])}" for n in names if n in out.fields)
            return [f"computed {shown}" if shown else "passed"]
        return ["passed" if outcome.forwarded else "no output"]


class GroupByObserver(Observer):
    def after(self, item: Item, snapshot: object, outcome: Outcome) -> list[str]:
        out = outcome.last_out
        if isinstance(out, Point):
            return [f"group {_group_text(out.group_id)}"]
        if isinstance(item, Batch) and not outcome.forwarded:
            return ["held until a batch with another time arrives"]
        return ["regrouped"]


class WindowObserver(Observer):
    """``|window()``: emitted a batch, or held the point (window not yet complete)."""

    def after(self, item: Item, snapshot: object, outcome: Outcome) -> list[str]:
        assert isinstance(item, Point)
        out = outcome.last_out
        if outcome.forwarded and isinstance(out, Batch):
            return [
                f"window complete: emitted a batch of {len(out.points)} points "
                f"(time {format_rfc3339nano(out.time)})"
            ]
        windows = getattr(self.node, "_windows", {})
        window = windows.get(item.group_id)
        next_emit = getattr(window, "next_emit", None)
        if next_emit is None:
            return ["held: window not yet complete"]
        if self.definition.properties.get("period"):
            when = format_rfc3339nano(next_emit)
            return [
                f"held: window not yet complete (emits with the first point at or after {when})"
            ]
        count = getattr(window, "count", 0)
        return [f"held: window not yet complete ({count} points, emits at point {next_emit})"]


class InfluxQLObserver(Observer):
    def after(self, item: Item, snapshot: object, outcome: Outcome) -> list[str]:
        out = outcome.last_out
        call = f"{self.definition.method}({', '.join(repr(a) for a in self.definition.args)})"
        if isinstance(out, Point):
            shown = ", ".join(f"{k}={value_text(v)}" for k, v in sorted(out.fields.items()))
            return [f"{call} -> {shown} (time {format_rfc3339nano(out.time)})"]
        if isinstance(out, Batch):
            return [f"{call} -> a batch of {len(out.points)} points"]
        if isinstance(item, Point):
            return [f"{call}: held until a point with another time arrives"]
        if outcome.errors:
            return [f"{call}: {e}" for e in outcome.errors]
        return [f"{call}: no value in the batch, nothing emitted"]


@dataclass(slots=True)
class _AlertBefore:
    level: Level
    new_group: bool
    triggered: int
    inhibited: int


class AlertObserver(Observer):
    """The alert node: level lambdas, the level transition, and the event decision."""

    def __init__(self, definition: NodeDef, node: RuntimeNode) -> None:
        super().__init__(definition, node)
        self.levels = LevelExplainer(definition)
        self.rules = SendRules.of(definition)

    def before(self, item: Item) -> _AlertBefore:
        state = self.node.states.get(item.group_id)  # type: ignore[attr-defined]
        level = Level(state.history[state.idx]) if state is not None else Level.OK
        return _AlertBefore(
            level,
            state is None,
            sum(self.node.triggered_counts),  # type: ignore[attr-defined]
            self.node.inhibited,  # type: ignore[attr-defined]
        )

    def after(self, item: Item, snapshot: object, outcome: Outcome) -> list[str]:
        assert isinstance(snapshot, _AlertBefore)
        state = self.node.states.get(item.group_id)  # type: ignore[attr-defined]
        if state is None:  # an empty batch is ignored entirely
            return ["empty batch: ignored"]
        level = Level(state.history[state.idx])
        sent = sum(self.node.triggered_counts) > snapshot.triggered  # type: ignore[attr-defined]
        decision = Decision(
            before=snapshot.level,
            level=level,
            sent=sent,
            emitted=sent,
            flapping=bool(state.flapping),
            expired=bool(state.expired),
            inhibited=self.node.inhibited > snapshot.inhibited,  # type: ignore[attr-defined]
            batch=isinstance(item, Batch),
        )
        group = _group_text(item.group_id)
        lines = [f"group {group}" + (" (new)" if snapshot.new_group else "")]
        point = item if isinstance(item, Point) else None
        if point is not None and self.detailed:
            results = self.levels.explain(point, snapshot.level)
            lines.extend(_lambda_line(label, explained) for label, explained in results)
            reason = level_reason(snapshot.level, dict(results))
        elif isinstance(item, Batch):
            lines.append(
                f"batch of {len(item.points)} points (time {format_rfc3339nano(item.time)})"
            )
            reason = None
        else:
            reason = None
        lines.extend(outcome.errors)
        transition = f"level {snapshot.level.name} -> {level.name}"
        transition += " (changed)" if decision.changed else " (unchanged)"
        if reason:
            transition += f": {reason}"
        lines.append(transition)
        event = outcome.events[-1] if outcome.events else None
        lines.append(send_reason(decision, self.rules))
        if event is not None:
            lines.append(
                f"  id {event.id!r}, message {event.message!r}, duration "
                f"{format_go_duration(event.duration)}, previousLevel {event.previous_level.name}"
            )
        lines.append("emitted downstream" if decision.emitted else "not emitted downstream")
        values = _values_read(self.levels.references, point, item, event)
        self.rows.append(
            AlertRow(
                node=self.definition.name,
                time=point.time if point is not None else item.time,
                group=group,
                values=values,
                before=snapshot.level,
                level=level,
                sent=level if sent else None,
                duration=state.duration() if sent else None,
                emitted=decision.emitted,
                reason=send_reason(decision, self.rules),
                event=event,
                tags=item.tags,
            )
        )
        return lines


def _values_read(
    names: tuple[str, ...], point: Point | None, item: Item, event: AlertEvent | None
) -> dict[str, object]:
    """The fields/tags the level lambdas read: of the point; for a batch, of the point behind
    the event (Kapacitor's highest-level point), else of the batch's last point."""
    if point is not None:
        fields, tags = point.fields, point.tags
    elif event is not None:
        fields, tags = event.fields, event.tags
    elif isinstance(item, Batch) and item.points:
        fields, tags = item.points[-1].fields, item.points[-1].tags
    else:
        return {}
    values: dict[str, object] = {}
    for name in names:
        if name in fields:
            values[name] = fields[name]
        elif name in tags:
            values[name] = tags[name]
    return values


OBSERVERS: dict[str, type[Observer]] = {
    "from": FromObserver,
    "where": WhereObserver,
    "eval": EvalObserver,
    "groupBy": GroupByObserver,
    "window": WindowObserver,
    "influxql": InfluxQLObserver,
    "alert": AlertObserver,
}


def observer_for(definition: NodeDef, node: RuntimeNode) -> Observer:
    return OBSERVERS.get(definition.kind, Observer)(definition, node)
