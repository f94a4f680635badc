"""The runtime node interface every node implements.

Push-based: a parent calls ``point()`` or ``batch()`` on each child. Stream edges carry
``Point``s, batch edges carry ``Batch``es (a window and what follows it). ``finish()`` is the end
of input: like Kapacitor's replay it closes the stream without flushing open windows.
"""

from __future__ import annotations

from tickmini.values import Batch, Point


class RuntimeNode:
    """Base class: holds the children and forwards to them."""

    __slots__ = ("children", "name")

    def __init__(self, name: str) -> None:
        self.name = name  # Kapacitor's node name: kind + pipeline id, e.g. "alert2"
        self.children: list[RuntimeNode] = []

    def point(self, point: Point) -> None:
        raise NotImplementedError(f"{self.name} does not accept points")

    def batch(self, batch: Batch) -> None:
        raise NotImplementedError(f"{self.name} does not accept batches")

    def finish(self) -> None:
        for child in self.children:
            child.finish()

    def emit_point(self, point: Point) -> None:
        for child in self.children:
            child.point(point)

    def emit_batch(self, batch: Batch) -> None:
        for child in self.children:
            child.batch(batch)
