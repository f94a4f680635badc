"""The alert node's id, message and details templates, compiled once when the script is built.

id and message are Go ``text/template``, details ``html/template`` with Kapacitor's ``json`` and
``jsonCompact`` functions (reference 4.7). The data are Kapacitor's ``idInfo``, ``messageInfo``
and ``detailsInfo`` structs, built by :mod:`tickmini.gocompat.template.kapacitor`, so templates
reach only Kapacitor's documented fields. A template that does not parse is a BuildError at the
position of its ``.id()``/``.message()``/``.details()``; one that fails while rendering raises
TemplateError (Kapacitor's node then fails and the task stops).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from tickmini.errors import BuildError, TemplateError
from tickmini.gocompat.template import Template
from tickmini.gocompat.template.kapacitor import (
    compile_details,
    compile_id,
    compile_message,
    details_data,
    id_data,
    message_data,
)
from tickmini.gocompat.template.kapacitor import server_info as server_info_struct
from tickmini.runtime.default_details import DefaultDetails, is_default_details

# An id template made only of text and {{ .Name }}, {{ .Group }}, {{ .TaskName }} or
# {{ .ServerInfo.X }} actions renders the same for every point of a group with one name, so the
# alert node can keep the rendered ID instead of rendering it for every point.
_NAME_GROUP_ONLY = re.compile(
    r"(?:[^{]|\{(?!\{)|\{\{-?\s*\.(?:Name|Group|TaskName|ServerInfo\.\w+)\s*-?\}\})*\Z"
)

ErrorFactory = Callable[[str, int, int], BuildError]


_SIMPLE_ACTION = re.compile(r"\{\{ *\.(Name|Group|TaskName|ID|Level) *\}\}")
_ID_FIELDS = frozenset({"Name", "Group", "TaskName"})
_MESSAGE_FIELDS = frozenset({"Name", "Group", "TaskName", "ID", "Level"})

Shortcut = Callable[[dict[str, str]], str]


def simple_template(text: str, allowed: frozenset[str]) -> Shortcut | None:
    """A text/template made only of text and ``{{ .Field }}`` of string fields renders as
    plain concatenation; anything else (other fields, trim markers, pipelines) returns None."""
    parts: list[tuple[bool, str]] = []
    position = 0
    for match in _SIMPLE_ACTION.finditer(text):
        if match.group(1) not in allowed:
            return None
        parts.append((False, text[position : match.start()]))
        parts.append((True, match.group(1)))
        position = match.end()
    parts.append((False, text[position:]))
    if any("{{" in literal for is_field, literal in parts if not is_field):
        return None
    pieces = tuple(parts)

    def render(values: dict[str, str]) -> str:
        return "".join(values[p] if is_field else p for is_field, p in pieces)

    return render


@dataclass(slots=True)
class AlertTemplates:
    """The three compiled templates and how to render them with Kapacitor's data.

    ``server`` is the ``serverInfo`` struct (build it once with :func:`server_struct`).
    """

    id_template: Template
    message_template: Template
    details_template: Template
    id_uses_tags: bool
    id_shortcut: Shortcut | None = None
    message_shortcut: Shortcut | None = None
    # Kapacitor's default details {{ json . }}: written directly (tickmini.runtime.default_details)
    default_details: DefaultDetails | None = None

    def for_node(self) -> AlertTemplates:
        """The templates for one runtime alert node: its own per-group details cache, so that
        engines sharing a compiled pipeline share no state."""
        if self.default_details is None:
            return self
        return replace(self, default_details=DefaultDetails())

    def render_id(self, name: str, task_name: str, group: str, tags, server) -> str:
        if self.id_shortcut is not None:
            return self.id_shortcut({"Name": name, "Group": group or "nil", "TaskName": task_name})
        return self.id_template.render(id_data(name, task_name, group, tags, server))

    def render_message_details(
        self, event_id, name, task_name, group, tags, fields, level, time, duration, server
    ) -> tuple[str, str]:
        info = None
        if self.message_shortcut is not None:
            message = self.message_shortcut(
                {
                    "Name": name,
                    "Group": group or "nil",
                    "TaskName": task_name,
                    "ID": event_id,
                    "Level": level.name,
                }
            )
        else:
            info = message_data(
                id_data(name, task_name, group, tags, server),
                event_id,
                fields,
                level.name,
                time,
                duration,
            )
            message = self.message_template.render(info)
        if self.default_details is not None:
            details = self.default_details.render(
                event_id,
                name,
                task_name,
                group,
                tags,
                fields,
                level.name,
                time,
                duration,
                message,
                server,
            )
            return message, details
        if info is None:
            info = message_data(
                id_data(name, task_name, group, tags, server),
                event_id,
                fields,
                level.name,
                time,
                duration,
            )
        return message, self.details_template.render(details_data(info, message))


def server_struct(server_info) -> object:
    """Kapacitor's ``serverInfo`` for templates, from the engine's :class:`ServerInfo`."""
    return server_info_struct(server_info.hostname, server_info.cluster_id, server_info.server_id)


def compile_alert_templates(
    id_text: str,
    message_text: str,
    details_text: str,
    *,
    positions: dict[str, tuple[int, int]],
    error: ErrorFactory,
) -> AlertTemplates:
    """Parse the three templates (BuildError at the property's position when one is bad)."""

    def parse(kind: str, compile_one: Callable[[str], Template], text: str) -> Template:
        try:
            return compile_one(text)
        except TemplateError as err:
            line, column = positions[kind]
            raise error(f"invalid .{kind}() template: {err.message}", line, column) from None

    return AlertTemplates(
        id_template=parse("id", compile_id, id_text),
        message_template=parse("message", compile_message, message_text),
        details_template=parse("details", compile_details, details_text),
        id_uses_tags=_NAME_GROUP_ONLY.match(id_text) is None,
        id_shortcut=simple_template(id_text, _ID_FIELDS),
        message_shortcut=simple_template(message_text, _MESSAGE_FIELDS),
        default_details=DefaultDetails() if is_default_details(details_text) else None,
    )
