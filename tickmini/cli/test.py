"""``tickmini test FILE...``: unit tests for alert rules (see docs/testing.md).

Exit codes: 0 every case passed, 1 some case failed, 2 a test file (or a case's input) has an
error, nothing was tested, or the command line was wrong.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time

from tickmini.errors import UsageError

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_ERRORS = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "test",
        help="run unit tests of alert rules (YAML test files)",
        description=(
            "Run each test case of the YAML test files on a fresh task of the rule under test, "
            "in process, and compare the alert events, handler requests and httpOut content "
            "with what the case expects. Handlers never send anything."
        ),
        epilog="exit codes: 0 all passed, 1 some case failed, 2 errors in test files or usage",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="test files (.yaml)")
    parser.add_argument(
        "--run",
        action="append",
        default=[],
        metavar="REGEX",
        help="run only cases whose name matches (repeatable: any may match)",
    )
    parser.add_argument("--junit", metavar="FILE", help="also write JUnit XML to FILE")
    parser.add_argument(
        "--update",
        action="store_true",
        help="write the actual alert events into the files' failing cases, for review",
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="show which alert levels, resets and handlers the cases exercised",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the report (auto: on a terminal, unless NO_COLOR is set)",
    )
    parser.set_defaults(func=run_command)


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def run_command(args: argparse.Namespace) -> int:
    from tickmini.testing.junit import write_junit
    from tickmini.testing.report import Style, render_case, render_file_error, render_summary
    from tickmini.testing.results import ERROR, FAIL
    from tickmini.testing.runner import RunOptions, run_file
    from tickmini.testing.update import apply_update

    try:
        patterns = tuple(re.compile(p) for p in args.run)
    except re.error as err:
        raise UsageError(f"--run: bad regular expression: {err}") from None
    options = RunOptions(patterns=patterns, coverage=args.coverage)
    style = Style(color=_use_color(args.color))
    began = time.perf_counter()
    results = []
    unresolved_failures = 0
    for path in args.files:
        result, test_file = run_file(path, options)
        results.append(result)
        if result.error is not None:
            print(render_file_error(result, style))
            continue
        for warning in result.warnings:
            print(warning)
        for case in result.cases:
            print(render_case(case, path, style))
        if args.update and test_file is not None:
            updated, left = apply_update(test_file, result)
            unresolved_failures += left
            if updated:
                print(f"updated the expected alerts of {updated} case(s) in {path}")
        else:
            unresolved_failures += result.failed
    seconds = time.perf_counter() - began
    print(render_summary(results, seconds, style))
    if args.coverage:
        for result in results:
            if result.coverage is not None:
                print(result.coverage.render(style))
    if args.junit:
        try:
            write_junit(results, seconds, args.junit)
        except OSError as err:
            raise UsageError(f"--junit: cannot write {args.junit}: {err.strerror or err}") from None
    if any(r.error is not None or any(c.status == ERROR for c in r.cases) for r in results):
        return EXIT_ERRORS
    if not any(r.cases for r in results):
        reason = "no case matches --run" if patterns else "the files have no test cases"
        print(f"tickmini: nothing was tested: {reason}", file=sys.stderr)
        return EXIT_ERRORS
    if unresolved_failures or (
        not args.update and any(c.status == FAIL for r in results for c in r.cases)
    ):
        return EXIT_FAILED
    return EXIT_PASSED
