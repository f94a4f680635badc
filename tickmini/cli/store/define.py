"""``tickmini define ID -tick FILE [-type stream|batch] [-dbrp db.rp]...`` (silent on success)."""

from __future__ import annotations

import argparse
import sys

from tickmini.cli.store.shared import add_command, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "define",
        "create or update a task in the store",
        "Check and build a TICKscript, then store it as a task (created disabled; an enabled "
        "task stays enabled). Errors are shown as 'check' shows them, nothing is stored.",
    )
    parser.add_argument("id", metavar="ID", help="task ID")
    parser.add_argument("--tick", required=True, metavar="FILE", help="the .tick file ('-': stdin)")
    parser.add_argument(
        "--type",
        choices=("stream", "batch"),
        default=None,
        help="ignored: inferred from the script",
    )
    parser.add_argument(
        "--dbrp", action="append", default=[], metavar="DB.RP", help="database.retention policy"
    )
    parser.add_argument(
        "--strict", action="store_true", help="refuse everything Kapacitor would refuse"
    )
    parser.set_defaults(func=define_command)


def define_command(args: argparse.Namespace) -> int:
    from tickmini.cli.common import parse_kapacitor_dbrp
    from tickmini.store.define import define_task
    from tickmini.syntax.source import display_name, read_script

    dbrps = [parse_kapacitor_dbrp(d) for d in args.dbrp]
    text = read_script(args.tick)
    with open_store(args) as store:
        defined = define_task(
            store, args.id, text, display_name(args.tick), dbrps, strict=args.strict
        )
    for warning in defined.warnings:
        sys.stderr.write(warning.render() + "\n")
    return 0
