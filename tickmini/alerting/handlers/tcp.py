"""The tcp handler: alert JSON (encoder newline) plus one more ``\\n``, one connection per event."""

from __future__ import annotations

from tickmini.alerting.delivery import OutgoingRequest
from tickmini.alerting.event import AlertEvent
from tickmini.alerting.handlers.payload import alert_json_line
from tickmini.alerting.services import Services
from tickmini.alerting.spec import TCPOptions
from tickmini.errors import TickminiError


class TCPHandler:
    def __init__(self, options: TCPOptions, services: Services) -> None:
        self.address = options.address
        self.services = services

    def handle(self, event: AlertEvent) -> None:
        if event.no_external:
            return
        try:
            body = alert_json_line(event) + b"\n"
        except TickminiError as err:
            self.services.local_failure("tcp", event.id, err.message)
            return
        self.services.dispatch(
            OutgoingRequest(
                handler="tcp",
                transport="tcp",
                url=self.address,
                destination=self.address,
                body=body,
                incident=event.id,
                record={"address": self.address},
            )
        )
