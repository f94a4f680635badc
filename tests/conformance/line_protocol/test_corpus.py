"""The decode cases of InfluxData's line-protocol corpus, read the way Kapacitor (InfluxDB 1.x) reads.

Every case must give the corpus's points or its error, except the cases in differences.json, where
Kapacitor's 1.x parser deliberately differs from the v2 decoder that produced the corpus.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest

from tickmini.io import read_points

HERE = Path(__file__).parent
CASES: dict[str, dict] = json.loads((HERE / "corpus.json").read_text(encoding="utf-8"))["decode"]
DIFFERENCES_FILE = json.loads((HERE / "differences.json").read_text(encoding="utf-8"))
DIFFERENCES: dict[str, dict] = {d["key"]: d for d in DIFFERENCES_FILE["differences"]}
PRECISIONS = {"1ns": "n", "1µs": "u", "1ms": "ms", "1s": "s", "1m": "m", "1h": "h"}


def _typed(value: object) -> tuple[str, object]:
    if isinstance(value, bool):
        return "bool", value
    if isinstance(value, int):
        return "int", value
    if isinstance(value, float):
        return "float", value
    return "string", value


def _read(case_input: dict) -> tuple[list[tuple], int]:
    text = case_input["text"]
    data = base64.b64decode(text["binary"]) if isinstance(text, dict) else text.encode("utf-8")
    default_time = case_input["defaultTime"]
    reader = read_points(
        io.BytesIO(data), precision=PRECISIONS[case_input["precision"]], now=lambda: default_time
    )
    points = [(p.name, p.tags, {k: _typed(v) for k, v in p.fields.items()}, p.time) for p in reader]
    return points, reader.stats.rejected


def _expected(output: dict) -> list[tuple]:
    return [
        (
            p["name"],
            {t["key"]: t["value"] for t in p["tags"]},
            {f["key"]: next(iter(f["value"].items())) for f in p["fields"]},
            p["time"],
        )
        for p in output["result"]
    ]


@pytest.mark.parametrize("key", sorted(CASES))
def test_decode_case(key: str) -> None:
    case = CASES[key]
    points, rejected = _read(case["input"])
    difference = DIFFERENCES.get(key)
    if difference is not None:
        assert difference["reason"] in DIFFERENCES_FILE["reasons"]
        if difference["tickmini"] == "error":
            assert rejected > 0 and "result" in case["output"], (
                "listed difference no longer differs"
            )
        else:
            assert rejected == 0 and "error" in case["output"], (
                "listed difference no longer differs"
            )
            assert len(points) == difference["points"]
        return
    if "error" in case["output"]:
        assert rejected > 0, f"corpus expects an error: {case['output']['error']}"
    else:
        assert rejected == 0
        assert points == _expected(case["output"])


def test_every_difference_has_a_reason() -> None:
    reasons = DIFFERENCES_FILE["reasons"]
    assert all(d["reason"] in reasons and d["key"] in CASES for d in DIFFERENCES.values())
    assert {d["reason"] for d in DIFFERENCES.values()} == set(reasons)
