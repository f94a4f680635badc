"""An alert node's timeline as a table: the columns of the reference's worked example (4.5).

| time | group | v | level | changed | event sent | duration | emitted downstream | why not sent |
"""

from __future__ import annotations

from collections.abc import Sequence

from tickmini.alerting.event import Level
from tickmini.gocompat.durations import format_go_duration
from tickmini.gocompat.timefmt import format_rfc3339nano
from tickmini.teach.lambdas import value_text
from tickmini.teach.observers import AlertRow


def row_cells(row: AlertRow, names: Sequence[str]) -> list[str]:
    """One row as text cells (the order of :func:`header_cells`)."""
    sent = "no"
    if row.sent is not None:
        sent = row.sent.name
        if row.sent == Level.OK:
            sent += " (recovery)"
    return [
        format_rfc3339nano(row.time),
        row.group,
        *(value_text(row.values[n]) if n in row.values else "-" for n in names),
        row.level.name,
        "yes" if row.before != row.level else "no",
        sent,
        format_go_duration(row.duration) if row.duration is not None else "-",
        "yes" if row.emitted else "no",
        "" if row.sent is not None else row.reason.removeprefix("not sent: "),
    ]


def header_cells(names: Sequence[str]) -> list[str]:
    return [
        "time",
        "group",
        *names,
        "level",
        "changed",
        "event sent",
        "duration",
        "emitted downstream",
        "why not sent",
    ]


def render_timeline(node: str, rows: Sequence[AlertRow]) -> list[str]:
    """The table as lines (a title, a header, a rule, one line per row)."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row.values))
    header = header_cells(list(names))
    body = [row_cells(row, list(names)) for row in rows]
    widths = [max(len(cells[i]) for cells in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = (c.ljust(w) for c, w in zip(cells, widths, strict=True))
        return ("| " + " | ".join(padded) + " |").rstrip()

    lines = [f"timeline of {node} ({len(rows)} traced points)", line(header)]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines.extend(line(cells) for cells in body)
    lines.append("")
    return lines
