"""``tickmini plot SCRIPT --input FILE -o timeline.png``: draw each alert node's timeline per
group (the fields its lambdas read, constant thresholds, level bands, events sent).

Needs matplotlib (``pip install 'tickmini[plot]'``). Exit codes: 0 drawn; 1 input lines were
rejected or the task stopped (the plot is still drawn); 2 usage; 3 bad script or no matplotlib.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK = 0
EXIT_PROBLEMS = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    from tickmini.cli.trace import add_run_like_arguments

    parser = subparsers.add_parser(
        "plot",
        help="draw the alert timeline of a script over line protocol (PNG or SVG)",
        description=(
            "Run a TICKscript over line protocol (handlers do not send) and draw, per alert "
            "node and group, the fields its level lambdas read, their constant thresholds, "
            "the alert level over time as coloured bands and a mark at each event sent."
        ),
    )
    add_run_like_arguments(parser)
    parser.add_argument(
        "--output", "-o", required=True, metavar="FILE", help="the picture: .png or .svg"
    )
    parser.add_argument(
        "--trace-group",
        action="append",
        default=[],
        metavar="TAG=VALUE",
        help="only points with this tag value (repeatable: all must match)",
    )
    parser.set_defaults(func=plot_command, trace_limit=None)


def plot_command(args: argparse.Namespace) -> int:
    import dataclasses
    from pathlib import Path

    from tickmini.cli.trace import run_traced, trace_options
    from tickmini.teach.plot import output_format, panels_of, render_plot

    output_format(args.output)  # a bad name is a usage error before any work
    options = dataclasses.replace(trace_options(args), points=False, timeline=False)
    result = run_traced(args, options, lambda line: None)
    panels = panels_of(result.tracer)
    drawn = render_plot(panels, args.output, title=Path(args.script).name)
    for err in result.errors:
        sys.stderr.write(err.render() + "\n")
    sys.stderr.write(
        f"tickmini: {result.points} points read; {drawn} panel(s) drawn to {args.output}\n"
    )
    return EXIT_PROBLEMS if result.rejected or result.errors else EXIT_OK
