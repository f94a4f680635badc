"""Entry point: builds the argparse tree from the command modules and maps errors to exit codes.

Exit codes: 0 success, 1 the input was processed but something was wrong (a script did not
parse, data lines were rejected, an alert could not be delivered), 2 usage errors, 3 an error
that stopped the command (bad config, bad script for ``run``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Each module defines ``register(subparsers)``, which adds its sub-command(s) and sets
# ``func(args) -> int`` on them. Imported lazily: only the chosen command's module is loaded.
COMMAND_MODULES: dict[str, str] = {
    "check": "tickmini.cli.check",
    "fmt": "tickmini.cli.fmt",
    "test": "tickmini.cli.test",
    "run": "tickmini.cli.run",
    "resend": "tickmini.cli.resend",
    "define": "tickmini.cli.store.define",
    "enable": "tickmini.cli.store.enable",
    "disable": "tickmini.cli.store.disable",
    "delete": "tickmini.cli.store.delete",
    "list": "tickmini.cli.store.listing",
    "show": "tickmini.cli.store.show",
    "show-topic": "tickmini.cli.store.show_topic",
    "define-topic-handler": "tickmini.cli.store.define_topic_handler",
    "show-topic-handler": "tickmini.cli.store.show_topic_handler",
    "replay": "tickmini.cli.store.replay",
    "trace": "tickmini.cli.trace",
    "explain": "tickmini.cli.show",
    "plot": "tickmini.cli.plot",
}

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_ERROR = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code is already 2
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _normalise_single_dash(argv: list[str]) -> list[str]:
    """Accept Kapacitor's single-dash long flags (``-tick``, ``-dbrp``) as ``--tick``."""
    out = []
    for arg in argv:
        if arg.startswith("-") and not arg.startswith("--") and len(arg) > 2 and arg[1].isalpha():
            out.append("-" + arg)
        else:
            out.append(arg)
    return out


def build_parser(command: str | None) -> argparse.ArgumentParser:
    parser = _Parser(prog="tickmini", description="Run Kapacitor TICKscript alert rules locally.")
    parser.add_argument("--version", action="version", version="tickmini 0.1.0")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module in COMMAND_MODULES.items():
        if command is None or command == name:
            importlib.import_module(module).register(subparsers)
        else:
            subparsers.add_parser(name, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from tickmini.errors import TickminiError, UsageError

    args_list = _normalise_single_dash(list(sys.argv[1:] if argv is None else argv))
    # The first word that names a command picks the module to load (options may come first).
    command = next((a for a in args_list if a in COMMAND_MODULES), None)
    parser = build_parser(command)
    args = parser.parse_args(args_list)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as err:
        print(f"tickmini: {err.message}", file=sys.stderr)
        return EXIT_USAGE
    except TickminiError as err:
        print(err.render(), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("tickmini: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``tickmini ... | head``): stop quietly, as Python's docs advise.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEMS
