"""A case's input points: series notation and line protocol, merged in time order."""

from __future__ import annotations

import io

from tickmini.errors import LineProtocolError
from tickmini.testing.errors import RuleTestError
from tickmini.testing.model import InlineData, RuleCase
from tickmini.testing.series import build_points
from tickmini.values import Point

_PRECISION_NAMES = {"ns": "n", "us": "u"}


def case_points(case: RuleCase, default_dbrp: tuple[str, str]) -> list[Point]:
    """All points of ``case``, stably sorted by time (line protocol first at equal times)."""
    database = case.database or default_dbrp[0]
    rp = case.retention_policy or default_dbrp[1]
    points: list[Point] = []
    for data in case.data:
        points.extend(_read_line_protocol(data, database, rp, case.start))
    if case.series:
        points.extend(
            build_points(
                ((s.key, s.samples) for s in case.series), case.start, case.interval, database, rp
            )
        )
    if case.data and case.series:
        points.sort(key=lambda p: p.time)
    return points


def _read_line_protocol(data: InlineData, database: str, rp: str, start: int) -> list[Point]:
    """Strictly parsed points; an error points at the line in the test (or data) file.

    Lines without a timestamp get the case start (as one write at that time), not the clock.
    """
    from tickmini.io.lineprotocol import read_points

    precision = _PRECISION_NAMES.get(data.precision, data.precision)
    try:
        return list(
            read_points(
                io.StringIO(data.text),
                precision=precision,
                dbrp=(database, rp),
                strict=True,
                now=lambda: start,
            )
        )
    except LineProtocolError as err:
        line = err.line + data.first_line - 1 if err.line is not None else None
        column = err.column + data.indent if err.column is not None else None
        source_line = err.source_line
        if line is not None and data.file_lines is not None and 0 < line <= len(data.file_lines):
            source_line = data.file_lines[line - 1]
        raise RuleTestError(
            f"bad line protocol: {err.message}",
            file=data.source,
            line=line,
            column=column,
            source_line=source_line,
            expected=err.expected,
            hint=err.hint,
        ) from None
