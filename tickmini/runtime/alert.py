"""The alert node (reference section 4): levels, per-group state, events, topics, emission.

This follows Kapacitor's ``alert.go`` step by step, including its quirks: the level algorithm
with resets (4.3), ``addEvent``/``triggered``/``percentChange`` (4.4), when events are sent for
points (4.5) and batches (4.6), saturating durations (4.13), restoring a new group's state from
its topics, inhibition (4.11) and the augmented data sent downstream (4.10).

Per point, the work is: the group's state (one dict lookup), the ID (cached while name, group
and tags repeat), the level closures, and a few integer updates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from tickmini.alerting.event import AlertEvent, Level, Row
from tickmini.alerting.topics import EventState, anonymous_topic
from tickmini.errors import EvaluationError
from tickmini.gocompat.timefmt import GO_ZERO_TIME_NS, sub_saturating
from tickmini.pipeline.catalog import HANDLER_ORDER
from tickmini.pipeline.definition import NodeDef
from tickmini.runtime.alert_templates import server_struct
from tickmini.runtime.context import TaskContext
from tickmini.runtime.node import RuntimeNode
from tickmini.runtime.rows import batch_row, point_row
from tickmini.values import Batch, Point

OK, INFO, WARNING, CRITICAL = Level.OK, Level.INFO, Level.WARNING, Level.CRITICAL
_LEVELS = (OK, INFO, WARNING, CRITICAL)
LEVEL_PROPERTIES = (
    (INFO, "info", "infoReset"),
    (WARNING, "warn", "warnReset"),
    (CRITICAL, "crit", "critReset"),
)

# Why a point or batch sent no event (AlertObservation.reason).
FLAPPING = "flapping"
STATE_CHANGES_ONLY = "stateChangesOnly and level unchanged"
OK_UNCHANGED = "OK and unchanged"
NO_RECOVERIES = "noRecoveries"
INHIBITED = "inhibited"
EMPTY_BATCH = "empty batch"

# percentChange weights (alert.go: maxWeight = 1.2, weightDiff = 1.5, weight = 1.2/1.5)
_MAX_WEIGHT = 1.2
_FIRST_WEIGHT = 0.8


class AlertState:
    """``alertState``: one group's level history and trigger times."""

    __slots__ = (
        "changed",
        "expired",
        "first_triggered",
        "flapping",
        "history",
        "id",
        "id_name",
        "id_tags",
        "idx",
        "inhibitors",
        "last_triggered",
    )

    def __init__(self, history: int) -> None:
        self.history = bytearray(history)  # levels, all OK
        self.idx = 0
        self.changed = False
        self.flapping = False
        self.expired = False
        self.first_triggered = GO_ZERO_TIME_NS
        self.last_triggered = GO_ZERO_TIME_NS
        self.inhibitors: list[Inhibitor] | tuple[()] = ()
        # ID cache: the ID last rendered and the name/tags it was rendered from.
        self.id = ""
        self.id_name: str | None = None
        self.id_tags: dict[str, str] | None = None

    def percent_change(self) -> float:
        """Kapacitor's weighted share of level changes in the history (with its pair quirk)."""
        history = self.history
        length = len(history)
        changes = 0.0
        weight = _FIRST_WEIGHT
        step = (_MAX_WEIGHT - weight) / float(length - 1)
        idx = self.idx
        for i in range(length - 1):
            c = (i + idx) % length
            p = c - 1
            if p < 0:
                p = length - 1
            if history[c] != history[p]:
                changes += weight
            weight += step
        return changes / float(length - 1)

    def triggered(self, t: int) -> None:
        self.last_triggered = t
        p = self.idx - 1
        if p == -1:
            p = len(self.history) - 1
        if self.history[p] == OK:
            self.first_triggered = t
        active = self.history[self.idx] != OK
        for inhibitor in self.inhibitors:
            inhibitor.set_active(active)

    def duration(self) -> int:
        return sub_saturating(self.last_triggered, self.first_triggered)


