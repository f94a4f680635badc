"""The ``window`` node: turns a stream into batches per group, exactly as Kapacitor's window.go.

Time windows (``period``/``every``/``align``/``fillPeriod``) and count windows
(``periodCount``/``everyCount``) are kept per group and are purely data driven: no wall clock,
and ``finish()`` emits nothing (Kapacitor's replay closes the stream without flushing).

The time buffer reproduces Kapacitor's purpose-built ring buffer (``windowTimeBuffer``) with the
same growth, wrap-around and left-purge rules, so that even out-of-order points inside a group
are kept or dropped as Kapacitor keeps or drops them. Inserting is amortised O(1), a purge only
walks the points it drops, and an emit copies the window once (the batch owns its list).

Batch points are the points that entered the window, shared between overlapping windows (as in
Kapacitor, where the batch points share their field and tag maps): downstream nodes copy a point
before they change it.
"""

from __future__ import annotations

from collections.abc import Callable

from tickmini.errors import BuildError
from tickmini.pipeline.definition import NodeDef
from tickmini.runtime.context import TaskContext
from tickmini.runtime.node import RuntimeNode
from tickmini.runtime.stream import go_truncate
from tickmini.values import Batch, Duration, Point


def group_tags(point: Point) -> dict[str, str]:
    """The group's tags: the point's value of each dimension ("" when the point lacks it)."""
    tags = point.tags
    return {name: tags.get(name, "") for name in point.dimensions}


