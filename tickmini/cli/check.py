"""``tickmini check FILE...``: does each script parse as Kapacitor would parse it?

Exit codes: 0 every script parses; 1 at least one has a syntax error; 2 usage error (including a
file that cannot be read). Errors go to standard error as ``FILE:LINE:COL: error: ...``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tickmini.syntax.ast import Program

EXIT_OK = 0


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
    from tickmini.cli.common import for_each_parsed_script

    def report_ok(_path: str, name: str, _text: str, _program: Program) -> int:
        if not args.quiet:
            print(f"{name}: ok")
        return EXIT_OK

    return for_each_parsed_script(args.files, report_ok)