class Inhibitor:
    """One ``.inhibit(category, tags...)`` of one group: active while the group is non-OK.

    Active inhibitors are kept in their node's ``active`` set, so checking an event against
    them does not walk every group.
    """

    __slots__ = ("active", "category", "registry", "tags")

    def __init__(self, category: str, tags: dict[str, str], registry: set[Inhibitor]) -> None:
        self.category = category
        self.tags = tags
        self.active = False
        self.registry = registry

    def set_active(self, active: bool) -> None:
        self.active = active
        if active:
            self.registry.add(self)
        else:
            self.registry.discard(self)

    def inhibits(self, category: str, tags: dict[str, str]) -> bool:
        if not self.active or category != self.category:
            return False
        return all(tags.get(k) == v for k, v in self.tags.items())


Predicate = Callable[[Point], bool]


@dataclass(frozen=True, slots=True)
class LambdaResult:
    """One level or reset lambda as the alert node evaluated it, in evaluation order."""

    level: Level  # the level the lambda belongs to (.crit -> CRITICAL)
    reset: bool  # True for the level's ...Reset lambda
    result: bool | EvaluationError  # what it returned, or the error (the lambda counts as false)
    point: Point  # the point it read (one of a batch's points for batches)


@dataclass(frozen=True, slots=True)
class AlertObservation:
    """What the alert node did with one point or batch (for explanations: test, trace)."""

    node: str  # the alert node's name, e.g. "alert2"
    item: Point | Batch  # as the node received it
    group: str  # the group ID (its state's key)
    evaluations: tuple[LambdaResult, ...]
    previous_level: Level  # the group's level before this item
    level: Level  # the group's level after it
    # the event as published (with topic and previousLevel); when inhibited the event built
    # but not published; None when no event was built
    event: AlertEvent | None
    reason: str | None  # why no event was sent (FLAPPING, STATE_CHANGES_ONLY ...); None: sent

    @property
    def sent(self) -> bool:
        return self.reason is None


AlertObserver = Callable[[AlertObservation], None]


