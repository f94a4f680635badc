"""Helpers for the window/InfluxQL node tests: build points, collect what a node emits."""

from __future__ import annotations

from tickmini.runtime.node import RuntimeNode
from tickmini.values import Batch, Point

SECOND = 1_000_000_000
T0 = 31_536_000 * SECOND  # 1971-01-01T00:00:00Z, the time base of Kapacitor's test data


class Collector(RuntimeNode):
    """A leaf node that records every point and batch pushed into it."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        super().__init__("collector")
        self.items: list[Point | Batch] = []

    def point(self, point: Point) -> None:
        self.items.append(point)

    def batch(self, batch: Batch) -> None:
        self.items.append(batch)

    @property
    def batches(self) -> list[Batch]:
        return [item for item in self.items if isinstance(item, Batch)]

    @property
    def points(self) -> list[Point]:
        return [item for item in self.items if isinstance(item, Point)]


def make_point(
    seconds: float,
    fields: dict[str, object] | None = None,
    *,
    host: str | None = None,
    tags: dict[str, str] | None = None,
    name: str = "m",
    group_by: tuple[str, ...] = (),
) -> Point:
    """A point at T0 + seconds, grouped by ``group_by`` the way from().groupBy() groups."""
    all_tags = dict(tags or {})
    if host is not None:
        all_tags["host"] = host
    dims = tuple(sorted(group_by))
    return Point(
        name=name,
        tags=all_tags,
        fields=dict(fields if fields is not None else {"value": 1.0}),
        time=T0 + round(seconds * SECOND),
        dimensions=dims,
        group_id=",".join(f"{d}={all_tags.get(d, '')}" for d in dims),
    )


def attach(node: RuntimeNode) -> Collector:
    """Hang a collector under ``node`` and return it."""
    collector = Collector()
    node.children.append(collector)
    return collector
