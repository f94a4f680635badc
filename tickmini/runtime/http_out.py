"""``|httpOut('name')`` (reference 3.7): the latest point or batch of each group, as a Result.

Groups keep the order in which they first reached the node (Kapacitor's ``NewGroup``).
"""

from __future__ import annotations

from tickmini.alerting.encode import result_text
from tickmini.alerting.event import Row
from tickmini.pipeline.definition import NodeDef
from tickmini.runtime.context import TaskContext
from tickmini.runtime.node import RuntimeNode
from tickmini.runtime.rows import batch_row, point_row
from tickmini.values import Batch, Point


class HTTPOutNode(RuntimeNode):
    def __init__(self, definition: NodeDef, context: TaskContext) -> None:
        super().__init__(definition.name)
        self.endpoint: str = definition.properties["endpoint"]
        self.latest: dict[str, Point | Batch] = {}

    def point(self, point: Point) -> None:
        self.latest[point.group_id] = point
        self.emit_point(point)

    def batch(self, batch: Batch) -> None:
        self.latest[batch.group_id] = batch
        self.emit_batch(batch)

    def rows(self) -> list[Row]:
        """The served series: one Row per group, in group-creation order."""
        return [
            batch_row(item) if isinstance(item, Batch) else point_row(item)
            for item in self.latest.values()
        ]

    def result_json(self) -> str:
        """The JSON Kapacitor serves at ``/kapacitor/v1/tasks/<task>/<name>``."""
        return result_text(self.rows())
