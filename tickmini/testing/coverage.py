"""``--coverage``: which alert levels, resets and handlers of the rule the tests exercised.

Levels come from the script's alert nodes (``.info``/``.warn``/``.crit``, plus OK recoveries
unless ``.noRecoveries()``); a level is exercised when some case produced an event at that
level. A reset (``.critReset`` ...) is exercised when an event left its level for a lower one
(only a true reset lets a level drop). A handler is exercised when it would have sent at least
one request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tickmini.alerting.event import AlertEvent, Level
from tickmini.pipeline.definition import Pipeline
from tickmini.testing.report import Style

_LEVEL_PROPERTIES = (
    ("info", "INFO", "infoReset"),
    ("warn", "WARNING", "warnReset"),
    ("crit", "CRITICAL", "critReset"),
)
_RED, _GREEN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"


@dataclass(slots=True)
class Coverage:
    """Counts per level, reset and handler of one script, summed over the cases run."""

    script: str
    levels: dict[str, int] = field(default_factory=dict)
    resets: dict[str, int] = field(default_factory=dict)
    holds: dict[str, int] = field(default_factory=dict)
    handlers: dict[str, int] = field(default_factory=dict)
    cases: int = 0

    @classmethod
    def for_pipeline(
        cls, script: str, pipeline: Pipeline, handler_labels: Iterable[str]
    ) -> Coverage:
        coverage = cls(script)
        for node in pipeline.by_kind("alert"):
            props = node.properties
            for key, level, reset in _LEVEL_PROPERTIES:
                if props.get(key) is not None:
                    coverage.levels.setdefault(level, 0)
                    if props.get(reset) is not None:
                        coverage.resets.setdefault(reset, 0)
                        coverage.holds.setdefault(reset, 0)
            if not props.get("noRecoveries") and coverage.levels:
                coverage.levels.setdefault("OK", 0)
        for label in handler_labels:
            coverage.handlers.setdefault(label, 0)
        return coverage

    def add(
        self,
        events: Iterable[AlertEvent],
        handler_requests: Iterable[str],
        holds: Iterable[str] = (),
    ) -> None:
        """Count one case's events, the handler labels of its requests, the resets that held."""
        self.cases += 1
        for reset in holds:
            if reset in self.holds:
                self.holds[reset] += 1
        for event in events:
            name = event.level.name
            if name in self.levels:
                self.levels[name] += 1
            previous = event.previous_level
            if event.level < previous:
                reset = {
                    Level.INFO: "infoReset",
                    Level.WARNING: "warnReset",
                    Level.CRITICAL: "critReset",
                }[previous]
                if reset in self.resets:
                    self.resets[reset] += 1
        for label in handler_requests:
            if label in self.handlers:
                self.handlers[label] += 1

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
            ("levels", self.levels, "event"),
            ("resets that let the level drop", self.resets, "drop"),
            ("resets that held the level", self.holds, "hold"),
            ("handlers", self.handlers, "request"),
        ):
            if not table:
                continue
            lines.append(f"  {title}:")
            for name, count in table.items():
                label = "OK (recoveries)" if name == "OK" else name
                if count:
                    text = style.paint(_GREEN, f"{count} {noun}{'s' if count != 1 else ''}")
                else:
                    text = style.paint(_RED, "NOT EXERCISED")
                lines.append(f"    {label:<40} {text}")
        if not (self.levels or self.handlers):
            lines.append("  (the script has no alert levels or handlers)")
        return "\n".join(lines)
