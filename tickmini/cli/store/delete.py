"""``tickmini delete tasks|topics ID|GLOB...`` and ``delete topic-handlers TOPIC ID|GLOB...``."""

from __future__ import annotations

import argparse

from tickmini.cli.store.shared import add_command, locked_store, select

KINDS = ("tasks", "topics", "topic-handlers")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "delete",
        "delete tasks, topics or topic handlers",
        "Delete tasks (and their anonymous topics), topics (their alert state) or topic "
        "handlers ('delete topic-handlers TOPIC ID...'). IDs may be Go glob patterns.",
    )
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("patterns", nargs="+", metavar="ID|GLOB")
    parser.set_defaults(func=delete_command)


def delete_command(args: argparse.Namespace) -> int:
    from tickmini.errors import UsageError

    with locked_store(args.home) as store:
        if args.kind == "tasks":
            store.delete_tasks(select(args.patterns, [t.id for t in store.tasks()], "task"))
        elif args.kind == "topics":
            store.delete_topics(select(args.patterns, sorted(store.topics()), "topic"))
        else:
            if len(args.patterns) < 2:
                raise UsageError("usage: delete topic-handlers TOPIC ID|GLOB...")
            topic, *ids = args.patterns
            handlers = [h.id for h in store.handlers() if h.topic == topic]
            store.delete_handlers([(topic, h) for h in select(ids, handlers, "handler")])
    return 0
