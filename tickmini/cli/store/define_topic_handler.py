"""``tickmini define-topic-handler FILE``: create or replace a topic handler (silent on success)."""

from __future__ import annotations

import argparse
import sys

from tickmini.cli.store.shared import add_command, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "define-topic-handler",
        "create or replace a topic handler",
        "Load a handler file (YAML or JSON: topic, id, kind, match, options), check it as "
        "Kapacitor would, and store it; 'replay' hands the topic's events to it.",
    )
    parser.add_argument("file", metavar="FILE", help="a .yaml, .yml or .json handler file")
    parser.set_defaults(func=define_topic_handler_command)


def define_topic_handler_command(args: argparse.Namespace) -> int:
    from tickmini.store.define import define_topic_handler

    with open_store(args) as store:
        _, warnings = define_topic_handler(store, args.file)
    for warning in warnings:
        sys.stderr.write(f"warning: {warning}\n")
    return 0
