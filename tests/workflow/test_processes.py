"""Real processes on one store: two replays at once, a replay killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tickmini.alerting.event import Level
from tickmini.cli.main import main
from tickmini.store import HomeLock, Store
from tickmini.store.location import LOCK_NAME

T0 = 1_700_000_000_000_000_000
SECOND = 1_000_000_000
SCRIPT = """stream
    |from()
        .measurement('cpu')
        .groupBy('host')
    |alert()
        .crit(lambda: "usage_idle" < 10)
        .message('{{ index .Tags "host" }} is hot')
        .topic('cpu')
"""


def _home(tmp_path: Path) -> Path:
    script = tmp_path / "hot.tick"
    script.write_text(SCRIPT)
    home = tmp_path / "home"
    assert main(["define", "hot", "--home", str(home), "-tick", str(script)]) == 0
    assert main(["enable", "hot", "--home", str(home)]) == 0
    return home


def _data(path: Path, host: str, count: int, start: int = 0) -> Path:
    with path.open("w") as out:
        for i in range(start, start + count):
            out.write(f"cpu,host={host} usage_idle=5 {T0 + i * SECOND}\n")
    return path


def _replay(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tickmini", "replay", "--home", str(home), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_replays_at_once_lose_nothing(tmp_path: Path) -> None:
    home = _home(tmp_path)
    count = 3000
    a = _data(tmp_path / "a.lp", "serverA", count)
    b = _data(tmp_path / "b.lp", "serverB", count)
    first = _replay(home, "--input", str(a), "--save-every", "100")
    second = _replay(home, "--input", str(b), "--save-every", "100")
    errors = [p.communicate(timeout=120)[1] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], errors
    with Store.open(home) as store:
        assert store.connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        topic = store.topics()["cpu"]
    assert topic.collected == 2 * count
    last = T0 + (count - 1) * SECOND
    assert {s.id: (s.level, s.time) for s in topic.states.values()} == {
        "cpu:host=serverA": (Level.CRITICAL, last),
        "cpu:host=serverB": (Level.CRITICAL, last),
    }


def test_a_replay_waits_for_the_other_and_says_so(tmp_path: Path) -> None:
    home = _home(tmp_path)
    data = _data(tmp_path / "a.lp", "serverA", 3)
    lock = HomeLock(home / LOCK_NAME)
    lock.acquire(1.0, print)
    try:
        waiting = _replay(home, "--input", str(data), "--wait", "60")
        assert waiting.stderr is not None
        line = waiting.stderr.readline()
        assert f"waiting for another replay (pid {os.getpid()})" in line
    finally:
        lock.release()
    _, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "3 points read" in err


def test_a_replay_that_cannot_wait_fails_clearly(tmp_path: Path) -> None:
    home = _home(tmp_path)
    data = _data(tmp_path / "a.lp", "serverA", 3)
    lock = HomeLock(home / LOCK_NAME)
    lock.acquire(1.0, print)
    try:
        busy = _replay(home, "--input", str(data), "--wait", "0.2")
        _, err = busy.communicate(timeout=60)
    finally:
        lock.release()
    assert busy.returncode == 3
    assert "is busy: another tickmini replay" in err and "--wait" in err
    with Store.open(home) as store:
        assert store.topics() == {}  # nothing was read, nothing written


def _collected(home: Path) -> int:
    try:
        connection = sqlite3.connect(home / "tickmini.db", timeout=5)
        try:
            row = connection.execute("SELECT max(collected) FROM topics").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return 0
    return int(row[0] or 0)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_replay_keeps_the_last_save(tmp_path: Path) -> None:
    home = _home(tmp_path)
    save_every = 500
    data = _data(tmp_path / "big.lp", "serverA", 150_000)
    process = _replay(home, "--input", str(data), "--save-every", str(save_every))
    deadline = time.monotonic() + 60
    while _collected(home) < 2 * save_every and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL  # killed mid-way, not finished
    with Store.open(home) as store:
        assert store.connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        topic = store.topics()["cpu"]
    # A consistent save: every point so far made one CRITICAL event of the one incident.
    assert topic.collected >= 2 * save_every and topic.collected % save_every == 0
    (state,) = topic.states.values()
    assert state.level is Level.CRITICAL
    assert state.time == T0 + (topic.collected - 1) * SECOND
    assert state.duration == (topic.collected - 1) * SECOND
    # The next replay opens the store and continues the incident.
    after = _data(tmp_path / "next.lp", "serverA", 1, start=400_000)
    follow = _replay(home, "--input", str(after), "--format", "json")
    follow.stdout = None
    _, err = follow.communicate(timeout=60)
    assert follow.returncode == 0, err
    with Store.open(home) as store:
        (state,) = store.topics()["cpu"].states.values()
    assert state.duration == (400_000 - (topic.collected - 1)) * SECOND


def test_ctrl_c_mid_replay_saves_what_was_processed(tmp_path: Path) -> None:
    home = _home(tmp_path)
    total = 300_000
    data = _data(tmp_path / "big.lp", "serverA", total)
    # No periodic save: whatever is stored was saved on the way out.
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tickmini",
            "replay",
            "--home",
            str(home),
            "--input",
            str(data),
            "--save-every",
            str(10**9),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert "CRITICAL" in process.stdout.readline()  # events flow: points are being fed
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted" in err
    with Store.open(home) as store:
        topic = store.topics()["cpu"]
    assert 0 < topic.collected < total
    (state,) = topic.states.values()
    assert state.time == T0 + (topic.collected - 1) * SECOND
