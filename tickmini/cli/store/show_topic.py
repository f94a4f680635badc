"""``tickmini show-topic TOPIC``: a topic's level, collected count, handlers and events."""

from __future__ import annotations

import argparse
import sys

from tickmini.cli.store.shared import add_command, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "show-topic",
        "show a topic and its alert state",
        "Show a topic as 'kapacitor show-topic' does; event dates are RFC822 in UTC.",
    )
    parser.add_argument("topic", metavar="TOPIC")
    parser.set_defaults(func=show_topic_command)


def show_topic_command(args: argparse.Namespace) -> int:
    from tickmini.store.location import StoreError
    from tickmini.store.views import topic_show

    with open_store(args) as store:
        topic = store.topics().get(args.topic)
        handler_ids = [h.id for h in store.handlers() if h.topic == args.topic]
    if topic is None and not handler_ids:
        raise StoreError(f"no topic {args.topic!r} exists")
    from tickmini.store.db import TopicRecord

    sys.stdout.write(topic_show(topic or TopicRecord(args.topic), handler_ids))
    return 0
