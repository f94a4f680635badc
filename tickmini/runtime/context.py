"""What runtime nodes of one task share: its name, the engine's topics, handlers, diagnostics.

Created by the engine for each task; nodes keep a reference. Nothing here is global.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tickmini.alerting.event import AlertEvent
from tickmini.alerting.topics import TopicRegistry


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """``.ServerInfo`` in alert templates (Kapacitor's random UUIDs are fixed here)."""

    hostname: str = "localhost"
    cluster_id: str = "00000000-0000-0000-0000-000000000000"
    server_id: str = "00000000-0000-0000-0000-000000000000"


@dataclass(slots=True)
class Diagnostics:
    """Errors nodes report (Kapacitor logs them): counted, the first ones kept with text."""

    counts: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    limit: int = 100
    sink: Callable[[str], None] | None = None

    def error(self, node: str, message: str, detail: str = "") -> None:
        self.counts[message] = self.counts.get(message, 0) + 1
        text = f"{node}: {message}" + (f": {detail}" if detail else "")
        if len(self.messages) < self.limit:
            self.messages.append(text)
        if self.sink is not None:
            self.sink(text)


@dataclass(slots=True)
class TaskContext:
    """Per-task runtime context handed to every node's constructor."""

    task_name: str
    topics: TopicRegistry
    server_info: ServerInfo = field(default_factory=ServerInfo)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    # Called once per event an alert node publishes (with the first topic's previousLevel).
    on_event: Callable[[AlertEvent], None] | None = None
    # Builds a working handler from a HandlerSpec (the handlers engineer's create_handler).
    make_handler: Callable[[object], object] | None = None
    # Services for handlers that read configuration (global handlers, hostname).
    services: object | None = None
    # Inhibition across every alert node of the engine: (category, tags) -> inhibited?
    is_inhibited: Callable[[str, dict[str, str]], bool] | None = None
    # Lines written by |log() nodes.
    log_sink: Callable[[str], None] | None = None
