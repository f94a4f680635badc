"""``tickmini trace SCRIPT --input FILE``: run a script and show each point's path and the
alert decisions (the same tracer ``run --trace`` uses), then each alert node's timeline.

Exit codes: 0 success; 1 input lines were rejected or the task stopped; 2 usage; 3 bad script.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from tickmini.errors import UsageError

EXIT_OK = 0
EXIT_PROBLEMS = 1


def add_trace_arguments(parser: argparse.ArgumentParser, *, flag: bool) -> None:
    """The trace filters; with ``flag`` also ``--trace`` itself (for ``run``)."""
    if flag:
        parser.add_argument(
            "--trace", action="store_true", help="show each point's path through the nodes"
        )
    parser.add_argument(
        "--trace-group",
        action="append",
        default=[],
        metavar="TAG=VALUE",
        help="trace only points with this tag value (repeatable: all must match)",
    )
    parser.add_argument(
        "--trace-limit", type=int, default=None, metavar="N", help="trace at most N points"
    )


def trace_options(args: argparse.Namespace) -> object:
    """The :class:`~tickmini.teach.trace.TraceOptions` from parsed arguments."""
    from tickmini.teach.trace import TraceOptions, parse_group_filter

    if args.trace_limit is not None and args.trace_limit < 0:
        raise UsageError("--trace-limit must be 0 or more")
    groups = tuple(parse_group_filter(text) for text in args.trace_group)
    return TraceOptions(group=groups, limit=args.trace_limit)


def attach_if_requested(args: argparse.Namespace, task: object, stream: TextIO) -> object | None:
    """For ``run --trace``: attach a tracer printing to ``stream`` (None without ``--trace``).
    Call its ``finish()`` after ``engine.finish()`` for the alert timeline tables."""
    if not getattr(args, "trace", False):
        return None
    from tickmini.teach.trace import Tracer

    def write(line: str) -> None:
        stream.write(line + "\n")

    return Tracer(task, trace_options(args), write).attach()  # type: ignore[arg-type]


def add_run_like_arguments(parser: argparse.ArgumentParser) -> None:
    """The inputs and task options of ``run`` (what ``trace`` and ``plot`` read; no sending)."""
    from tickmini.cli.common import add_output_arguments, add_script_arguments

    add_script_arguments(parser)
    add_output_arguments(parser, delivers=False)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "trace",
        help="show each point's path through the script and why it did or did not alert",
        description=(
            "Run a TICKscript over line protocol (handlers do not send) and show, for each "
            "point, the nodes it went through, which node dropped it and why, the value of "
            "each lambda step by step, the alert level transition and why an event was or was "
            "not sent; then each alert node's timeline."
        ),
    )
    add_run_like_arguments(parser)
    add_trace_arguments(parser, flag=False)
    parser.add_argument(
        "--no-timeline", action="store_true", help="do not print the alert timeline tables"
    )
    parser.set_defaults(func=trace_command)


def run_traced(args: argparse.Namespace, options, write) -> object:
    """A traced run from ``run``-like arguments (shared with ``plot``)."""
    from tickmini.cli.common import PRECISIONS
    from tickmini.cli.run import default_task_name, parse_dbrp
    from tickmini.teach.session import traced_run

    return traced_run(
        args.script,
        args.input,
        options=options,
        write=write,
        dbrps=[parse_dbrp(d) for d in args.dbrp],
        task_name=args.task_name or default_task_name(args.script),
        config_path=args.config,
        handler_files=args.handler,
        precision=PRECISIONS[args.precision],
        strict=args.strict,
        stderr=sys.stderr,
    )


def trace_command(args: argparse.Namespace) -> int:
    import dataclasses

    stdout = sys.stdout
    options = dataclasses.replace(trace_options(args), timeline=not args.no_timeline)

    def write(line: str) -> None:
        stdout.write(line + "\n")

    result = run_traced(args, options, write)
    for err in result.errors:
        sys.stderr.write(err.render() + "\n")
    stdout.flush()
    return EXIT_PROBLEMS if result.rejected or result.errors else EXIT_OK
