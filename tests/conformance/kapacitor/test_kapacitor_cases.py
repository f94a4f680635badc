"""Kapacitor's own integration-test cases, end to end through the engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pipeline_cases import case_dirs, compare_events, compare_http_out, run_case

HERE = Path(__file__).parent
CASES = case_dirs(HERE)
EVENT_OUTPUTS = ("post", "log", "topic handler")


@pytest.mark.parametrize("directory", CASES, ids=[d.name for d in CASES])
def test_case(directory: Path, tmp_path: Path) -> None:
    run = run_case(directory, tmp_path)
    case = run.case
    assert not run.errors
    if case["output"] == "httpOut":
        (name,) = run.http_out
        assert compare_http_out(run.expected, run.http_out[name]), run.http_out[name]
        return
    if case["output"] == "victorops" or "url_path" in run.expected[0]:
        # The request bodies are checked end to end by the CLI tests; here: the events.
        assert run.deliveries == case["expected_count"]
        return
    assert case["output"] in EVENT_OUTPUTS
    assert compare_events(run) == []
    httpout_file = directory / "expected_httpout.json"
    if httpout_file.exists():
        expected = json.loads(httpout_file.read_text(encoding="utf-8"))
        (name,) = run.http_out
        assert compare_http_out(expected, run.http_out[name]), run.http_out[name]
