"""``tickmini resend DEADLETTER``: deliver again what a run could not deliver.

Exit codes: 0 everything was delivered; 1 some requests failed again (they are written to a new
dead-letter file, the original is kept); 3 the file or the config is not valid.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tickmini.alerting.delivery import RetryPolicy


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "resend",
        help="re-send the requests of a dead-letter file",
        description=(
            "Re-send each request of a dead-letter file written by 'tickmini run --send', with "
            "the same retries and timeouts. The API key is not in the file: it comes from "
            "--config (and KAPACITOR_VICTOROPS_* variables). Requests that fail again are "
            "appended to a new dead-letter file; the original file is not changed."
        ),
    )
    parser.add_argument("dead_letter", metavar="DEADLETTER", help="a dead-letter .jsonl file")
    parser.add_argument(
        "--config", metavar="FILE", help="kapacitor.conf with [victorops] / [[httppost]]"
    )
    parser.add_argument(
        "--dead-letter",
        dest="out",
        metavar="FILE",
        help="where requests that fail again go (default: DEADLETTER with .retry.jsonl)",
    )
    add_delivery_arguments(parser)
    parser.set_defaults(func=run_resend)


def add_delivery_arguments(parser: argparse.ArgumentParser) -> None:
    """``--retry-for`` and ``--timeout``: the delivery policy (shared with ``tickmini run``)."""
    parser.add_argument(
        "--retry-for",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="how long to keep retrying one request (default 30; 0: a single attempt)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="read timeout of each attempt (default 10; connecting: at most 5)",
    )


def delivery_policy(args: argparse.Namespace) -> RetryPolicy:
    from tickmini.alerting.delivery import RetryPolicy

    defaults = RetryPolicy()
    return RetryPolicy(
        read_timeout=args.timeout,
        connect_timeout=min(defaults.connect_timeout, args.timeout),
        max_elapsed=args.retry_for,
        max_attempts=1 if args.retry_for == 0 else defaults.max_attempts,
        initial_backoff=min(defaults.initial_backoff, args.retry_for / 8 or 0.001),
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds >= 0: {text!r}")
    return value


def run_resend(args: argparse.Namespace) -> int:
    from tickmini.alerting.resend import read_dead_letters, resend
    from tickmini.alerting.services import Services
    from tickmini.config import default_config, load_config

    config = load_config(args.config) if args.config else default_config()
    for warning in config.warnings:
        print(f"tickmini: warning: {warning}", file=sys.stderr)
    letters = read_dead_letters(args.dead_letter)
    source = Path(args.dead_letter)
    out = Path(args.out) if args.out else source.with_name(source.stem + ".retry.jsonl")
    if out.resolve() == source.resolve():
        from tickmini.errors import UsageError

        raise UsageError("--dead-letter must not be the file being re-sent")
    services = Services.create(config, send=True, dead_letter=out, policy=delivery_policy(args))
    summary = resend(letters, services)
    print(f"tickmini: resent {len(letters)} request(s); {summary.text()}", file=sys.stderr)
    return 1 if summary.failed else 0
