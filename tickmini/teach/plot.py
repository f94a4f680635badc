"""``tickmini plot``: a picture of each alert node's timeline, one panel per group.

Each panel shows the fields the level lambdas read, a line at each constant threshold
(``"usage_idle" < 10`` -> a line at 10, dashed for level lambdas, dotted for resets), a band
coloured by the alert level between points, and a triangle on the top edge at each event sent.

matplotlib is optional (``pip install 'tickmini[plot]'``); it is imported only here, and only its
object API is used (no pyplot, so no global figure state).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tickmini.alerting.event import Level
from tickmini.errors import TickminiError, UsageError
from tickmini.teach.alert_explain import LEVEL_KEYS
from tickmini.teach.lambdas import thresholds
from tickmini.teach.observers import AlertObserver, AlertRow
from tickmini.teach.trace import Tracer

__all__ = ["Panel", "PlotUnavailable", "build_figure", "panels_of", "render_plot"]

FORMATS = ("png", "svg")
LEVEL_COLORS: dict[Level, str] = {
    Level.OK: "#2ca02c",
    Level.INFO: "#1f77b4",
    Level.WARNING: "#ff7f0e",
    Level.CRITICAL: "#d62728",
}
_LEVEL_OF_KEY = {key: level for level, key, _ in LEVEL_KEYS} | {
    reset: level for level, _, reset in LEVEL_KEYS
}
_FIELD_COLORS = ("#333333", "#7f3fbf", "#17becf", "#8c564b", "#e377c2")
_MAX_PANELS = 12


class PlotUnavailable(TickminiError):
    """matplotlib (the ``plot`` extra) is not installed."""


@dataclass(slots=True)
class Panel:
    """One alert node and group: its rows and the thresholds its lambdas compare against."""

    node: str
    group: str
    rows: list[AlertRow]
    fields: list[str]
    lines: list[tuple[str, str, float, Level, bool]]  # label, field, value, level, is_reset


def panels_of(tracer: Tracer) -> list[Panel]:
    """The panels to draw: per alert node, per group in order of first appearance."""
    panels: list[Panel] = []
    for observer in tracer.observers.values():
        if not isinstance(observer, AlertObserver):
            continue
        lines: list[tuple[str, str, float, Level, bool]] = []
        for key, explainer in observer.levels.lambdas.items():
            for t in sorted(thresholds(explainer), key=lambda t: (t.field, t.value)):
                label = f'{key}: "{t.field}" {t.op} {t.value:g}'
                lines.append((label, t.field, t.value, _LEVEL_OF_KEY[key], key.endswith("Reset")))
        groups: dict[str, list[AlertRow]] = {}
        for row in observer.rows:
            groups.setdefault(row.group, []).append(row)
        for group, rows in groups.items():
            numeric = [
                name
                for name in observer.levels.references
                if any(_number(r.values.get(name)) is not None for r in rows)
            ]
            panels.append(Panel(observer.definition.name, group, rows, numeric, lines))
    return panels


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _when(ns: int) -> datetime:
    return datetime.fromtimestamp(ns / 1e9, UTC)


def output_format(path: str) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(f"the plot file must end in .png or .svg, got {path!r}")
    return suffix


def render_plot(panels: Sequence[Panel], path: str, *, title: str = "") -> int:
    """Draw the panels (at most 12) into ``path`` (.png or .svg); returns how many were drawn."""
    fmt = output_format(path)
    figure = build_figure(panels, title=title)
    figure.savefig(path, format=fmt, dpi=110)
    return min(len(panels), _MAX_PANELS)


def build_figure(panels: Sequence[Panel], *, title: str = ""):
    """The matplotlib Figure of the panels (at most 12)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
    except ImportError:
        raise PlotUnavailable(
            "tickmini plot needs matplotlib, which is not installed",
            hint="pip install 'tickmini[plot]'",
        ) from None
    if not panels:
        raise UsageError("nothing to plot: no point reached an alert node")
    shown = list(panels[:_MAX_PANELS])
    figure = Figure(figsize=(12, 1.2 + 3.0 * len(shown)), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(shown), 1, squeeze=False, sharex=True)[:, 0]
    for ax, panel in zip(axes, shown, strict=True):
        _draw_panel(ax, panel, Line2D, Patch)
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    heading = title or "alert timeline"
    if len(panels) > len(shown):
        heading += f" (first {len(shown)} of {len(panels)} groups; use --trace-group to choose)"
    figure.suptitle(heading, fontsize=12)
    return figure


