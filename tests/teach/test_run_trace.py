"""``tickmini run --trace``: the run command prints the trace between its event lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickmini.cli.main import main

SCRIPT = """stream
  |from()
    .measurement('m')
  |alert()
    .crit(lambda: "v" > 80)
"""
# The worked example of the reference, section 4.5: v = 50, 90, 95, 70, 70, 85 at t = 0..5 s.
DATA = "".join(f"m v={v} {i * 10**9}\n" for i, v in enumerate((50, 90, 95, 70, 70, 85)))


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    script = tmp_path / "w.tick"
    script.write_text(SCRIPT)
    data = tmp_path / "w.lp"
    data.write_text(DATA)
    code = main(["run", str(script), "--input", str(data), *extra])
    return code, capsys.readouterr().out


def test_run_trace_shows_lambda_values_and_why_events_were_not_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(tmp_path, capsys, "--trace")
    assert code == 0
    assert '"v" > 80 -> 70 > 80 -> false' in out
    assert "not sent: OK and unchanged" in out
    rows = [line for line in out.splitlines() if line.startswith("| 1970-")]
    assert [row.split("|")[4].strip() for row in rows] == [
        "OK",
        "CRITICAL",
        "CRITICAL",
        "OK",
        "OK",
        "CRITICAL",
    ]
    assert [row.split("|")[7].strip() for row in rows] == ["-", "0s", "1s", "2s", "-", "0s"]
    # the event lines are still printed, each before the trace of the point that caused it
    assert out.index("CRITICAL m:nil m:nil is CRITICAL") < out.index("point 3 at")


def test_run_without_trace_prints_only_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(tmp_path, capsys)
    assert code == 0
    assert "timeline of" not in out
    assert len(out.splitlines()) == 4
