"""``tickmini check FILE...``: does each script parse as Kapacitor would parse it?

Exit codes: 0 every script parses; 1 at least one has a syntax error; 2 usage error (including a
file that cannot be read). Errors go to standard error as ``FILE:LINE:COL: error: ...``.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check that TICKscript files parse",
        description=(
            "Parse each TICKscript as Kapacitor does and report syntax errors with file, line, "
            "column, what was expected and a hint. Unknown nodes and properties are found later, "
            "when the pipeline is built (tickmini run/test)."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a .tick file; '-' reads stdin")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing for scripts that parse"
    )
    parser.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    from tickmini.errors import TickscriptSyntaxError, UsageError
    from tickmini.syntax.parser import parse_script
    from tickmini.syntax.source import display_name, read_script

    status = EXIT_OK
    for path in args.files:
        name = display_name(path)
        try:
            text = read_script(path)
        except UsageError as err:
            print(f"tickmini: {err.message}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        try:
            parse_script(text, name)
        except TickscriptSyntaxError as err:
            print(err.render(), file=sys.stderr)
            status = max(status, EXIT_FAILED)
            continue
        if not args.quiet:
            print(f"{name}: ok")
    return status
