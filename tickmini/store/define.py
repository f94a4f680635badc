"""Defining tasks and topic handlers: everything is checked before anything is stored.

``define`` parses and builds the pipeline (so every error ``check``/``run`` would show appears
now) and applies Kapacitor's DBRP rules (reference §1.15): DBRPs come from the script or from
``-dbrp``, never both; with neither Kapacitor refuses (``must specify dbrp``) while tickmini
stores the task with a warning (an error under ``strict``) and sends it every point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tickmini.errors import BuildError, HandlerSpecError
from tickmini.pipeline.definition import BuildWarning, Pipeline
from tickmini.store.db import HandlerRecord, Store, TaskRecord, now_ns

NO_DBRP_MESSAGE = "must specify dbrp: Kapacitor refuses a task without a dbrp"
NO_DBRP_HINT = (
    'add a statement like dbrp "telegraf"."autogen" or pass -dbrp telegraf.autogen; '
    "tickmini sends every point to this task"
)


@dataclass(slots=True)
class Defined:
    """What ``define`` stored, and the warnings to show."""

    task: TaskRecord
    pipeline: Pipeline
    warnings: list[BuildWarning] = field(default_factory=list)


def check_task_name(task_id: str) -> None:
    """Kapacitor's task ID rule, with a hint for ``define``."""
    from tickmini.runtime.engine import check_task_id

    try:
        check_task_id(task_id)
    except BuildError as err:
        err.hint = "task IDs may hold letters, digits, '-', '.' and '_'"
        raise


def build_task(
    script: str, filename: str, dbrps: list[tuple[str, str]], *, strict: bool
) -> tuple[Pipeline, list[tuple[str, str]], list[BuildWarning]]:
    """The pipeline, the task's DBRPs and the warnings; raises on anything Kapacitor refuses."""
    from tickmini.pipeline.builder import compile_script

    pipeline = compile_script(script, filename, strict=strict)
    warnings = list(pipeline.warnings)
    if dbrps and pipeline.dbrps:
        raise BuildError(
            "cannot specify dbrp in both implicitly and explicitly",
            file=filename,
            hint="drop -dbrp or the script's dbrp statement",
        )
    if not dbrps and not pipeline.dbrps:
        if strict:
            raise BuildError(NO_DBRP_MESSAGE, file=filename, hint=NO_DBRP_HINT)
        warnings.append(BuildWarning(NO_DBRP_MESSAGE, filename, 1, 1, NO_DBRP_HINT))
    return pipeline, list(dbrps or pipeline.dbrps), warnings


def define_task(
    store: Store,
    task_id: str,
    script: str,
    filename: str,
    dbrps: list[tuple[str, str]],
    *,
    strict: bool = False,
) -> Defined:
    """Create (disabled) or update a task. An enabled task stays enabled (Kapacitor reloads it)."""
    check_task_name(task_id)
    pipeline, task_dbrps, warnings = build_task(script, filename, dbrps, strict=strict)
    when = now_ns()
    existing = store.task(task_id)
    record = TaskRecord(
        id=task_id,
        type=pipeline.task_type,
        dbrps=task_dbrps,
        script=script,
        status=existing.status if existing is not None else "disabled",
        created=when,
        modified=when,
        last_enabled=existing.last_enabled if existing is not None else None,
    )
    if existing is not None and existing.status == "enabled":
        record.last_enabled = when
    store.put_task(record)
    return Defined(record, pipeline, warnings)


def stored_dbrps(task: TaskRecord, pipeline: Pipeline) -> list[tuple[str, str]]:
    """The DBRPs to give :meth:`Engine.add_task` (none when the script names its own)."""
    return [] if pipeline.dbrps else list(task.dbrps)


def define_topic_handler(store: Store, path: str) -> tuple[HandlerRecord, list[str]]:
    """Load and check a handler file (as ``run --handler`` does), then create or replace it."""
    from tickmini.alerting.spec import load_handler_file

    spec = load_handler_file(path)
    if not spec.topic or not spec.id:
        raise HandlerSpecError(
            "a topic handler file needs both 'topic' and 'id'",
            file=path,
            expected="keys topic, id, kind (and optionally match, options)",
        )
    try:
        json.dumps(spec.options, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise HandlerSpecError(f"options cannot be stored as JSON: {err}", file=path) from None
    record = HandlerRecord(
        topic=spec.topic,
        id=spec.id,
        kind=spec.kind,
        match=spec.match or "",
        options=dict(spec.options),
    )
    store.put_handler(record)
    return record, list(spec.warnings)
