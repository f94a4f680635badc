"""``tickmini replay --input FILE...``: points through every enabled stored task at once.

Like writes to a Kapacitor server: each point goes to the enabled tasks whose DBRPs match
(``.srpl`` points carry their own database and retention policy, plain line protocol gets
``--dbrp``; a task without DBRPs takes every point). Events go to in-script handlers and to the
stored topic handlers. Delivery, dry run/``--send``, the summary line and the exit codes are
``run``'s. Alert state is saved every ``--save-every`` points and at the end.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from tickmini.cli.common import (
    EXIT_PROBLEMS,
    add_input_argument,
    add_output_arguments,
    services_closed_on_error,
)
from tickmini.cli.store.shared import DEFAULT_WAIT_SECONDS, add_command, locked_store


def register(subparsers: argparse._SubParsersAction) -> None:
    from tickmini.store.replay import DEFAULT_SAVE_EVERY

    parser = add_command(
        subparsers,
        "replay",
        "push points through every enabled task in the store",
        __doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    add_input_argument(parser)
    parser.add_argument(
        "--dbrp", default=None, metavar="DB.RP", help="database.retention policy of plain lines"
    )
    add_output_arguments(parser)
    parser.add_argument(
        "--save-every",
        type=int,
        default=DEFAULT_SAVE_EVERY,
        metavar="N",
        help=f"save alert state every N points (default {DEFAULT_SAVE_EVERY})",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help="how long to wait for another replay using the same store",
    )
    parser.set_defaults(func=replay_command)


def replay_command(args: argparse.Namespace) -> int:
    from tickmini.alerting.services import Services
    from tickmini.cli.common import (
        PRECISIONS,
        EventPrinter,
        Progress,
        load_config_arg,
        parse_kapacitor_dbrp,
        report_run_end,
        run_exit_code,
        total_size,
    )
    from tickmini.errors import UsageError
    from tickmini.io.lineprotocol import read_inputs
    from tickmini.store.replay import ReplaySession

    if args.save_every < 1:
        raise UsageError("--save-every must be at least 1")
    stdout, stderr = sys.stdout, sys.stderr
    dbrp = parse_kapacitor_dbrp(args.dbrp) if args.dbrp else ("", "")
    config = load_config_arg(args.config)
    sources = args.input or ["-"]
    printer = EventPrinter(stdout, as_json=args.format == "json")
    with locked_store(args.home, args.wait) as store:
        services = Services.create(config, send=args.send, stderr=stderr, stdout=stdout)
        try:
            with services_closed_on_error(services):
                session = ReplaySession.start(
                    store,
                    services=services,
                    on_event=printer,
                    log_sink=lambda line: stderr.write(line + "\n"),
                    strict=args.strict,
                    save_every=args.save_every,
                )
                _announce(session, sources, bool(args.dbrp), stderr)
                progress = Progress(stderr, total_size(sources))
                reader = read_inputs(
                    sources,
                    precision=PRECISIONS[args.precision],
                    dbrp=dbrp,
                    strict=args.strict,
                    on_error=lambda error: stderr.write(error.render() + "\n"),
                    on_block=(lambda stats: progress.update(stats.points, None))
                    if progress.enabled
                    else None,
                )
                try:
                    points = session.feed(reader)
                finally:
                    progress.done()
                    session.finish()
        except BrokenPipeError:  # stdout closed early (| head): state is saved, stop quietly
            return EXIT_PROBLEMS
        deliveries = services.close()
    stopped = [(task.name, task.error) for task in session.stopped if task.error is not None]
    report_run_end(
        stderr,
        stopped,
        points,
        reader.stats.rejected,
        printer,
        deliveries,
        session.engine.diagnostics,
    )
    stdout.flush()
    return run_exit_code(
        reader.stats.rejected, deliveries, len(session.stopped) + len(session.not_started)
    )


def _announce(session, sources: list[str], has_dbrp: bool, stderr: TextIO) -> None:
    """Before reading: tasks that could not start, no task at all, plain lines without a DBRP."""
    from tickmini.io.lineprotocol import SRPL_SUFFIXES

    for name, err in session.not_started.items():
        stderr.write(err.render() + "\n")
        stderr.write(f"tickmini: task {name} not started (Kapacitor would not start it)\n")
    if not session.tasks:
        stderr.write("tickmini: no enabled task in the store (define and enable one)\n")
    elif (
        not has_dbrp
        and session.needs_dbrp()
        and any(not s.endswith(SRPL_SUFFIXES) for s in sources)
    ):
        stderr.write(
            "tickmini: warning: plain line protocol without --dbrp reaches only tasks "
            "without a DBRP\n"
        )
