"""``tickmini disable ID|GLOB...``: replays skip disabled tasks (their alert state is kept)."""

from __future__ import annotations

import argparse

from tickmini.cli.store.shared import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    from tickmini.cli.store.enable import set_status

    parser = add_command(
        subparsers,
        "disable",
        "disable tasks",
        "Disable tasks by ID or Go glob pattern; their topics' alert state is kept.",
    )
    parser.add_argument("patterns", nargs="+", metavar="ID|GLOB")
    parser.set_defaults(func=lambda args: set_status(args, "disabled"))
