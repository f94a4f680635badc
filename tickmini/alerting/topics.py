"""Alert topics (reference 5.1-5.3): per-topic, per-event-ID state and handler dispatch.

An alert node with handlers publishes to its anonymous topic ``main:<task>:<node>``; with
``.topic('t')`` it also publishes a copy to ``t``. A topic keeps the latest state of every
event ID it has seen (OK included), which gives each event its ``previousLevel``, and hands the
event to its handlers in registration order. A topic is created on first use.

One :class:`TopicRegistry` belongs to one engine: no module-level state.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from tickmini.alerting.event import AlertEvent, Handler, Level

TASK_MASTER_ID = "main"


def anonymous_topic(task_name: str, node_name: str) -> str:
    """Kapacitor's anonymous topic ID for an alert node's in-script handlers."""
    return f"{TASK_MASTER_ID}:{task_name}:{node_name}"


@dataclass(slots=True)
class EventState:
    """``alert.EventState``: what a topic remembers about one event ID."""

    id: str
    message: str
    details: str
    time: int
    duration: int
    level: Level


@dataclass(slots=True)
class Topic:
    """One topic: event states by ID, handlers in registration order, a collected count."""

    id: str
    states: dict[str, EventState] = field(default_factory=dict)
    handlers: list[Handler] = field(default_factory=list)
    collected: int = 0

    def level(self) -> Level:
        """The topic's level: the highest level among its events (OK when none)."""
        return max((s.level for s in self.states.values()), default=Level.OK)

    def collect(self, event: AlertEvent) -> AlertEvent:
        """Record ``event`` (a copy, with ``topic`` and ``previous_level`` set) and dispatch it."""
        previous = self.states.get(event.id)
        copy = AlertEvent(
            event.id,
            event.message,
            event.details,
            event.time,
            event.duration,
            event.level,
            event.name,
            event.task_name,
            event.group,
            event.tags,
            event.fields,
            event.series,
            event.recoverable,
            event.category,
            self.id,
            previous.level if previous is not None else Level.OK,
            event.no_external,
            event.extra,
        )
        self.states[event.id] = EventState(
            event.id, event.message, event.details, event.time, event.duration, event.level
        )
        self.collected += 1
        for handler in self.handlers:
            handler.handle(copy)
        return copy


@dataclass(slots=True)
class TopicRegistry:
    """All topics of one engine (Kapacitor's alert service)."""

    topics: dict[str, Topic] = field(default_factory=dict)

    def topic(self, topic_id: str) -> Topic:
        found = self.topics.get(topic_id)
        if found is None:
            found = self.topics[topic_id] = Topic(topic_id)
        return found

    def register_handler(self, topic_id: str, handler: Handler) -> None:
        self.topic(topic_id).handlers.append(handler)

    def collect(self, topic_id: str, event: AlertEvent) -> AlertEvent:
        return self.topic(topic_id).collect(event)

    def event_state(self, topic_id: str, event_id: str) -> EventState | None:
        found = self.topics.get(topic_id)
        return None if found is None else found.states.get(event_id)

    def update_event(self, topic_id: str, state: EventState) -> None:
        self.topic(topic_id).states[state.id] = dataclasses.replace(state)
