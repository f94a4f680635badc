"""Run a conformance case (script.tick, input.lp, case.json, expected.json) and compare.

Shared by the alertstate, kapacitor and templates conformance tests. Events are compared as the
conformance README says: every key the case lists in ``compare``; ``data`` after a JSON round
trip (10 equals 10.0); ids, messages and details exactly, with ``__CLUSTER_ID__`` and
``__SERVER_ID__`` standing for any value.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tickmini.alerting.encode import alert_data_json
from tickmini.alerting.event import AlertEvent
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine

PLACEHOLDER_URL = "http://127.0.0.1:9/alert"
_UUID_PLACEHOLDERS = ("__CLUSTER_ID__", "__SERVER_ID__")


@dataclass
class Recorder:
    """A handler that keeps the JSON body ``.post()`` would send for each event."""

    bodies: list[dict] = field(default_factory=list)

    def handle(self, event: AlertEvent) -> None:
        self.bodies.append(json.loads(alert_data_json(event)))


@dataclass
class CaseRun:
    case: dict
    expected: list | dict
    bodies: list[dict]
    http_out: dict[str, dict]
    errors: list
    deliveries: int = 0  # bodies received by all handlers together


def case_dirs(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if (p / "case.json").exists())


def substitute(text: str, tmp_path: Path) -> str:
    text = text.replace("__POST_URL__", PLACEHOLDER_URL)
    for index in (1, 2):
        text = text.replace(f"__LOG_PATH_{index}__", str(tmp_path / f"alerts{index}.log"))
    return text


def read_case_points(path: Path, case: dict):
    from tickmini.io.lineprotocol import read_points

    with path.open("rb") as handle:
        return list(read_points(handle, dbrp=(case["input_db"], case["input_rp"])))


def run_case(directory: Path, tmp_path: Path) -> CaseRun:
    """Run one case through the engine, recording what the alert handlers receive."""
    case = json.loads((directory / "case.json").read_text(encoding="utf-8"))
    expected = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    script = substitute((directory / "script.tick").read_text(encoding="utf-8"), tmp_path)
    pipeline = compile_script(script, str(directory / "script.tick"))
    recorders: list[Recorder] = []

    def make_handler(spec: object) -> Recorder:
        recorders.append(Recorder())
        return recorders[-1]

    engine = Engine(make_handler=make_handler)
    topic_handler = case.get("topic_handler")
    if topic_handler:
        engine.topics.register_handler(topic_handler["topic"], make_handler(None))
    dbrps = [(d["db"], d["rp"]) for d in case["dbrps"]]
    task = engine.add_task(pipeline, name=case["task_id"], dbrps=None if pipeline.dbrps else dbrps)
    engine.run(read_case_points(directory / "input.lp", case))
    http_out = {name: json.loads(node.result_json()) for name, node in task.http_outs().items()}
    bodies = recorders[0].bodies if recorders else []
    # Several handlers on one alert (two .log() files) each receive every event.
    assert all(r.bodies == bodies for r in recorders)
    deliveries = sum(len(r.bodies) for r in recorders)
    return CaseRun(case, expected, bodies, http_out, engine.errors, deliveries)


def _template_match(expected: str, actual: str) -> bool:
    if not any(p in expected for p in _UUID_PLACEHOLDERS):
        return expected == actual
    pattern = re.escape(expected)
    for placeholder in _UUID_PLACEHOLDERS:
        pattern = pattern.replace(re.escape(placeholder), ".*?")
    return re.fullmatch(pattern, actual, flags=re.DOTALL) is not None


def event_problems(expected: dict, actual: dict, keys: list[str]) -> list[str]:
    problems = []
    for key in keys:
        if key == "count" or key not in expected:
            continue
        want, got = expected[key], actual.get(key)
        if key == "data":
            want = _normalise_data(want)
            got = _normalise_data(got)
        if key == "details" and isinstance(want, str) and isinstance(got, str):
            if not _template_match(want, got):
                problems.append(f"details: expected {want!r}, got {got!r}")
            continue
        if want != got:
            problems.append(f"{key}: expected {want!r}, got {got!r}")
    return problems


def _normalise_data(data: object) -> object:
    """Kapacitor's tests omit empty tag maps; written as {} in some expected files."""
    if not isinstance(data, dict):
        return data
    series = []
    for row in data.get("series") or []:
        row = dict(row)
        if not row.get("tags"):
            row.pop("tags", None)
        series.append(row)
    return {**data, "series": series}


def compare_events(run: CaseRun, keys: list[str] | None = None) -> list[str]:
    """Problems between expected and recorded events (empty list: they match)."""
    if keys is None:
        keys = run.case.get("compare") or (list(run.expected[0]) if run.expected else [])
    expected: list = run.expected  # type: ignore[assignment]
    actual = run.bodies
    problems = []
    if len(expected) != len(actual):
        problems.append(f"count: expected {len(expected)} events, got {len(actual)}")
    if run.case.get("ordered", True):
        for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
            for problem in event_problems(want, got, keys):
                problems.append(f"event {index}: {problem}")
                if len(problems) > 20:
                    return problems
        return problems
    unmatched = list(actual)
    for want in expected:
        for got in unmatched:
            if not event_problems(want, got, keys):
                unmatched.remove(got)
                break
        else:
            problems.append(f"no event matches {want!r}")
    return problems


def compare_http_out(expected: dict, actual: dict) -> bool:
    """httpOut content equal after JSON decoding (numbers as floats, like the Go tests)."""
    return _floats(expected) == _floats(actual)


def _floats(value: object) -> object:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list):
        return [_floats(v) for v in value]
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items() if not (k == "tags" and not v)}
    return value


def level_counts(bodies: list[dict]) -> Counter:
    return Counter(b["level"] for b in bodies)
