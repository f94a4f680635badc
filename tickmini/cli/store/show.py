"""``tickmini show TASK``: the task, its formatted TICKscript and its DOT graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tickmini.cli.store.shared import add_command, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "show",
        "show a task",
        "Show a stored task as 'kapacitor show' does: status, dates (UTC), DBRPs, the "
        "TICKscript formatted by tickfmt and the pipeline as a DOT graph.",
    )
    parser.add_argument(
        "task", metavar="TASK|SCRIPT", help="a stored task, or a .tick file (as 'explain' shows it)"
    )
    parser.add_argument("--dot", action="store_true", help="SCRIPT: print only the DOT graph")
    parser.add_argument("--task-name", default=None, metavar="NAME", help="SCRIPT: task ID")
    parser.add_argument("--config", default=None, metavar="FILE", help="SCRIPT: kapacitor.conf")
    parser.add_argument(
        "--handler", nargs="+", action="extend", default=[], metavar="FILE", help="topic handlers"
    )
    parser.add_argument("--strict", action="store_true", help="refuse what Kapacitor refuses")
    parser.set_defaults(func=show_command)


def _names_a_script(target: str) -> bool:
    """A path to a .tick file (task IDs never hold a '/', and rarely end in .tick)."""
    path = Path(target)
    return path.is_file() and (target.endswith(".tick") or "/" in target)


def show_command(args: argparse.Namespace) -> int:
    from tickmini.store.location import StoreError

    if _names_a_script(args.task):
        from tickmini.cli.show import explain_command

        args.script = args.task
        return explain_command(args)
    from tickmini.store.views import task_show

    with open_store(args) as store:
        task = store.task(args.task)
    if task is None:
        raise StoreError(f"no task {args.task!r} exists")
    script, graph = _script_and_graph(task.id, task.script)
    sys.stdout.write(task_show(task, script, graph))
    return 0


def _script_and_graph(task_id: str, text: str) -> tuple[str, str]:
    """The formatted script and its DOT graph; as much as there is when it no longer builds
    (the reason is the task's ``Error:``)."""
    from tickmini.errors import TickminiError
    from tickmini.pipeline.builder import compile_script
    from tickmini.store.views import dot
    from tickmini.syntax.formatter import format_program
    from tickmini.syntax.parser import parse_script

    try:
        program = parse_script(text, f"task {task_id}")
    except TickminiError:
        return text if text.endswith("\n") else text + "\n", f"digraph {task_id} {{\n}}"
    try:
        graph = dot(task_id, compile_script(program))
    except TickminiError:
        graph = f"digraph {task_id} {{\n}}"
    return format_program(program), graph
