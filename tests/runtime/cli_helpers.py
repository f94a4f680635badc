"""What the ``tickmini run`` CLI tests share: input files in ``tmp_path`` and one in-process run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickmini.cli.main import main


def write_inputs(tmp_path: Path, script: str, data: str) -> tuple[str, str]:
    """``cpu_alert.tick`` and ``cpu.lp`` in ``tmp_path``; their paths."""
    tick = tmp_path / "cpu_alert.tick"
    tick.write_text(script, encoding="utf-8")
    points = tmp_path / "cpu.lp"
    points.write_text(data, encoding="utf-8")
    return str(tick), str(points)


def two_points(t0: int) -> str:
    """An idle-5 point and an idle-50 point of host a, one second apart (CRITICAL, then OK)."""
    return f"cpu,host=a usage_idle=5 {t0}\ncpu,host=a usage_idle=50 {t0 + 10**9}\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(args)`` with its exit code, stdout and stderr."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err
