"""The rule under test: compiled once per file, run as a fresh task for every case.

Adapters over the engine (``tickmini.runtime.engine``) and the handlers
(``tickmini.alerting.handlers``): handlers are built exactly as ``tickmini run`` builds them, but
their :class:`~tickmini.alerting.services.Services` records each request instead of sending it,
and the log handler records its line instead of writing the file. Nothing leaves the process.

Every alert node of the task is observed (``Task.observe_alerts``) while a case runs: the
observations are what the failure report and ``--coverage`` read, so both show the lambdas as the
node actually evaluated them (stateful functions included), never a re-evaluation.

Scripts whose lambdas use a stateful function (``count()``, ``sigma()``, ``spread()``) keep that
state in the compiled expression, so they are recompiled for every case to keep cases isolated.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from tickmini.alerting.delivery import OutgoingRequest
from tickmini.alerting.event import AlertEvent, Handler, Level
from tickmini.alerting.handlers import build_topic_handler, check_handler_available, create_handler
from tickmini.alerting.handlers.payload import alert_json_line
from tickmini.alerting.services import Services
from tickmini.alerting.spec import HandlerSpec, load_handler_file
from tickmini.config import KapacitorConfig, default_config, load_config
from tickmini.errors import TickminiError
from tickmini.pipeline.definition import CompiledLambdaValue, NodeDef, Pipeline
from tickmini.runtime.alert import AlertObservation
from tickmini.runtime.engine import Engine
from tickmini.teach.lambdas import calls_stateful
from tickmini.testing.model import RuleTestFile
from tickmini.testing.results import CapturedRequest
from tickmini.values import Point

DEFAULT_DBRP = ("telegraf", "autogen")
# The alert node property of each level (``.crit`` -> CRITICAL); its reset adds ``Reset``.
LEVEL_PROPERTIES = {Level.INFO: "info", Level.WARNING: "warn", Level.CRITICAL: "crit"}


@dataclass(slots=True)
class RunOutput:
    """What one case's task produced."""

    events: list[AlertEvent]
    requests: list[CapturedRequest]
    http_out: dict[str, object]
    diagnostics: list[str]
    # What every alert node did with each point/batch, in the order it happened.
    observations: list[AlertObservation] = field(default_factory=list)


@dataclass(slots=True)
class CapturingServices(Services):
    """Services whose handlers record requests (with the handler's label) instead of sending."""

    label: str = ""
    captured: list[CapturedRequest] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def dispatch(self, request: OutgoingRequest) -> None:
        self.captured.append(captured_request(request, self.label))

    def error_line(self, text: str) -> None:
        self.messages.append(self.mask(text))


class CapturingLogHandler:
    """The ``.log(path)`` handler in a test: the JSON line it would append, not a file write."""

    def __init__(self, path: str, label: str, sink: list[CapturedRequest]) -> None:
        self.path, self.label, self.sink = path, label, sink

    def handle(self, event: AlertEvent) -> None:
        if event.no_external:
            return
        body = alert_json_line(event)
        self.sink.append(
            CapturedRequest(
                "log", self.label, self.path, "", _decode(body), body.decode("utf-8", "replace")
            )
        )


def captured_request(request: OutgoingRequest, label: str) -> CapturedRequest:
    """The test view of an outgoing request: masked URL, routing key, decoded body."""
    text = request.body.decode("utf-8", "replace")
    routing_key = (
        str(request.record.get("routing_key", "")) if request.handler == "victorops" else ""
    )
    return CapturedRequest(
        request.handler, label, request.destination, routing_key, _decode(request.body), text
    )


