"""CLI pieces that ``run`` and ``replay`` share: delivery flags, event output, the summary line,
the exit code, progress, Kapacitor's ``-dbrp`` spelling, and the ``--home`` flag; and the
read-parse-report loop that ``check`` and ``fmt`` share.

Exit codes (as ``run``): 0 success; 1 the input was processed but something went wrong (rejected
lines, a task stopped, an undeliverable alert); 2 usage; 3 nothing was run (bad script/config).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from tickmini.errors import TickminiError, UsageError

if TYPE_CHECKING:
    from tickmini.syntax.ast import Program

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

# --precision spellings -> the reader's (Kapacitor's) precision names
PRECISIONS = {"n": "n", "ns": "n", "u": "u", "us": "u", "ms": "ms", "s": "s", "m": "m", "h": "h"}
PROGRESS_SECONDS = 0.5
LEVEL_ORDER = ("CRITICAL", "WARNING", "INFO", "OK")
SHOWN_NODE_ERRORS = 5


def add_home_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--home",
        default=None,
        metavar="DIR",
        help="store directory (default: $TICKMINI_HOME, else $XDG_DATA_HOME/tickmini)",
    )


def add_input_argument(parser: argparse.ArgumentParser) -> None:
    """``--input FILE...`` as ``run``, ``replay``, ``trace`` and ``plot`` take it."""
    parser.add_argument(
        "--input",
        "-i",
        nargs="+",
        action="extend",
        default=[],
        metavar="FILE",
        help="line protocol or .srpl files ('-' or none: standard input; .gz is read compressed)",
    )


def add_script_arguments(parser: argparse.ArgumentParser) -> None:
    """The script and what feeds it: what ``run``, ``trace`` and ``plot`` share."""
    parser.add_argument("script", help="the .tick file")
    add_input_argument(parser)
    parser.add_argument("--dbrp", action="append", default=[], metavar="DB.RP", help="task DBRP")
    parser.add_argument("--task-name", default=None, metavar="NAME", help="task ID")
    parser.add_argument(
        "--handler", nargs="+", action="extend", default=[], metavar="FILE", help="topic handlers"
    )


def add_output_arguments(parser: argparse.ArgumentParser, *, delivers: bool = True) -> None:
    """``--config``, ``--strict``, ``--precision``; with ``delivers`` also ``--send`` and
    ``--format`` (``run`` and ``replay``; ``trace`` and ``plot`` never send)."""
    parser.add_argument("--config", default=None, metavar="FILE", help="kapacitor.conf")
    if delivers:
        parser.add_argument("--send", action="store_true", help="really deliver post/tcp/victorops")
        parser.add_argument(
            "--format", choices=("text", "json"), default="text", help="event output"
        )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse everything Kapacitor would refuse; stop at the first bad input line",
    )
    parser.add_argument(
        "--precision",
        default="n",
        choices=tuple(PRECISIONS),
        help="timestamp precision of the input (default ns)",
    )


def parse_kapacitor_dbrp(text: str) -> tuple[str, str]:
    """Kapacitor's ``-dbrp``: ``db.rp`` (split at the first dot) or ``"db"."rp"`` (quotes
    optional, ``\\"`` escapes), as ``cmd/kapacitor`` parses it."""
    if not text:
        raise UsageError("dbrp cannot be empty")
    if text[0] == '"':
        database, end = _quoted(text, 0)
    else:
        end = text.find(".")
        if end < 0:
            raise UsageError(
                f"invalid dbrp {text!r}: does not contain a '.', it must be in the form "
                '"dbname"."rpname" where the quotes are optional.'
            )
        database = text[:end]
    if end >= len(text) or text[end] != ".":
        raise UsageError(
            f"invalid dbrp {text!r}: dbrp must specify retention policy, do you have a "
            "missing or extra '.'?"
        )
    rest = text[end + 1 :]
    policy = _quoted(rest, 0)[0] if rest.startswith('"') else rest
    if not database or not policy:
        raise UsageError(f"invalid dbrp {text!r}: database and retention policy must be named")
    return database, policy


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The string inside quotes at ``start`` and the index after the closing quote."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise UsageError(f"invalid dbrp {text!r}: unterminated quote")


def load_config_arg(path: str | None):
    """The ``--config`` file, or Kapacitor's defaults (with ``KAPACITOR_*`` overrides)."""
    from tickmini.config import default_config, load_config

    return load_config(path) if path else default_config()


def format_event_text(event) -> str:
    """One readable line: time, level, id, message."""
    from tickmini.gocompat.timefmt import format_rfc3339nano

    message = event.message.replace("\\", "\\\\").replace("\n", "\\n")
    return f"{format_rfc3339nano(event.time)} {event.level.name:<8} {event.id} {message}"


@dataclass(slots=True)
class EventPrinter:
    """Prints each event (text or Kapacitor's alert JSON) and counts them by level."""

    stdout: TextIO
    as_json: bool = False
    levels: Counter[str] = field(default_factory=Counter)

    def __call__(self, event) -> None:
        from tickmini.alerting.encode import alert_data_json

        self.levels[event.level.name] += 1
        self.stdout.write(
            alert_data_json(event) if self.as_json else format_event_text(event) + "\n"
        )

    def summary(self) -> str:
        by_level = ", ".join(f"{self.levels[n]} {n}" for n in LEVEL_ORDER)
        return f"{sum(self.levels.values())} events ({by_level})"


def summary_line(points: int, rejected: int, events: EventPrinter, deliveries) -> str:
    return (
        f"tickmini: {points} points read, {rejected} rejected; {events.summary()}; "
        f"{deliveries.text()}\n"
    )


def report_run_end(
    stderr: TextIO,
    stopped: list[tuple[str, TickminiError]],
    points: int,
    rejected: int,
    events: EventPrinter,
    deliveries,
    diagnostics,
) -> None:
    """What ``run`` and ``replay`` print at the end: stopped tasks, the summary, node errors."""
    for name, error in stopped:
        stderr.write(error.render() + "\n")
        stderr.write(f"tickmini: task {name} stopped (Kapacitor would stop it too)\n")
    stderr.write(summary_line(points, rejected, events, deliveries))
    report_diagnostics(diagnostics, stderr)  # Kapacitor logs each of these


@contextmanager
def services_closed_on_error(services) -> Iterator[None]:
    """Close ``services`` on every way out but success (the caller closes them then, for the
    summary): Ctrl-C stops retrying first, a closed stdout (``| head``) is silenced first."""
    try:
        yield
    except KeyboardInterrupt:
        services.interrupt()
        services.close()
        raise
    except BrokenPipeError:
        silence_stdout()
        services.close()
        raise
    except BaseException:
        services.close()
        raise


def run_exit_code(rejected: int, deliveries, stopped_tasks: int) -> int:
    """1 when lines were rejected, an alert was undeliverable or a task stopped; else 0."""
    return EXIT_PROBLEMS if rejected or deliveries.failed or stopped_tasks else EXIT_OK


def report_diagnostics(diagnostics, stderr: TextIO) -> None:
    """Node errors Kapacitor would log: the first few in full, then the totals."""
    if diagnostics.counts:
        for message in diagnostics.messages[:SHOWN_NODE_ERRORS]:
            stderr.write(f"tickmini: {message}\n")
        stderr.write(
            "tickmini: node errors: "
            + ", ".join(f"{n}× {m}" for m, n in sorted(diagnostics.counts.items()))
            + "\n"
        )


class Progress:
    """Live progress on a terminal (points, rate, share read); silent otherwise."""

    def __init__(self, stream: TextIO, total_bytes: int | None) -> None:
        self.stream = stream
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.total = total_bytes
        self.start = time.monotonic()
        self.last = self.start
        self.shown = False

    def update(self, points: int, read_bytes: int | None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        rate = points / max(now - self.start, 1e-9)
        share = ""
        if self.total and read_bytes is not None:
            share = f", {min(100.0, 100.0 * read_bytes / self.total):.0f}% read"
        self.stream.write(f"\r{points} points, {rate:,.0f} points/s{share}   ")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def total_size(sources: list[str]) -> int | None:
    total = 0
    for source in sources:
        if source == "-" or source.endswith(".gz"):
            return None
        try:
            total += os.path.getsize(source)
        except OSError:
            return None
    return total


def silence_stdout() -> None:
    """Point stdout at /dev/null after the reader went away, so exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def for_each_parsed_script(
    paths: list[str], handle: Callable[[str, str, str, Program], int]
) -> int:
    """Read and parse each script, reporting unreadable files (exit 2) and syntax errors (exit 1)
    on stderr; ``handle(path, name, text, program)`` gets each script that parses and returns its
    exit code. Returns the worst exit code (``check`` and ``fmt`` share this loop)."""
    from tickmini.errors import TickscriptSyntaxError
    from tickmini.syntax.parser import parse_script
    from tickmini.syntax.source import display_name, read_script

    status = EXIT_OK
    for path in paths:
        name = display_name(path)
        try:
            text = read_script(path)
        except UsageError as err:
            print(f"tickmini: {err.message}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        try:
            program = parse_script(text, name)
        except TickscriptSyntaxError as err:
            print(err.render(), file=sys.stderr)
            status = max(status, EXIT_PROBLEMS)
            continue
        status = max(status, handle(path, name, text, program))
    return status
