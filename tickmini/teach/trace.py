"""``--trace``: follow each input point through a running task and say what every node did.

The tracer is a layer over a task the engine already built: it puts a :class:`TracedEdge`
between each parent and child (the nodes themselves are not changed), wraps the task's entry,
its event callback and its diagnostics sink, and asks an observer per node
(:mod:`tickmini.teach.observers`) to describe each step. Usage::

    task = engine.add_task(pipeline, name="cpu_alert")
    tracer = Tracer(task, TraceOptions(limit=20), write=print).attach()
    engine.run(points)
    tracer.finish()          # prints the alert timeline table(s)

Points outside the ``--trace-group`` filter or past ``--trace-limit`` go through the graph
untraced (the edges then only forward).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tickmini.alerting.event import AlertEvent
from tickmini.errors import TickminiError, UsageError
from tickmini.gocompat.timefmt import format_rfc3339nano
from tickmini.runtime.engine import Task
from tickmini.runtime.node import RuntimeNode
from tickmini.teach.observers import AlertRow, Item, Observer, Outcome, observer_for
from tickmini.teach.timeline import render_timeline
from tickmini.testing.explain import format_point
from tickmini.values import Batch, Point

__all__ = ["TraceOptions", "TracedEdge", "Tracer", "parse_group_filter"]

INDENT = "  "
DETAIL = "    | "  # a step's details: deeper than its children, marked


def parse_group_filter(text: str) -> tuple[str, str]:
    """``host=serverA`` -> ("host", "serverA")."""
    key, eq, value = text.partition("=")
    if not eq or not key:
        raise UsageError(f"--trace-group must look like TAG=VALUE, got {text!r}")
    return key, value


@dataclass(frozen=True, slots=True)
class TraceOptions:
    """Which points to trace: those whose tags match every ``group`` pair, at most ``limit``."""

    group: tuple[tuple[str, str], ...] = ()
    limit: int | None = None
    timeline: bool = True  # print each alert node's timeline table at the end
    points: bool = True  # print each traced point's path

    def wants(self, point: Point) -> bool:
        tags = point.tags
        return all(tags.get(k) == v for k, v in self.group)


@dataclass(slots=True)
class _Step:
    node: str
    depth: int
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    events: list[AlertEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines a |log() node wrote


class TracedEdge(RuntimeNode):
    """Sits in a parent's ``children`` in place of the real child and reports to the tracer."""

    __slots__ = ("gate", "parent", "target", "tracer")

    def __init__(
        self,
        tracer: Tracer,
        parent: RuntimeNode,
        target: RuntimeNode,
        gate: Callable[[Point], str | None] | None,
    ) -> None:
        super().__init__(target.name)
        self.tracer = tracer
        self.parent = parent
        self.target = target
        self.gate = gate

    def point(self, point: Point) -> None:
        self.tracer.visit(self, point)

    def batch(self, batch: Batch) -> None:
        self.tracer.visit(self, batch)

    def finish(self) -> None:
        self.target.finish()


def _measurement_gate(target: RuntimeNode) -> Callable[[Point], str | None] | None:
    """The stream's routing by measurement (the stream no longer sees a from() behind the
    edge, so the edge does the routing and can say why a point went no further)."""
    measurement = getattr(target, "measurement", "")
    if not measurement or not getattr(target, "routed_by_stream", False):
        return None

    def gate(point: Point) -> str | None:
        if point.name == measurement:
            return None
        return f"dropped: measurement {point.name!r} is not {measurement!r}"

    return gate


