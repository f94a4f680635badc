"""Window + InfluxQL conformance: Kapacitor's own results, end to end through the engine.

Each case runs its script over its line protocol with the engine and compares the final
httpOut content with what Kapacitor served: the exact wire JSON, and the Go type of every value
(the wire cannot tell int 0 from float 0.0). The cases are copied in
``tests/conformance/windows/`` (see PROVENANCE.md there).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tickmini.alerting.encode import alert_data_text
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine, Task
from tickmini.values import Point

DATA = Path(__file__).resolve().parents[1] / "conformance" / "windows"
WINDOW_CASES = sorted(p for p in (DATA / "cases").iterdir() if p.is_dir())
KAPACITOR_CASES = sorted(p for p in (DATA / "kapacitor").iterdir() if p.is_dir())


def go_type(value: object) -> str:
    """The ``value_types`` name of a value as it would be in Kapacitor's row."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return type(value).__name__


def read_case_points(case: Path, meta: dict) -> list[Point]:
    from tickmini.io.lineprotocol import read_points

    text = (case / "input.lp").read_text()
    dbrp = (meta["input_db"], meta["input_rp"])
    return list(read_points(io.StringIO(text), dbrp=dbrp, strict=True))


def run_case(case: Path, tmp_path: Path) -> tuple[Task, Engine, dict]:
    """Compile and run a case (handlers are not attached: events are read from the engine)."""
    meta = json.loads((case / "case.json").read_text())
    script = (case / "script.tick").read_text()
    for placeholder in meta.get("placeholders", {}):
        if "PATH" in placeholder:
            target = str(tmp_path / placeholder.strip("_").lower())
        else:
            target = "http://127.0.0.1:9/unused"
        script = script.replace(placeholder, target)
    pipeline = compile_script(script, str(case / "script.tick"))
    engine = Engine()
    dbrps = [(d["db"], d["rp"]) for d in meta["dbrps"]]
    task = engine.add_task(pipeline, name=meta["task_id"], dbrps=dbrps)
    engine.run(read_case_points(case, meta))
    assert task.error is None
    return task, engine, meta


def check_http_out(task: Task, endpoint: str, expected_path: Path, meta: dict) -> None:
    http_out = task.http_out(endpoint)
    expected = json.loads(expected_path.read_text())
    got = json.loads(http_out.result_json())
    for series in expected["series"]:  # expected.json spells out what the wire omits
        for key in ("tags", "columns", "values"):
            if not series.get(key):
                series.pop(key, None)
    assert got == expected
    types = [
        [["time", *(go_type(v) for v in row[1:])] for row in row_set.values]
        for row_set in http_out.rows()
    ]
    if "value_types" in meta:
        assert types == meta["value_types"]


@pytest.mark.parametrize("case", WINDOW_CASES, ids=[p.name for p in WINDOW_CASES])
def test_window_case(case: Path, tmp_path: Path) -> None:
    task, _engine, meta = run_case(case, tmp_path)
    check_http_out(task, meta["endpoint"], case / "expected.json", meta)
    wire = (case / "expected_wire.json").read_text().strip()
    assert task.http_out(meta["endpoint"]).result_json().strip() == wire


@pytest.mark.parametrize("case", KAPACITOR_CASES, ids=[p.name for p in KAPACITOR_CASES])
def test_kapacitor_window_case(case: Path, tmp_path: Path) -> None:
    task, engine, meta = run_case(case, tmp_path)
    if meta["output"] == "httpOut":
        endpoint = next(iter(task.http_outs()))
        check_http_out(task, endpoint, case / "expected.json", meta)
        return
    httpout = meta.get("httpout")
    if httpout:
        check_http_out(task, httpout["endpoint"], case / httpout["file"], meta)
    expected = json.loads((case / "expected.json").read_text())
    if meta["output"] == "victorops":  # one request per event and handler
        got_keys = {(e.id, e.level.name, e.time // 1_000_000_000) for e in engine.events}
        expected_keys = {
            (r["body"]["entity_id"], r["body"]["message_type"], r["body"]["timestamp"])
            for r in expected
        }
        assert got_keys == expected_keys
        return
    assert len(engine.events) == meta.get("expected_count", len(expected))
    if meta["output"] in ("post", "log"):
        compared = [k for k in meta["compare"] if k != "count"]
        got = [json.loads(alert_data_text(event)) for event in engine.events]
        for got_event, expected_event in zip(got, expected, strict=True):
            for key in compared:
                if key == "details" and "__" in str(expected_event.get(key, "")):
                    continue  # server UUID placeholders: checked by the templates tests
                assert got_event.get(key) == expected_event.get(key), key
