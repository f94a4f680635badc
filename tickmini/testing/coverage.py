"""``--coverage``: which alert levels, resets and handlers of the rule the tests exercised.

Counted from the alert nodes' observations (``Task.observe_alerts``), so it is exact, also with
stateful functions (``count()``, ``sigma()``, ``spread()``) in the lambdas:

* a level (``.info``/``.warn``/``.crit``) is reached each time a point or batch leaves its group
  at that level, whether or not an event was sent; OK counts recoveries (a group dropping back
  to OK), listed unless ``.noRecoveries()``;
* a reset (``.critReset`` ...) *held* its level when it evaluated false (the level stayed), and
  *released* it when it was evaluated and the level dropped;
* a handler is exercised when it would have sent at least one request.

With more than one alert node, every name is prefixed with its node (``alert4 CRITICAL``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tickmini.alerting.event import Level
from tickmini.pipeline.definition import Pipeline
from tickmini.runtime.alert import AlertObservation
from tickmini.testing.harness import LEVEL_PROPERTIES
from tickmini.testing.report import Style

_RED, _GREEN = "\x1b[31m", "\x1b[32m"


@dataclass(slots=True)
class Coverage:
    """Counts per level, reset and handler of one script, summed over the cases run."""

    script: str
    levels: dict[str, int] = field(default_factory=dict)
    resets: dict[str, int] = field(default_factory=dict)  # released the level
    holds: dict[str, int] = field(default_factory=dict)
    handlers: dict[str, int] = field(default_factory=dict)
    cases: int = 0
    prefix_nodes: bool = False  # more than one alert node: names carry the node's

    @classmethod
    def for_pipeline(
        cls, script: str, pipeline: Pipeline, handler_labels: Iterable[str]
    ) -> Coverage:
        alerts = pipeline.by_kind("alert")
        coverage = cls(script, prefix_nodes=len(alerts) > 1)
        for node in alerts:
            props = node.properties
            for level, key in LEVEL_PROPERTIES.items():
                if props.get(key) is None:
                    continue
                coverage.levels.setdefault(coverage.name(node.name, level.name), 0)
                if props.get(key + "Reset") is not None:
                    coverage.resets.setdefault(coverage.name(node.name, key + "Reset"), 0)
                    coverage.holds.setdefault(coverage.name(node.name, key + "Reset"), 0)
            if not props.get("noRecoveries") and any(
                props.get(k) for k in ("info", "warn", "crit")
            ):
                coverage.levels.setdefault(coverage.name(node.name, "OK"), 0)
        for label in handler_labels:
            coverage.handlers.setdefault(label, 0)
        return coverage

    def name(self, node: str, what: str) -> str:
        """The coverage line's name of ``what`` (a level or reset) of alert node ``node``."""
        return f"{node} {what}" if self.prefix_nodes else what

    def add(
        self, observations: Iterable[AlertObservation], handler_requests: Iterable[str]
    ) -> None:
        """Count one case: what its alert nodes did, the handler labels of its requests."""
        self.cases += 1
        for observation in observations:
            self._count_level(observation)
            self._count_reset(observation)
        for label in handler_requests:
            if label in self.handlers:
                self.handlers[label] += 1

    def _count_level(self, observation: AlertObservation) -> None:
        level, previous = observation.level, observation.previous_level
        if level == Level.OK and previous == Level.OK:
            return
        name = self.name(observation.node, level.name)
        if name in self.levels:
            self.levels[name] += 1

    def _count_reset(self, observation: AlertObservation) -> None:
        previous = observation.previous_level
        if previous == Level.OK:
            return
        reset = [e.result for e in observation.evaluations if e.reset and e.level == previous]
        if not reset:
            return
        name = self.name(observation.node, LEVEL_PROPERTIES[previous] + "Reset")
        if observation.level == previous and any(r is False for r in reset):
            if name in self.holds:
                self.holds[name] += 1
        elif observation.level < previous and name in self.resets:
            self.resets[name] += 1

    @property
    def missed(self) -> list[str]:
        return [
            name
            for table in (self.levels, self.resets, self.handlers)
            for name, n in table.items()
            if n == 0
        ]

    def render(self, style: Style) -> str:
        lines = [f"coverage of {self.script} ({self.cases} cases):"]
        for title, table, noun in (
            ("levels reached", self.levels, "time"),
            ("resets that released the level", self.resets, "release"),
            ("resets that held the level", self.holds, "hold"),
            ("handlers", self.handlers, "request"),
        ):
            if not table:
                continue
            lines.append(f"  {title}:")
            for name, count in table.items():
                recovery = table is self.levels and name.split()[-1] == "OK"
                label = f"{name} (recoveries)" if recovery else name
                if count:
                    text = style.paint(_GREEN, f"{count} {noun}{'s' if count != 1 else ''}")
                else:
                    text = style.paint(_RED, "NOT EXERCISED")
                lines.append(f"    {label:<40} {text}")
        if not (self.levels or self.handlers):
            lines.append("  (the script has no alert levels or handlers)")
        return "\n".join(lines)
