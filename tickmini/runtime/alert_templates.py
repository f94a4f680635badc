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
from dataclasses import dataclass

from tickmini.errors import BuildError, TemplateError

# An id template made only of text and {{ .Name }}, {{ .Group }}, {{ .TaskName }} or
# {{ .ServerInfo.X }} actions renders the same for every point of a group with one name, so the
# alert node can keep the rendered ID instead of rendering it for every point.
_NAME_GROUP_ONLY = re.compile(
    r"(?:[^{]|\{(?!\{)|\{\{-?\s*\.(?:Name|Group|TaskName|ServerInfo\.\w+)\s*-?\}\})*\Z"
)

ErrorFactory = Callable[[str, int, int], BuildError]


@dataclass(slots=True)
class AlertTemplates:
    """The three compiled templates and how to render them with Kapacitor's data."""

    id_template: object
    message_template: object
    details_template: object
    id_uses_tags: bool

    def render_id(self, name, task_name, group, tags, server_info) -> str:
        from tickmini.gocompat.template.kapacitor import id_info

        data = id_info(
            name=name,
            task_name=task_name,
            group=group or "nil",
            tags=tags,
            hostname=server_info.hostname,
            cluster_id=server_info.cluster_id,
            server_id=server_info.server_id,
        )
        return self.id_template.execute(data)  # type: ignore[attr-defined]

    def render_message_details(
        self, event_id, name, task_name, group, tags, fields, level, time, duration, server_info
    ) -> tuple[str, str]:
        from tickmini.gocompat.template.kapacitor import details_info, message_info

        common = {
            "name": name,
            "task_name": task_name,
            "group": group or "nil",
            "tags": tags,
            "hostname": server_info.hostname,
            "cluster_id": server_info.cluster_id,
            "server_id": server_info.server_id,
            "id": event_id,
            "fields": fields,
            "level": level.name,
            "time": time,
            "duration": duration,
        }
        message = self.message_template.execute(message_info(**common))  # type: ignore[attr-defined]
        details = self.details_template.execute(  # type: ignore[attr-defined]
            details_info(message=message, **common)
        )
        return message, details


def compile_alert_templates(
    id_text: str,
    message_text: str,
    details_text: str,
    *,
    positions: dict[str, tuple[int, int]],
    error: ErrorFactory,
) -> AlertTemplates:
    """Parse the three templates (BuildError at the property's position when one is bad)."""
    from tickmini.gocompat.template import compile_html, compile_text
    from tickmini.gocompat.template.kapacitor import DETAILS_FUNCS

    def parse(kind: str, compile_one, text: str, **kwargs) -> object:
        try:
            return compile_one(kind, text, **kwargs)
        except TemplateError as err:
            line, column = positions[kind]
            raise error(f"invalid .{kind}() template: {err.message}", line, column) from None

    return AlertTemplates(
        id_template=parse("id", compile_text, id_text),
        message_template=parse("message", compile_text, message_text),
        details_template=parse("details", compile_html, details_text, funcs=DETAILS_FUNCS),
        id_uses_tags=_NAME_GROUP_ONLY.match(id_text) is None,
    )
