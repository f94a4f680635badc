"""``tickmini run``: output formats, summary, dry run, exit codes."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from cli_helpers import run, two_points, write_inputs

from tickmini.cli.main import main

T0 = 31536000_000_000_000
SCRIPT = """stream
    |from()
        .measurement('cpu')
    |alert()
        .crit(lambda: "usage_idle" < 10)
        .message('{{ .ID }} idle {{ index .Fields "usage_idle" }}\nsecond line')
        .details('')
"""


def files(tmp_path: Path, script: str = SCRIPT, data: str | None = None) -> tuple[str, str]:
    return write_inputs(tmp_path, script, data if data is not None else two_points(T0))


def test_text_format_one_line_per_event(tmp_path: Path, capsys) -> None:
    script, data = files(tmp_path)
    code, out, err = run(["run", script, "--input", data], capsys)
    assert code == 0, err
    assert out.splitlines() == [
        "1971-01-01T00:00:00Z CRITICAL cpu:nil cpu:nil idle 5\\nsecond line",
        "1971-01-01T00:00:01Z OK       cpu:nil cpu:nil idle 50\\nsecond line",
    ]
    assert "2 points read, 0 rejected; 2 events (1 CRITICAL, 0 WARNING, 0 INFO, 1 OK)" in err


def test_task_name_defaults_to_the_script_name(tmp_path: Path, capsys) -> None:
    script, data = files(tmp_path, SCRIPT.replace("'{{ .ID }}", "'{{ .TaskName }}"))
    _, out, _ = run(["run", script, "--input", data], capsys)
    assert " cpu_alert idle 5" in out


def test_rejected_line_exits_1_and_is_reported(tmp_path: Path, capsys) -> None:
    script, data = files(tmp_path, data=f"cpu,host=a usage_idle=5 {T0}\ncpu usage_idle=\n")
    code, out, err = run(["run", script, "--input", data, "--format", "json"], capsys)
    assert code == 1
    assert len(out.splitlines()) == 1
    assert "cpu.lp:2:" in err and "1 rejected" in err


def test_bad_script_exits_3_before_reading(tmp_path: Path, capsys) -> None:
    script, data = files(tmp_path, SCRIPT.replace(".crit(", ".crt("))
    code, out, err = run(["run", script, "--input", data], capsys)
    assert code == 3 and out == ""
    assert "cpu_alert.tick:5:10: error" in err and "did you mean .crit?" in err


def test_template_execute_error_exits_1(tmp_path: Path, capsys) -> None:
    script, data = files(
        tmp_path, SCRIPT.replace(".details('')", ".details('').id('{{ .Level }}')")
    )
    code, out, err = run(["run", script, "--input", data], capsys)
    assert code == 1 and out == ""
    assert "can't evaluate field Level" in err and "stopped" in err


def test_dry_run_shows_the_request_and_send_is_needed(tmp_path: Path, capsys) -> None:
    script, data = files(tmp_path, SCRIPT + "        .post('http://127.0.0.1:9/alert')\n")
    code, _, err = run(["run", script, "--input", data], capsys)
    assert code == 0
    assert err.count("dry run, not sent") == 2 and "http://127.0.0.1:9/alert" in err
    assert "2 request(s) not sent (dry run; use --send)" in err


def test_victorops_lowercase_warns_and_strict_refuses(tmp_path: Path, capsys) -> None:
    script, data = files(tmp_path, SCRIPT + "        .victorops()\n")
    conf = tmp_path / "kapacitor.conf"
    conf.write_text("[victorops]\nenabled = true\n", encoding="utf-8")
    config = ["--config", str(conf)]
    code, _, err = run(["run", script, "--input", data, *config], capsys)
    assert code == 0 and "warning: .victorops() is accepted by tickmini" in err
    code, _, err = run(["run", script, "--input", data, "--strict", *config], capsys)
    assert code == 3 and "Kapacitor would reject" in err


def test_bad_dbrp_is_a_usage_error(tmp_path: Path, capsys) -> None:
    script, data = files(tmp_path)
    code, _, err = run(["run", script, "--input", data, "--dbrp", "nodot"], capsys)
    assert code == 2 and "DATABASE.RETENTION_POLICY" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(tmp_path: Path, monkeypatch, capsys) -> None:
    import tickmini.cli.common as common_module
    import tickmini.io.sources as sources_module

    data = "".join(f"cpu,host=a usage_idle=50 {T0 + i}\n" for i in range(50))
    script, path = files(tmp_path, data=data)
    line_chars = len(data) // 50
    monkeypatch.setattr(sources_module, "BLOCK_CHARS", 10 * line_chars)  # 10 lines a block
    monkeypatch.setattr(common_module, "PROGRESS_SECONDS", 0.0)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["run", script, "--input", path]) == 0
    shown = terminal.getvalue()
    assert "\r10 points" in shown and "\r50 points" in shown and "100% read" in shown
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["run", script, "--input", path]) == 0
    assert "points/s" not in sys.stderr.getvalue()


def test_replay_shows_progress_only_on_a_terminal(tmp_path: Path, monkeypatch) -> None:
    import tickmini.cli.common as common_module
    import tickmini.io.sources as sources_module

    data = "".join(f"cpu,host=a usage_idle=50 {T0 + i}\n" for i in range(50))
    script, path = files(tmp_path, data=data)
    monkeypatch.setenv("TICKMINI_HOME", str(tmp_path / "home"))
    assert main(["define", "cpu", "--tick", script, "--dbrp", "db.rp"]) == 0
    monkeypatch.setattr(sources_module, "BLOCK_CHARS", 10 * (len(data) // 50))
    monkeypatch.setattr(common_module, "PROGRESS_SECONDS", 0.0)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["replay", "--input", path, "--dbrp", "db.rp"]) == 0
    assert "\r10 points" in terminal.getvalue() and "\r50 points" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["replay", "--input", path, "--dbrp", "db.rp"]) == 0
    assert "points/s" not in sys.stderr.getvalue()


def test_strict_stops_at_the_first_bad_line(tmp_path: Path, capsys) -> None:
    bad = f"cpu,host=a usage_idle=5 {T0}\nnot line protocol\ncpu,host=a usage_idle=6 {T0 + 1}\n"
    script, data = files(tmp_path, data=bad)
    code, out, err = run(["run", script, "--input", data, "--strict"], capsys)
    assert code == 3
    assert len(out.splitlines()) == 1  # the point before the bad line, nothing after it
    assert "cpu.lp:2:" in err
    code, out, _ = run(["run", script, "--input", data], capsys)
    assert code == 1 and len(out.splitlines()) == 2  # without --strict: reported and skipped


def test_recordings_keep_their_dbrp_and_the_task_filters_them(tmp_path: Path, capsys) -> None:
    script, _ = files(tmp_path, script='dbrp "db1"."rp1"\n' + SCRIPT)
    recording = tmp_path / "r.srpl"
    recording.write_text(
        f"db1\nrp1\ncpu,host=a usage_idle=5 {T0}\ndb2\nrp2\ncpu,host=b usage_idle=6 {T0 + 1}\n"
    )
    code, out, _ = run(["run", script, "--input", str(recording)], capsys)
    assert code == 0
    assert len(out.splitlines()) == 1  # only the db1.rp1 point reached the task


def test_a_closed_stdout_stops_quietly(tmp_path: Path) -> None:
    """``tickmini run ... | head -1``: exit 1 without a traceback, services closed."""
    import subprocess

    data = "".join(f"cpu,host=h{i} usage_idle=5 {T0 + i}\n" for i in range(20000))
    script, path = files(
        tmp_path, script=SCRIPT.replace("|alert()", "|alert().details('')"), data=data
    )
    command = [sys.executable, "-m", "tickmini", "run", script, "--input", path]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read()
        code = process.wait(timeout=60)
    assert code == 1
    assert "Traceback" not in err
