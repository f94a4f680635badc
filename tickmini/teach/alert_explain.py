"""Why an alert node chose a level and why it did or did not send an event.

The rules are the reference's 4.3 (level) and 4.5/4.6 (sending), written as explanations over
what the node did: the engine computes, this module only reads its results (the level before
and after, the flags of the group's state) and names the rule that applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tickmini.alerting.event import Level
from tickmini.pipeline.definition import CompiledLambdaValue, NodeDef
from tickmini.teach.lambdas import Explained, LambdaExplainer
from tickmini.values import Point

# (level, level key, reset key), highest first: the order Kapacitor evaluates them in.
LEVEL_KEYS: tuple[tuple[Level, str, str], ...] = (
    (Level.CRITICAL, "crit", "critReset"),
    (Level.WARNING, "warn", "warnReset"),
    (Level.INFO, "info", "infoReset"),
)


@dataclass(frozen=True, slots=True)
class SendRules:
    """The alert node options that decide whether an event is sent."""

    flapping: bool
    state_changes_only: bool
    no_recoveries: bool

    @classmethod
    def of(cls, definition: NodeDef) -> SendRules:
        p = definition.properties
        return cls(
            flapping=p.get("flapping") is not None,
            state_changes_only=p.get("stateChangesOnly") is not None,
            no_recoveries=bool(p.get("noRecoveries")),
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """What the alert node did with one point (or batch)."""

    before: Level
    level: Level
    sent: bool
    emitted: bool
    flapping: bool = False
    expired: bool = False
    inhibited: bool = False
    batch: bool = False

    @property
    def changed(self) -> bool:
        return self.before != self.level


def send_reason(decision: Decision, rules: SendRules) -> str:
    """The rule of reference 4.5 (4.6 for batches) that decided, in words."""
    level = decision.level
    if decision.sent:
        if decision.inhibited:
            return f"event {level.name} not published: inhibited (still emitted downstream)"
        if level == Level.OK:
            return "event sent: OK (recovery)"
        if decision.expired:
            return f"event sent: {level.name} (stateChangesOnly period expired)"
        return f"event sent: {level.name}" + (" (level changed)" if decision.changed else "")
    if rules.flapping and decision.flapping and not (decision.batch and decision.changed):
        return "not sent: flapping"
    if level == Level.OK and not decision.changed:
        return "not sent: OK and unchanged"
    if rules.state_changes_only and not decision.changed and not decision.expired:
        return "not sent: stateChangesOnly and level unchanged"
    if rules.no_recoveries and level == Level.OK:
        return "not sent: noRecoveries (recovery suppressed)"
    return "not sent"


class LevelExplainer:
    """The level and reset lambdas of one alert node, explained on a point."""

    def __init__(self, definition: NodeDef) -> None:
        p = definition.properties
        self.lambdas: dict[str, LambdaExplainer] = {}
        for _, key, reset_key in LEVEL_KEYS:
            for name in (key, reset_key):
                value = p.get(name)
                if isinstance(value, CompiledLambdaValue):
                    self.lambdas[name] = LambdaExplainer(value.expr, value.compiled)  # type: ignore[arg-type]

    @property
    def references(self) -> tuple[str, ...]:
        """Field/tag names the level lambdas read (for the timeline and the plot)."""
        seen: dict[str, None] = {}
        for explainer in self.lambdas.values():
            seen.update(dict.fromkeys(explainer.references))
        return tuple(seen)

    def explain(self, point: Point, current: Level) -> list[tuple[str, Explained]]:
        """Each level lambda, and the reset lambda of the current level, on the point."""
        shown: list[tuple[str, Explained]] = []
        for level, key, reset_key in LEVEL_KEYS:
            if key in self.lambdas:
                shown.append((key, self.lambdas[key].explain(point)))
            if level == current and reset_key in self.lambdas:
                shown.append((reset_key, self.lambdas[reset_key].explain(point)))
        return shown


def level_reason(current: Level, results: Mapping[str, Explained]) -> str | None:
    """Reference 4.3 in words, from the lambdas' values (None: a value is unknown)."""

    def truth(key: str) -> bool | None:
        explained = results.get(key)
        if explained is None:
            return False  # level not set
        if explained.error is not None:
            return False  # an error counts as false
        return explained.truth

    floor = max(current, Level.INFO)
    for level, key, _ in LEVEL_KEYS:
        if level < floor:
            break
        value = truth(key)
        if value is None:
            return None
        if value:
            return f"{key} is true"
    reset_key = next((r for lv, _, r in LEVEL_KEYS if lv == current), None)
    if reset_key is not None and reset_key in results:
        explained = results[reset_key]
        if explained.error is None:
            if explained.truth is None:
                return None
            if not explained.truth:
                return f"{reset_key} is false: stays {current.name}"
    for level, key, _ in LEVEL_KEYS:
        if level > current or level < Level.INFO:
            continue
        value = truth(key)
        if value is None:
            return None
        if value:
            return f"{key} is true"
    return "no level lambda is true"
