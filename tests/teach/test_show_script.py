"""``tickmini show SCRIPT``: issue 10's spelling of ``explain``; ``show TASK`` stays Kapacitor's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickmini.cli.main import main

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_show_a_script_is_the_explain_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(SAMPLES / "cpu_alert.tick")]) == 0
    shown = capsys.readouterr().out
    assert main(["explain", str(SAMPLES / "cpu_alert.tick")]) == 0
    assert shown == capsys.readouterr().out
    assert "alert2" in shown and ".topic: 'cpu'" in shown


def test_show_a_script_dot(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(SAMPLES / "cpu_alert.tick"), "--dot"]) == 0
    assert (
        capsys.readouterr().out == "digraph cpu_alert {\nstream0 -> from1;\nfrom1 -> alert2;\n}\n"
    )


def test_show_a_task_name_still_reads_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "cpu_alert", "--home", str(tmp_path)]) == 3
    assert "no task 'cpu_alert' exists" in capsys.readouterr().err
