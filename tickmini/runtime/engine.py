"""Run compiled tasks over points: the API ``run``, ``replay``, ``test`` and ``trace`` share.

An :class:`Engine` owns the alert topics (shared by its tasks, as Kapacitor's alert service is)
and its tasks. Compile a script once (:func:`tickmini.compile_script`), add it as a task, feed
points, then read the events and the httpOut content::

    engine = Engine()
    task = engine.add_task(compile_script(text), name="cpu_alert", dbrps=[("telegraf", "autogen")])
    for point in points:
        engine.write(point)
    engine.finish()
    engine.events, task.http_out("name")

Nothing is global: two engines never share state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tickmini.alerting.event import AlertEvent
from tickmini.alerting.topics import TopicRegistry
from tickmini.errors import BuildError, TemplateError, TickminiError
from tickmini.pipeline.definition import Pipeline
from tickmini.runtime.context import Diagnostics, ServerInfo, TaskContext
from tickmini.runtime.node import RuntimeNode
from tickmini.runtime.registry import create_node
from tickmini.values import Point

__all__ = ["Engine", "Task"]

_TASK_ID_OK = frozenset("-._")


def check_task_id(name: str) -> None:
    """Kapacitor's task IDs: ``^[-\\._\\p{L}0-9]+$``."""
    if not name or not all(ch.isalpha() or ch.isdigit() or ch in _TASK_ID_OK for ch in name):
        raise BuildError(
            f"invalid task ID {name!r}: use letters, digits, '-', '.' and '_' only",
            hint="pass --task-name NAME",
        )


@dataclass(slots=True)
class Task:
    """One running task: its runtime graph and what it produced."""

    name: str
    pipeline: Pipeline
    dbrps: frozenset[tuple[str, str]]
    context: TaskContext
    nodes: dict[str, RuntimeNode] = field(default_factory=dict)
    error: TickminiError | None = None

    @property
    def source(self) -> RuntimeNode:
        return self.nodes[self.pipeline.source_node.name]

    def point(self, point: Point) -> None:
        """Push one point (already known to belong to this task's DBRPs)."""
        if self.error is not None:
            return
        try:
            self.source.point(point)
        except TemplateError as err:
            self.error = err

    def finish(self) -> None:
        self.source.finish()

    def http_out(self, endpoint: str):
        """The httpOut node serving ``endpoint`` (its ``rows()`` / ``result_json()``)."""
        for node in self.nodes.values():
            if getattr(node, "endpoint", None) == endpoint:
                return node
        raise KeyError(endpoint)

    def http_outs(self) -> dict[str, object]:
        return {
            node.endpoint: node  # type: ignore[attr-defined]
            for node in self.nodes.values()
            if type(node).__name__ == "HTTPOutNode"
        }

    def measurements(self) -> set[str] | None:
        """Measurements the task reads (None: all), so readers can skip other lines."""
        finder = getattr(self.source, "measurements", None)
        return finder() if finder is not None else None

    def alert_nodes(self) -> list[RuntimeNode]:
        return [n for n in self.nodes.values() if type(n).__name__ == "AlertNode"]


@dataclass(slots=True)
class Engine:
    """Tasks plus the topics they publish to. ``collect`` keeps every event in ``events``."""

    server_info: ServerInfo = field(default_factory=ServerInfo)
    services: object | None = None
    make_handler: Callable[[object], object] | None = None
    on_event: Callable[[AlertEvent], None] | None = None
    collect: bool = True
    log_sink: Callable[[str], None] | None = None
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    topics: TopicRegistry = field(default_factory=TopicRegistry)
    tasks: list[Task] = field(default_factory=list)
    events: list[AlertEvent] = field(default_factory=list)

    def add_task(
        self,
        pipeline: Pipeline,
        *,
        name: str = "task",
        dbrps: Iterable[tuple[str, str]] | None = None,
    ) -> Task:
        """Start a compiled pipeline as a task. ``dbrps`` from the command line or API may not
        be given when the script has ``dbrp`` statements (Kapacitor's rule)."""
        check_task_id(name)
        explicit = list(dbrps or ())
        if explicit and pipeline.dbrps:
            raise BuildError(
                "cannot specify dbrp in both implicitly and explicitly",
                file=pipeline.filename,
                hint="drop --dbrp or the script's dbrp statement",
            )
        context = TaskContext(
            task_name=name,
            topics=self.topics,
            server_info=self.server_info,
            diagnostics=self.diagnostics,
            on_event=self._event,
            make_handler=self.make_handler,
            services=self.services,
            is_inhibited=self.is_inhibited,
            log_sink=self.log_sink,
        )
        task = Task(
            name=name,
            pipeline=pipeline,
            dbrps=frozenset(explicit or pipeline.dbrps),
            context=context,
        )
        for definition in pipeline.nodes:
            task.nodes[definition.name] = create_node(definition, context)
        for definition in pipeline.nodes:
            node = task.nodes[definition.name]
            node.children.extend(task.nodes[c.name] for c in definition.children)
        self.tasks.append(task)
        return task

    def _event(self, event: AlertEvent) -> None:
        if self.collect:
            self.events.append(event)
        if self.on_event is not None:
            self.on_event(event)

    def is_inhibited(self, category: str, tags: dict[str, str]) -> bool:
        for task in self.tasks:
            for node in task.alert_nodes():
                for inhibitor in node.active_inhibitors():  # type: ignore[attr-defined]
                    if inhibitor.inhibits(category, tags):
                        return True
        return False

    def write(self, point: Point) -> None:
        """One point written to ``point.database``/``point.retention_policy``."""
        key = (point.database, point.retention_policy)
        for task in self.tasks:
            if not task.dbrps or key in task.dbrps:
                task.point(point)

    def run(self, points: Iterable[Point]) -> None:
        """Write every point, then finish (end of input: open windows are not flushed)."""
        for point in points:
            self.write(point)
        self.finish()

    def finish(self) -> None:
        for task in self.tasks:
            task.finish()

    @property
    def errors(self) -> list[TickminiError]:
        return [t.error for t in self.tasks if t.error is not None]
