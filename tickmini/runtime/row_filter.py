"""Rows a task would ignore, found by column, so the reader never builds Points for them.

Most points of an alert rule change nothing: an OK point of a group whose alert state is OK
(both levels of its history OK) sends no event, goes nowhere downstream and leaves the state as
it was; so does a point of another measurement or one its ``where`` rejects. For tasks of the
shape ``stream|from()|alert()`` whose lambdas are pure (no stateful function, no time), a
:class:`RowFilter` evaluates those lambdas over a validated block's columns and names the rows
that may matter: every row that fires a level, and every row of a group that is not quiet or
already had such a row in this block. Only those become Points, which then take the task's
ordinary path, where everything (levels, state, events, errors) happens exactly as for any
point. Skipping a row is therefore only ever done when the ordinary path would provably do
nothing with it; any doubt (an evaluation error, mixed value types, a referenced name that is
both a field and a tag) hands the whole block to the ordinary path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING

from tickmini.errors import TickminiError
from tickmini.io.lp_columns import ColumnBlock
from tickmini.lang.compiler import CompiledLambda
from tickmini.lang.types import MISSING
from tickmini.runtime.alert import LEVEL_PROPERTIES, OK, AlertNode
from tickmini.runtime.stream import FromNode, StreamNode
from tickmini.values import Point

if TYPE_CHECKING:
    from tickmini.runtime.engine import Task

assert OK == 0  # a history of all-OK levels is a bytearray of zeros: not any(history)

_MAX_SERIES = 1 << 17  # remembered series keys; cleared when full


@dataclass(slots=True)
class _Predicate:
    """One pure lambda and the names it reads, in the order its column function takes them."""

    compiled: CompiledLambda
    names: tuple[str, ...]

    def over(self, columns: dict[str, list[object]], n: int) -> list[object] | None:
        """The predicate on every row, or None when the rows' types differ or one row fails."""
        if not self.names:
            try:
                return [self.compiled.bool_for_types(())(None)] * n
            except TickminiError:
                return None
        args = [columns[name] for name in self.names]
        classes = []
        for values in args:
            kinds = set(map(type, values))
            if len(kinds) != 1:
                return None
            classes.append(kinds.pop())
        try:
            return self.compiled.bool_columns(tuple(classes))(None, *args)
        except TickminiError:
            return None


