"""``tickmini run SCRIPT``: run a TICKscript over line protocol and print its alerts.

Exit codes: 0 success; 1 the input was processed but something went wrong (rejected lines, a
task stopped by a template error, an alert dead-lettered or not handled); 2 usage error; 3 the
script, config or a handler file is invalid (nothing was run).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TextIO

from tickmini.alerting.services import DEFAULT_DEAD_LETTER
from tickmini.cli.common import (
    EXIT_PROBLEMS,
    PRECISIONS,
    EventPrinter,
    Progress,
    add_output_arguments,
    add_script_arguments,
    report_run_end,
    run_exit_code,
    services_closed_on_error,
)
from tickmini.cli.resend import add_delivery_arguments, delivery_policy
from tickmini.cli.trace import add_trace_arguments, attach_if_requested
from tickmini.errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run a script over line protocol and print its alerts",
        description=(
            "Run a TICKscript stream task over InfluxDB line protocol, as Kapacitor would "
            "(replay: the end of input does not flush open windows), and print the alert events."
        ),
    )
    add_script_arguments(parser)
    add_output_arguments(parser)
    parser.add_argument("--http-out", default=None, metavar="DIR", help="write httpOut content")
    parser.add_argument(
        "--dead-letter",
        default=DEFAULT_DEAD_LETTER,
        metavar="FILE",
        help=f"with --send: where undeliverable requests are appended (default {DEFAULT_DEAD_LETTER})",
    )
    add_delivery_arguments(parser)
    add_trace_arguments(parser, flag=True)
    parser.set_defaults(func=run_command)


def parse_dbrp(text: str) -> tuple[str, str]:
    """``db.rp`` (the retention policy is what follows the first dot)."""
    db, dot, rp = text.partition(".")
    if not dot or not db or not rp:
        raise UsageError(f"--dbrp must look like DATABASE.RETENTION_POLICY, got {text!r}")
    return db, rp


def default_task_name(script: str) -> str:
    stem = Path(script).stem or "task"
    cleaned = "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in stem)
    return cleaned or "task"


def run_command(args: argparse.Namespace) -> int:
    from tickmini.alerting.handlers import build_topic_handler, create_handler
    from tickmini.alerting.services import Services
    from tickmini.alerting.spec import load_handler_file
    from tickmini.config import default_config, load_config
    from tickmini.pipeline.builder import compile_script
    from tickmini.runtime.context import ServerInfo
    from tickmini.runtime.engine import Engine

    stdout, stderr = sys.stdout, sys.stderr
    dbrps = [parse_dbrp(d) for d in args.dbrp]
    config = load_config(args.config) if args.config else default_config()
    for note in config.warnings:
        stderr.write(f"tickmini: warning: {note}\n")
    try:
        text = Path(args.script).read_text(encoding="utf-8")
    except OSError as err:
        raise UsageError(f"cannot read {args.script}: {err.strerror or err}") from None
    pipeline = compile_script(text, args.script, strict=args.strict)
    for warning in pipeline.warnings:
        stderr.write(warning.render() + "\n")
    specs = [load_handler_file(path) for path in args.handler]
    for spec in specs:
        for note in spec.warnings:
            stderr.write(f"tickmini: warning: {note}\n")

    printer = EventPrinter(stdout, as_json=args.format == "json")
    services = Services.create(
        config,
        send=args.send,
        dead_letter=args.dead_letter,
        policy=delivery_policy(args),
        stderr=stderr,
        stdout=stdout,
    )
    try:
        with services_closed_on_error(services):
            engine = Engine(
                server_info=ServerInfo(hostname=config.hostname),
                services=services,
                make_handler=lambda spec: create_handler(spec, services),
                on_event=printer,
                collect=False,
                log_sink=lambda line: stderr.write(line + "\n"),
            )
            for spec in specs:
                engine.topics.register_handler(spec.topic, build_topic_handler(spec, services))
            task_name = args.task_name or default_task_name(args.script)
            task = engine.add_task(pipeline, name=task_name, dbrps=dbrps)
            tracer = attach_if_requested(args, task, stdout)
            target = sorted(task.dbrps)[0] if task.dbrps else ("", "")
            counts = _feed(engine, task, args, target, stderr)
            engine.finish()
            if tracer is not None:
                tracer.finish()
            if args.http_out:
                _write_http_out(task, args.http_out)
    except BrokenPipeError:  # stdout closed early (| head): stop quietly
        return EXIT_PROBLEMS
    deliveries = services.close()
    stopped = [(task.name, err) for err in engine.errors]
    report_run_end(
        stderr,
        stopped,
        counts["points"],
        counts["rejected"],
        printer,
        deliveries,
        engine.diagnostics,
    )
    stdout.flush()
    return run_exit_code(counts["rejected"], deliveries, len(engine.errors))


def _feed(engine, task, args, target: tuple[str, str], stderr: TextIO) -> dict[str, int]:
    """Read every input into the engine; returns counts of points read and lines rejected."""
    from tickmini.io.lineprotocol import read_inputs

    sources: list = list(args.input or ["-"])
    progress = Progress(stderr, _total_size(sources))
    counter = _ByteCounter()
    if progress.enabled and progress.total:
        # On a terminal, read files through a byte counter for the "share read" figure.
        sources = [_CountingFile(path, counter) for path in sources]

    def rejected(error) -> None:
        stderr.write(error.render() + "\n")

    # Plain line protocol gets the task's DBRP from the reader; recordings (.srpl) keep
    # their own, which the task filters as Kapacitor does.
    recordings = any(_is_recording(source) for source in args.input or ())
    try:
        reader = read_inputs(
            sources,
            precision=PRECISIONS[args.precision],
            dbrp=target,
            strict=args.strict,
            on_error=rejected,
            row_filter=None if recordings else engine.row_filter(*target),
            on_block=(lambda stats: progress.update(stats.points, counter.bytes))
            if progress.enabled
            else None,
        )
        engine.feed(reader, all_for_task=not recordings)
    finally:
        for source in sources:
            if isinstance(source, _CountingFile):
                source.close()
    progress.done()
    # The reader's count: rows a row filter skipped were read and validated, never yielded.
    return {"points": reader.stats.points, "rejected": reader.stats.rejected}


def _is_recording(source: str) -> bool:
    return str(source).endswith((".srpl", ".srpl.gz"))


class _ByteCounter:
    __slots__ = ("bytes",)

    def __init__(self) -> None:
        self.bytes = 0


class _CountingFile(io.RawIOBase):
    """A file opened for reading that adds what it reads to a shared counter."""

    def __init__(self, path: str, counter: _ByteCounter) -> None:
        super().__init__()
        self.name = path
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._counter = counter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self._file.readinto(buffer)
        self._counter.bytes += n or 0
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def _total_size(sources: list[str]) -> int | None:
    total = 0
    for source in sources:
        if source == "-":
            return None
        try:
            total += os.path.getsize(source)
        except OSError:
            return None
    return total


def _write_http_out(task, directory: str) -> None:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for endpoint, node in task.http_outs().items():
        (out / f"{endpoint}.json").write_text(node.result_json(), encoding="utf-8")
