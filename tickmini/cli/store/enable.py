"""``tickmini enable ID|GLOB...``: replays send points to enabled tasks."""

from __future__ import annotations

import argparse

from tickmini.cli.store.shared import add_command, open_store, select


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "enable",
        "enable tasks",
        "Enable tasks by ID or Go glob pattern; 'replay' runs every enabled task.",
    )
    parser.add_argument("patterns", nargs="+", metavar="ID|GLOB")
    parser.set_defaults(func=lambda args: set_status(args, "enabled"))


def set_status(args: argparse.Namespace, status: str) -> int:
    """Enable or disable the matching tasks (enabling rebuilds the script first)."""
    from tickmini.pipeline.builder import compile_script
    from tickmini.store.db import now_ns

    with open_store(args) as store:
        tasks = {t.id: t for t in store.tasks()}
        chosen = select(args.patterns, list(tasks), "task")
        if status == "enabled":
            for task_id in chosen:
                compile_script(tasks[task_id].script, f"task {task_id}")
        store.set_status(chosen, status, now_ns())
    return 0
