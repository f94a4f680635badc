"""The human report of a test run: PASS/FAIL per case and a field-by-field diff of failures.

Plain text, or coloured with ANSI codes on a terminal (``color=True``): expected values in red,
actual values in green, as in a unified diff.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from tickmini.testing.compare import Mismatch, Pairing, first_difference
from tickmini.testing.results import ERROR, FAIL, PASS, CaseResult, Explanation, FileResult, Section
from tickmini.testing.timefmt import describe_time, format_go_duration

_RED, _GREEN, _YELLOW, _BOLD, _DIM, _RESET = (
    "\x1b[31m",
    "\x1b[32m",
    "\x1b[33m",
    "\x1b[1m",
    "\x1b[2m",
    "\x1b[0m",
)
_STATUS = {PASS: "PASS", FAIL: "FAIL", ERROR: "ERROR"}
_EVENT_SUMMARY_KEYS = ("level", "id", "time", "message")
_MAX_DIAGNOSTICS = 5


@dataclass(frozen=True, slots=True)
class Style:
    color: bool = False

    def paint(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text


def render_case(result: CaseResult, file_label: str, style: Style) -> str:
    """One case: its status line, then (when it did not pass) why."""
    status = _STATUS[result.status]
    code = {PASS: _GREEN, FAIL: _RED, ERROR: _YELLOW}[result.status]
    head = f"{style.paint(code + _BOLD, status):s} {file_label}: {result.case.name}"
    lines = [head if result.status == PASS else f"{head}  (line {result.case.line})"]
    if result.error is not None:
        lines.extend("    " + line for line in result.error.render().splitlines())
    for section in result.sections:
        if not section.ok:
            lines.extend(_render_section(section, result, style))
    if result.status != PASS and result.diagnostics:
        lines.append("  the task logged:")
        lines.extend(f"    {line}" for line in result.diagnostics[:_MAX_DIAGNOSTICS])
        if len(result.diagnostics) > _MAX_DIAGNOSTICS:
            lines.append(f"    ... and {len(result.diagnostics) - _MAX_DIAGNOSTICS} more")
    return "\n".join(lines)


def render_file_error(result: FileResult, style: Style) -> str:
    assert result.error is not None
    return f"{style.paint(_YELLOW + _BOLD, 'ERROR')} {result.path}\n" + "\n".join(
        "    " + line for line in result.error.render().splitlines()
    )


def render_summary(results: list[FileResult], seconds: float, style: Style) -> str:
    cases = [c for r in results for c in r.cases]
    passed = sum(1 for c in cases if c.status == PASS)
    failed = sum(1 for c in cases if c.status == FAIL)
    errors = sum(r.errored for r in results)
    parts = [style.paint(_GREEN, f"{passed} passed")]
    if failed:
        parts.append(style.paint(_RED, f"{failed} failed"))
    if errors:
        parts.append(style.paint(_YELLOW, f"{errors} errors"))
    return f"{', '.join(parts)} ({len(cases)} cases in {len(results)} files, {seconds:.2f}s)"


def _render_section(section: Section, result: CaseResult, style: Style) -> list[str]:
    start = result.case.start
    lines: list[str] = []
    if section.pairings or section.kind in ("alerts", "requests"):
        expected = sum(1 for p in section.pairings if p.expected is not None)
        noun = "alert events" if section.kind == "alerts" else "handler requests"
        lines.append(f"  {noun}: {expected} expected, {len(section.actual)} actual")
    for problem in section.problems:
        lines.append(f"  {section.kind}: {problem}")
    for pairing in section.pairings:
        lines.extend(_render_pairing(pairing, section, result, start, style))
    return lines


def _render_pairing(
    pairing: Pairing, section: Section, result: CaseResult, start: int, style: Style
) -> list[str]:
    what = "event" if section.kind == "alerts" else "request"
    if pairing.ok and pairing.actual_index is not None:
        index = pairing.actual_index
        summary = _summary(section.actual[index], start)
        return [style.paint(_DIM, f"    ok      {what} {index + 1}: {summary}")]
    lines: list[str] = []
    if pairing.expected is not None and pairing.actual_index is not None:
        actual = section.actual[pairing.actual_index]
        lines.append(
            f"    {style.paint(_RED + _BOLD, 'DIFFERS')} {what} {pairing.actual_index + 1} "
            f"(expected at line {pairing.expected.line}): {_summary(actual, start)}"
        )
        lines.extend(_render_mismatches(pairing.mismatches, start, style))
        if section.kind == "alerts":
            lines.extend(
                _render_explanation(
                    result.explained_events.get(pairing.actual_index), start, "caused by"
                )
            )
    elif pairing.expected is not None:
        lines.append(
            f"    {style.paint(_RED + _BOLD, 'MISSING')} expected {what} (line {pairing.expected.line}): "
            + style.paint(_RED, _inline(pairing.expected.values, start))
        )
        for explanation in result.explained_missing.get(pairing.expected.line, []):
            lines.extend(_render_explanation(explanation, start, "at the expected time:"))
        has_time = "time" in pairing.expected.values
        if (
            section.kind == "alerts"
            and has_time
            and pairing.expected.line not in result.explained_missing
        ):
            lines.append("      (no input point has that time)")
    else:
        index = pairing.actual_index or 0
        actual = section.actual[index]
        lines.append(
            f"    {style.paint(_GREEN + _BOLD, 'EXTRA')}   actual {what} {index + 1} was not expected: "
            + style.paint(_GREEN, _summary(actual, start))
        )
        if section.kind == "alerts":
            lines.extend(
                _render_explanation(result.explained_events.get(index), start, "caused by")
            )
    return lines


def _render_mismatches(items: list[Mismatch], start: int, style: Style) -> list[str]:
    width = max((len(m.key) for m in items), default=0)
    lines = []
    for m in items:
        want = _format(m.key, m.expected, start)
        got = "(absent)" if m.missing else _format(m.key, m.actual, start)
        lines.append(f"      {m.key.ljust(width)}  expected {style.paint(_RED, want)}")
        lines.append(f"      {' ' * width}  actual   {style.paint(_GREEN, got)}")
        if not m.missing and isinstance(m.expected, (dict, list)):
            where = first_difference(m.expected, m.actual)
            if where:
                lines.append(f"      {' ' * width}  first difference: {where}")
    return lines


def _render_explanation(explanation: Explanation | None, start: int, label: str) -> list[str]:
    if explanation is None:
        return []
    what = "batch" if explanation.batch else "point"
    where = ""
    if explanation.node:
        group = f", group {explanation.group}" if explanation.group else ""
        where = f" ({explanation.node}{group})"
    lines = [f"      {label} {what} at {describe_time(explanation.time, start)}{where}:"]
    lines.extend(f"        {line}" for line in explanation.point.splitlines())
    for value in explanation.lambdas:
        on = f"  (on {value.on})" if value.on else ""
        lines.append(f"        {value.label}: {value.source}  ->  {value.value}{on}")
    if explanation.transition:
        lines.append(f"        level {explanation.transition}, {explanation.outcome}")
    if explanation.note:
        lines.append(f"        ({explanation.note})")
    return lines


def _summary(view: Mapping[str, object], start: int) -> str:
    if "kind" in view and "body" in view:
        parts = [str(view["kind"])]
        if view.get("handler"):
            parts.append(f"handler {view['handler']}")
        if view.get("routing_key"):
            parts.append(f"routing key {view['routing_key']}")
        if view.get("url"):
            parts.append(str(view["url"]))
        return ", ".join(parts)
    return " ".join(
        _format(k, view[k], start) if k != "level" else str(view[k])
        for k in _EVENT_SUMMARY_KEYS
        if k in view
    )


def _inline(values: Mapping[str, object], start: int) -> str:
    return "{" + ", ".join(f"{k}: {_format(k, v, start)}" for k, v in values.items()) + "}"


def _format(key: str, value: object, start: int) -> str:
    """A value as the report shows it: times with their offset, durations Go-style."""
    base = key.split(".")[0]
    if base == "time" and isinstance(value, int) and not isinstance(value, bool):
        return describe_time(value, start)
    if base == "duration" and isinstance(value, int) and not isinstance(value, bool):
        return f"{format_go_duration(value)} ({value} ns)"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)
    except (TypeError, ValueError):
        return repr(value)
