"""InfluxQL aggregate and selector nodes (``|mean('f')``, ``|percentile('f', 95.0)`` ...).

A faithful port of Kapacitor's ``influxql.go`` over InfluxDB's ``query`` reducers:

* The reducer's type is fixed per batch by the first point that has the field (a float, int,
  string or bool field; a function that does not take that type skips the point). Later points
  whose value has another type are skipped, but still count toward the batch size.
* A batch with no usable point is empty: ``count`` gives int 0, ``sum`` float 0.0 (Kapacitor
  realises a float reducer for it), every other function emits nothing.
* Result types: ``count`` int; ``mean``/``median``/``stddev`` float; the rest keep the field's
  type. Selectors (first, last, min, max, percentile) emit the selected point with all its tags
  and fields, the field renamed to the ``.as()`` name; the others emit only ``{as: value}`` with
  the group tags. ``distinct`` emits a batch.
* On a stream edge (no window), points with the same timestamp are aggregated together and the
  result is emitted when a point with another timestamp arrives (nothing is flushed at the end).

Sorting (median, mode, percentile) is stable, which is what Go's ``sort.Sort`` does for up to 12
points; for larger windows Go's order of equal values is unspecified (see docs/windows.md).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Final

from tickmini.errors import BuildError
from tickmini.pipeline.definition import NodeDef
from tickmini.runtime.context import TaskContext
from tickmini.runtime.node import RuntimeNode
from tickmini.runtime.window import WindowReducer, group_tags
from tickmini.values import Batch, Duration, Point

# Go's query.ZeroTime: the reducer did not pick a time, so the batch (or stream) time is used.
ZERO_TIME: Final = None

FLOAT: Final = "float"
INTEGER: Final = "int"
STRING: Final = "string"
BOOLEAN: Final = "bool"

# The Python type a reducer of each kind accepts (Go's ``value.(float64)`` style assertion).
_PY_TYPE: Final[dict[str, type]] = {FLOAT: float, INTEGER: int, STRING: str, BOOLEAN: bool}

_INT64_MIN: Final = -(1 << 63)


def _wrap64(value: int) -> int:
    """Go int64 arithmetic wraps around."""
    return ((value - _INT64_MIN) & 0xFFFF_FFFF_FFFF_FFFF) + _INT64_MIN


def kind_of(value: object) -> str | None:
    """The reflect.Kind Kapacitor sees for a field value (a Duration is an int64 kind)."""
    kind = type(value)
    if kind is float:
        return FLOAT
    if kind is int or kind is Duration:
        return INTEGER
    if kind is str:
        return STRING
    if kind is bool:
        return BOOLEAN
    return None


# A reducer takes the accepted values and their points (arrival order) and returns
# (value, time or ZERO_TIME, selected point or None), or None to emit nothing.
Result = tuple[object, "int | None", "Point | None"]
Reducer = Callable[[str, list, list], "Result | None"]


def _go_float_sum(values: list) -> float:
    """Go's ``sum += v`` from 0: plain left-to-right double additions."""
    total = 0.0
    for value in values:
        total += value
    return total


# CPython before 3.12 adds floats in ``sum()`` exactly like the loop above (one double
# accumulator); 3.12 switched to compensated summation, which Go does not do.
# (``partial`` keeps the per-batch call in C: no Python frame.)
go_float_sum: Final = partial(sum, start=0.0) if sys.version_info < (3, 12) else _go_float_sum


def _count(kind: str, values: list, points: list) -> Result:
    # Kapacitor seeds the count with a point at time 0; the first aggregated point resets it to
    # ZeroTime.
    return len(values), (ZERO_TIME if values else 0), None


def _sum(kind: str, values: list, points: list) -> Result:
    # Seeded with a point at time 0 that the sum keeps (visible with .usePointTimes()).
    if kind == INTEGER:
        return _wrap64(sum(values)), 0, None
    return go_float_sum(values), 0, None