class Tracer:
    """Traces one task. ``attach()`` once after the engine built the task, before any point."""

    def __init__(
        self,
        task: Task,
        options: TraceOptions | None = None,
        write: Callable[[str], None] | None = None,
    ) -> None:
        self.task = task
        self.options = options or TraceOptions()
        self.write = write or (lambda line: None)
        definitions = {d.name: d for d in task.pipeline.nodes}
        self.observers: dict[str, Observer] = {
            name: observer_for(definitions[name], node)
            for name, node in task.nodes.items()
            if name in definitions
        }
        for observer in self.observers.values():
            observer.detailed = self.options.points
        self.traced = 0
        self.seen = 0
        self.active = False
        self._stack: list[_Step] = []
        self._steps: list[_Step] = []
        self._forwarded: dict[str, int] = {}
        self._last_out: dict[str, Item] = {}
        self._limit_noted = False
        self._failure: TickminiError | None = None

    # --- wiring ---------------------------------------------------------------------------

    def attach(self) -> Tracer:
        task = self.task
        source = task.source
        for node in task.nodes.values():
            gate_parent = type(node).__name__ == "StreamNode"
            node.children[:] = [
                TracedEdge(self, node, child, _measurement_gate(child) if gate_parent else None)
                for child in node.children
            ]
        # Let closures that captured a child's entry capture the edge instead.
        for definition in reversed(task.pipeline.nodes):
            node = task.nodes[definition.name]
            if type(node).__name__ == "StreamNode":
                vars(node).pop("point", None)  # back to routing over (all) children
                getattr(node, "_routes", {}).clear()
                continue
            wire = getattr(node, "wire", None)
            if wire is not None:
                wire()
        entry = source.point

        def traced_entry(point: Point) -> None:
            self.enter(point, entry)

        source.point = traced_entry  # type: ignore[method-assign]
        context = task.context
        previous_event = context.on_event

        def on_event(event: AlertEvent) -> None:
            if self._stack:
                self._stack[-1].events.append(event)
            if previous_event is not None:
                previous_event(event)

        context.on_event = on_event
        diagnostics = context.diagnostics
        previous_sink = diagnostics.sink

        def sink(text: str) -> None:
            if self._stack:
                self._stack[-1].errors.append(text.partition(": ")[2] or text)
            if previous_sink is not None:
                previous_sink(text)

        diagnostics.sink = sink
        for node in task.nodes.values():
            if type(node).__name__ == "LogNode":
                node.sink = self._log_sink(node.sink)  # type: ignore[attr-defined]
        return self

    def _log_sink(self, previous: Callable[[str], None] | None) -> Callable[[str], None]:
        """A |log() node's lines also become notes of its step."""

        def sink(text: str) -> None:
            if self._stack:
                self._stack[-1].notes.append(f"logged: {text}")
            if previous is not None:
                previous(text)

        return sink

    # --- per point --------------------------------------------------------------------------

    def enter(self, point: Point, entry: Callable[[Point], None]) -> None:
        self.seen += 1
        options = self.options
        if not options.wants(point) or (options.limit is not None and self.traced >= options.limit):
            if options.limit is not None and self.traced >= options.limit:
                self._note_limit()
            self.active = False
            entry(point)
            return
        self.traced += 1
        self.active = True
        self._steps = []
        try:
            entry(point)
        except TickminiError:
            # The task stops here (a template error): show how far the point got, and why.
            if options.points:
                self._write_point(point, stopped=True)
            raise
        finally:
            self.active = False
            self._stack.clear()
        if options.points:
            self._write_point(point)

    def visit(self, edge: TracedEdge, item: Item) -> None:
        target = edge.target
        if not self.active:
            if edge.gate is not None and isinstance(item, Point) and edge.gate(item) is not None:
                return
            _forward(target, item)
            return
        parent = edge.parent.name
        self._forwarded[parent] = self._forwarded.get(parent, 0) + 1
        self._last_out[parent] = item
        depth = len(self._stack)
        step = _Step(target.name, depth)
        self._steps.append(step)
        if edge.gate is not None and isinstance(item, Point):
            refused = edge.gate(item)
            if refused is not None:
                step.lines.append(refused)
                return
        observer = self.observers.get(target.name)
        if observer is not None and not observer.detailed and observer.definition.kind != "alert":
            observer = None  # only the alert rows are wanted
        snapshot = observer.before(item) if observer is not None else None
        forwarded_before = self._forwarded.get(target.name, 0)
        self._last_out.pop(target.name, None)
        self._stack.append(step)
        try:
            _forward(target, item)
        except TickminiError as err:
            if err is not self._failure:  # the node that failed, not its parents
                self._failure = err
                step.lines.append(f"failed: {err.message}")
            raise
        finally:
            self._stack.pop()
        if observer is not None:
            outcome = Outcome(
                self._forwarded.get(target.name, 0) - forwarded_before,
                self._last_out.get(target.name),
                step.errors,
                step.events,
            )
            step.lines.extend(observer.after(item, snapshot, outcome))

    # --- output -----------------------------------------------------------------------------

    def _write_point(self, point: Point, stopped: bool = False) -> None:
        write = self.write
        write(f"point {self.seen} at {format_rfc3339nano(point.time)}: {format_point(point)}")
        if not self._steps:
            write(f"{INDENT}no from() node reads measurement {point.name!r}")
        for step in self._steps:
            pad = INDENT * (step.depth + 1)
            lines = step.lines or ["passed"]
            write(f"{pad}{step.node}: {lines[0]}")
            for line in [*lines[1:], *step.notes]:
                write(f"{pad}{DETAIL}{line}")
        if stopped:
            write(f"{INDENT}the task stopped here (Kapacitor stops a task whose node fails)")
        write("")

    def _note_limit(self) -> None:
        if not self._limit_noted and self.options.points:
            self._limit_noted = True
            self.write(f"(trace limit {self.options.limit} reached: later points are not traced)")
            self.write("")

    def rows(self) -> list[AlertRow]:
        """Every traced alert decision, all alert nodes, in order."""
        out: list[AlertRow] = []
        for observer in self.observers.values():
            out.extend(observer.rows)
        out.sort(key=lambda row: row.time)
        return out

    def finish(self) -> None:
        """Write each alert node's timeline (reference 4.5's table) of the traced points."""
        if not self.options.timeline:
            return
        for observer in self.observers.values():
            if observer.definition.kind != "alert":
                continue
            for line in render_timeline(observer.definition.name, observer.rows):
                self.write(line)


def _forward(target: RuntimeNode, item: Item) -> None:
    if isinstance(item, Batch):
        target.batch(item)
    else:
        target.point(item)