def _draw_panel(ax, panel: Panel, line_cls, patch_cls) -> None:
    rows = panel.rows
    times = [_when(r.time) for r in rows]
    series = _series(rows)
    color_index = 0
    for name in panel.fields:
        for label, members in series:
            ys = [_number(rows[i].values.get(name)) for i in members]
            ax.plot(
                [times[i] for i in members],
                [math.nan if y is None else y for y in ys],
                marker="o",
                markersize=4,
                linewidth=1.6,
                color=_FIELD_COLORS[color_index % len(_FIELD_COLORS)],
                label=f'"{name}"' + (f" ({label})" if label else ""),
                zorder=3,
            )
            color_index += 1
    for label, field, value, level, is_reset in panel.lines:
        if field not in panel.fields:
            continue
        ax.axhline(
            value,
            color=LEVEL_COLORS[level],
            linestyle=":" if is_reset else "--",
            linewidth=1.4,
            label=label,
            zorder=2,
        )
    _draw_bands(ax, rows, times)
    handles, _ = ax.get_legend_handles_labels()
    used = sorted({r.level for r in rows})
    handles += [
        patch_cls(color=LEVEL_COLORS[lv], alpha=0.25, label=f"level {lv.name}") for lv in used
    ]
    sent = [(t, r) for t, r in zip(times, rows, strict=True) if r.sent is not None]
    stacked: dict[datetime, int] = {}
    for t, row in sent:
        level = row.sent if row.sent is not None else Level.OK
        height = stacked.get(t, 0)
        stacked[t] = height + 1
        ax.plot(
            [t],
            [1.0 + 0.09 * height],  # events at the same time are stacked upwards
            transform=ax.get_xaxis_transform(),
            marker="v",
            markersize=11,
            color=LEVEL_COLORS[level],
            markeredgecolor="black",
            clip_on=False,
            zorder=5,
        )
    if sent:
        handles.append(
            line_cls(
                [],
                [],
                marker="v",
                linestyle="",
                color="#777777",
                markeredgecolor="black",
                markersize=9,
                label=f"event sent ({len(sent)})",
            )
        )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    title = f"{panel.node}: group {panel.group}"
    if len(series) > 1:
        title += f"  ({len(series)} tag sets share this group's alert state: no groupBy for them)"
    # Above the event marks (stacked marks reach higher).
    ax.set_title(title, loc="left", fontsize=10, pad=4 + 15 * max(stacked.values(), default=0))
    ax.grid(alpha=0.3)
    if not panel.fields:
        ax.text(0.5, 0.5, "the level lambdas read no numeric field", transform=ax.transAxes,
                ha="center")  # fmt: skip


def _draw_bands(ax, rows: Sequence[AlertRow], times: Sequence[datetime]) -> None:
    """A band per run of equal levels, from its first point to the next run's first point."""
    if not rows:
        return
    gaps = [(b - a) for a, b in itertools.pairwise(times) if b > a]
    tail = sorted(gaps)[len(gaps) // 2] if gaps else None
    start = 0
    for index in range(1, len(rows) + 1):
        if index < len(rows) and rows[index].level == rows[start].level:
            continue
        begin = times[start]
        if index < len(rows):
            end = times[index]
        else:
            end = times[-1] + tail if tail is not None else times[-1]
        level = rows[start].level
        if end > begin:
            alpha = 0.08 if level == Level.OK else 0.22
            ax.axvspan(begin, end, color=LEVEL_COLORS[level], alpha=alpha, linewidth=0, zorder=1)
        elif level != Level.OK:  # a level that lasted no time (the next point had the same time)
            ax.axvline(begin, color=LEVEL_COLORS[level], alpha=0.5, linewidth=4, zorder=1)
        start = index


def _series(rows: Sequence[AlertRow]) -> list[tuple[str, list[int]]]:
    """Row indexes per tag set, labelled by the tags that differ (one group can mix hosts)."""
    keys = sorted({k for r in rows for k in r.tags})
    varying = [k for k in keys if len({r.tags.get(k) for r in rows}) > 1]
    if not varying:
        return [("", list(range(len(rows))))]
    out: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        label = ",".join(f"{k}={row.tags.get(k, '')}" for k in varying)
        out.setdefault(label, []).append(index)
    return list(out.items())
