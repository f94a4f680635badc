"""Every alertstate case (random scripts over Kapacitor's alert state machine) end to end."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def _load_harness():
    path = HERE.parent / "kapacitor" / "pipeline_cases.py"
    spec = importlib.util.spec_from_file_location("pipeline_cases_alertstate", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


harness = _load_harness()
CASES = harness.case_dirs(HERE)


@pytest.mark.parametrize("directory", CASES, ids=[d.name for d in CASES])
def test_alertstate_case(directory: Path, tmp_path: Path) -> None:
    run = harness.run_case(directory, tmp_path)
    assert not run.errors
    assert run.case["expected_count"] == len(run.expected)
    assert harness.compare_events(run) == []
