"""Alert events as Kapacitor's alert node hands them to topics and handlers.

``AlertEvent`` is plain data; its JSON form (Kapacitor's ``alert.Data``, byte for byte as the
``.post()`` handler sends it) is produced by ``tickmini.alerting.encode``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Protocol


class Level(IntEnum):
    OK = 0
    INFO = 1
    WARNING = 2
    CRITICAL = 3

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True)
class Row:
    """``models.Row``: one series; ``values`` rows start with the time in ns (a Go time.Time)."""

    name: str
    tags: dict[str, str]
    columns: list[str]
    values: list[list[object]]


@dataclass(slots=True)
class AlertEvent:
    """One event that an alert node decided to send (Kapacitor's ``alert.Event``).

    ``series`` is the event's ``Data.Result`` (``{"series": [...]}``); ``previous_level`` is
    filled in by the topic that collects the event.
    """

    id: str
    message: str
    details: str
    time: int
    duration: int
    level: Level
    name: str
    task_name: str
    group: str
    tags: dict[str, str]
    fields: dict[str, object]
    series: list[Row]
    recoverable: bool = True
    category: str = ""
    topic: str = ""
    previous_level: Level = Level.OK
    no_external: bool = False
    extra: dict[str, object] = field(default_factory=dict)


class Handler(Protocol):
    """Anything that receives events from a topic (log, post, tcp, victorops ...)."""

    def handle(self, event: AlertEvent) -> None: ...
