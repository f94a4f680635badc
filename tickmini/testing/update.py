"""``--update``: write the actual alert events into the test file, for review.

Only each case's ``expect: alerts:`` block is rewritten, in place in the text, so comments and
everything else in the file stay as they were. The events are written with the keys the case
already checked plus level, id, message, time (as an offset from the case start) and duration.
"""

from __future__ import annotations

import os
import tempfile

import yaml

from tickmini.testing.model import RuleCase, RuleTestFile
from tickmini.testing.results import FileResult
from tickmini.testing.timefmt import format_duration, format_rfc3339
from tickmini.testing.yamldoc import Path, YamlDoc

DEFAULT_KEYS = ("time", "level", "id", "message", "duration")
# Characters PyYAML's emitter mangles outside double quotes (it treats them as line breaks).
_UNSAFE_PLAIN = ("\x85", "\u2028", "\u2029")


class _Dumper(yaml.SafeDumper):
    """Safe dumping whose strings always read back exactly."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if any(c in data for c in _UNSAFE_PLAIN) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _yaml(value: object) -> str:
    return yaml.dump(
        value,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )


KEY_ORDER = (
    "time",
    "level",
    "previousLevel",
    "id",
    "message",
    "details",
    "duration",
    "recoverable",
    "name",
    "tags",
    "fields",
    "data",
)


def event_for_file(view: dict[str, object], keys: tuple[str, ...], start: int) -> dict[str, object]:
    """The mapping written for one actual event (times as offsets from the case start)."""
    out: dict[str, object] = {}
    for key in KEY_ORDER:
        if key not in keys or key not in view:
            continue
        value = view[key]
        if key == "time" and isinstance(value, int):
            offset = value - start
            value = format_duration(offset) if offset >= 0 else format_rfc3339(value)
        elif key == "duration" and isinstance(value, int):
            value = format_duration(value)
        out[key] = value
    return out


def keys_for_case(case: RuleCase) -> tuple[str, ...]:
    used = set(DEFAULT_KEYS)
    for expected in case.expect.alerts or []:
        used.update(expected.values)
    return tuple(k for k in KEY_ORDER if k in used)


def updated_text(test_file: RuleTestFile, actual: dict[int, list[dict[str, object]]]) -> str:
    """The file's text with each listed case's alerts replaced (``actual``: case index → views)."""
    doc = test_file.doc
    edits: list[tuple[int, int, str]] = []
    for case in test_file.cases:
        if case.index not in actual:
            continue
        events = [event_for_file(v, keys_for_case(case), case.start) for v in actual[case.index]]
        edits.append(_edit_for_case(doc, case, events))
    text = doc.text
    for begin, end, replacement in sorted(edits, reverse=True):
        text = text[:begin] + replacement + text[end:]
    return text


def _edit_for_case(
    doc: YamlDoc, case: RuleCase, events: list[dict[str, object]]
) -> tuple[int, int, str]:
    expect_path: Path = (*case.path, "expect")
    alerts_path: Path = (*expect_path, "alerts")
    expect_node = doc.nodes[expect_path]
    if alerts_path in doc.nodes and not expect_node.flow_style:
        key = doc.keys[alerts_path]
        value_node = doc.nodes[alerts_path]
        end = _line_end(doc.text, _content_end(value_node))
        block = _dump(events, key.column - 1 + 2)
        return key.end_index, end, ":" + block
    if not expect_node.flow_style:
        # Block ``expect:`` without ``alerts``: add it as the mapping's first key.
        indent = expect_node.start_mark.column
        begin = _line_start(doc.text, expect_node.start_mark.index)
        block = _dump(events, indent + 2)
        return begin, begin, " " * indent + "alerts:" + block + "\n"
    # Flow ``expect: {...}``: rewrite the whole value as a block mapping.
    key = doc.keys[expect_path]
    current = (
        yaml.safe_load(doc.text[expect_node.start_mark.index : expect_node.end_mark.index]) or {}
    )
    current["alerts"] = "__ALERTS__"
    indent = key.column - 1 + 2
    lines = [""]
    for name in current:
        if name == "alerts":
            lines.append(" " * indent + "alerts:" + _dump(events, indent + 2).rstrip("\n"))
        else:
            dumped = _yaml({name: current[name]})
            lines.extend(" " * indent + line for line in dumped.rstrip("\n").split("\n"))
    return key.end_index, expect_node.end_mark.index, ":" + "\n".join(lines)


def _dump(events: list[dict[str, object]], indent: int) -> str:
    """``\\n``-prefixed block (or `` []``) for the value of ``alerts:`` at ``indent`` spaces."""
    if not events:
        return " []"
    dumped = _yaml(events)
    return "\n" + "\n".join(
        " " * indent + line if line else line for line in dumped.rstrip("\n").split("\n")
    )


def _content_end(node: yaml.Node) -> int:
    """Where a node's own text ends (PyYAML's block end marks run on over comments)."""
    if isinstance(node, yaml.ScalarNode) or node.flow_style or not node.value:
        return node.end_mark.index
    last = node.value[-1]
    return _content_end(last[1] if isinstance(node, yaml.MappingNode) else last)


def _line_end(text: str, index: int) -> int:
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def write_update(path: str, text: str) -> None:
    """Replace the file atomically (a crash never leaves half a test file)."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".tickmini-update-", suffix=".yaml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def apply_update(test_file: RuleTestFile, result: FileResult) -> tuple[int, int]:
    """Rewrite the failing cases' alerts with the actual events.

    Returns (cases updated, failing cases that the update cannot fix: their requests, httpOut
    or counts differ).
    """
    from tickmini.testing.results import FAIL
    from tickmini.testing.views import event_view

    actual: dict[int, list[dict[str, object]]] = {}
    left = 0
    for case_result in result.cases:
        if case_result.status != FAIL:
            continue
        if any(not s.ok and s.kind != "alerts" for s in case_result.sections):
            left += 1
        with_data = any("data" in e.values for e in case_result.case.expect.alerts or [])
        actual[case_result.case.index] = [event_view(e, with_data) for e in case_result.events]
    if actual:
        write_update(test_file.path, updated_text(test_file, actual))
    return len(actual), left
