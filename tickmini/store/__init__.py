"""The local store: tasks, topic handlers and alert state kept between runs (SQLite).

``tickmini define/enable/define-topic-handler/replay`` use it; so can Python::

    from tickmini.store import Store, resolve_home, define_task, ReplaySession
"""

from __future__ import annotations

from tickmini.store.db import HandlerRecord, Store, TaskRecord, TopicRecord
from tickmini.store.define import define_task, define_topic_handler
from tickmini.store.location import HomeLock, StoreError, resolve_home
from tickmini.store.replay import ReplaySession

__all__ = [
    "HandlerRecord",
    "HomeLock",
    "ReplaySession",
    "Store",
    "StoreError",
    "TaskRecord",
    "TopicRecord",
    "define_task",
    "define_topic_handler",
    "resolve_home",
]
