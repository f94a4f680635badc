"""Handlers for the kinds tickmini runs: ``victorops``, ``post``, ``log``, ``tcp``.

``create_handler(spec, services)`` is the one way to turn a :class:`HandlerSpec` into a handler
(in-script handlers and topic handler files alike); ``build_topic_handler`` adds a handler
file's ``match`` expression. Submodules are imported lazily to keep start-up fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tickmini.errors import BuildError

if TYPE_CHECKING:
    from tickmini.alerting.event import AlertEvent, Handler
    from tickmini.alerting.services import Services
    from tickmini.alerting.spec import HandlerSpec
    from tickmini.config import KapacitorConfig


def create_handler(spec: HandlerSpec, services: Services) -> Handler:
    """A working handler for ``spec``; options are checked as Kapacitor checks them."""
    from tickmini.alerting.spec import LogOptions, PostOptions, TCPOptions, decode_options

    options = decode_options(spec)
    if isinstance(options, LogOptions):
        from tickmini.alerting.handlers.log import LogHandler

        return LogHandler(options, services)
    if isinstance(options, PostOptions):
        from tickmini.alerting.handlers.post import PostHandler

        return PostHandler(options, services, spec)
    if isinstance(options, TCPOptions):
        from tickmini.alerting.handlers.tcp import TCPHandler

        return TCPHandler(options, services)
    from tickmini.alerting.handlers.victorops import VictorOpsHandler

    return VictorOpsHandler(options, services)


class MatchHandler:
    """Passes an event on only when the handler file's ``match`` expression is true."""

    def __init__(self, match: str, inner: Handler, services: Services, name: str) -> None:
        from tickmini.alerting.match import compile_match

        self.matches = compile_match(match)
        self.inner = inner
        self.services = services
        self.name = name

    def handle(self, event: AlertEvent) -> None:
        from tickmini.errors import TickminiError

        try:
            matched = self.matches(event)
        except TickminiError as err:
            self.services.error_line(
                f"tickmini: handler {self.name!r}: failed to evaluate match expression for "
                f"event {event.id!r}: {err.message}"
            )
            return
        if matched:
            self.inner.handle(event)

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


def build_topic_handler(spec: HandlerSpec, services: Services) -> Handler:
    """A topic handler (from a handler file): ``create_handler`` wrapped with its ``match``.

    The topic bus sets ``event.previous_level`` (the topic's previous level for the event id)
    before calling ``handle``; ``changed()`` compares with it.
    """
    handler = create_handler(spec, services)
    if spec.match:
        return MatchHandler(spec.match, handler, services, spec.id or spec.kind)
    return handler


def check_handler_available(spec: HandlerSpec, config: KapacitorConfig) -> None:
    """For the builder: ``.victorOps()`` with ``[victorops] enabled = false`` is a build error."""
    if spec.kind == "victorops" and not config.victorops.enabled:
        raise BuildError(
            "the victorOps handler is used but the VictorOps service is not enabled",
            hint="set enabled = true in the [victorops] section of kapacitor.conf (--config)",
        )


def global_handler_specs(config: KapacitorConfig, explicit: list[HandlerSpec]) -> list[HandlerSpec]:
    """Implicit handlers for an alert node: VictorOps when ``global = true`` and the node has
    no explicit ``.victorOps()`` (empty routing key: the configured one is used)."""
    from tickmini.alerting.spec import HandlerSpec

    if config.victorops.global_ and not any(s.kind == "victorops" for s in explicit):
        return [HandlerSpec(kind="victorops", options={})]
    return []
