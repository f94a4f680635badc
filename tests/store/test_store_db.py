"""The SQLite store: location, schema versions, round trips, refusing what it cannot use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tickmini.alerting.event import Level
from tickmini.alerting.topics import EventState
from tickmini.store import HandlerRecord, Store, StoreError, TaskRecord, resolve_home
from tickmini.store.schema import SCHEMA_VERSION


def test_home_order_flag_then_env_then_xdg_then_home() -> None:
    env = {"TICKMINI_HOME": "/t", "XDG_DATA_HOME": "/x", "HOME": "/h"}
    assert resolve_home("/flag", env) == Path("/flag")
    assert resolve_home(None, env) == Path("/t")
    assert resolve_home(None, {"XDG_DATA_HOME": "/x", "HOME": "/h"}) == Path("/x/tickmini")
    assert resolve_home(None, {"HOME": "/h"}) == Path("/h/.local/share/tickmini")


def test_new_store_is_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    with Store.open(tmp_path / "home") as store:
        assert store.schema_version() == SCHEMA_VERSION
        rows = store.connection.execute("SELECT version FROM migrations").fetchall()
        assert rows == [(SCHEMA_VERSION,)]
        assert store.connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with Store.open(tmp_path / "home") as again:  # reopening migrates nothing twice
        assert again.connection.execute("SELECT count(*) FROM migrations").fetchone() == (1,)


def test_a_store_from_a_newer_tickmini_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    connection = sqlite3.connect(tmp_path / "tickmini.db")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="newer than this tickmini"):
        Store.open(tmp_path)


def test_a_file_that_is_not_a_database_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "tickmini.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot be used"):
        Store.open(tmp_path)


def test_task_round_trip_keeps_created_and_script_bytes(tmp_path: Path) -> None:
    script = "// caf\udce9 not UTF-8\nstream|from()|alert()\n"
    with Store.open(tmp_path) as store:
        store.put_task(TaskRecord("t1", "stream", [("db", "rp")], script, created=5, modified=5))
        store.put_task(TaskRecord("t1", "stream", [], script, created=9, modified=9))
        (task,) = store.tasks()
    assert (task.created, task.modified, task.script, task.dbrps) == (5, 9, script, [])


def test_status_and_errors(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.put_task(TaskRecord("a", "stream", [], "x", created=1, modified=1))
        store.set_task_errors({"a": "boom"})
        store.set_status(["a"], "enabled", 7)
        task = store.task("a")
        assert task is not None
        assert (task.status, task.last_enabled, task.modified, task.error) == ("enabled", 7, 7, "")
        store.set_status(["a"], "disabled", 8)
        task = store.task("a")
        assert task is not None and (task.status, task.last_enabled) == ("disabled", 7)


def test_topic_state_round_trip_with_odd_text(tmp_path: Path) -> None:
    state = EventState("id/\udcff", "msg \u2028 \x00", "<b>", 10, 3, Level.WARNING)
    with Store.open(tmp_path) as store:
        store.save_topics({"main:t:alert2": 4}, [("main:t:alert2", state)])
        topics = store.topics()
    record = topics["main:t:alert2"]
    assert record.collected == 4 and record.states == {state.id: state}


def test_deleting_a_task_deletes_its_anonymous_topics_only(tmp_path: Path) -> None:
    state = EventState("e", "m", "", 1, 0, Level.CRITICAL)
    with Store.open(tmp_path) as store:
        store.put_task(TaskRecord("t", "stream", [], "x"))
        store.save_topics(
            {"main:t:alert2": 1, "main:tt:alert2": 1, "cpu": 1},
            [("main:t:alert2", state), ("main:tt:alert2", state), ("cpu", state)],
        )
        store.delete_tasks(["t"])
        assert store.tasks() == []
        assert sorted(store.topics()) == ["cpu", "main:tt:alert2"]
        store.delete_topics(["cpu"])
        assert sorted(store.topics()) == ["main:tt:alert2"]


def test_handlers_sorted_and_replaced(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.put_handler(HandlerRecord("cpu", "b", "log", "", {"path": "/tmp/x"}))
        store.put_handler(HandlerRecord("cpu", "a", "victorops", "level() > 1", {}))
        store.put_handler(HandlerRecord("cpu", "b", "post", "", {"url": "http://h"}))
        handlers = store.handlers()
        assert [(h.id, h.kind) for h in handlers] == [("a", "victorops"), ("b", "post")]
        store.delete_handlers([("cpu", "a")])
        assert [h.id for h in store.handlers()] == ["b"]


def test_a_writer_holding_the_database_makes_others_fail_clearly(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    blocker = sqlite3.connect(tmp_path / "tickmini.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with (
            Store.open(tmp_path, busy_seconds=0.2) as store,
            pytest.raises(StoreError, match="busy: another tickmini process"),
        ):
            store.put_task(TaskRecord("t", "stream", [], "x"))
        with Store.open(tmp_path, busy_seconds=0.2) as store:
            assert store.tasks() == []  # readers are not blocked (WAL)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_an_unusable_home_is_an_error_not_a_crash(tmp_path: Path) -> None:
    from tickmini.store import HomeLock

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(blocker / "home")
    with pytest.raises(StoreError, match="cannot lock the store"):
        HomeLock(blocker / "home" / "replay.lock").acquire(0.1, print)
