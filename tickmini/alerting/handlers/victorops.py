"""The VictorOps handler: exactly Kapacitor's request (reference §6.4), through delivery."""

from __future__ import annotations

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


def victorops_request(
    body: bytes, incident: str, routing_key: str, config: VictorOpsConfig
) -> OutgoingRequest:
    """The POST for ``body``: URL ``config.url`` + API key + routing key (handler's, else config's)."""
    key = routing_key or config.routing_key
    secrets = (config.api_key,) if config.api_key else ()
    refused = None if config.enabled else "service is not enabled"
    try:
        url = victorops_url(config.url, config.api_key, key)
        destination = masked_victorops_url(config.url, key, MASK)
    except TickminiError as err:
        url, destination, refused = "", config.url, err.message
    return OutgoingRequest(
        handler="victorops",
        transport="http",
        url=url,
        destination=destination,
        body=body,
        incident=incident,
        headers=CONTENT_TYPE,
        response_style="victorops",
        secrets=secrets,
        record={"routing_key": key},
        refused=refused,
    )


class VictorOpsHandler:
    """One ``.victorOps()`` (or ``kind: victorops``) handler: one request per event."""

    def __init__(self, options: VictorOpsOptions, services: Services) -> None:
        self.routing_key = options.routing_key
        self.services = services

    def handle(self, event: AlertEvent) -> None:
        if event.no_external:
            return
        config = self.services.config.victorops
        try:
            body = victorops_body(event, config.json_data)
        except TickminiError as err:  # NaN/Inf: Go's json.Marshal fails, nothing is sent
            self.services.local_failure("victorops", event.id, err.message)
            return
        self.services.dispatch(victorops_request(body, event.id, self.routing_key, config))
