"""Review finding (fixed): `tickmini resend` crashed with a traceback on some malformed `.log()`
dead-letter records instead of reporting a positioned error (exit 3), as it does for a
string mode or a missing path. Each record below is the one the log handler writes, with
one value changed."""

from __future__ import annotations

import json
from pathlib import Path

from tickmini.cli.main import main


def _record(path: Path) -> dict[str, object]:
    return {
        "attempts": 2,
        "body": '{"id":"cpu:nil","level":"CRITICAL"}\n',
        "destination": str(path),
        "error": "No such file or directory",
        "handler": "log",
        "incident": "cpu:nil",
        "mode": 0o600,
        "path": str(path),
        "time": "2026-11-26T13:16:26.839938+00:00",
    }


def _resend(tmp_path: Path, change: dict[str, object]) -> int:
    record = _record(tmp_path / "alerts.log") | change
    dead = tmp_path / "dead.jsonl"
    dead.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return main(["resend", str(dead), "--retry-for", "0"])


def test_string_mode_is_a_positioned_error(tmp_path: Path) -> None:
    # The control: a malformed record the checker already catches.
    assert _resend(tmp_path, {"mode": "0644"}) == 3


def test_mode_out_of_range_is_an_error_not_a_crash(tmp_path: Path) -> None:
    assert _resend(tmp_path, {"mode": 99_999_999_999}) == 3


def test_path_with_nul_is_an_error_not_a_crash(tmp_path: Path) -> None:
    assert _resend(tmp_path, {"path": str(tmp_path / "a\x00b.log")}) == 3


def test_body_with_lone_surrogate_is_an_error_not_a_crash(tmp_path: Path) -> None:
    assert _resend(tmp_path, {"body": "x\ud800y\n"}) == 3