class RowFilter:
    """``filter(block)``: the indices of the rows the task must see, handed out lazily (the
    task has handled each row before the next is chosen), or None for all of them."""

    def __init__(
        self,
        measurement: str,
        where: _Predicate | None,
        levels: list[_Predicate],
        group_of: Callable[[Point], Point] | None,
        alert: AlertNode,
    ) -> None:
        self.measurement = measurement
        self.where = where
        self.levels = levels
        self.group_of = group_of
        self.alert = alert
        self.states = alert.states
        predicates = [p for p in (where, *levels) if p is not None]
        self.names = tuple(dict.fromkeys(n for p in predicates for n in p.names))
        # series key -> (measurement wanted, group ID, ID template fails, each name's tag value
        # or MISSING)
        self.series: dict[str, tuple[object, ...]] = {}
        self.tag_names: set[str] = set()  # names some series has as a tag

    def _learn(self, key: str, decoded: tuple[str, dict[str, str]]) -> tuple[object, ...]:
        name, tags = decoded
        group = ""
        if self.group_of is not None:
            group = self.group_of(Point(name, tags, {}, 0)).group_id
        self.tag_names.update(n for n in self.names if n in tags)
        info = (
            name == self.measurement,
            group,
            self._id_fails(name, group, tags),
            *(tags.get(n, MISSING) for n in self.names),
        )
        if len(self.series) >= _MAX_SERIES:
            self.series.clear()
        self.series[key] = info
        return info

    def _id_fails(self, name: str, group: str, tags: dict[str, str]) -> bool:
        """Whether the alert's ID template fails for this series. The alert renders the ID
        of a point whose name or (for an ID that uses them) tags differ from the last one, and
        a failure stops the task: such rows are always handed out, as if they fired."""
        alert = self.alert
        if alert.templates.id_shortcut is not None:
            return False  # text and {{ .Name }}-like fields only: it cannot fail
        try:
            alert.templates.render_id(name, alert.task_name, group, tags, alert.server)
        except TickminiError:
            return True
        return False

    def __call__(self, block: ColumnBlock) -> Iterator[int] | None:
        infos = list(map(self.series.get, block.keys))
        if None in infos:
            infos = [
                info if info is not None else self._learn(key, decoded)
                for info, key, decoded in zip(infos, block.keys, block.decoded, strict=True)
            ]
        # Rows of other measurements are no-ops: only the task's rows are looked at.
        wanted = list(map(itemgetter(0), infos))
        rows: list[int] | None = None
        if False in wanted:
            rows = list(compress(range(block.n), wanted))
            if not rows:
                return iter(())
            infos = list(map(infos.__getitem__, rows))
        n = len(infos)
        columns: dict[str, list[object]] = {}
        for index, name in enumerate(self.names):
            values = block.column(name, rows)
            if values is None:
                columns[name] = list(map(itemgetter(3 + index), infos))
            elif name in self.tag_names:
                return None  # maybe a field and a tag of one point: the ordinary path reports it
            else:
                columns[name] = values
        active = None  # None: every row passes where
        if self.where is not None:
            active = self.where.over(columns, n)
            if active is None:
                return None
        fire: list[object] | None = None
        for level in self.levels:
            results = level.over(columns, n)
            if results is None:
                return None
            fire = results if fire is None else [a or b for a, b in zip(fire, results, strict=True)]
        if fire is None:
            fire = [False] * n
        must = list(map(itemgetter(2), infos))
        if True in must:
            fire = [f or m for f, m in zip(fire, must, strict=True)]
        if self.group_of is None:
            chosen = self._one_group(n, active, fire)
        else:
            chosen = self._by_group(n, active, fire, list(map(itemgetter(1), infos)))
        return chosen if rows is None else map(rows.__getitem__, chosen)

    def _quiet(self, group: str) -> bool:
        """The group's alert state exists and every level of its history is OK (zero)."""
        state = self.states.get(group)
        return state is not None and not any(state.history)

    def _one_group(self, n: int, active: list[object] | None, fire: list[object]) -> Iterator[int]:
        """Lazily, so each answer sees the state the rows before it left behind."""
        if active is not None:
            fire = [a and f for a, f in zip(active, fire, strict=True)]
        row = 0
        while row < n:
            if self._quiet(""):
                try:
                    row = fire.index(True, row)
                except ValueError:
                    return
            elif active is not None and not active[row]:
                row += 1
                continue
            yield row
            row += 1

    def _by_group(
        self, n: int, active: list[object] | None, fire: list[object], groups: list[str]
    ) -> Iterator[int]:
        """Lazily, as :meth:`_one_group`. A group's state object, once created, stays the same,
        so it is looked up for all rows at once; a group created by a row of this block is
        still None here, which only hands its later rows out too."""
        states = list(map(self.states.get, groups))
        if (
            True not in fire
            and None not in states
            and not any(map(any, map(attrgetter("history"), states)))
        ):
            return  # nothing fires and every group is quiet: every row is a no-op
        for row, fires, state in zip(range(n), fire, states, strict=True):
            if active is not None and not active[row]:
                continue
            if not fires and state is not None and not any(state.history):
                continue
            yield row


def row_filter_for(task: Task, database: str, retention_policy: str) -> RowFilter | None:
    """A filter for ``task`` reading plain line protocol written to ``database.rp``, or None
    when the task is not of the shape whose ignored rows can be proved so."""
    if task.error is not None:
        return None
    if task.dbrps and (database, retention_policy) not in task.dbrps:
        return None
    source = task.source
    if not isinstance(source, StreamNode) or len(source.children) != 1:
        return None
    from_node = source.children[0]
    if not isinstance(from_node, FromNode) or not from_node.measurement:
        return None
    if not from_node.routed_by_stream or len(from_node.children) != 1:
        return None
    if from_node.database not in ("", database):
        return None
    if from_node.retention_policy not in ("", retention_policy):
        return None
    alert = from_node.children[0]
    if not isinstance(alert, AlertNode) or alert.use_flapping or alert.observer is not None:
        return None
    definitions = {d.name: d for d in task.pipeline.nodes}
    where_property = definitions[from_node.name].properties["where"]
    where = _predicate(where_property.compiled) if where_property is not None else None
    if where_property is not None and where is None:
        return None
    levels = []
    alert_properties = definitions[alert.name].properties
    for _, key, _ in LEVEL_PROPERTIES:
        if alert_properties[key] is None:
            continue
        level = _predicate(alert_properties[key].compiled)
        if level is None:
            return None
        levels.append(level)
    return RowFilter(from_node.measurement, where, levels, from_node.grouper, alert)


def _predicate(compiled: CompiledLambda) -> _Predicate | None:
    if not compiled.pure:
        return None
    return _Predicate(compiled, compiled.reference_order)
