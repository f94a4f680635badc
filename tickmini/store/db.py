"""The SQLite store: tasks, topic handlers and topic (alert) state, kept between runs.

One :class:`Store` wraps one connection. Every write is one ``BEGIN IMMEDIATE`` transaction, the
journal is WAL and a busy timeout makes a second process wait for the writer (then fail with a
clear :class:`StoreError`), so two tickmini processes never corrupt the file.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tickmini.alerting.event import Level
from tickmini.alerting.topics import EventState
from tickmini.store.location import DATABASE_NAME, StoreError
from tickmini.store.schema import MIGRATIONS, SCHEMA_VERSION

DEFAULT_BUSY_SECONDS = 10.0


@dataclass(slots=True)
class TaskRecord:
    """A defined task as ``kapacitor show`` describes it (times in Unix nanoseconds)."""

    id: str
    type: str
    dbrps: list[tuple[str, str]]
    script: str
    status: str = "disabled"
    error: str = ""
    created: int = 0
    modified: int = 0
    last_enabled: int | None = None


@dataclass(slots=True)
class HandlerRecord:
    """A topic handler as ``define-topic-handler`` stored it."""

    topic: str
    id: str
    kind: str
    match: str = ""
    options: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class TopicRecord:
    """A topic's collected count and its events' latest states, by event ID."""

    id: str
    collected: int = 0
    states: dict[str, EventState] = field(default_factory=dict)


def _blob(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text(data: bytes | str) -> str:
    return data if isinstance(data, str) else bytes(data).decode("utf-8", "surrogatepass")


def _script_blob(text: str) -> bytes:
    from tickmini.syntax.source import encode_script

    return encode_script(text)


def _script_text(data: bytes) -> str:
    from tickmini.syntax.source import decode_script

    return decode_script(bytes(data))


def now_ns() -> int:
    return time.time_ns()


class Store:
    """Open with :meth:`open`; use as a context manager or call :meth:`close`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, home: Path, *, busy_seconds: float = DEFAULT_BUSY_SECONDS) -> Store:
        """Open (creating if needed) ``<home>/tickmini.db`` and bring its schema up to date."""
        path = home / DATABASE_NAME
        try:
            home.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=busy_seconds, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"cannot open the store {path}: {err}") from None
        store = cls(connection, path)
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            store._migrate()
        except sqlite3.Error as err:
            connection.close()
            raise store._error(err) from None
        except StoreError:
            connection.close()
            raise
        return store

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self._user_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path} has schema version {version}, newer than this "
                f"tickmini knows ({SCHEMA_VERSION})",
                hint="upgrade tickmini, or point --home at another directory",
            )
        if version == SCHEMA_VERSION:
            return
        with self._write() as cur:
            version = self._user_version()  # another process may have migrated meanwhile
            for migration in MIGRATIONS:
                if migration.version <= version:
                    continue
                for statement in migration.statements:
                    cur.execute(statement)
                cur.execute(
                    "INSERT INTO migrations (version, name, applied_ns) VALUES (?, ?, ?)",
                    (migration.version, migration.name, now_ns()),
                )
                cur.execute(f"PRAGMA user_version = {migration.version}")

    def _user_version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def schema_version(self) -> int:
        return self._user_version()

    def _error(self, err: sqlite3.Error) -> StoreError:
        text = str(err)
        if "locked" in text or "busy" in text:
            return StoreError(
                f"the store {self.path} is busy: another tickmini process is writing to it",
                hint="try again when it has finished",
            )
        return StoreError(f"the store {self.path} cannot be used: {text}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction: all of it is saved, or none of it."""
        cur = self.connection.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise self._error(err) from None
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException as exc:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from None
            raise

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple]:
        try:
            return self.connection.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise self._error(err) from None

    # --- tasks --------------------------------------------------------------------------------

    def put_task(self, task: TaskRecord) -> None:
        """Create or replace a task (``created`` of an existing task is kept)."""
        with self._write() as cur:
            row = cur.execute("SELECT created_ns FROM tasks WHERE id = ?", (task.id,)).fetchone()
            if row is not None:
                task.created = int(row[0])
            cur.execute(
                """INSERT OR REPLACE INTO tasks
                   (id, type, dbrps, script, status, error, created_ns, modified_ns,
                    last_enabled_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    task.id,
                    task.type,
                    json.dumps([list(d) for d in task.dbrps]),
                    _script_blob(task.script),
                    task.status,
                    task.error,
                    task.created,
                    task.modified,
                    task.last_enabled,
                ),
            )

    def tasks(self) -> list[TaskRecord]:
        """Every task, sorted by ID."""
        rows = self._read(
            "SELECT id, type, dbrps, script, status, error, created_ns, modified_ns, "
            "last_enabled_ns FROM tasks ORDER BY id"
        )
        return [
            TaskRecord(
                id=r[0],
                type=r[1],
                dbrps=[(d[0], d[1]) for d in json.loads(r[2])],
                script=_script_text(r[3]),
                status=r[4],
                error=r[5],
                created=r[6],
                modified=r[7],
                last_enabled=r[8],
            )
            for r in rows
        ]

    def task(self, task_id: str) -> TaskRecord | None:
        return next((t for t in self.tasks() if t.id == task_id), None)

    def set_status(self, task_ids: list[str], status: str, when: int) -> None:
        with self._write() as cur:
            for task_id in task_ids:
                if status == "enabled":
                    cur.execute(
                        "UPDATE tasks SET status = ?, error = '', modified_ns = ?, "
                        "last_enabled_ns = ? WHERE id = ?",
                        (status, when, when, task_id),
                    )
                else:
                    cur.execute(
                        "UPDATE tasks SET status = ?, modified_ns = ? WHERE id = ?",
                        (status, when, task_id),
                    )

    def set_task_errors(self, errors: dict[str, str]) -> None:
        """Record why tasks stopped during a replay (``show`` prints it as ``Error:``)."""
        with self._write() as cur:
            for task_id, message in errors.items():
                cur.execute("UPDATE tasks SET error = ? WHERE id = ?", (message, task_id))

    def delete_tasks(self, task_ids: list[str]) -> None:
        """Delete tasks and their anonymous topics (``main:<task>:<node>``), as Kapacitor does."""
        with self._write() as cur:
            for task_id in task_ids:
                cur.execute("DELETE FROM tasks WHERE id = ?", (task_id,))
                prefix = _blob(f"main:{task_id}:")
                for (topic,) in cur.execute("SELECT id FROM topics").fetchall():
                    if bytes(topic).startswith(prefix):
                        cur.execute("DELETE FROM topics WHERE id = ?", (topic,))

    # --- topic handlers -----------------------------------------------------------------------

    def put_handler(self, handler: HandlerRecord) -> None:
        with self._write() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO topic_handlers (topic, id, kind, match, options) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    handler.topic,
                    handler.id,
                    handler.kind,
                    handler.match,
                    json.dumps(handler.options, sort_keys=True),
                ),
            )

    def handlers(self) -> list[HandlerRecord]:
        """Every topic handler, sorted by topic then ID."""
        rows = self._read(
            "SELECT topic, id, kind, match, options FROM topic_handlers ORDER BY topic, id"
        )
        return [HandlerRecord(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def delete_handlers(self, keys: list[tuple[str, str]]) -> None:
        with self._write() as cur:
            for topic, handler_id in keys:
                cur.execute(
                    "DELETE FROM topic_handlers WHERE topic = ? AND id = ?", (topic, handler_id)
                )

    # --- topics -------------------------------------------------------------------------------

    def topics(self) -> dict[str, TopicRecord]:
        """Every topic with recorded state, by ID."""
        found: dict[str, TopicRecord] = {}
        for topic, collected in self._read("SELECT id, collected FROM topics"):
            found[_text(topic)] = TopicRecord(_text(topic), int(collected))
        rows = self._read(
            "SELECT topic, event_id, level, time_ns, duration_ns, message, details "
            "FROM topic_events"
        )
        for topic, event_id, level, t, duration, message, details in rows:
            record = found.setdefault(_text(topic), TopicRecord(_text(topic)))
            state = EventState(
                _text(event_id), _text(message), _text(details), t, duration, Level(level)
            )
            record.states[state.id] = state
        return found

    def save_topics(self, collected: dict[str, int], states: list[tuple[str, EventState]]) -> None:
        """Write topics' collected counts and changed event states in one transaction."""
        with self._write() as cur:
            for topic, count in collected.items():
                cur.execute(
                    "INSERT INTO topics (id, collected) VALUES (?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET collected = excluded.collected",
                    (_blob(topic), count),
                )
            cur.executemany(
                "INSERT OR REPLACE INTO topic_events "
                "(topic, event_id, level, time_ns, duration_ns, message, details) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        _blob(topic),
                        _blob(s.id),
                        int(s.level),
                        s.time,
                        s.duration,
                        _blob(s.message),
                        _blob(s.details),
                    )
                    for topic, s in states
                ],
            )

    def delete_topics(self, topic_ids: list[str]) -> None:
        """Forget topics' state (their handlers stay, as in Kapacitor)."""
        with self._write() as cur:
            for topic in topic_ids:
                cur.execute("DELETE FROM topics WHERE id = ?", (_blob(topic),))
