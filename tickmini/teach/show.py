"""``tickmini explain SCRIPT``: the pipeline as a tree, every property with its value.

Properties come from the node catalogue (:mod:`tickmini.pipeline.catalog`): each is listed with
the value the script gave it or its default (marked ``(default)``), so the reader sees what the
node will really do: the ID and message templates of an alert, the topics it publishes to, its
handlers and where they send (secrets masked).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from tickmini.alerting.event import Level
from tickmini.alerting.handlers import global_handler_specs
from tickmini.alerting.handlers.victorops import VictorOpsTarget
from tickmini.alerting.secrets import mask_secrets
from tickmini.alerting.spec import HandlerSpec
from tickmini.alerting.topics import anonymous_topic
from tickmini.config import KapacitorConfig
from tickmini.errors import TickminiError
from tickmini.gocompat.durations import format_influxql_duration
from tickmini.pipeline import catalog
from tickmini.pipeline.definition import CompiledLambdaValue, NodeDef, Pipeline, RegexValue, Star
from tickmini.syntax import ast
from tickmini.syntax.formatter import format_expression
from tickmini.values import Duration

__all__ = ["explain_pipeline", "handler_destination"]

_BRANCH, _LAST, _PIPE, _SPACE = "├── ", "└── ", "│   ", "    "


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def property_text(prop: catalog.Property, value: object) -> str:
    """A property value as a reader would write it in TICKscript."""
    if value is None:
        return "not set"
    if isinstance(value, CompiledLambdaValue):
        return "lambda: " + format_expression(value.expr)  # type: ignore[arg-type]
    if prop.key == "stateChangesOnly":
        return "on" if not value else f"on, resend unchanged levels after {_duration(value)}"
    if prop.key == "flapping":
        low, high = value  # type: ignore[misc]
        return f"low {low}, high {high}"
    if prop.key == "keep":
        return ", ".join(_quote(k) for k in value) if value else "all fields"  # type: ignore[union-attr]
    if prop.key == "inhibitors":
        if not value:
            return "none"
        return "; ".join(f"category {_quote(c)} tags {', '.join(t) or '-'}" for c, t in value)  # type: ignore[union-attr]
    if "duration" in prop.signature.params or prop.signature.variadic == "duration":
        return _duration(value)
    if prop.key == "mode" and isinstance(value, int):
        return "0" + format(value, "o")
    return _value(value)


def _duration(value: object) -> str:
    ns = value.nanoseconds if isinstance(value, Duration) else int(value)  # type: ignore[call-overload]
    return format_influxql_duration(ns) if ns else "0s"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, Star):
        return "*"
    if isinstance(value, RegexValue):
        return value.text
    if isinstance(value, Duration):
        return _duration(value)
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) if value else "none"
    return str(value)


def handler_destination(spec: HandlerSpec, config: KapacitorConfig) -> str:
    """Where a handler sends, secrets masked (the VictorOps API key, basic-auth passwords)."""
    options = spec.options
    secrets = list(config.secrets())
    if spec.kind == "victorops":
        target = VictorOpsTarget.resolve(str(options.get("routing-key") or ""), config.victorops)
        text = f"POST {target.destination} (routing key {_quote(target.routing_key)})"
        if target.refused:
            text += f"; would not send: {target.refused}"
    elif spec.kind == "post":
        url = str(options.get("url") or "")
        endpoint = str(options.get("endpoint") or "")
        if endpoint:
            entry = config.endpoint(endpoint)
            url = entry.url if entry is not None else f"(no [[httppost]] endpoint {endpoint!r})"
        text = f"POST {url}"
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        if password:
            secrets.append(password)
    elif spec.kind == "log":
        mode = options.get("mode")
        text = f"append JSON lines to {options.get('path')}"
        if isinstance(mode, int):
            text += f" (mode 0{mode:o})"
    elif spec.kind == "tcp":
        text = f"TCP {options.get('address')}"
    else:
        text = f"{spec.kind} (not supported by tickmini)"
    return mask_secrets(text, secrets)


def _node_title(node: NodeDef) -> str:
    if node.kind == "stream":
        return "stream0" if node.name == "stream0" else node.name
    args = ", ".join(_argument(a) for a in node.args)
    doc = catalog.NODE_KINDS[node.kind].doc
    return f"{node.name}  |{node.method}({args})  [{doc}; gives a {node.edge}]"


def _argument(value: object) -> str:
    """A chain method argument; lambdas (compiled or as the builder keeps them) as written."""
    if isinstance(value, CompiledLambdaValue):
        return "lambda: " + format_expression(value.expr)  # type: ignore[arg-type]
    lambda_node = getattr(value, "node", None)
    if isinstance(lambda_node, ast.Lambda):
        return "lambda: " + format_expression(lambda_node.expr)
    return _value(value)


def _property_lines(node: NodeDef) -> list[str]:
    kind = catalog.NODE_KINDS[node.kind]
    lines = []
    for prop in catalog.properties_of(node.kind).values():
        if prop.action == "handler" or prop.key not in node.properties:
            continue
        value = node.properties[prop.key]
        default = kind.defaults.get(prop.key, None)
        mark = "  (default)" if value == default and value is not None else ""
        lines.append(f".{prop.name}: {property_text(prop, value)}{mark}")
    return lines


def _alert_lines(
    node: NodeDef, task_name: str, config: KapacitorConfig, topic_handlers: Sequence[HandlerSpec]
) -> list[str]:
    specs = [h.spec for h in node.handlers if h.spec is not None]
    specs += global_handler_specs(config, specs)
    lines = _example_lines(node, task_name, config)
    topic = str(node.properties.get("topic") or "")
    topics = []
    if specs:
        topics.append(f"{_quote(anonymous_topic(task_name, node.name))} (its own handlers)")
    if topic:
        topics.append(_quote(topic))
    lines.append("publishes events to: " + (", ".join(topics) or "no topic (nothing is sent)"))
    if specs:
        lines.append("handlers:")
        for spec in specs:
            lines.append(f"  {spec.kind}: {handler_destination(spec, config)}")
    on_topic = [s for s in topic_handlers if topic and s.topic == topic]
    if on_topic:
        lines.append(f"topic handlers on {_quote(topic)}:")
        for spec in on_topic:
            match = f" when {spec.match}" if spec.match else ""
            lines.append(f"  {spec.id} ({spec.kind}){match}: {handler_destination(spec, config)}")
    elif topic and topic_handlers:
        lines.append(f"no topic handler file is for topic {_quote(topic)}")
    return lines


def _example_lines(node: NodeDef, task_name: str, config: KapacitorConfig) -> list[str]:
    """The ID and message an event of this node would carry, with placeholders for the data."""
    from tickmini.runtime.alert_templates import server_struct
    from tickmini.runtime.context import ServerInfo

    templates = node.compiled.get("templates")
    if templates is None:
        return []
    name, dims = _upstream_name_and_group(node)
    tags = {d: f"<{d}>" for d in dims}
    group = ",".join(f"{d}=<{d}>" for d in dims)
    server = server_struct(ServerInfo(hostname=config.hostname))
    where = f"a point of {_quote(name)}" + (f" grouped by {', '.join(dims)}" if dims else "")
    try:
        event_id = templates.render_id(name, task_name, group, tags, server)  # type: ignore[attr-defined]
        message, _ = templates.render_message_details(  # type: ignore[attr-defined]
            event_id, name, task_name, group, tags, {}, Level.CRITICAL, 0, 0, server
        )
    except TickminiError as err:
        return [f"example ID/message: cannot render ({err.message})"]
    return [
        f"example for {where}: ID {_quote(event_id)}",
        f"  CRITICAL message {_quote(message)}",
    ]


def _upstream_name_and_group(node: NodeDef) -> tuple[str, list[str]]:
    """The measurement and group-by tags of the data reaching ``node`` (first parent chain)."""
    name = "<measurement>"
    dims: list[str] = []
    current = node
    while current.parents:
        current = current.parents[0]
        p = current.properties
        if current.kind in ("from", "groupBy") and not dims:
            key = "groupBy" if current.kind == "from" else "dimensions"
            dims = sorted(str(d) for d in (p.get(key) or ()) if isinstance(d, str))
        if current.kind == "from" and p.get("measurement"):
            name = str(p["measurement"])
            break
    return name, dims


def explain_pipeline(
    pipeline: Pipeline,
    *,
    task_name: str,
    config: KapacitorConfig,
    topic_handlers: Sequence[HandlerSpec] = (),
) -> str:
    """The pipeline as a tree of nodes with their properties (text, ending with a newline)."""
    dbrps = ", ".join(f'"{db}"."{rp}"' for db, rp in pipeline.dbrps) or "none in the script"
    out = [
        f"{pipeline.filename}: {pipeline.task_type} task {_quote(task_name)}, dbrp {dbrps}",
        "",
    ]

    def visit(node: NodeDef, prefix: str, last: bool, root: bool) -> None:
        out.append(("" if root else prefix + (_LAST if last else _BRANCH)) + _node_title(node))
        inner = "" if root else prefix + (_SPACE if last else _PIPE)
        detail_prefix = inner + (_PIPE if node.children else _SPACE)
        details = _property_lines(node)
        if node.kind == "alert":
            details += _alert_lines(node, task_name, config, topic_handlers)
        out.extend(detail_prefix + line for line in details)
        for index, child in enumerate(node.children):
            visit(child, inner, index == len(node.children) - 1, False)

    visit(pipeline.source_node, "", True, True)
    for warning in pipeline.warnings:
        out.append("")
        out.append(warning.render())
    return "\n".join(out) + "\n"
