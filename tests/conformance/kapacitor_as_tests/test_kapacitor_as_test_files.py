"""Kapacitor's own integration-test cases, written as ``tickmini test`` files, all pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickmini.cli.main import main
from tickmini.testing import assert_test_file

HERE = Path(__file__).resolve().parent
CASES = sorted(p.parent.name for p in HERE.glob("*/test.yaml"))


def test_every_case_was_converted() -> None:
    assert len(CASES) == 17


@pytest.mark.parametrize("case", CASES)
def test_case_passes(case: str) -> None:
    result = assert_test_file(HERE / case / "test.yaml")
    assert [c.case.name for c in result.cases] == [case]


def test_all_at_once_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(HERE / c / "test.yaml") for c in CASES]
    assert main(["test", *files, "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert out.count("PASS ") == len(CASES)
