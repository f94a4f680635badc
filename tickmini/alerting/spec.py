"""Handler specs: what a handler is (kind + options), whoever declared it.

A ``HandlerSpec`` is plain data. The pipeline builder makes one for each in-script handler
(``.victorOps().routingKey(...)``, ``.post(url)``, ``.log(path)``, ``.tcp(addr)``); topic handler
files (``define-topic-handler`` YAML/JSON) are loaded into the same shape by
:func:`load_handler_file`. ``tickmini.alerting.handlers.create_handler`` turns a spec into a
working handler.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class HandlerSpec:
    """One handler: ``kind`` (``victorops``, ``post``, ``log``, ``tcp``), its ``options`` using
    Kapacitor's handler-file option names (``routing-key``, ``url``, ``path``, ``mode`` ...), and
    for topic handler files the handler ``id``, its ``topic`` and optional ``match`` expression.
    """

    kind: str
    options: dict[str, object] = field(default_factory=dict)
    id: str = ""
    topic: str = ""
    match: str | None = None
    # Where the spec came from (handler file path), for error messages.
    source: str | None = None