def _count_property(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise BuildError(f"window: expected an integer point count, got {value!r}")


def duration_ns(value: object) -> int:
    """A window property as integer nanoseconds (the builder may hand ``Duration`` or ``int``)."""
    if isinstance(value, Duration):
        return value.nanoseconds
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise BuildError(f"window: expected a duration, got {value!r}")


class _TimeBuffer:
    """Kapacitor's ``windowTimeBuffer``: a growable ring of points with a left purge.

    With a ``field``, ``values`` is a parallel ring of each point's value of it (None when
    missing), for a reducer fed straight from the window.
    """

    __slots__ = ("field", "length", "ring", "size", "start", "stop", "values")

    def __init__(self, field: str | None = None) -> None:
        self.field = field
        self.values: list[object] = []
        self.ring: list[Point | None] = []  # Go's backing array: len(ring) is cap(window)
        self.length = 0  # Go's len(window)
        self.start = 0
        self.stop = 0
        self.size = 0

    def insert(self, point: Point) -> None:
        size = self.size
        ring = self.ring
        if size == len(ring):
            # Grow: make([]Point, size+1, 2*(size+1)) holding the live points in order.
            grown: list[Point | None] = self.points()
            grown.extend([None] * (size + 2))
            if self.field is not None:
                self.values = self.live(self.values) + [None] * (size + 2)
            self.ring = ring = grown
            self.length = size + 1
            self.start = 0
            self.stop = size
        stop = self.stop
        if self.length == len(ring) and stop == self.length:
            stop = 0
        if stop == self.length:
            self.length += 1
        ring[stop] = point
        if self.field is not None:
            self.values[stop] = point.fields.get(self.field)
        self.size = size + 1
        self.stop = stop + 1

    def purge(self, oldest: int) -> None:
        """Drop points from the left up to the first at or after ``oldest`` (Kapacitor's rule).

        Times are integer nanoseconds, so Kapacitor's exclusive purge ``t > x`` is ``x + 1``.
        """
        length = self.length
        if length == 0:
            return
        ring = self.ring
        start = self.start
        stop = self.stop
        if start < stop:
            while start < stop and ring[start].time < oldest:  # type: ignore[union-attr]
                start += 1
            self.size = stop - start
        elif ring[length - 1].time >= oldest:  # type: ignore[union-attr]
            while start < length and ring[start].time < oldest:  # type: ignore[union-attr]
                start += 1
            self.size = length - start + stop
        else:
            start = 0
            while start < stop and ring[start].time < oldest:  # type: ignore[union-attr]
                start += 1
            self.size = stop - start
        self.start = start

    def points(self) -> list[Point]:
        """A copy of the live points, oldest first."""
        return self.live(self.ring)  # type: ignore[return-value]

    def live(self, ring: list) -> list:
        """A copy of the live slots of ``ring`` (the points or the parallel values), in order."""
        if self.size == 0:
            return []
        if self.stop > self.start:
            return ring[self.start : self.stop]
        return ring[self.start : self.length] + ring[: self.stop]


class _TimeWindow:
    """One group's time window (Kapacitor's ``windowByTime``)."""

    __slots__ = (
        "align",
        "buffer",
        "emit_time",
        "emit_values",
        "every",
        "mixed",
        "next_emit",
        "period",
        "template",
    )

    def __init__(
        self,
        first: Point,
        period: int,
        every: int,
        align: bool,
        fill_period: bool,
        value_field: str | None = None,
    ) -> None:
        if fill_period:
            next_emit = first.time + period
            if align:
                first_period = next_emit
                next_emit = go_truncate(next_emit, every)
                if not next_emit > first_period:
                    next_emit += every
        else:
            next_emit = first.time + every
            if align:
                next_emit = go_truncate(next_emit, every)
        self.buffer = _TimeBuffer(value_field)
        self.emit_time = 0  # the time of the last window ``advance`` returned
        self.emit_values: list[object] = []  # its values of ``value_field``, if any
        self.mixed = False  # a fused reducer saw a value it cannot take (see WindowNode.wire)
        self.next_emit = next_emit
        self.period = period
        self.every = every
        self.align = align
        self.template = Batch(
            name=first.name,
            tags=group_tags(first),
            time=0,
            dimensions=first.dimensions,
            by_measurement=first.by_measurement,
            group_id=first.group_id,
        )

    def insert(self, point: Point) -> Batch | None:
        """Add a point; return the batch it triggers, if any."""
        points = self.advance(point)
        return None if points is None else self.batch_of(points)

    def batch_of(self, points: list[Point]) -> Batch:
        """The batch of the window ``advance`` just closed."""
        tmpl = self.template
        return Batch(
            tmpl.name,
            tmpl.tags,
            self.emit_time,
            points,
            tmpl.dimensions,
            tmpl.by_measurement,
            tmpl.group_id,
        )

    def advance(self, point: Point) -> list[Point] | None:
        """Add a point; return the points of the window it closes (stamped ``emit_time``)."""
        t = point.time
        buffer = self.buffer
        if self.every == 0:
            buffer.insert(point)
            if t < self.next_emit:
                return None
            buffer.purge(t - self.period + 1)  # right-closed window (t - period, t]
            self.next_emit = self.emit_time = t
            if buffer.field is not None:
                self.emit_values = buffer.live(buffer.values)
            return buffer.points()
        next_emit = self.next_emit
        if t < next_emit:
            buffer.insert(point)
            return None
        buffer.purge(next_emit - self.period)  # left-closed [next - period, next)
        start, stop = buffer.start, buffer.stop
        # points(), its unwrapped case inline (a window emits on most points of its group)
        points = buffer.ring[start:stop] if stop > start else buffer.points()
        if buffer.field is not None:
            values = buffer.values
            self.emit_values = values[start:stop] if stop > start else buffer.live(values)
        self.emit_time = next_emit
        every = self.every
        self.next_emit = go_truncate(t + every, every) if self.align else t + every
        buffer.insert(point)
        return points  # type: ignore[return-value]


class _CountWindow:
    """One group's count window (Kapacitor's ``windowByCount``)."""

    __slots__ = (
        "count",
        "every",
        "next_emit",
        "period",
        "ring",
        "size",
        "start",
        "stop",
        "template",
    )

    def __init__(self, first: Point, period: int, every: int, fill_period: bool) -> None:
        self.ring: list[Point] = []  # grows to ``period`` slots (Go allocates them up front)
        self.start = 0
        self.stop = 0
        self.size = 0
        self.count = 0
        self.period = period
        self.every = every
        self.next_emit = period if fill_period else every
        self.template = Batch(
            name=first.name,
            tags=group_tags(first),
            time=0,
            dimensions=first.dimensions,
            by_measurement=first.by_measurement,
            group_id=first.group_id,
        )

    def insert(self, point: Point) -> Batch | None:
        period = self.period
        ring = self.ring
        if self.stop == len(ring):
            ring.append(point)
        else:
            ring[self.stop] = point
        self.stop = (self.stop + 1) % period
        if self.size == period:
            self.start = (self.start + 1) % period
        else:
            self.size += 1
        self.count += 1
        if self.count != self.next_emit:
            return None
        self.next_emit += self.every
        if self.stop > self.start:
            points = ring[self.start : self.stop]
        else:
            points = ring[self.start :] + ring[: self.stop]
        t = self.template
        last_time = points[-1].time  # type: ignore[union-attr]
        return Batch(t.name, t.tags, last_time, points, t.dimensions, t.by_measurement, t.group_id)  # type: ignore[arg-type]


# What a reducer child offers to be fed straight from the window (``InfluxQLNode``):
# ``(field, reduce)``; ``reduce(values, time, template)`` takes the ``field`` values of a
# non-empty window, all floats.
WindowReducer = tuple[str, Callable[[list, int, Batch], None]]


class WindowNode(RuntimeNode):
    """``|window()``: one time or count window per group; emits batches downstream.

    No ``__slots__``: ``wire()`` may set an instance ``point`` (the fused path).
    """

    def __init__(self, definition: NodeDef, context: TaskContext | None = None) -> None:
        super().__init__(definition.name)
        p = definition.properties
        period = duration_ns(p.get("period", 0))
        every = duration_ns(p.get("every", 0))
        align = bool(p.get("align", False))
        fill_period = bool(p.get("fillPeriod", False))
        period_count = _count_property(p.get("periodCount", 0))
        every_count = _count_property(p.get("everyCount", 0))
        if min(period, every, period_count, every_count) < 0:
            raise BuildError(f"{self.name}: window period and every must not be negative")
        self._windows: dict[str, _TimeWindow | _CountWindow] = {}
        self._new_window: Callable[[Point], _TimeWindow | _CountWindow]
        self._by_time = period != 0
        self._value_field: str | None = None  # set by wire() for a fused reducer
        if period != 0:
            self._new_window = lambda first: _TimeWindow(
                first, period, every, align, fill_period, self._value_field
            )
        elif period_count != 0:
            if every_count <= 0:
                raise BuildError(f"{self.name}: everyCount must be greater than zero")
            self._new_window = lambda first: _CountWindow(
                first, period_count, every_count, fill_period
            )
        else:
            raise BuildError(
                f"{self.name}: window node must have either a non zero period "
                "or non zero period count"
            )

    @classmethod
    def from_properties(cls, name: str, properties: dict[str, object]) -> WindowNode:
        """Build from a name and the catalogue's window properties (same as the constructor)."""
        definition = NodeDef(
            kind="window",
            id=0,
            name=name,
            method="window",
            args=(),
            properties=properties,
            edge="batch",
        )
        return cls(definition)

    def point(self, point: Point) -> None:
        window = self._windows.get(point.group_id)
        if window is None:
            window = self._windows[point.group_id] = self._new_window(point)
        batch = window.insert(point)
        if batch is not None:
            for child in self.children:
                child.batch(batch)

    def wire(self) -> None:
        """Time window whose only child is ``mean``/``sum``/``count`` (``window_reducer``):
        reduce straight from the window's points, no batch built. A window whose group ever
        held a value the reducer cannot take as a float (or an empty window) still goes
        through the batch. A traced or observed child (any other node) keeps the plain path."""
        vars(self).pop("point", None)
        self._value_field = None
        if not self._by_time or len(self.children) != 1:
            return
        child = self.children[0]
        offer = getattr(child, "window_reducer", None)
        found: WindowReducer | None = offer() if offer is not None else None
        if found is None:
            return
        field, reduce = found
        self._value_field = field
        windows = self._windows
        for window in windows.values():  # built before: no parallel ring of this field
            if not isinstance(window, _TimeWindow) or window.buffer.field != field:
                window.mixed = True  # type: ignore[union-attr]
        new_window = self._new_window

        def point(p: Point) -> None:
            window = windows.get(p.group_id)
            if window is None:
                window = windows[p.group_id] = new_window(p)
            if type(p.fields.get(field)) is not float:
                window.mixed = True  # type: ignore[union-attr]
            points = window.advance(p)  # type: ignore[union-attr]
            if points is None:
                return
            if points and not window.mixed:  # type: ignore[union-attr]
                reduce(window.emit_values, window.emit_time, window.template)  # type: ignore[union-attr]
            else:
                child.batch(window.batch_of(points))  # type: ignore[union-attr]

        self.point = point  # type: ignore[method-assign]

    def batch(self, batch: Batch) -> None:
        raise BuildError(f"{self.name}: window does not support batch data")

    def finish(self) -> None:
        # Replay closes the stream without flushing open windows: nothing to emit here.
        super().finish()
