"""Group IDs and dimensions (reference 3.6: ``models.ToGroupID``)."""

from __future__ import annotations

from collections.abc import Callable

from tickmini.pipeline.definition import Star
from tickmini.values import Point


def group_id(name: str, tags: dict[str, str], dims: tuple[str, ...], by_name: bool) -> str:
    """``tag1=v1,tag2=v2`` over sorted dims (missing tag: ``tag=``), ``name\\n`` first by name."""
    if not dims:
        return name if by_name else ""
    body = ",".join(f"{d}={tags.get(d, '')}" for d in dims)
    return f"{name}\n{body}" if by_name else body


def make_grouper(
    dimensions: tuple[object, ...], exclude: tuple[str, ...], by_name: bool
) -> Callable[[Point], Point]:
    """A closure that returns a copy of a point with its dimensions and group ID set."""
    star = any(isinstance(d, Star) for d in dimensions)
    if star:
        excluded = frozenset(exclude)

        def group_star(p: Point) -> Point:
            dims = tuple(sorted(k for k in p.tags if k not in excluded))
            return _regrouped(p, dims, by_name, group_id(p.name, p.tags, dims, by_name))

        return group_star
    dims = tuple(sorted(str(d) for d in dimensions))
    if len(dims) == 1 and not by_name:
        (dim,) = dims
        prefix = dim + "="

        def group_one(p: Point) -> Point:
            return Point(
                p.name,
                p.tags,
                p.fields,
                p.time,
                p.database,
                p.retention_policy,
                dims,
                False,
                prefix + p.tags.get(dim, ""),
            )

        return group_one

    def group_named(p: Point) -> Point:
        return _regrouped(p, dims, by_name, group_id(p.name, p.tags, dims, by_name))

    return group_named


def _regrouped(p: Point, dims: tuple[str, ...], by_name: bool, gid: str) -> Point:
    return Point(
        name=p.name,
        tags=p.tags,
        fields=p.fields,
        time=p.time,
        database=p.database,
        retention_policy=p.retention_policy,
        dimensions=dims,
        by_measurement=by_name,
        group_id=gid,
    )
