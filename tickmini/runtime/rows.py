"""``models.Row`` for points and batches (reference 4.9): what events and httpOut carry."""

from __future__ import annotations

from tickmini.alerting.event import Row
from tickmini.values import Batch, Point


def point_row(point: Point) -> Row:
    """A point as a Row: all its tags, columns ``time`` + sorted field names, one value row."""
    fields = point.fields
    names = sorted(fields)
    return Row(
        name=point.name,
        tags=point.tags,
        columns=["time", *names],
        values=[[point.time, *(fields[n] for n in names)]],
    )


def batch_row(batch: Batch) -> Row:
    """A batch as a Row: group tags; columns from the first point's fields and extra tags."""
    points = batch.points
    if not points:
        return Row(name=batch.name, tags=batch.tags, columns=[], values=[])
    first = points[0]
    group_tags = batch.tags
    names = set(first.fields)
    names.update(k for k in first.tags if k not in group_tags)
    columns = sorted(names)
    values: list[list[object]] = []
    for p in points:
        fields, tags = p.fields, p.tags
        row: list[object] = [p.time]
        for c in columns:
            if c in fields:
                row.append(fields[c])
            else:
                row.append(tags.get(c))
        values.append(row)
    return Row(name=batch.name, tags=group_tags, columns=["time", *columns], values=values)
