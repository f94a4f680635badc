"""The bytes handlers send, from the one alert/result encoder (``tickmini.alerting.encode``).

Kept as a thin seam so every handler encodes an event the same way: ``post``/``tcp``/``log``
send Kapacitor's alert JSON as ``json.Encoder`` writes it; VictorOps embeds the result JSON.
"""

from __future__ import annotations

from tickmini.alerting.event import AlertEvent, Level
from tickmini.gocompat.jsonenc import quote_string


def alert_json_line(event: AlertEvent) -> bytes:
    """``json.NewEncoder(w).Encode(event.AlertData())``: the alert JSON and one newline."""
    from tickmini.alerting import encode

    text = encode.alert_data_json(event)
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def result_json(event: AlertEvent) -> str:
    """``json.Marshal(event.Data.Result)``: ``{"series":[...]}`` (``{"series":null}`` if empty)."""
    from tickmini.alerting import encode

    return encode.result_json(event).rstrip("\n")


def victorops_message_type(level: Level) -> str:
    """OK is sent as ``RECOVERY``; other levels by name."""
    return "RECOVERY" if level == Level.OK else level.name


def victorops_body(event: AlertEvent, json_data: bool, *, message_type: str | None = None) -> bytes:
    """The body Kapacitor's ``json.Encoder`` writes for its six-key map: keys sorted, ``\\n``."""
    result = result_json(event)
    data = result if json_data else quote_string(result)
    text = (
        '{"data":'
        + data
        + ',"entity_id":'
        + quote_string(event.id)
        + ',"message_type":'
        + quote_string(message_type or victorops_message_type(event.level))
        + ',"monitoring_tool":"kapacitor","state_message":'
        + quote_string(event.message)
        + ',"timestamp":'
        + str(event.time // 1_000_000_000)
        + "}\n"
    )
    return text.encode("utf-8")
