"""``|where()``, ``|eval()`` and ``|groupBy()`` (reference 3.3, 3.6).

where and eval keep a fresh copy of their expressions per group (stateful functions such as
``count()`` and ``sigma()`` count per group, reference 2.10). Errors drop the point.
"""

from __future__ import annotations

from dataclasses import replace

from tickmini.errors import EvaluationError
from tickmini.pipeline.definition import NodeDef
from tickmini.runtime.context import TaskContext
from tickmini.runtime.grouping import make_grouper
from tickmini.runtime.node import RuntimeNode
from tickmini.values import Batch, Point


class WhereNode(RuntimeNode):
    """Forwards points (and batch points) for which the lambda is true."""

    def __init__(self, definition: NodeDef, context: TaskContext) -> None:
        super().__init__(definition.name)
        self.expression = definition.properties["lambda"].compiled
        self.per_group: dict[str, object] = {}
        self.diagnostics = context.diagnostics

    def _predicate(self, group: str):
        found = self.per_group.get(group)
        if found is None:
            found = self.per_group[group] = self.expression.copy_reset().evaluate_bool
        return found

    def _keep(self, predicate, p: Point) -> bool:
        try:
            return bool(predicate(p))
        except EvaluationError as err:
            self.diagnostics.error(self.name, "error while evaluating expression", err.message)
            return False

    def point(self, point: Point) -> None:
        if self._keep(self._predicate(point.group_id), point):
            self.emit_point(point)

    def batch(self, batch: Batch) -> None:
        predicate = self._predicate(batch.group_id)
        kept = [p for p in batch.points if self._keep(predicate, p)]
        self.emit_batch(replace(batch, points=kept))


class EvalNode(RuntimeNode):
    """Evaluates lambdas in order into new fields (or tags); see Kapacitor's ``eval.go``."""

    def __init__(self, definition: NodeDef, context: TaskContext) -> None:
        super().__init__(definition.name)
        p = definition.properties
        self.expressions = tuple(e.compiled for e in p["expressions"])
        self.references = frozenset().union(*(e.references for e in self.expressions))
        self.names: tuple[str, ...] = tuple(p["as"])
        self.tag_names = frozenset(p["tags"])
        keep = p["keep"]
        self.keep_all = keep is not None and len(keep) == 0
        self.keep_list: tuple[str, ...] = tuple(keep) if keep else ()
        self.quiet = bool(p["quiet"])
        self.per_group: dict[str, tuple] = {}
        self.diagnostics = context.diagnostics

    def _exprs(self, group: str) -> tuple:
        found = self.per_group.get(group)
        if found is None:
            found = self.per_group[group] = tuple(e.copy_reset().evaluate for e in self.expressions)
        return found

    def _eval(self, p: Point, exprs: tuple) -> Point | None:
        results: dict[str, object] = {}
        scope = p
        try:
            for name, evaluate in zip(self.names, exprs, strict=True):
                results[name] = evaluate(scope)
                # Later expressions see earlier results; a point field of the same name wins.
                scope = Point(
                    name=p.name,
                    tags=p.tags,
                    fields={**results, **p.fields},
                    time=p.time,
                    group_id=p.group_id,
                    dimensions=p.dimensions,
                )
            tags = p.tags
            if self.tag_names:
                tags = dict(tags)
                for tag in self.tag_names:
                    value = results[tag]
                    if not isinstance(value, str):
                        raise EvaluationError(
                            "result of a tag expression must be of type string, got "
                            + _go_type_name(value)
                        )
                    tags[tag] = value
            fields = self._fields(p.fields, p.tags, results)
        except EvaluationError as err:
            if not self.quiet:
                self.diagnostics.error(self.name, "error evaluating expression", err.message)
            return None
        return Point(
            name=p.name,
            tags=tags,
            fields=fields,
            time=p.time,
            database=p.database,
            retention_policy=p.retention_policy,
            dimensions=p.dimensions,
            by_measurement=p.by_measurement,
            group_id=p.group_id,
        )

    def _fields(
        self, fields: dict[str, object], tags: dict[str, str], results: dict[str, object]
    ) -> dict[str, object]:
        """Kapacitor's eval.go: keep(list) looks in the expression scope (results, then the
        fields and tags the expressions reference), then the fields; keep() adds every result
        (tag results too); without keep only the non-tag results remain."""
        if self.keep_list:
            kept: dict[str, object] = {}
            for name in self.keep_list:
                if name in results:
                    kept[name] = results[name]
                elif name in fields:
                    kept[name] = fields[name]
                elif name in self.references and name in tags:
                    kept[name] = tags[name]
                else:
                    raise EvaluationError(f'cannot keep field "{name}", field does not exist')
            return kept
        if self.keep_all:
            new = dict(fields)
            new.update(results)
            return new
        return {name: results[name] for name in self.names if name not in self.tag_names}

    def point(self, point: Point) -> None:
        out = self._eval(point, self._exprs(point.group_id))
        if out is not None:
            self.emit_point(out)

    def batch(self, batch: Batch) -> None:
        exprs = self._exprs(batch.group_id)
        points = [q for q in (self._eval(p, exprs) for p in batch.points) if q is not None]
        self.emit_batch(replace(batch, points=points))


class GroupByNode(RuntimeNode):
    """``|groupBy()``: sets the dimensions and group ID of each point (tags are kept)."""

    def __init__(self, definition: NodeDef, context: TaskContext) -> None:
        super().__init__(definition.name)
        p = definition.properties
        self.grouper = make_grouper(p["dimensions"], tuple(p["exclude"]), bool(p["byMeasurement"]))
        self.pending: dict[str, Batch] = {}
        self.pending_time: int | None = None

    def point(self, point: Point) -> None:
        self.emit_point(self.grouper(point))

    def batch(self, batch: Batch) -> None:
        """Regroup batch points. As in Kapacitor's group_by.go, the regrouped batches of one
        time are held until a batch with another time arrives (so the last ones are never
        emitted when the input ends); Go emits them in map order, tickmini in creation order."""
        if batch.time != self.pending_time:
            pending = self.pending
            self.pending = {}
            self.pending_time = batch.time
            for group in pending.values():
                group.points.sort(key=_point_time)  # Kapacitor sorts the regrouped points
                self.emit_batch(group)
        groups = self.pending
        for p in batch.points:
            q = self.grouper(p)
            b = groups.get(q.group_id)
            if b is None:
                b = groups[q.group_id] = Batch(
                    name=batch.name,
                    tags={d: q.tags.get(d, "") for d in q.dimensions},
                    time=batch.time,
                    dimensions=q.dimensions,
                    by_measurement=q.by_measurement,
                    group_id=q.group_id,
                )
            b.points.append(q)


def _point_time(point: Point) -> int:
    return point.time


def _go_type_name(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return type(value).__name__
