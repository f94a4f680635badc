"""``tickmini fmt FILE... [--write | --check]``: Kapacitor's tickfmt.

Prints each script formatted exactly as ``tickfmt``/``kapacitor show`` would; ``--write``
rewrites the files instead (atomically, only those that change), ``--check`` only lists the
files that are not formatted. Exit codes: 0 success; 1 a script does not parse (it is left
untouched) or, with ``--check``, is not formatted; 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tickmini.syntax.ast import Program

EXIT_OK = 0
EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fmt",
        help="format TICKscript files as Kapacitor's tickfmt does",
        description="Format TICKscript files exactly as Kapacitor's tickfmt (kapacitor show).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a .tick file; '-' reads stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("-w", "--write", action="store_true", help="rewrite the files in place")
    mode.add_argument(
        "--check", action="store_true", help="list files that are not formatted (exit 1)"
    )
    parser.set_defaults(func=run_fmt)


def run_fmt(args: argparse.Namespace) -> int:
    from tickmini.cli.common import for_each_parsed_script
    from tickmini.errors import UsageError
    from tickmini.syntax.formatter import format_program
    from tickmini.syntax.source import STDIN_NAME, encode_script, write_script_atomically

    if args.write and STDIN_NAME in args.files:
        raise UsageError("--write cannot rewrite standard input")

    def format_one(path: str, name: str, text: str, program: Program) -> int:
        formatted = format_program(program)
        if args.check:
            if formatted != text:
                print(name)
                return EXIT_FAILED
        elif args.write:
            if formatted != text:
                write_script_atomically(path, formatted)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(encode_script(formatted))
            sys.stdout.buffer.flush()
        return EXIT_OK

    return for_each_parsed_script(args.files, format_one)
