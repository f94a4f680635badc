"""What the store commands share: opening the store from ``--home``, resolving ID globs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tickmini.cli.common import add_home_argument
from tickmini.store.db import Store
from tickmini.store.glob import is_glob, matching
from tickmini.store.location import LOCK_NAME, HomeLock, StoreError, resolve_home


def add_command(
    subparsers: argparse._SubParsersAction, name: str, help_text: str, description: str
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text, description=description)
    add_home_argument(parser)
    return parser


def open_store(args: argparse.Namespace) -> Store:
    return Store.open(resolve_home(args.home))


def select(patterns: list[str], names: list[str], what: str) -> list[str]:
    """Names matched by Go globs; a plain name that does not exist is an error (Kapacitor is
    silent about it, which hides typos), a glob that matches nothing is not."""
    for pattern in patterns:
        if not is_glob(pattern) and pattern not in names:
            raise StoreError(f"no {what} {pattern!r} exists")
    return matching(patterns, names)


DEFAULT_WAIT_SECONDS = 60.0


@contextmanager
def locked_store(home: str | None, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> Iterator[Store]:
    """The store, with the home's replay lock held (waits for a running replay, says so)."""
    path = resolve_home(home)
    lock = HomeLock(path / LOCK_NAME)
    lock.acquire(wait_seconds, lambda line: print(line, file=sys.stderr, flush=True))
    try:
        with Store.open(path) as store:
            yield store
    finally:
        lock.release()
