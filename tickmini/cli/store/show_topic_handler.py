"""``tickmini show-topic-handler TOPIC ID``."""

from __future__ import annotations

import argparse
import sys

from tickmini.cli.store.shared import add_command, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "show-topic-handler",
        "show a topic handler",
        "Show a stored topic handler as 'kapacitor show-topic-handler' does.",
    )
    parser.add_argument("topic", metavar="TOPIC")
    parser.add_argument("id", metavar="ID")
    parser.set_defaults(func=show_topic_handler_command)


def show_topic_handler_command(args: argparse.Namespace) -> int:
    from tickmini.store.location import StoreError
    from tickmini.store.views import handler_show

    with open_store(args) as store:
        found = [h for h in store.handlers() if h.topic == args.topic and h.id == args.id]
    if not found:
        raise StoreError(f"no handler {args.id!r} exists on topic {args.topic!r}")
    sys.stdout.write(handler_show(found[0]))
    return 0