def _mean(kind: str, values: list, points: list) -> Result | None:
    if not values:  # realised but nothing accepted (Duration values): Go divides 0 by 0
        return math.nan, ZERO_TIME, None
    if kind == INTEGER:
        return float(_wrap64(sum(values))) / float(len(values)), ZERO_TIME, None
    return go_float_sum(values) / float(len(values)), ZERO_TIME, None


def _sorted_by_value(values: list, points: list) -> list[tuple[object, Point]]:
    """Go's sort.Sort by value; stable (insertion sort) as Go is for up to 12 points."""
    return sorted(zip(values, points, strict=True), key=lambda pair: pair[0])


def _median(kind: str, values: list, points: list) -> Result | None:
    n = len(values)
    if n == 0:
        return None
    if n == 1:
        # The float reducer returns the point itself (its time); the int one ZeroTime.
        if kind == INTEGER:
            return float(values[0]), ZERO_TIME, None
        return values[0], points[0].time, None
    ordered = sorted(values)
    if n % 2 == 0:
        lo, hi = ordered[n // 2 - 1], ordered[n // 2]
        if kind == INTEGER:
            return float(lo) + float(_wrap64(hi - lo)) / 2, ZERO_TIME, None
        return lo + (hi - lo) / 2, ZERO_TIME, None
    middle = ordered[n // 2]
    return (float(middle) if kind == INTEGER else middle), ZERO_TIME, None


def _mode(kind: str, values: list, points: list) -> Result | None:
    n = len(values)
    if n == 0:
        return None
    if n == 1:
        return values[0], points[0].time, None
    ordered = _sorted_by_value(values, points)
    most_freq = 0
    curr_freq = 0
    curr_mode = most_mode = ordered[0][0]
    curr_time = most_time = ordered[0][1].time
    for value, point in ordered:
        if value != curr_mode:
            curr_freq = 1
            curr_mode = value
            curr_time = point.time
            continue
        curr_freq += 1
        if most_freq > curr_freq or (most_freq == curr_freq and curr_time > most_time):
            continue
        most_freq = curr_freq
        most_mode = value
        most_time = point.time
    return most_mode, ZERO_TIME, None


def _spread(kind: str, values: list, points: list) -> Result | None:
    if not values:  # realised but nothing accepted: Go's untouched min/max seeds
        return (1 if kind == INTEGER else -math.inf), ZERO_TIME, None
    if kind == INTEGER:
        return _wrap64(max(values) - min(values)), ZERO_TIME, None
    low = math.inf
    high = -math.inf
    for value in values:  # Go's math.Min/math.Max: NaN wins
        if value != value or low != low:
            low = math.nan
        elif value < low:
            low = value
        if value != value or high != high:
            high = math.nan
        elif value > high:
            high = value
    return high - low, ZERO_TIME, None


def _stddev(kind: str, values: list, points: list) -> Result | None:
    if len(values) < 2:
        return math.nan, ZERO_TIME, None
    as_float = [float(v) for v in values] if kind == INTEGER else values
    mean = 0.0
    count = 0
    for value in as_float:
        if value != value:
            continue
        count += 1
        mean += (value - mean) / float(count)
    variance = 0.0
    for value in as_float:
        if value != value:
            continue
        delta = value - mean
        variance += delta * delta
    if count == 1:  # only one non-NaN value: Go computes sqrt(0/0)
        return math.nan, ZERO_TIME, None
    return math.sqrt(variance / float(count - 1)), ZERO_TIME, None


def _select(better: Callable[[object, int, object, int], bool]) -> Reducer:
    """A selector that keeps the point ``better`` prefers (curr value/time vs prev)."""

    def reduce(kind: str, values: list, points: list) -> Result | None:
        if not values:
            return None
        best_value = values[0]
        best_point = points[0]
        best_time = best_point.time
        for value, point in zip(values, points, strict=True):
            if better(value, point.time, best_value, best_time):
                best_value, best_point, best_time = value, point, point.time
        return best_value, best_time, best_point

    return reduce


def _first_better(value: object, time: int, prev: object, prev_time: int) -> bool:
    if time != prev_time:
        return time < prev_time
    if type(value) is bool:
        return not value and bool(prev)  # BooleanFirstReduce prefers false
    return value > prev  # type: ignore[operator]


def _last_better(value: object, time: int, prev: object, prev_time: int) -> bool:
    if time != prev_time:
        return time > prev_time
    if type(value) is bool:
        return bool(value) and not prev
    return value > prev  # type: ignore[operator]


def _min_better(value: object, time: int, prev: object, prev_time: int) -> bool:
    return value < prev or (value == prev and time < prev_time)  # type: ignore[operator]


def _max_better(value: object, time: int, prev: object, prev_time: int) -> bool:
    return value > prev or (value == prev and time < prev_time)  # type: ignore[operator]


def _percentile(percentile: float) -> Reducer:
    def reduce(kind: str, values: list, points: list) -> Result | None:
        n = len(values)
        rank = float(n) * percentile / 100.0 + 0.5
        if not math.isfinite(rank):  # Go's int(±Inf/NaN) is out of range: nothing selected
            return None
        index = math.floor(rank) - 1
        if index < 0 or index >= n:
            return None
        value, point = _sorted_by_value(values, points)[index]
        return value, point.time, point

    return reduce


def _distinct_rows(values: list, points: list) -> list[tuple[int, object]]:
    """(first-occurrence time, value) per distinct value, sorted by time then value."""
    first_seen: dict[object, int] = {}
    for value, point in zip(values, points, strict=True):
        if value not in first_seen:
            first_seen[value] = point.time
    return sorted(((t, v) for v, t in first_seen.items()), key=lambda row: row)


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """What Kapacitor's ReduceCreater says about one function."""

    kinds: frozenset[str]  # field kinds it accepts
    empty_ok: bool = False  # emits for an empty batch (count, sum)
    selector: bool = False  # IsSimpleSelector: emits the selected point
    batch_output: bool = False  # distinct: provides a batch edge


_NUMERIC = frozenset({FLOAT, INTEGER})
_ALL_KINDS = frozenset({FLOAT, INTEGER, STRING, BOOLEAN})

FUNCTIONS: Final[dict[str, FunctionSpec]] = {
    "count": FunctionSpec(_ALL_KINDS, empty_ok=True),
    "sum": FunctionSpec(_NUMERIC, empty_ok=True),
    "mean": FunctionSpec(_NUMERIC),
    "median": FunctionSpec(_NUMERIC),
    "mode": FunctionSpec(_NUMERIC),
    "spread": FunctionSpec(_NUMERIC),
    "stddev": FunctionSpec(_NUMERIC),
    "first": FunctionSpec(_ALL_KINDS, selector=True),
    "last": FunctionSpec(_ALL_KINDS, selector=True),
    "min": FunctionSpec(_NUMERIC, selector=True),
    "max": FunctionSpec(_NUMERIC, selector=True),
    "percentile": FunctionSpec(_NUMERIC, selector=True),
    "distinct": FunctionSpec(_ALL_KINDS, batch_output=True),
}

_REDUCERS: Final[dict[str, Reducer]] = {
    "count": _count,
    "sum": _sum,
    "mean": _mean,
    "median": _median,
    "mode": _mode,
    "spread": _spread,
    "stddev": _stddev,
    "first": _select(_first_better),
    "last": _select(_last_better),
    "min": _select(_min_better),
    "max": _select(_max_better),
}


@dataclass(slots=True)
class Collected:
    """What Kapacitor's aggregation loop makes of a batch's points."""

    kind: str | None  # the realised reducer's kind; None if no point realised one
    size: int  # batch size as Kapacitor counts it (points from the realising one on)
    values: list  # accepted values, arrival order
    points: list[Point]  # their points
    skipped: int  # points whose value was missing or of an unusable type (Kapacitor logs each)


_MISSING: Final = object()

# Exact Python type -> reducer kind, for the fast path of a batch whose values all have one
# type (a Duration is an int64 kind but never an accepted int64 value: it takes ``collect``).
_KIND_OF_TYPE: Final[dict[type, str]] = {float: FLOAT, int: INTEGER, str: STRING, bool: BOOLEAN}


def collect(field: str, kinds: frozenset[str], points: list[Point]) -> Collected:
    """Realise the reducer from the first point with a usable field and gather the values."""
    values = [p.fields.get(field, _MISSING) for p in points]
    first = 0
    kind = None
    for value in values:
        if value is not _MISSING:
            kind = kind_of(value)
            if kind in kinds:
                break
        first += 1  # missing or "cannot apply <func> to <type> field": skipped, not counted
    else:
        return Collected(None, 0, [], [], len(points))
    assert kind is not None
    expected = _PY_TYPE[kind]
    accepted_values: list = []
    accepted_points: list[Point] = []
    for i in range(first, len(points)):
        if type(values[i]) is expected:  # Go's value.(float64) assertion; others are skipped
            accepted_values.append(values[i])
            accepted_points.append(points[i])
    skipped = len(points) - len(accepted_values)
    return Collected(kind, len(points) - first, accepted_values, accepted_points, skipped)


class InfluxQLNode(RuntimeNode):
    """``|count('f')``, ``|mean('f')`` ...: one result per batch (or per stream timestamp)."""

    __slots__ = (
        "_groups",
        "_reduce",
        "_uniform_kinds",
        "as_name",
        "diagnostics",
        "field",
        "method",
        "spec",
        "use_point_times",
    )

    def __init__(self, definition: NodeDef, context: TaskContext | None = None) -> None:
        super().__init__(definition.name)
        name, method, p = definition.name, definition.method, definition.properties
        spec = FUNCTIONS.get(method)
        if spec is None:
            raise BuildError(f"{name}: unsupported InfluxQL function {method}()")
        field = p.get("field", definition.args[0] if definition.args else None)
        if not isinstance(field, str):
            raise BuildError(f"{name}: {method}() needs a field name")
        self.method = method
        self.field = field
        self.as_name = str(p.get("as") or method)
        self.use_point_times = bool(p.get("usePointTimes", False))
        self.spec = spec
        # Exact value type -> reducer kind for the types this function accepts.
        self._uniform_kinds = {t: k for t, k in _KIND_OF_TYPE.items() if k in spec.kinds}
        self.diagnostics = context.diagnostics if context is not None else None
        if method == "percentile":
            percentile = p.get(
                "percentile", definition.args[1] if len(definition.args) > 1 else None
            )
            if isinstance(percentile, bool) or not isinstance(percentile, int | float):
                raise BuildError(f"{name}: percentile() needs a number, got {percentile!r}")
            self._reduce: Reducer | None = _percentile(float(percentile))
        else:
            self._reduce = _REDUCERS.get(method)
        # Stream edge state per group: the points that share the group's current time.
        self._groups: dict[str, _StreamGroup] = {}

    @classmethod
    def from_definition(
        cls, name: str, method: str, args: tuple[object, ...], properties: dict[str, object]
    ) -> InfluxQLNode:
        """Build from the parts of a node definition (same as the constructor)."""
        definition = NodeDef(
            kind="influxql",
            id=0,
            name=name,
            method=method,
            args=args,
            properties=properties,
            edge="batch" if method == "distinct" else "stream",
        )
        return cls(definition)

    # --- batch edge --------------------------------------------------------------------------

    def batch(self, batch: Batch) -> None:
        spec = self.spec
        points = batch.points
        field = self.field
        if points:  # fast path: every point has the field, all of the first point's type
            expected = type(points[0].fields.get(field, _MISSING))
            kind = self._uniform_kinds.get(expected)
            if kind is not None:
                values = [v for p in points if type(v := p.fields.get(field)) is expected]
                if len(values) == len(points):
                    self._emit(kind, values, points, batch.name, batch.time, batch.tags, batch)
                    return
        got = collect(self.field, spec.kinds, points)
        if got.skipped:
            self._report(got.skipped)
        if got.size == 0 and not spec.empty_ok:
            return
        kind = got.kind or FLOAT  # Kapacitor assumes float64 when it saw no data
        self._emit(kind, got.values, got.points, batch.name, batch.time, batch.tags, batch)

    def window_reducer(self) -> WindowReducer | None:
        """For ``WindowNode.wire``: ``mean``/``sum``/``count`` of a float field computed from a
        window's points without a batch; the same values, time and tags as ``batch()`` gives
        (the uniform float fast path: ``_mean``/``_sum``/``_count`` and ``_emit``)."""
        method = self.method
        if self.use_point_times or method not in ("mean", "sum", "count"):
            return None
        as_name = self.as_name
        children = self.children

        is_count = method == "count"
        is_mean = method == "mean"

        def reduce(values: list, time: int, tmpl: Batch) -> None:
            if is_count:
                value: object = len(values)
            else:
                value = go_float_sum(values)
                if is_mean:
                    value = value / float(len(values))  # type: ignore[operator]
            out = Point(
                tmpl.name,
                tmpl.tags,
                {as_name: value},
                time,
                "",
                "",
                tmpl.dimensions,
                tmpl.by_measurement,
                tmpl.group_id,
            )
            for child in children:
                child.point(out)

        return self.field, reduce

    # --- stream edge -------------------------------------------------------------------------

    def point(self, point: Point) -> None:
        group = self._groups.get(point.group_id)
        if group is None:
            self._groups[point.group_id] = _StreamGroup(point)
            return
        if point.time == group.time:
            group.points.append(point)
            return
        pending = group.points
        name, time = group.name, group.time
        group.name, group.time, group.points = point.name, point.time, [point]
        got = collect(self.field, self.spec.kinds, pending)
        if got.skipped:
            self._report(got.skipped)
        if got.kind is not None:  # Kapacitor emits only a realised reducer
            self._emit(got.kind, got.values, got.points, name, time, group.tags, pending[0])

    def _report(self, skipped: int) -> None:
        if self.diagnostics is not None:
            self.diagnostics.error(
                self.name,
                f'field "{self.field}" missing from point or not usable by {self.method}()',
                f"{skipped} point(s) skipped",
            )

    # --- output ------------------------------------------------------------------------------

    def _emit(
        self,
        kind: str,
        values: list,
        points: list[Point],
        name: str,
        time: int,
        tags: dict[str, str],
        group: Batch | Point,
    ) -> None:
        if self._reduce is None:  # distinct: a batch out
            self._emit_distinct(values, points, name, time, tags, group)
            return
        result = self._reduce(kind, values, points)
        if result is None:
            return
        value, result_time, selected = result
        if result_time is not ZERO_TIME and self.use_point_times:
            time = result_time
        # Tags are read-only once made (nodes that set tags copy them), so they are shared.
        if selected is None:
            out_tags = tags
            fields = {self.as_name: value}
        else:
            out_tags = selected.tags
            fields = dict(selected.fields)
            if self.as_name != self.field:
                fields[self.as_name] = fields.pop(self.field)
        out = Point(
            name,
            out_tags,
            fields,
            time,
            "",
            "",
            group.dimensions,
            group.by_measurement,
            group.group_id,
        )
        for child in self.children:
            child.point(out)

    def _emit_distinct(
        self,
        values: list,
        points: list[Point],
        name: str,
        time: int,
        tags: dict[str, str],
        group: Batch | Point,
    ) -> None:
        batch_time = time
        rows: list[Point] = []
        for first_time, value in _distinct_rows(values, points):
            row_time = first_time if self.use_point_times else time
            batch_time = max(batch_time, row_time)
            rows.append(
                Point(name=name, tags=dict(tags), fields={self.as_name: value}, time=row_time)
            )
        out = Batch(
            name=name,
            tags=dict(tags),
            time=batch_time,
            points=rows,
            dimensions=group.dimensions,
            by_measurement=group.by_measurement,
            group_id=group.group_id,
        )
        for child in self.children:
            child.batch(out)


class _StreamGroup:
    """A group's pending points on a stream edge: all share one timestamp."""

    __slots__ = ("name", "points", "tags", "time")

    def __init__(self, first: Point) -> None:
        self.name = first.name
        self.time = first.time
        self.tags = group_tags(first)
        self.points: list[Point] = [first]
