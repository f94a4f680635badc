"""Kapacitor's own template output (tests/conformance/templates) rendered by our engine directly.

Each event is rendered from its point with the data the alert node builds (idInfo, messageInfo,
detailsInfo); level and duration are taken from the expected event (they belong to the alert
state machine, which is tested elsewhere). ``crit(lambda: TRUE)`` makes every selected point an
event, so events and points pair up in order.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tickmini.errors import TemplateError
from tickmini.gocompat.template.kapacitor import (
    DEFAULT_DETAILS_TEMPLATE,
    DEFAULT_ID_TEMPLATE,
    DEFAULT_MESSAGE_TEMPLATE,
    compile_details,
    compile_id,
    compile_message,
    details_data,
    id_data,
    message_data,
    server_info,
)
from tickmini.io.lineprotocol import read_points

CASES = Path(__file__).resolve().parents[1] / "conformance" / "templates"
CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())
ERRORS = [
    json.loads(line) for line in (CASES / "ERRORS.jsonl").read_text().splitlines() if line.strip()
]
SERVER = server_info("localhost", "__CLUSTER_ID__", "__SERVER_ID__")


def tick_string_property(script: str, name: str) -> str | None:
    """The TICKscript string argument of ``.name(...)`` (single or triple quoted)."""
    match = re.search(r"\." + name + r"\((?:'''(.*?)'''|'((?:[^'\\]|\\.)*)')\)", script, re.S)
    if match is None:
        return None
    if match.group(1) is not None:
        return match.group(1)
    return match.group(2).replace("\\'", "'")


def group_id(script: str, tags: dict[str, str]) -> str:
    """Kapacitor's group ID for the script's ``groupBy`` (sorted tag names; "" is nil)."""
    match = re.search(r"\.groupBy\(([^)]*)\)", script)
    if match is None:
        return ""
    if match.group(1).strip() == "*":
        names = sorted(tags)
    else:
        names = sorted(re.findall(r"'([^']*)'", match.group(1)))
    return ",".join(f"{name}={tags.get(name, '')}" for name in names)


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_renders_like_kapacitor(case: Path) -> None:
    script = (case / "script.tick").read_text()
    meta = json.loads((case / "case.json").read_text())
    expected = json.loads((case / "expected.json").read_text())
    measurement = re.search(r"\.measurement\('([^']*)'\)", script)
    points = [
        p
        for p in read_points(str(case / "input.lp"))
        if measurement is None or p.name == measurement.group(1)
    ]
    assert len(points) == len(expected)
    id_tmpl = compile_id(tick_string_property(script, "id") or DEFAULT_ID_TEMPLATE)
    message_source = tick_string_property(script, "message")
    message_tmpl = compile_message(
        DEFAULT_MESSAGE_TEMPLATE if message_source is None else message_source
    )
    details_source = tick_string_property(script, "details")
    details_tmpl = compile_details(
        DEFAULT_DETAILS_TEMPLATE if details_source is None else details_source
    )
    for point, event in zip(points, expected, strict=True):
        ids = id_data(point.name, meta["task_id"], group_id(script, point.tags), point.tags, SERVER)
        alert_id = id_tmpl.render(ids)
        msg = message_data(
            ids, alert_id, point.fields, event["level"], point.time, event["duration"]
        )
        message = message_tmpl.render(msg)
        details = details_tmpl.render(details_data(msg, message))
        assert (alert_id, message, details) == (event["id"], event["message"], event["details"])


def _compile(where: str, source: str):
    return {"id": compile_id, "message": compile_message, "details": compile_details}[where](source)


@pytest.mark.parametrize(
    "error", [e for e in ERRORS if e["stage"] == "parse"], ids=lambda e: e["template"]
)
def test_parse_errors_rejected_at_compile(error: dict[str, str]) -> None:
    with pytest.raises(TemplateError) as caught:
        _compile(error["where"], error["template"])
    assert caught.value.message == error["error"]


@pytest.mark.parametrize(
    "error", [e for e in ERRORS if e["stage"] == "execute"], ids=lambda e: e["template"]
)
def test_execute_errors_raise_at_render(error: dict[str, str]) -> None:
    template = _compile(error["where"], error["template"])  # compiles: Go only fails on execute
    (point,) = read_points(__import__("io").BytesIO(error["point"].encode()))
    ids = id_data(point.name, error["task_id"], "", point.tags, SERVER)
    data = ids
    if error["where"] != "id":
        msg = message_data(ids, "m:nil", point.fields, "CRITICAL", point.time, 0)
        data = msg if error["where"] == "message" else details_data(msg, "m:nil is CRITICAL")
    with pytest.raises(TemplateError) as caught:
        template.render(data)
    if error.get("match") == "prefix":
        assert caught.value.message.startswith(error["error_prefix"])
    else:
        assert caught.value.message == error["error"]
