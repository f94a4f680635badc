"""Actual results as plain dicts with the test file's key names, ready to compare and print."""

from __future__ import annotations

import json

from tickmini.alerting.encode import result_json
from tickmini.alerting.event import AlertEvent


def event_view(event: AlertEvent, with_data: bool = False) -> dict[str, object]:
    """An alert event under the keys a test file checks (``data`` only when asked: it costs)."""
    view: dict[str, object] = {
        "level": event.level.name,
        "id": event.id,
        "message": event.message,
        "details": event.details,
        "time": event.time,
        "duration": event.duration,
        "previousLevel": event.previous_level.name,
        "recoverable": event.recoverable,
        "name": event.name,
        "tags": event.tags,
        "fields": event.fields,
    }
    if with_data:
        view["data"] = normalise_result(json.loads(result_json(event)))
    return view


def normalise_result(result: object) -> object:
    """Kapacitor omits empty ``tags`` (and ``series: null`` when empty); compare as if present."""
    if isinstance(result, dict):
        series = result.get("series")
        if series is None and "series" in result:
            result = {**result, "series": []}
        elif isinstance(series, list):
            rows = []
            for row in series:
                if isinstance(row, dict) and "tags" not in row:
                    row = {**row, "tags": {}}
                rows.append(row)
            result = {**result, "series": rows}
    return result


def normalise_body(body: object) -> object:
    """A request body with its alert ``data`` (post, log, tcp) normalised like event data."""
    if isinstance(body, dict) and isinstance(body.get("data"), dict):
        return {**body, "data": normalise_result(body["data"])}
    return body
