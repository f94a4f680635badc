"""Replay: points through every enabled stored task at once, as a Kapacitor server would take
writes, with stored topic handlers attached and alert state carried over from the last run.

Use::

    session = ReplaySession.start(store, services=services, on_event=print)
    session.feed(points)      # saves topic state every ``save_every`` points
    session.finish()          # end of input, final save, task errors recorded

Hold the home's :class:`~tickmini.store.location.HomeLock` around it so two replays do not
interleave their state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from tickmini.alerting.event import AlertEvent
from tickmini.errors import TickminiError
from tickmini.runtime.context import ServerInfo
from tickmini.runtime.engine import Engine, Task
from tickmini.store.db import Store, TaskRecord
from tickmini.store.define import stored_dbrps
from tickmini.store.state import TopicStateKeeper
from tickmini.values import Point

DEFAULT_SAVE_EVERY = 10_000


@dataclass(slots=True)
class ReplaySession:
    store: Store
    engine: Engine
    keeper: TopicStateKeeper
    tasks: list[Task] = field(default_factory=list)
    # Enabled tasks that could not be started (their script no longer builds).
    not_started: dict[str, TickminiError] = field(default_factory=dict)
    save_every: int = DEFAULT_SAVE_EVERY

    @classmethod
    def start(
        cls,
        store: Store,
        *,
        services: object | None = None,
        on_event: Callable[[AlertEvent], None] | None = None,
        log_sink: Callable[[str], None] | None = None,
        strict: bool = False,
        save_every: int = DEFAULT_SAVE_EVERY,
    ) -> ReplaySession:
        """Load the store into a fresh engine. Topic handler errors raise before anything runs."""
        from tickmini.alerting.handlers import build_topic_handler, create_handler
        from tickmini.alerting.spec import HandlerSpec, check_kind, decode_options

        config = getattr(services, "config", None)
        engine = Engine(
            server_info=ServerInfo(hostname=getattr(config, "hostname", "localhost")),
            services=services,
            make_handler=(lambda spec: create_handler(spec, services)) if services else None,
            on_event=on_event,
            collect=False,
            log_sink=log_sink,
        )
        keeper = TopicStateKeeper(store, engine.topics)
        keeper.seed(store.topics())
        for record in store.handlers():
            spec = HandlerSpec(
                kind=record.kind,
                options=dict(record.options),
                id=record.id,
                topic=record.topic,
                match=record.match or None,
                source=f"topic handler {record.topic}/{record.id}",
            )
            check_kind(spec)
            decode_options(spec)
            if services is not None:
                engine.topics.register_handler(spec.topic, build_topic_handler(spec, services))
        session = cls(store, engine, keeper, save_every=max(1, save_every))
        for task in store.tasks():
            if task.status == "enabled":
                session._add(task, strict)
        keeper.skip = {
            node.shadow_topic  # type: ignore[attr-defined]
            for task in session.tasks
            for node in task.alert_nodes()
            if getattr(node, "shadow_topic", "")
        }
        return session

    def _add(self, record: TaskRecord, strict: bool) -> None:
        from tickmini.pipeline.builder import compile_script

        try:
            pipeline = compile_script(record.script, f"task {record.id}", strict=strict)
            task = self.engine.add_task(
                pipeline, name=record.id, dbrps=stored_dbrps(record, pipeline)
            )
        except TickminiError as err:
            self.not_started[record.id] = err
            return
        self.tasks.append(task)

    def feed(self, points: Iterable[Point]) -> int:
        """Write every point; topic state is saved after every ``save_every`` points."""
        iterator = iter(points)
        total = 0
        while True:
            count = self.engine.feed(islice(iterator, self.save_every))
            total += count
            if count < self.save_every:
                return total
            self.keeper.save()

    def save(self) -> int:
        return self.keeper.save()

    def finish(self) -> None:
        """End of input (open windows are not flushed), final save, task errors recorded."""
        try:
            self.engine.finish()
        finally:
            self.keeper.save()
        errors = {t.name: t.error.message for t in self.tasks if t.error is not None}
        errors.update({name: err.message for name, err in self.not_started.items()})
        if errors:
            self.store.set_task_errors(errors)

    @property
    def stopped(self) -> list[Task]:
        return [t for t in self.tasks if t.error is not None]

    def needs_dbrp(self) -> bool:
        """Whether some running task only takes points of named databases."""
        return any(t.dbrps for t in self.tasks)
