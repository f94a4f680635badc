"""Kapacitor's default alert details ``{{ json . }}``, written without the template engine.

The default details template runs Kapacitor's ``json`` function on the ``detailsInfo`` struct in
html/template's text context: ``json.Encoder`` output (HTML-safe strings, a trailing newline)
HTML-escaped as an ``html/template.JS`` value, or nothing at all when a field is NaN/Inf (Kapacitor
ignores the encoder's error). The struct is known, so its members are written in their declared
order with the same encoders the generic path uses; a hypothesis test keeps the two byte-equal.
The part made of the group's name, task, group, tags and server (and the event ID) is the same
for every event of a group, so :class:`DefaultDetails` keeps it per group.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tickmini.alerting.encode import string_map_json, value_json
from tickmini.gocompat.jsonenc import JSONEncodeError, encode
from tickmini.gocompat.jsonstr import quote_string
from tickmini.gocompat.numbers import UnsupportedFloatError
from tickmini.gocompat.template.htmlescapers import JSContent, html_escaper
from tickmini.gocompat.timefmt import format_rfc3339nano

# Spellings of the default template that render exactly as it does.
_DEFAULT_DETAILS = re.compile(r"\{\{ *json +\. *\}\}\Z")
# Group prefixes kept; beyond this many groups the oldest half is dropped (memory stays bounded).
_MAX_GROUPS = 4096
# Field-name layouts kept (one per schema of the points that send events).
_MAX_SCHEMAS = 64


def is_default_details(text: str) -> bool:
    """True for ``{{ json . }}`` (Kapacitor's default) and its spacing variants."""
    return _DEFAULT_DETAILS.match(text) is not None


class DefaultDetails:
    """Renders ``{{ json . }}`` for one alert node; keeps each group's constant prefix."""

    __slots__ = ("layouts", "prefixes", "server", "server_json")

    def __init__(self) -> None:
        # group key -> (name, task name, tags, event ID, prefix up to and including the ID)
        self.prefixes: dict[str, tuple[str, str, Mapping[str, str], str, str]] = {}
        self.server: object | None = None
        # the field names of a point (in its order) -> (name, '"name":') in JSON order
        self.layouts: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
        self.server_json = ""

    def _prefix(
        self, event_id: str, name: str, task_name: str, group: str, tags: Mapping[str, str], server
    ) -> str:
        cached = self.prefixes.get(group)
        if (
            cached is not None
            and cached[0] == name
            and cached[3] == event_id
            and cached[1] == task_name
            and cached[2] == tags
            and server is self.server
        ):
            return cached[4]
        if server is not self.server:
            self.server, self.server_json = server, encode(server)
        prefix = (
            '{"Name":'
            + quote_string(name)
            + ',"TaskName":'
            + quote_string(task_name)
            + ',"Group":'
            + quote_string(group or "nil")
            + ',"Tags":'
            + string_map_json(tags)
            + ',"ServerInfo":'
            + self.server_json
            + ',"ID":'
            + quote_string(event_id)
        )
        prefixes = self.prefixes
        if len(prefixes) >= _MAX_GROUPS and group not in prefixes:
            for key in list(prefixes)[: _MAX_GROUPS // 2]:
                del prefixes[key]
        prefixes[group] = (name, task_name, dict(tags), event_id, prefix)
        return prefix

    def _fields(self, fields: Mapping[str, object]) -> str:
        """``Fields`` (a ``map[string]interface{}``): the quoted names are kept per schema."""
        names = tuple(fields)
        layout = self.layouts.get(names)
        if layout is None:
            if len(self.layouts) >= _MAX_SCHEMAS:
                self.layouts.clear()
            layout = tuple((name, quote_string(name) + ":") for name in sorted(names))
            self.layouts[names] = layout
        return "{" + ",".join([key + value_json(fields[name]) for name, key in layout]) + "}"

    def render(
        self,
        event_id: str,
        name: str,
        task_name: str,
        group: str,
        tags: Mapping[str, str],
        fields: Mapping[str, object],
        level: str,
        time: int,
        duration: int,
        message: str,
        server: object,
    ) -> str:
        """The details text, byte for byte what the generic template path renders."""
        try:
            fields_json = self._fields(fields)
        except (JSONEncodeError, UnsupportedFloatError):
            return ""  # Kapacitor's json ignores the encoder's error: empty output
        text = (
            self._prefix(event_id, name, task_name, group, tags, server)
            + ',"Fields":'
            + fields_json
            + ',"Level":'
            + quote_string(level)
            + ',"Time":"'
            + format_rfc3339nano(time)
            + '","Duration":'
            + str(duration)
            + ',"Message":'
            + quote_string(message)
            + "}\n"
        )
        return html_escaper(JSContent(text))
