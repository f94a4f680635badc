"""Kapacitor's alert template data (``alert.go`` idInfo/messageInfo/detailsInfo) and functions.

The alert node builds one :class:`GoStruct` per template with the constructors below and
passes it to ``Template.render``. Templates reach exactly the fields Kapacitor declares: ``.Level``
in an id template fails as in Kapacitor (``can't evaluate field Level in type kapacitor.idInfo``).
Details templates get ``json`` (``json.Encoder`` output, trailing newline) and ``jsonCompact``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from tickmini.gocompat.gotypes import GoField, GoMap, GoStruct, struct_type
from tickmini.gocompat.jsonenc import JSONEncodeError, encode, encode_line
from tickmini.gocompat.numbers import UnsupportedFloatError
from tickmini.gocompat.template import Template, compile_html, compile_text
from tickmini.gocompat.template.funcs import GoFunc
from tickmini.gocompat.template.htmlescapers import JSContent
from tickmini.values import Duration, Time

SERVER_INFO = struct_type(
    "kapacitor.serverInfo", (GoField("Hostname"), GoField("ClusterID"), GoField("ServerID"))
)
ID_INFO = struct_type(
    "kapacitor.idInfo",
    (
        GoField("Name"),
        GoField("TaskName"),
        GoField("Group"),
        GoField("Tags"),
        GoField("ServerInfo"),
    ),
)
MESSAGE_INFO = struct_type(
    "kapacitor.messageInfo",
    (
        GoField("idInfo", embedded=True, exported=False),
        GoField("ID"),
        GoField("Fields"),
        GoField("Level"),
        GoField("Time"),
        GoField("Duration"),
    ),
    ID_INFO,
)
DETAILS_INFO = struct_type(
    "kapacitor.detailsInfo",
    (GoField("messageInfo", embedded=True, exported=False), GoField("Message")),
    MESSAGE_INFO,
)

DEFAULT_ID_TEMPLATE = "{{ .Name }}:{{ .Group }}"
DEFAULT_MESSAGE_TEMPLATE = "{{ .ID }} is {{ .Level }}"
DEFAULT_DETAILS_TEMPLATE = "{{ json . }}"


def server_info(
    hostname: str = "localhost", cluster_id: str | None = None, server_id: str | None = None
) -> GoStruct:
    """Kapacitor's ``serverInfo``; cluster and server IDs are fresh random UUIDs unless given.

    Create it once per engine (Kapacitor's IDs are fixed per install).
    """
    return GoStruct(
        SERVER_INFO,
        (hostname, cluster_id or str(uuid.uuid4()), server_id or str(uuid.uuid4())),
    )


def id_data(
    name: str, task_name: str, group: str, tags: Mapping[str, str], info: GoStruct
) -> GoStruct:
    """``idInfo``: ``group`` is the group ID string; "" (the nil group) becomes ``nil``."""
    return GoStruct(ID_INFO, (name, task_name, group or "nil", GoMap(tags, "string"), info))


def message_data(
    id_info: GoStruct,
    alert_id: str,
    fields: Mapping[str, object],
    level: str,
    time_ns: int,
    duration_ns: int,
) -> GoStruct:
    """``messageInfo`` (embeds the ``idInfo``): adds ID, Fields, Level, Time and Duration."""
    return GoStruct(
        MESSAGE_INFO,
        (
            id_info,
            alert_id,
            GoMap(fields, "interface {}"),
            level,
            Time(time_ns),
            Duration(duration_ns),
        ),
    )


def details_data(message_info: GoStruct, message: str) -> GoStruct:
    """``detailsInfo`` (embeds the ``messageInfo``): adds the rendered Message."""
    return GoStruct(DETAILS_INFO, (message_info, message))


def _json(value: object) -> JSContent:
    # Kapacitor ignores the encoder's error: a NaN field yields empty output.
    try:
        return JSContent(encode_line(value))
    except (JSONEncodeError, UnsupportedFloatError):
        return JSContent("")


def _json_compact(value: object) -> JSContent:
    try:
        return JSContent(encode(value))
    except (JSONEncodeError, UnsupportedFloatError):
        return JSContent("")


DETAILS_FUNCS: Mapping[str, GoFunc] = {
    "json": GoFunc("json", 1, False, _json),
    "jsonCompact": GoFunc("jsonCompact", 1, False, _json_compact),
}


def compile_id(source: str) -> Template:
    """The ``.id()`` template (text/template named ``id``)."""
    return compile_text(source, "id")


def compile_message(source: str) -> Template:
    """The ``.message()`` template (text/template named ``message``)."""
    return compile_text(source, "message")


def compile_details(source: str) -> Template:
    """The ``.details()`` template (html/template named ``details`` with json/jsonCompact)."""
    return compile_html(source, "details", DETAILS_FUNCS)