class AlertNode(RuntimeNode):
    """Runtime of ``|alert()``."""

    def __init__(self, definition: NodeDef, context: TaskContext) -> None:
        super().__init__(definition.name)
        p = definition.properties
        self.context = context
        self.task_name = context.task_name
        self.templates = definition.compiled["templates"].for_node()
        self.id_uses_tags: bool = getattr(self.templates, "id_uses_tags", True)
        self.server = server_struct(context.server_info)
        flapping = p["flapping"]
        self.use_flapping = flapping is not None
        # Without flapping only the current and previous levels of the history are ever read,
        # so a ring of two behaves exactly like Kapacitor's ring of ``history`` levels.
        self.history_length = max(int(p["history"]), 2) if self.use_flapping else 2
        self.flap_low, self.flap_high = flapping if flapping is not None else (0.0, 0.0)
        scd = p["stateChangesOnly"]
        self.state_changes_only = scd is not None
        self.state_changes_only_duration = scd or 0
        self.no_recoveries = bool(p["noRecoveries"])
        self.all = bool(p["all"])
        self.quiet = bool(p["quiet"])
        self.category = p["category"]
        self.inhibitor_specs: tuple[tuple[str, tuple[str, ...]], ...] = tuple(p["inhibitors"])
        self.active: set[Inhibitor] = set()  # active inhibitors of all groups
        self.level_tag = p["levelTag"]
        self.level_field = p["levelField"]
        self.message_field = p["messageField"]
        self.duration_field = p["durationField"]
        self.id_tag = p["idTag"]
        self.id_field = p["idField"]
        self.augments = bool(
            self.level_tag
            or self.level_field
            or self.message_field
            or self.duration_field
            or self.id_tag
            or self.id_field
        )
        # One expression instance per level, shared by all groups (reference 2.10).
        self.levels: list[Predicate | None] = [None, None, None, None]
        self.resets: list[Predicate | None] = [None, None, None, None]
        for level, key, reset_key in LEVEL_PROPERTIES:
            if p[key] is not None:
                self.levels[level] = p[key].compiled.evaluate_bool
                if p[reset_key] is not None:
                    self.resets[level] = p[reset_key].compiled.evaluate_bool
        self.plain_levels = tuple(self.levels)
        self.plain_resets = tuple(self.resets)
        self.observer: AlertObserver | None = None
        self.trail: list[LambdaResult] = []  # the lambdas of the item being observed
        self._scans()
        self.states: dict[str, AlertState] = {}
        # Topics: anonymous (when there are handlers) first, then .topic().
        specs = sorted(
            (h.spec for h in definition.handlers if h.spec is not None),
            key=lambda s: HANDLER_ORDER.index(s.kind) if s.kind in HANDLER_ORDER else 99,
        )
        specs = self._with_global_handlers(specs)
        self.handlers = [context.make_handler(s) for s in specs] if context.make_handler else []
        self.anon_topic = anonymous_topic(context.task_name, definition.name) if specs else ""
        self.topic = p["topic"]
        self.topic_ids = tuple(t for t in (self.anon_topic, self.topic) if t)
        for handler in self.handlers:
            context.topics.register_handler(self.anon_topic, handler)
        # Without any topic Kapacitor records the event nowhere; tickmini still reports it,
        # with previousLevel tracked as an anonymous topic would.
        self.shadow_topic = "" if self.topic_ids else anonymous_topic(context.task_name, self.name)
        self.point = self._build_point()  # type: ignore[method-assign]
        self.triggered_counts = [0, 0, 0, 0]
        self.inhibited = 0

    def _with_global_handlers(self, specs: list) -> list:
        """Kapacitor adds the implicit handler of a ``global = true`` service to every alert
        node without an explicit one, even when the service is disabled (then every send
        fails: dead-lettered with ``service is not enabled``)."""
        config = getattr(self.context.services, "config", None)
        if config is None:
            return specs
        from tickmini.alerting.handlers import global_handler_specs

        implicit = global_handler_specs(config, specs)
        if not implicit:
            return specs
        return sorted([*specs, *implicit], key=lambda s: HANDLER_ORDER.index(s.kind))

    # --- observation ---------------------------------------------------------------------------

    def observe(self, observer: AlertObserver | None) -> None:
        """Call ``observer`` with an :class:`AlertObservation` for every point and batch (None:
        stop). Set before points flow; while set, the node runs its step-by-step algorithm
        with recording lambdas. Unset, nothing of it is on the per-point path."""
        self.observer = observer
        if observer is None:
            self.levels, self.resets = list(self.plain_levels), list(self.plain_resets)
        else:
            self.levels = [
                self._recording(lv, False, pr) for lv, pr in enumerate(self.plain_levels)
            ]
            self.resets = [self._recording(lv, True, pr) for lv, pr in enumerate(self.plain_resets)]
        self._scans()
        self.point = self._build_point()  # type: ignore[method-assign]

    def _recording(self, level: int, reset: bool, predicate: Predicate | None) -> Predicate | None:
        """``predicate`` that also appends its result to ``self.trail``."""
        if predicate is None:
            return None
        as_level = _LEVELS[level]

        def recording(point: Point) -> bool:
            try:
                result = predicate(point)
            except EvaluationError as err:
                self.trail.append(LambdaResult(as_level, reset, err, point))
                raise
            self.trail.append(LambdaResult(as_level, reset, result, point))
            return result

        return recording

    def _observed(
        self,
        item: Point | Batch,
        previous: int,
        level: int,
        event: AlertEvent | None,
        reason: str | None,
    ) -> None:
        assert self.observer is not None
        trail, self.trail = self.trail, []
        self.observer(
            AlertObservation(
                self.name,
                item,
                item.group_id,
                tuple(trail),
                _LEVELS[previous],
                _LEVELS[level],
                event,
                reason,
            )
        )

    # --- level ---------------------------------------------------------------------------------

    def _scans(self) -> None:
        self.first_scans = tuple(self._scan(CRITICAL, current - 1) for current in _LEVELS)
        self.second_scans = tuple(self._scan(current, OK) for current in _LEVELS)

    def _report(self, message: str, err: Exception, level: Level) -> None:
        if not self.quiet:
            detail = getattr(err, "message", str(err))
            self.context.diagnostics.error(self.name, message, f"level={level.name} {detail}")

    def _scan(self, start: int, stop: int) -> tuple[tuple[int, Predicate], ...]:
        """``findFirstMatchLevel(start, stop)``: the set levels from start down to stop+1."""
        stop = max(stop, OK)
        return tuple(
            (level, predicate)
            for level in range(start, stop, -1)
            if (predicate := self.levels[level]) is not None
        )

    def determine_level(self, point: Point, current: int) -> int:
        """Kapacitor's ``determineLevel`` (reference 4.3), scans precomputed per current level."""
        for level, predicate in self.first_scans[current]:
            try:
                if predicate(point):
                    return level
            except EvaluationError as err:
                self._report("error evaluating expression for level", err, _LEVELS[level])
        reset = self.resets[current]
        if reset is not None:
            try:
                if not reset(point):
                    return current
            except EvaluationError as err:
                self._report(
                    "error evaluating reset expression for current level", err, _LEVELS[current]
                )
        for level, predicate in self.second_scans[current]:
            try:
                if predicate(point):
                    return level
            except EvaluationError as err:
                self._report("error evaluating expression for level", err, _LEVELS[level])
        return OK

    # --- state -----------------------------------------------------------------------------

    def _add_event(self, state: AlertState, t: int, level: int) -> None:
        history = state.history
        state.changed = history[state.idx] != level
        state.idx = (state.idx + 1) % len(history)
        history[state.idx] = level
        if self.use_flapping:
            p = state.percent_change()
            if state.flapping and p < self.flap_low:
                state.flapping = False
            elif not state.flapping and p > self.flap_high:
                state.flapping = True
        state.expired = (
            not state.changed
            and self.state_changes_only_duration != 0
            and sub_saturating(t, state.last_triggered) >= self.state_changes_only_duration
        )

    def _render_id(self, state: AlertState | None, name: str, group: str, tags: dict) -> str:
        if (
            state is not None
            and state.id_name == name
            and (not self.id_uses_tags or state.id_tags == tags)
        ):
            return state.id
        rendered = self.templates.render_id(name, self.task_name, group, tags, self.server)
        if state is not None:
            state.id, state.id_name = rendered, name
            if self.id_uses_tags:
                state.id_tags = tags
        return rendered

    def _new_state(self, event_id: str, t: int, tags: dict[str, str]) -> AlertState:
        """``restoreEventState``: seed a new group from its topics' stored state for its ID."""
        state = AlertState(self.history_length)
        if self.inhibitor_specs:
            state.inhibitors = [
                Inhibitor(category, {k: tags.get(k, "") for k in equal_tags}, self.active)
                for category, equal_tags in self.inhibitor_specs
            ]
        level, when = self._restore_event(event_id)
        if level != OK:
            self._add_event(state, t, level)
            state.triggered(when)
        return state

    def _restore_event(self, event_id: str) -> tuple[int, int]:
        topics = self.context.topics
        anon = topics.event_state(self.anon_topic, event_id) if self.anon_topic else None
        named = topics.event_state(self.topic, event_id) if self.topic else None
        anon_level = anon.level if anon is not None else OK
        named_level = named.level if named is not None else OK
        if anon_level != named_level:
            if anon is not None and named is not None:
                topics.update_event(self.topic, anon)
            elif named is not None and self.anon_topic:
                topics.update_event(self.anon_topic, named)
        if anon is not None:
            return anon.level, anon.time
        if named is not None:
            return named.level, named.time
        return OK, GO_ZERO_TIME_NS

    def _state_for(self, group: str, name: str, tags: dict, t: int) -> tuple[AlertState, str]:
        state = self.states.get(group)
        if state is None:
            event_id = self._render_id(None, name, group, tags)
            state = self._new_state(event_id, t, tags)
            state.id, state.id_name = event_id, name
            if self.id_uses_tags:
                state.id_tags = tags  # the ID is rendered again when the tags change
            self.states[group] = state
            return state, event_id
        return state, self._render_id(state, name, group, tags)

    # --- edges -----------------------------------------------------------------------------

    def point_generic(self, point: Point) -> None:
        """The stream algorithm step by step (reference 4.5); used with flapping or observed."""
        state, event_id = self._state_for(point.group_id, point.name, point.tags, point.time)
        previous = state.history[state.idx]
        level = self.determine_level(point, previous)
        t = point.time
        self._add_event(state, t, level)
        reason = self._point_suppressed(state, level)
        event = reported = None
        if reason is None:
            event, reported, reason = self._fire(
                state, level, t, event_id, point, point.tags, point.fields, point_row
            )
        if self.observer is not None:
            self._observed(point, previous, level, reported or event, reason)
        if event is not None:
            if self.augments:
                point = self._augment_point(point, event)
            self.emit_point(point)

    def _fire(
        self,
        state: AlertState,
        level: int,
        t: int,
        event_id: str,
        item: Point | Batch,
        tags: dict,
        fields: dict,
        row_of: Callable[[Any], Row],
    ) -> tuple[AlertEvent | None, AlertEvent | None, str | None]:
        """An unsuppressed point or batch (reference 4.5/4.6): ``triggered()`` runs, then the
        event is built and published unless noRecoveries drops an OK.

        Returns the event, what the topics reported (None when inhibited) and why nothing was
        published, if so.
        """
        state.triggered(t)
        if self.no_recoveries and level == OK:
            return None, None, NO_RECOVERIES
        event = self._event(
            event_id,
            item.name,
            item.group_id,
            tags,
            fields,
            _LEVELS[level],
            t,
            state.duration(),
            [row_of(item)],
        )
        reported = self._handle_event(event)
        return event, reported, (INHIBITED if reported is None else None)

    def _point_suppressed(self, state: AlertState, level: int) -> str | None:
        """Why a point sends no event (reference 4.5), or None."""
        if self.use_flapping and state.flapping:
            return FLAPPING
        if self.state_changes_only and not state.changed and not state.expired:
            return STATE_CHANGES_ONLY
        if level == OK and not state.changed:
            return OK_UNCHANGED
        return None

    def _build_point(self) -> Callable[[Point], None]:
        """The per-point entry: the generic algorithm with flapping, else an inlined copy of it
        (same semantics: the history is a ring of two, see ``history_length``)."""
        if self.use_flapping or self.observer is not None:
            return self.point_generic
        states_get = self.states.get
        state_for = self._state_for
        render_id = self._render_id
        tags_in_id = self.id_uses_tags
        determine = self.determine_level
        send = self._send
        report = self._report
        scd = self.state_changes_only
        scd_duration = self.state_changes_only_duration
        single = self._single_level()
        single_level, single_predicate = single if single is not None else (-1, None)

        def point(p: Point) -> None:
            state = states_get(p.group_id)
            if state is None:
                state, event_id = state_for(p.group_id, p.name, p.tags, p.time)
            elif tags_in_id or p.name != state.id_name:
                event_id = render_id(state, p.name, p.group_id, p.tags)
            else:
                event_id = state.id
            history = state.history
            idx = state.idx
            cur = history[idx]
            if single_level > 0 and cur != single_level:
                # One level, no reset, not at that level now: exactly one evaluation.
                try:
                    level = single_level if single_predicate(p) else OK
                except EvaluationError as err:
                    report("error evaluating expression for level", err, _LEVELS[single_level])
                    level = OK
            else:
                level = determine(p, cur)
            if level == cur:
                # addEvent with an unchanged level: the ring of two only moves when the
                # previous level differs (otherwise both entries already hold this level).
                if history[idx ^ 1] != level:
                    idx ^= 1
                    state.idx = idx
                    history[idx] = level
                if scd_duration:
                    state.expired = sub_saturating(p.time, state.last_triggered) >= scd_duration
                if level == OK or (scd and not state.expired):
                    return
            else:
                idx ^= 1
                state.idx = idx
                history[idx] = level
                state.expired = False
            send(state, event_id, p, level)

        return point

    def _single_level(self) -> tuple[int, Predicate] | None:
        set_levels = [(lv, pr) for lv, pr in enumerate(self.levels) if pr is not None]
        if len(set_levels) == 1 and all(r is None for r in self.resets):
            return set_levels[0]
        return None

    def _send(self, state: AlertState, event_id: str, point: Point, level: int) -> None:
        """A point whose event is due (level non-OK or changed, not suppressed): fired, then
        sent downstream (also when inhibited, as Kapacitor does)."""
        event, _, _ = self._fire(
            state, level, point.time, event_id, point, point.tags, point.fields, point_row
        )
        if event is None:  # noRecoveries dropped an OK
            return
        if self.augments:
            point = self._augment_point(point, event)
        self.emit_point(point)

    def batch(self, batch: Batch) -> None:
        state, event_id = self._state_for(batch.group_id, batch.name, batch.tags, batch.time)
        current = state.history[state.idx]
        if not batch.points:
            if self.observer is not None:
                self._observed(batch, current, current, None, EMPTY_BATCH)
            return
        lowest = CRITICAL
        highest = OK
        highest_point: Point | None = None
        for bp in batch.points:
            level = self.determine_level(bp, current)
            if level < lowest:
                lowest = level
            if level > highest or highest_point is None:
                highest = level
                highest_point = bp
        assert highest_point is not None
        level = lowest if self.all else highest
        t = batch.time if (self.all or level == OK) else highest_point.time
        self._add_event(state, t, level)
        reason = self._batch_suppressed(state, level)
        event = reported = None
        if reason is None:
            event, reported, reason = self._fire(
                state, level, t, event_id, batch, batch.tags, highest_point.fields, batch_row
            )
        if self.observer is not None:
            self._observed(batch, current, level, reported or event, reason)
        if event is not None:
            if self.augments:
                batch = self._augment_batch(batch, event)
            self.emit_batch(batch)

    def _batch_suppressed(self, state: AlertState, level: int) -> str | None:
        """Why a batch sends no event (reference 4.6: an OK batch only when it changed), or None."""
        if level == OK:
            return None if state.changed else OK_UNCHANGED
        if self.use_flapping and state.flapping:
            return FLAPPING
        if self.state_changes_only and not state.changed and not state.expired:
            return STATE_CHANGES_ONLY
        return None

    # --- events ------------------------------------------------------------------------------

    def _event(
        self,
        event_id: str,
        name: str,
        group: str,
        tags: dict[str, str],
        fields: dict[str, object],
        level: Level,
        t: int,
        duration: int,
        series: list[Row],
    ) -> AlertEvent:
        message, details = self.templates.render_message_details(
            event_id,
            name,
            self.task_name,
            group,
            tags,
            fields,
            level,
            t,
            duration,
            self.server,
        )
        return AlertEvent(
            id=event_id,
            message=message,
            details=details,
            time=t,
            duration=duration,
            level=level,
            name=name,
            task_name=self.task_name,
            group=group,
            tags=tags,
            fields=fields,
            series=series,
            recoverable=not self.no_recoveries,
            category=self.category,
        )

    def _handle_event(self, event: AlertEvent) -> AlertEvent | None:
        """Publish ``event`` to the node's topics: the event as reported (with the first topic's
        previousLevel), or None when it is inhibited."""
        self.triggered_counts[event.level] += 1
        if self._is_inhibited(event):
            self.inhibited += 1
            return None
        topics = self.context.topics
        reported: AlertEvent | None = None
        for topic_id in self.topic_ids:
            collected = topics.collect(topic_id, event)
            if reported is None:
                reported = collected
        if reported is None:
            reported = topics.collect(self.shadow_topic, event)
        if self.context.on_event is not None:
            self.context.on_event(reported)
        return reported

    def _is_inhibited(self, event: AlertEvent) -> bool:
        check = self.context.is_inhibited
        return check is not None and check(event.category, event.tags)

    # --- augmentation (4.10) ---------------------------------------------------------------------

    def _augment_tags(self, tags: dict[str, str], event: AlertEvent) -> dict[str, str]:
        if not (self.level_tag or self.id_tag):
            return tags
        tags = dict(tags)
        if self.level_tag:
            tags[self.level_tag] = event.level.name
        if self.id_tag:
            tags[self.id_tag] = event.id
        return tags

    def _augment_fields(self, fields: dict[str, object], event: AlertEvent) -> dict[str, object]:
        if not (self.level_field or self.message_field or self.id_field or self.duration_field):
            return fields
        fields = dict(fields)
        if self.level_field:
            fields[self.level_field] = event.level.name
        if self.message_field:
            fields[self.message_field] = event.message
        if self.id_field:
            fields[self.id_field] = event.id
        if self.duration_field:
            fields[self.duration_field] = event.duration
        return fields

    def _augment_point(self, point: Point, event: AlertEvent) -> Point:
        return Point(
            name=point.name,
            tags=self._augment_tags(point.tags, event),
            fields=self._augment_fields(point.fields, event),
            time=point.time,
            database=point.database,
            retention_policy=point.retention_policy,
            dimensions=point.dimensions,
            by_measurement=point.by_measurement,
            group_id=point.group_id,
        )

    def _augment_batch(self, batch: Batch, event: AlertEvent) -> Batch:
        return replace(
            batch,
            tags=self._augment_tags(batch.tags, event),
            points=[self._augment_point(p, event) for p in batch.points],
        )

    def active_inhibitors(self) -> set[Inhibitor]:
        return self.active


def event_state_of(event: AlertEvent) -> EventState:
    return EventState(
        event.id, event.message, event.details, event.time, event.duration, event.level
    )
