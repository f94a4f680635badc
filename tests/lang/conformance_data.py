"""Decoding of the lambda conformance files (tests/conformance/lambda, see PROVENANCE.md)."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tickmini.gocompat.durations import parse_influxql_duration
from tickmini.values import Duration, Point

DATA = Path(__file__).resolve().parent.parent / "conformance" / "lambda"

_SPECIAL = {"NaN": math.nan, "+Inf": math.inf, "-Inf": -math.inf}


def load(name: str) -> list[dict[str, Any]]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def field_value(raw: Any) -> object:
    if isinstance(raw, dict) and "float" in raw:
        return _SPECIAL[raw["float"]]
    if isinstance(raw, dict) and "duration" in raw:
        return Duration(parse_influxql_duration(raw["duration"]))
    return raw


def time_ns(text: str | None) -> int:
    if text is None:
        return 0
    whole, _, fraction = text.rstrip("Z").partition(".")
    seconds = datetime.fromisoformat(whole).replace(tzinfo=timezone.utc).timestamp()
    return int(seconds) * 1_000_000_000 + int((fraction or "0").ljust(9, "0")[:9])


def point(fields: dict[str, Any], tags: dict[str, str], time: str | None = None) -> Point:
    return Point("m", dict(tags), {k: field_value(v) for k, v in fields.items()}, time_ns(time))


def check_value(actual: object, expect: dict[str, Any], where: str) -> None:
    kind, value = expect["type"], expect["value"]
    if kind == "int":
        assert type(actual) is int and actual == value, f"{where}: got {actual!r}, want int {value}"
    elif kind == "float":
        assert type(actual) is float, f"{where}: got {actual!r}, want float {value}"
        wanted = _SPECIAL[value] if isinstance(value, str) else float(value)
        if math.isnan(wanted):
            assert math.isnan(actual), f"{where}: got {actual!r}, want NaN"
        else:
            assert actual == wanted, f"{where}: got {actual!r}, want {wanted!r}"
            assert math.copysign(1, actual) == math.copysign(1, wanted), f"{where}: sign of zero"
    elif kind == "string":
        assert type(actual) is str and actual == value, f"{where}: got {actual!r}, want {value!r}"
    elif kind == "boolean":
        assert type(actual) is bool and actual is value, f"{where}: got {actual!r}, want {value}"
    elif kind == "duration":
        assert isinstance(actual, Duration) and actual.nanoseconds == value, (
            f"{where}: got {actual!r}, want duration {value}"
        )
    else:  # pragma: no cover - a new kind in the data must be handled here
        raise AssertionError(f"{where}: unknown expected type {kind}")
