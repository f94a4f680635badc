"""``tickmini show TASK``: the task, its formatted TICKscript and its DOT graph."""

from __future__ import annotations

import argparse
import sys

from tickmini.cli.store.shared import add_command, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "show",
        "show a task",
        "Show a stored task as 'kapacitor show' does: status, dates (UTC), DBRPs, the "
        "TICKscript formatted by tickfmt and the pipeline as a DOT graph.",
    )
    parser.add_argument("task", metavar="TASK")
    parser.set_defaults(func=show_command)


def show_command(args: argparse.Namespace) -> int:
    from tickmini.pipeline.builder import compile_script
    from tickmini.store.location import StoreError
    from tickmini.store.views import dot, task_show
    from tickmini.syntax.formatter import format_program
    from tickmini.syntax.parser import parse_script

    with open_store(args) as store:
        task = store.task(args.task)
    if task is None:
        raise StoreError(f"no task {args.task!r} exists")
    name = f"task {task.id}"
    program = parse_script(task.script, name)
    pipeline = compile_script(program)
    sys.stdout.write(task_show(task, format_program(program), dot(task.id, pipeline)))
    return 0
