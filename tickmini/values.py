"""Plain data that flows through tickmini: points and the exact-time value types.

Kept dependency-free and tiny, since every layer (lambdas, line protocol, nodes, templates)
uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FieldValue = "float | int | str | bool | Duration"


@dataclass(frozen=True, slots=True)
class Duration:
    """A Go ``time.Duration``: exact integer nanoseconds (never a float)."""

    nanoseconds: int


@dataclass(frozen=True, slots=True)
class Time:
    """A Go ``time.Time`` as integer nanoseconds since the Unix epoch, UTC."""

    nanoseconds: int


@dataclass(slots=True)
class Point:
    """One data point: measurement name, tags, fields, time in nanoseconds since the epoch.

    ``database``/``retention_policy`` say where it was written; ``dimensions`` are the group-by
    tag names set by ``from().groupBy()``/``|groupBy()`` and ``group_id`` the Kapacitor group
    ID string derived from them ("" is Kapacitor's nil group).
    """

    name: str
    tags: dict[str, str]
    fields: dict[str, object]
    time: int
    database: str = ""
    retention_policy: str = ""
    dimensions: tuple[str, ...] = ()
    by_measurement: bool = False
    group_id: str = ""


@dataclass(slots=True)
class Batch:
    """A window of points for one group (Kapacitor's batch edge: begin, points, end).

    ``time`` is the batch time (tmax); ``tags`` are the group tags only.
    """

    name: str
    tags: dict[str, str]
    time: int
    points: list[Point] = field(default_factory=list)
    dimensions: tuple[str, ...] = ()
    by_measurement: bool = False
    group_id: str = ""
