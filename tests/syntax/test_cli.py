"""``tickmini check`` and ``tickmini fmt`` on real files: output, exit codes, --write, stdin."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from tickmini.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.tick"))
GOOD = "stream|from().measurement('cpu')|alert().crit(lambda: \"usage_idle\" < 10)\n"
GOOD_FORMATTED = (
    "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n"
    '        .crit(lambda: "usage_idle" < 10)\n'
)
BAD = 'stream\n    |from()\n    |where(lambda: "a" > 1 && "b" < 2)\n'


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def feed_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_check_accepts_the_samples(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(sample)]) == 0
    assert capsys.readouterr().out == f"{sample}: ok\n"


def test_check_reports_errors_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "good.tick", GOOD)
    bad = write(tmp_path, "bad.tick", BAD)
    assert main(["check", str(good), str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"{good}: ok\n"
    assert captured.err.startswith(f"{bad}:3:28: error: unexpected character '&'\n")
    assert "hint: TICKscript writes logical and as AND" in captured.err


def test_check_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-q", str(write(tmp_path, "good.tick", GOOD))]) == 0
    assert capsys.readouterr().out == ""


def test_check_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_stdin(monkeypatch, BAD)
    assert main(["check", "-"]) == 1
    assert capsys.readouterr().err.startswith("<stdin>:3:28: error:")


def test_check_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check"])
    assert caught.value.code == 2
    assert main(["check", str(tmp_path / "missing.tick")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_fmt_prints_tickfmt_output(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = write(tmp_path, "a.tick", GOOD)
    assert main(["fmt", str(path)]) == 0
    assert capsysbinary.readouterr().out.decode("utf-8") == GOOD_FORMATTED
    assert path.read_text(encoding="utf-8") == GOOD  # untouched without --write


def test_fmt_write_rewrites_in_place_and_keeps_the_mode(tmp_path: Path) -> None:
    path = write(tmp_path, "a.tick", GOOD)
    path.chmod(0o640)
    assert main(["fmt", "--write", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == GOOD_FORMATTED
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tick"]  # no temporary file left


def test_fmt_leaves_a_script_that_does_not_parse_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "bad.tick", BAD)
    assert main(["fmt", "--write", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == BAD
    assert "error: unexpected character '&'" in capsys.readouterr().err


def test_fmt_check_lists_unformatted_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = write(tmp_path, "messy.tick", GOOD)
    tidy = write(tmp_path, "tidy.tick", GOOD_FORMATTED)
    assert main(["fmt", "--check", str(tidy)]) == 0
    assert main(["fmt", "--check", str(messy), str(tidy)]) == 1
    assert capsys.readouterr().out == f"{messy}\n"


def test_fmt_stdin_and_write_together_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--write", "-"]) == 2


def test_fmt_keeps_bytes_that_are_not_utf8_inside_strings(tmp_path: Path) -> None:
    path = tmp_path / "latin1.tick"
    path.write_bytes(b"var x='caf\xe9'")
    assert main(["fmt", "-w", str(path)]) == 0
    assert path.read_bytes() == b"var x = 'caf\xe9'\n"


def test_help_does_not_import_lark() -> None:
    code = (
        "import sys\nfrom tickmini.cli.main import main\n"
        "try:\n    main(['check', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('lark' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("False")
