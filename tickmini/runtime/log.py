"""``|log()``: writes every point or batch it sees as one logfmt line, then forwards it."""

from __future__ import annotations

from tickmini.alerting.encode import row_json
from tickmini.gocompat.timefmt import format_rfc3339nano
from tickmini.pipeline.definition import NodeDef
from tickmini.runtime.context import TaskContext
from tickmini.runtime.node import RuntimeNode
from tickmini.runtime.rows import batch_row, point_row
from tickmini.values import Batch, Point


class LogNode(RuntimeNode):
    def __init__(self, definition: NodeDef, context: TaskContext) -> None:
        super().__init__(definition.name)
        self.level = str(definition.properties["level"]).lower()
        self.prefix = str(definition.properties["prefix"])
        self.task_name = context.task_name
        self.sink = context.log_sink

    def _write(self, kind: str, time: int, data: str) -> None:
        if self.sink is not None:
            self.sink(
                f"ts={format_rfc3339nano(time)} lvl={self.level} msg={kind} "
                f"task={self.task_name} node={self.name} prefix={self.prefix!r} data={data}"
            )

    def point(self, point: Point) -> None:
        self._write("point", point.time, row_json(point_row(point)))
        self.emit_point(point)

    def batch(self, batch: Batch) -> None:
        self._write("batch", batch.time, row_json(batch_row(batch)))
        self.emit_batch(batch)
