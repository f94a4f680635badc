"""Kapacitor's alert JSON (``alert.Data``) and ``models.Result`` JSON, byte for byte.

``alert_data_json`` is what ``.post()``, ``.tcp()`` and ``.log()`` send (reference 4.8): struct
order ``id, message, details, time, duration, level, data, previousLevel, recoverable``, written
by ``json.Encoder`` (trailing newline). Rows (reference 4.9) omit empty ``name``/``tags``/
``columns``/``values``; the first value of each row is its time, written as RFC3339Nano.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tickmini.alerting.event import AlertEvent, Row
from tickmini.gocompat.jsonenc import encode, quote_string
from tickmini.gocompat.timefmt import format_rfc3339nano

__all__ = [
    "alert_data_json",
    "alert_data_text",
    "quote_text",
    "result_json",
    "result_text",
    "row_json",
    "string_list_json",
    "string_map_json",
    "value_json",
]

# Characters Go's HTML-safe JSON strings escape (tickmini.gocompat.jsonstr), for the checks of
# the fast paths below; what they find goes through quote_string.
_NEEDS_ESCAPE = re.compile('[\\x00-\\x1f"\\\\<>&\\u2028\\u2029\\ud800-\\udfff]')
# Characters whose JSON escapes are not one of the replacements of quote_text's fast path.
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\\\\\u2028\u2029\ud800-\udfff]")


def quote_text(text: str) -> str:
    """:func:`quote_string` (Go's HTML-safe JSON string) for long texts such as rendered
    details, full of ``&#34;``: five ``str.replace`` calls instead of one regex callback per
    escaped character; anything unusual goes through ``quote_string``."""
    if _UNUSUAL.search(text) is not None:
        return quote_string(text)
    return (
        '"'
        + text.replace("&", "\\u0026")
        .replace('"', '\\"')
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\n", "\\n")
        + '"'
    )


def value_json(value: object) -> str:
    """One row value. Floats whose ``repr`` is plain decimal take a shortcut: Go's JSON float
    then has the same shortest digits in fixed notation, minus a trailing ``.0``; everything
    else goes through the Go encoder."""
    if type(value) is float:
        text = repr(value)
        if "e" not in text and "n" not in text:
            return text[:-2] if text.endswith(".0") else text
    return encode(value)


def string_list_json(texts: Sequence[str]) -> str:
    """A ``[]string`` (columns). When no string needs an escape (one search over all of them),
    each is its own JSON text between quotes; otherwise each goes through ``quote_string``."""
    if not texts:
        return "[]"
    if _NEEDS_ESCAPE.search("".join(texts)) is None:
        return '["' + '","'.join(texts) + '"]'
    return "[" + ",".join(map(quote_string, texts)) + "]"


def string_map_json(items: Mapping[str, str]) -> str:
    """A ``map[string]string`` (tags): sorted keys, as ``json.Marshal`` writes it."""
    if not items:
        return "{}"
    keys = sorted(items)
    values = [items[k] for k in keys]
    if _NEEDS_ESCAPE.search("".join(keys) + "".join(values)) is None:
        return "{" + ",".join(f'"{k}":"{v}"' for k, v in zip(keys, values, strict=True)) + "}"
    return "{" + ",".join(quote_string(k) + ":" + quote_string(items[k]) for k in keys) + "}"


def row_json(row: Row) -> str:
    """One ``models.Row`` (``omitempty`` on every member)."""
    parts: list[str] = []
    if row.name:
        parts.append('"name":' + quote_string(row.name))
    if row.tags:
        parts.append('"tags":' + string_map_json(row.tags))
    if row.columns:
        parts.append('"columns":' + string_list_json(row.columns))
    if row.values:
        rows = []
        for values in row.values:
            cells = ['"' + format_rfc3339nano(values[0]) + '"']  # type: ignore[arg-type]
            cells.extend(value_json(v) for v in values[1:])
            rows.append("[" + ",".join(cells) + "]")
        parts.append('"values":[' + ",".join(rows) + "]")
    return "{" + ",".join(parts) + "}"


def result_text(series: list[Row] | None) -> str:
    """``json.Marshal(models.Result{Series: series})``: ``{"series":[...]}`` or ``null``."""
    if not series:
        return '{"series":null}'
    return '{"series":[' + ",".join(row_json(r) for r in series) + "]}"


def result_json(event: AlertEvent) -> str:
    """The event's ``Data.Result`` as compact JSON (no newline)."""
    return result_text(event.series)


def alert_data_text(event: AlertEvent) -> str:
    """``json.Marshal(event.AlertData())`` without the encoder's newline."""
    return (
        '{"id":'
        + quote_string(event.id)
        + ',"message":'
        + quote_text(event.message)
        + ',"details":'
        + quote_text(event.details)
        + ',"time":"'
        + format_rfc3339nano(event.time)
        + '","duration":'
        + str(event.duration)
        + ',"level":"'
        + event.level.name
        + '","data":'
        + result_text(event.series)
        + ',"previousLevel":"'
        + event.previous_level.name
        + '","recoverable":'
        + ("true" if event.recoverable else "false")
        + "}"
    )


def alert_data_json(event: AlertEvent) -> str:
    """``json.NewEncoder(w).Encode(event.AlertData())``: the alert JSON and one newline."""
    return alert_data_text(event) + "\n"
