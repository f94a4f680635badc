"""``tickmini list tasks|topics|topic-handlers [PATTERN...]`` in Kapacitor's column formats."""

from __future__ import annotations

import argparse
import sys

from tickmini.cli.store.shared import add_command, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "list",
        "list tasks, topics or topic handlers",
        "List what the store holds, as 'kapacitor list' prints it. Patterns are Go globs; "
        "for topic-handlers the first is the topic pattern, the rest handler ID patterns.",
    )
    parser.add_argument("kind", choices=("tasks", "topics", "topic-handlers"))
    parser.add_argument("patterns", nargs="*", metavar="PATTERN")
    parser.set_defaults(func=list_command)


def list_command(args: argparse.Namespace) -> int:
    from tickmini.store.db import TopicRecord
    from tickmini.store.glob import matching
    from tickmini.store.views import handler_list, task_list, topic_list

    patterns = args.patterns
    with open_store(args) as store:
        if args.kind == "tasks":
            tasks = store.tasks()
            chosen = set(matching(patterns or ["*"], [t.id for t in tasks]))
            text = task_list([t for t in tasks if t.id in chosen])
        elif args.kind == "topics":
            topics = store.topics()
            for handler in store.handlers():
                topics.setdefault(handler.topic, TopicRecord(handler.topic))
            names = matching(patterns[:1] or ["*"], sorted(topics))
            text = topic_list([topics[n] for n in names])
        else:
            handlers = store.handlers()
            topics = set(matching(patterns[:1] or ["*"], sorted({h.topic for h in handlers})))
            id_patterns = patterns[1:] or ["*"]
            text = handler_list(
                [h for h in handlers if h.topic in topics and matching(id_patterns, [h.id])]
            )
    sys.stdout.write(text)
    return 0
