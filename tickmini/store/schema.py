"""The store's schema as numbered migrations (``PRAGMA user_version`` + a ``migrations`` table).

A migration is applied once, inside the transaction that records it; a store written by a newer
tickmini (a higher version than this table knows) is refused rather than guessed at. Text that comes from data (topic and event IDs, messages) is
kept as UTF-8 BLOBs with surrogates passed through, so nothing a script produced is lost.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "tasks, topic handlers, topic state",
        (
            """CREATE TABLE IF NOT EXISTS migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_ns INTEGER NOT NULL)""",
            """CREATE TABLE tasks (
                id TEXT PRIMARY KEY,
                type TEXT NOT NULL,
                dbrps TEXT NOT NULL,
                script BLOB NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
                error TEXT NOT NULL DEFAULT '',
                created_ns INTEGER NOT NULL,
                modified_ns INTEGER NOT NULL,
                last_enabled_ns INTEGER)""",
            """CREATE TABLE topic_handlers (
                topic TEXT NOT NULL,
                id TEXT NOT NULL,
                kind TEXT NOT NULL,
                match TEXT NOT NULL DEFAULT '',
                options TEXT NOT NULL,
                PRIMARY KEY (topic, id))""",
            """CREATE TABLE topics (
                id BLOB PRIMARY KEY,
                collected INTEGER NOT NULL DEFAULT 0)""",
            """CREATE TABLE topic_events (
                topic BLOB NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
                event_id BLOB NOT NULL,
                level INTEGER NOT NULL,
                time_ns INTEGER NOT NULL,
                duration_ns INTEGER NOT NULL,
                message BLOB NOT NULL,
                details BLOB NOT NULL,
                PRIMARY KEY (topic, event_id))""",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
