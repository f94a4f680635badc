"""Run a script over line protocol with a tracer attached: what ``trace`` and ``plot`` share.

Handlers never send here (a dry run): tracing is for understanding a rule, not for alerting.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tickmini.errors import TickminiError, UsageError
from tickmini.runtime.engine import Engine, Task
from tickmini.teach.trace import TraceOptions, Tracer


@dataclass(slots=True)
class TraceRun:
    """What a traced run gives: the tracer (its rows), the engine (events) and counts."""

    tracer: Tracer
    engine: Engine
    task: Task
    points: int = 0
    rejected: int = 0
    errors: list[TickminiError] = field(default_factory=list)


def read_script(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from None


def traced_run(
    script: str,
    inputs: Sequence[str],
    *,
    options: TraceOptions,
    write: Callable[[str], None],
    dbrps: Sequence[tuple[str, str]] = (),
    task_name: str = "task",
    config_path: str | None = None,
    handler_files: Sequence[str] = (),
    precision: str = "n",
    strict: bool = False,
    stderr: TextIO | None = None,
) -> TraceRun:
    """Compile ``script`` (a path), run it over ``inputs`` with a tracer, return the result."""
    from tickmini.alerting.handlers import build_topic_handler, create_handler
    from tickmini.alerting.services import Services
    from tickmini.alerting.spec import load_handler_file
    from tickmini.cli.common import load_config_arg
    from tickmini.io.lineprotocol import read_inputs
    from tickmini.pipeline.builder import compile_script
    from tickmini.runtime.context import ServerInfo

    errors = stderr or io.StringIO()
    config = load_config_arg(config_path)
    pipeline = compile_script(read_script(script), script, strict=strict)
    for warning in pipeline.warnings:
        errors.write(warning.render() + "\n")
    specs = [load_handler_file(path) for path in handler_files]
    services = Services.create(config, send=False, stderr=errors, stdout=errors)
    engine = Engine(
        server_info=ServerInfo(hostname=config.hostname),
        services=services,
        make_handler=lambda spec: create_handler(spec, services),
        collect=True,
    )
    for spec in specs:
        engine.topics.register_handler(spec.topic, build_topic_handler(spec, services))
    task = engine.add_task(pipeline, name=task_name, dbrps=list(dbrps))
    tracer = Tracer(task, options, write).attach()
    target = sorted(task.dbrps)[0] if task.dbrps else ("", "")

    def rejected(error: TickminiError) -> None:
        errors.write(error.render() + "\n")

    reader = read_inputs(list(inputs) or ["-"], precision=precision, dbrp=target, on_error=rejected)
    try:
        count = engine.feed(reader)
        engine.finish()
    finally:
        services.close()
    tracer.finish()
    return TraceRun(tracer, engine, task, count, reader.stats.rejected, engine.errors)