def _decode(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


class RuleUnderTest:
    """A test file's script, config and handler files, ready to run cases."""

    def __init__(self, test_file: RuleTestFile) -> None:
        self.test_file = test_file
        self.script_label = test_file.script_path or f"{test_file.path} (tickscript)"
        self.config: KapacitorConfig = (
            load_config(test_file.config_path)
            if test_file.config_path
            else default_config(environ={})
        )
        self.topic_specs: list[HandlerSpec] = [
            load_handler_file(p) for p in test_file.handler_paths
        ]
        self.pipeline = self._compile()
        self.stateful = any(_stateful(node) for node in self.pipeline.nodes)
        for node in self.pipeline.by_kind("alert"):
            for handler in node.handlers:
                if handler.spec is not None:
                    check_handler_available(handler.spec, self.config)
        wanted = (test_file.database, test_file.retention_policy)
        if test_file.database and self.pipeline.dbrps and wanted not in self.pipeline.dbrps:
            reads = ", ".join(f"{db}.{rp}" for db, rp in self.pipeline.dbrps)
            raise test_file.doc.error(
                ("dbrp",),
                f"the script reads {reads}, so points written to {'.'.join(wanted)} never reach it",
                hint="drop 'dbrp:' (the script's dbrp is used) or give a case its own dbrp",
            )
        self.explicit_dbrps: list[tuple[str, str]] = []
        if test_file.database and test_file.retention_policy and not self.pipeline.dbrps:
            self.explicit_dbrps = [(test_file.database, test_file.retention_policy)]
        if test_file.database and test_file.retention_policy:
            self.default_dbrp = (test_file.database, test_file.retention_policy)
        else:
            self.default_dbrp = self.pipeline.dbrps[0] if self.pipeline.dbrps else DEFAULT_DBRP
        self.handler_labels = [label for _, label in _handlers_of(self.pipeline)]
        self.handler_labels += [_topic_label(s) for s in self.topic_specs]
        # (alert node, level, is reset) -> the lambda as written, for the report.
        self.lambda_sources = _lambda_sources(self.pipeline, test_file.script_text)

    def _compile(self) -> Pipeline:
        from tickmini.pipeline.builder import compile_script

        test_file = self.test_file
        filename = test_file.script_path or test_file.path
        try:
            return compile_script(test_file.script_text, filename)
        except TickminiError as err:
            if test_file.script_path is None and err.line is not None:
                # An inline script: point into the test file.
                err.line += test_file.script_line - 1
                if err.column is not None:
                    err.column += test_file.script_indent
                err.file = test_file.path
                err.source_line = test_file.doc.source_line(err.line) or err.source_line
            raise

    def run(self, points: list[Point]) -> RunOutput:
        """A fresh engine and task (fresh alert and topic state); feed ``points``; collect."""
        pipeline = self._compile() if self.stateful else self.pipeline
        captured: list[CapturedRequest] = []
        messages: list[str] = []
        labels = {id(spec): label for spec, label in _handlers_of(pipeline)}

        def services_for(label: str) -> CapturingServices:
            return CapturingServices(
                config=self.config, label=label, captured=captured, messages=messages
            )

        def make_handler(spec: object) -> Handler:
            assert isinstance(spec, HandlerSpec)
            label = labels.get(id(spec)) or f"{_spec_label(spec)} (global)"
            if spec.kind == "log":
                return CapturingLogHandler(str(spec.options.get("path", "")), label, captured)
            return create_handler(spec, services_for(label))

        engine = Engine(
            services=services_for(""), make_handler=make_handler, log_sink=messages.append
        )
        attributed = 0
        event_count = 0

        def on_event(event: AlertEvent) -> None:
            nonlocal attributed, event_count
            for request in captured[attributed:]:
                request.event_index = event_count
            attributed = len(captured)
            event_count += 1

        engine.on_event = on_event
        for spec in self.topic_specs:
            engine.topics.register_handler(
                spec.topic, build_topic_handler(spec, services_for(_topic_label(spec)))
            )
        task = engine.add_task(
            pipeline, name=self.test_file.task_name, dbrps=self.explicit_dbrps or None
        )
        observations: list[AlertObservation] = []
        task.observe_alerts(observations.append)
        engine.run(points)
        if task.error is not None:
            raise task.error
        http_out = {name: json.loads(node.result_json()) for name, node in task.http_outs().items()}  # type: ignore[attr-defined]
        return RunOutput(
            list(engine.events),
            captured,
            http_out,
            messages + engine.diagnostics.messages,
            observations,
        )


def _handlers_of(pipeline: Pipeline) -> Iterator[tuple[HandlerSpec, str]]:
    """The in-script handlers of ``pipeline`` with their labels (unique within the script)."""
    seen: dict[str, int] = {}
    for node in pipeline.by_kind("alert"):
        for handler in node.handlers:
            if handler.spec is None:
                continue
            label = f"{_spec_label(handler.spec)} (line {handler.line})"
            seen[label] = seen.get(label, 0) + 1
            yield handler.spec, label if seen[label] == 1 else f"{label} #{seen[label]}"


def _spec_label(spec: HandlerSpec) -> str:
    options = spec.options
    if spec.kind == "victorops":
        key = options.get("routing-key") or "the configured key"
        return f"victorops routing key {key}"
    if spec.kind == "post":
        return f"post {options.get('url') or options.get('endpoint') or ''}".strip()
    if spec.kind == "log":
        return f"log {os.path.basename(str(options.get('path', '')))}"
    if spec.kind == "tcp":
        return f"tcp {options.get('address', '')}"
    return spec.kind


def _topic_label(spec: HandlerSpec) -> str:
    return f"handler {spec.id!r} ({spec.kind}) on topic {spec.topic!r}"


def _stateful(node: NodeDef) -> bool:
    values = [*node.properties.values(), *node.args]
    return any(isinstance(v, CompiledLambdaValue) and calls_stateful(v.expr) for v in values)  # type: ignore[arg-type]


def _lambda_sources(pipeline: Pipeline, script: str) -> dict[tuple[str, Level, bool], str]:
    sources = {}
    for node in pipeline.by_kind("alert"):
        for level, key in LEVEL_PROPERTIES.items():
            for reset in (False, True):
                value = node.properties.get(key + "Reset" if reset else key)
                if isinstance(value, CompiledLambdaValue):
                    text = lambda_text(script, value.line, value.column)
                    sources[(node.name, level, reset)] = text
    return sources


def lambda_text(script: str, line: int, column: int) -> str:
    """The lambda as written, from its position up to its closing parenthesis (one line)."""
    lines = script.splitlines()
    if not 0 < line <= len(lines):
        return "lambda"
    text = lines[line - 1][max(column - 1, 0) :]
    depth = 0
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return text[:i].strip()
            depth -= 1
    return text.strip()
