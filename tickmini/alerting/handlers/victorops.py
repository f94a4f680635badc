"""The VictorOps handler: exactly Kapacitor's request (reference §6.4), through delivery."""

from __future__ import annotations

from dataclasses import dataclass

from tickmini.alerting.delivery import OutgoingRequest
from tickmini.alerting.event import AlertEvent
from tickmini.alerting.handlers.payload import victorops_body
from tickmini.alerting.handlers.urls import masked_victorops_url, victorops_url
from tickmini.alerting.secrets import MASK
from tickmini.alerting.services import Services
from tickmini.alerting.spec import VictorOpsOptions
from tickmini.config import VictorOpsConfig
from tickmini.errors import TickminiError

CONTENT_TYPE = (("Content-Type", "application/json"),)


@dataclass(frozen=True, slots=True)
class VictorOpsTarget:
    """Where a handler's requests go, worked out once: the URL with the API key, its masked
    form, and why sending is impossible (service disabled, bad URL), if it is."""

    url: str
    destination: str
    routing_key: str
    secrets: tuple[str, ...]
    refused: str | None

    @classmethod
    def resolve(cls, routing_key: str, config: VictorOpsConfig) -> VictorOpsTarget:
        key = routing_key or config.routing_key
        secrets = (config.api_key,) if config.api_key else ()
        refused = None if config.enabled else "service is not enabled"
        try:
            url = victorops_url(config.url, config.api_key, key)
            destination = masked_victorops_url(config.url, key, MASK)
        except TickminiError as err:
            url, destination, refused = "", config.url, err.message
        return cls(url, destination, key, secrets, refused)

    def request(self, body: bytes, incident: str) -> OutgoingRequest:
        return OutgoingRequest(
            handler="victorops",
            transport="http",
            url=self.url,
            destination=self.destination,
            body=body,
            incident=incident,
            headers=CONTENT_TYPE,
            response_style="victorops",
            secrets=self.secrets,
            record={"routing_key": self.routing_key},
            refused=self.refused,
        )


def victorops_request(
    body: bytes, incident: str, routing_key: str, config: VictorOpsConfig
) -> OutgoingRequest:
    """The POST for ``body``: URL ``config.url`` + API key + routing key (handler's, else config's)."""
    return VictorOpsTarget.resolve(routing_key, config).request(body, incident)


class VictorOpsHandler:
    """One ``.victorOps()`` (or ``kind: victorops``) handler: one request per event."""

    def __init__(self, options: VictorOpsOptions, services: Services) -> None:
        self.services = services
        self.json_data = services.config.victorops.json_data
        self.target = VictorOpsTarget.resolve(options.routing_key, services.config.victorops)

    def handle(self, event: AlertEvent) -> None:
        if event.no_external:
            return
        try:
            body = victorops_body(event, self.json_data)
        except TickminiError as err:  # NaN/Inf: Go's json.Marshal fails, nothing is sent
            self.services.local_failure("victorops", event.id, err.message)
            return
        self.services.dispatch(self.target.request(body, event.id))
