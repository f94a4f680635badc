"""Alert state between runs: seed an engine's topics from the store, save what changed.

Kapacitor keeps topic state (per event ID: level, time, duration, message, details) and restores
it when an alert node creates a group (reference §4.4): an alert CRITICAL before a restart is
continued, not re-triggered. tickmini's engine already restores from its topics, so seeding the
topics before the first point is the whole hook. Saving writes only states that changed since
the last save, in one transaction, so an interrupted replay keeps the last save intact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tickmini.alerting.topics import EventState, TopicRegistry
from tickmini.store.db import Store, TopicRecord

_Snapshot = tuple[int, int, int, str, str]


def _snapshot(state: EventState) -> _Snapshot:
    return (int(state.level), state.time, state.duration, state.message, state.details)


@dataclass(slots=True)
class TopicStateKeeper:
    """Moves topic state between a :class:`Store` and one engine's :class:`TopicRegistry`.

    ``skip`` names topics not to save: tickmini's shadow topics for alert nodes that have
    neither handlers nor ``.topic()`` (Kapacitor records their events nowhere).
    """

    store: Store
    registry: TopicRegistry
    skip: set[str] = field(default_factory=set)
    saved_states: dict[tuple[str, str], _Snapshot] = field(default_factory=dict)
    saved_collected: dict[str, int] = field(default_factory=dict)
    saves: int = 0

    def seed(self, topics: dict[str, TopicRecord]) -> None:
        """Put stored state into the registry (call before the first point)."""
        for record in topics.values():
            topic = self.registry.topic(record.id)
            topic.collected = record.collected
            self.saved_collected[record.id] = record.collected
            for state in record.states.values():
                topic.states[state.id] = EventState(
                    state.id, state.message, state.details, state.time, state.duration, state.level
                )
                self.saved_states[(record.id, state.id)] = _snapshot(state)

    def save(self) -> int:
        """Write what changed since the last save; returns how many event states were written."""
        changed: list[tuple[str, EventState]] = []
        collected: dict[str, int] = {}
        for topic_id, topic in self.registry.topics.items():
            if topic_id in self.skip or topic.collected == self.saved_collected.get(topic_id, 0):
                continue  # a topic changes its states only by collecting events
            for event_id, state in topic.states.items():
                snap = _snapshot(state)
                if self.saved_states.get((topic_id, event_id)) != snap:
                    changed.append((topic_id, state))
            collected[topic_id] = topic.collected
        if not changed and not collected:
            return 0
        self.store.save_topics(collected, changed)
        for topic_id, state in changed:
            self.saved_states[(topic_id, state.id)] = _snapshot(state)
        self.saved_collected.update(collected)
        self.saves += 1
        return len(changed)
