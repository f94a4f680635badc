"""``stream`` and ``|from()`` (reference 3.1-3.2).

The stream node forks points to its ``from()`` children by measurement with one dict lookup
(the table of which children want a measurement is filled on first sight of it). A from node
then checks database and retention policy, its where lambda, rewrites the time
(``truncate``/``round`` with Go's year-1 alignment) and sets the group.
"""

from __future__ import annotations

from collections.abc import Callable

from tickmini.errors import EvaluationError
from tickmini.gocompat.timefmt import GO_ZERO_TIME_NS
from tickmini.pipeline.definition import NodeDef
from tickmini.runtime.context import TaskContext
from tickmini.runtime.grouping import make_grouper
from tickmini.runtime.node import RuntimeNode
from tickmini.values import Point


def go_truncate(t: int, d: int) -> int:
    """Go ``Time.Truncate(d)``: down to a multiple of d counted from 0001-01-01."""
    if d <= 0:
        return t
    return t - (t - GO_ZERO_TIME_NS) % d


def go_round(t: int, d: int) -> int:
    """Go ``Time.Round(d)``: to the nearest multiple of d from 0001-01-01, halves up."""
    if d <= 0:
        return t
    r = (t - GO_ZERO_TIME_NS) % d
    if r + r < d:
        return t - r
    return t + (d - r)


class StreamNode(RuntimeNode):
    """The source: hands each point to the from() nodes that select its measurement."""

    def __init__(self, definition: NodeDef, context: TaskContext) -> None:
        super().__init__(definition.name)
        self._routes: dict[str, tuple[Callable[[Point], None], ...]] = {}

    def routes(self, measurement: str) -> tuple[Callable[[Point], None], ...]:
        """The ``point`` entries of the children that select ``measurement`` (cached)."""
        found = self._routes.get(measurement)
        if found is None:
            found = tuple(
                c.point
                for c in self.children
                if not isinstance(c, FromNode) or c.measurement in ("", measurement)
            )
            self._routes[measurement] = found
        return found

    def point(self, point: Point) -> None:
        routes = self._routes.get(point.name)
        if routes is None:
            routes = self.routes(point.name)
        for entry in routes:
            entry(point)

    def wire(self) -> None:
        """One from() with a measurement (the usual script): compare the name, call it."""
        self._routes.clear()  # the children's entries may have changed
        if len(self.children) != 1:
            return
        child = self.children[0]
        if not isinstance(child, FromNode) or not child.measurement:
            return
        measurement = child.measurement
        entry = child.point

        def point(p: Point) -> None:
            if p.name == measurement:
                entry(p)

        self.point = point  # type: ignore[method-assign]

    def measurements(self) -> set[str] | None:
        """The measurements this task reads, or None when some from() reads all."""
        wanted: set[str] = set()
        for child in self.children:
            if not isinstance(child, FromNode) or not child.measurement:
                return None
            wanted.add(child.measurement)
        return wanted


class FromNode(RuntimeNode):
    """``|from()``: filters by database, retention policy, measurement and where; groups."""

    def __init__(self, definition: NodeDef, context: TaskContext) -> None:
        super().__init__(definition.name)
        p = definition.properties
        self.measurement: str = p["measurement"]
        self.routed_by_stream = all(parent.kind == "stream" for parent in definition.parents)
        self.database: str = p["database"]
        self.retention_policy: str = p["retentionPolicy"]
        self.diagnostics = context.diagnostics
        self.quiet = bool(p["quiet"])
        where = p["where"]
        self.where: Callable[[Point], bool] | None = (
            where.compiled.evaluate_bool if where is not None else None
        )
        self.truncate: int = p["truncate"]
        self.round: int = p["round"]
        dims = p["groupBy"]
        by_name = bool(p["groupByMeasurement"])
        self.grouper = make_grouper(dims, (), by_name) if (dims or by_name) else None
        self.point = self._build()  # type: ignore[method-assign]

    def wire(self) -> None:
        """After the graph is linked: call a single child directly."""
        self.point = self._build()  # type: ignore[method-assign]

    def _build(self) -> Callable[[Point], None]:
        """One closure with only the checks this node needs.

        The stream node only routes points of this node's measurement here, so the measurement
        is checked again only for a from() chained after another from().
        """
        measurement = "" if self.routed_by_stream else self.measurement
        database, rp = self.database, self.retention_policy
        where, grouper = self.where, self.grouper
        truncate, round_ = self.truncate, self.round
        emit = self.children[0].point if len(self.children) == 1 else self.emit_point
        report = self._report
        if not (measurement or database or rp or where or truncate or round_):
            if grouper is None:
                return emit

            def grouped(p: Point) -> None:  # only groupBy: no checks to run
                emit(grouper(p))

            return grouped

        def point(p: Point) -> None:
            if measurement and p.name != measurement:
                return
            if database and p.database != database:
                return
            if rp and p.retention_policy != rp:
                return
            if where is not None:
                try:
                    if not where(p):
                        return
                except EvaluationError as err:
                    report(err)
                    return
            if truncate or round_:
                t = go_round(go_truncate(p.time, truncate), round_)  # both: truncate first
                p = Point(
                    name=p.name,
                    tags=p.tags,
                    fields=p.fields,
                    time=t,
                    database=p.database,
                    retention_policy=p.retention_policy,
                    dimensions=p.dimensions,
                    by_measurement=p.by_measurement,
                    group_id=p.group_id,
                )
            if grouper is not None:
                p = grouper(p)
            emit(p)

        return point

    def _report(self, err: EvaluationError) -> None:
        if not self.quiet:
            self.diagnostics.error(self.name, "failed to evaluate WHERE expression", err.message)
