"""What ``kapacitor list/show/show-topic/show-topic-handler`` print, byte for byte (reference §7).

Pure functions from store records to text, so the CLI stays thin and tests can call them.
Widths follow Go: computed from byte lengths, padded by characters (``fmt`` counts runes).
"""

from __future__ import annotations

from tickmini.alerting.event import Level
from tickmini.gocompat.gofmt import quote_go
from tickmini.gocompat.jsonenc import encode
from tickmini.gocompat.timefmt import GO_ZERO_TIME_NS, format_rfc822
from tickmini.pipeline.definition import NodeDef, Pipeline
from tickmini.store.db import HandlerRecord, TaskRecord, TopicRecord

# tickmini has no server: a task never executes in the background.
EXECUTING = "false"


def _width(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _left(text: str, width: int) -> str:
    return text + " " * max(0, width - len(text))


def _right(text: str, width: int) -> str:
    return " " * max(0, width - len(text)) + text


def dbrps_text(dbrps: list[tuple[str, str]]) -> str:
    """A Go slice of ``client.DBRP`` printed with ``%v``: ``["db"."rp" "db2"."rp2"]``."""
    return "[" + " ".join(f"{quote_go(db)}.{quote_go(rp)}" for db, rp in dbrps) + "]"


def sorted_nodes(pipeline: Pipeline) -> list[NodeDef]:
    """Kapacitor's ``Pipeline.sort``: reverse post-order of a depth-first walk from the source."""
    order: list[NodeDef] = []
    done: set[int] = set()

    def visit(node: NodeDef) -> None:
        if node.id in done:
            return
        done.add(node.id)
        for child in node.children:
            visit(child)
        order.append(node)

    visit(pipeline.source_node)
    order.reverse()
    return order


def dot(task_id: str, pipeline: Pipeline) -> str:
    """``Pipeline.Dot`` for a task that is not executing (no trailing newline)."""
    lines = [f"digraph {task_id} {{\n"]
    for node in sorted_nodes(pipeline):
        if pipeline.task_type == "batch" and node.kind == "batch":
            continue
        lines.extend(f"{node.name} -> {child.name};\n" for child in node.children)
    lines.append("}")
    return "".join(lines)


def task_list(tasks: list[TaskRecord]) -> str:
    width = max([2, *(_width(t.id) for t in tasks)]) + 1
    rows = [("ID", "Type", "Status", "Executing", "Databases and Retention Policies")]
    rows += [(t.id, t.type, t.status, EXECUTING, dbrps_text(t.dbrps)) for t in tasks]
    return "".join(
        f"{_left(a, width)}{_left(b, 10)}{_left(c, 10)}{_left(d, 10)}{e}\n"
        for a, b, c, d, e in rows
    )


def task_show(task: TaskRecord, formatted_script: str, graph: str) -> str:
    """``kapacitor show TASK`` (times as RFC822 in UTC)."""
    last_enabled = task.last_enabled if task.last_enabled is not None else GO_ZERO_TIME_NS
    return (
        f"ID: {task.id}\n"
        f"Error: {task.error}\n"
        "Template: \n"
        f"Type: {task.type}\n"
        f"Status: {task.status}\n"
        f"Executing: {EXECUTING}\n"
        f"Created: {format_rfc822(task.created)}\n"
        f"Modified: {format_rfc822(task.modified)}\n"
        f"LastEnabled: {format_rfc822(last_enabled)}\n"
        f"Databases Retention Policies: {dbrps_text(task.dbrps)}\n"
        f"TICKscript:\n{formatted_script}\n"
        f"DOT:\n{graph}\n"
    )


def topic_level(topic: TopicRecord) -> Level:
    """The highest level among the topic's events (Kapacitor's intent; see reference §5.2)."""
    return max((s.level for s in topic.states.values()), default=Level.OK)


def topic_list(topics: list[TopicRecord]) -> str:
    id_width = max([2, *(_width(t.id) for t in topics)]) + 1
    level_width = 8 + 1
    rows = [("ID", "Level", "Collected")]
    rows += [(t.id, topic_level(t).name, str(t.collected)) for t in topics]
    return "".join(
        f"{_left(a, id_width)}{_left(b, level_width)}{_right(c, 10)}\n" for a, b, c in rows
    )


def handler_list(handlers: list[HandlerRecord]) -> str:
    topic_width = max([10, *(_width(h.topic) for h in handlers)]) + 1
    id_width = max([10, *(_width(h.id) for h in handlers)]) + 1
    kind_width = max([10, *(_width(h.kind) for h in handlers)]) + 1
    rows = [("Topic", "ID", "Kind")] + [(h.topic, h.id, h.kind) for h in handlers]
    return "".join(
        f"{_left(a, topic_width)}{_left(b, id_width)}{_left(c, kind_width)}\n" for a, b, c in rows
    )


def topic_show(topic: TopicRecord, handler_ids: list[str]) -> str:
    """``kapacitor show-topic``: events sorted by time, dates RFC822 in UTC."""
    events = sorted(topic.states.values(), key=lambda s: (s.time, s.id))
    event_width = max([5, *(_width(s.id) for s in events)]) + 1
    message_width = max([7, *(_width(s.message) for s in events)]) + 1
    rows = [("Event", "Level", "Message", "Date")]
    rows += [(s.id, s.level.name, s.message, format_rfc822(s.time)) for s in events]
    table = "".join(
        f"{_left(a, event_width)}{_left(b, 9)}{_left(c, message_width)}{_left(d, 23)}\n"
        for a, b, c, d in rows
    )
    return (
        f"ID: {topic.id}\n"
        f"Level: {topic_level(topic).name}\n"
        f"Collected: {topic.collected}\n"
        f"Handlers: [{', '.join(handler_ids)}]\n"
        f"Events:\n{table}"
    )


def handler_show(handler: HandlerRecord) -> str:
    return (
        f"ID: {handler.id}\n"
        f"Topic: {handler.topic}\n"
        f"Kind: {handler.kind}\n"
        f"Match: {handler.match}\n"
        f"Options: {encode(handler.options)}\n"
    )
