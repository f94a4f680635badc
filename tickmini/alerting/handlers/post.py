"""The post handler: Kapacitor's alert JSON POSTed to a URL or a ``[[httppost]]`` endpoint."""

from __future__ import annotations

from urllib.parse import urlsplit

from tickmini.alerting.delivery import OutgoingRequest
from tickmini.alerting.event import AlertEvent
from tickmini.alerting.handlers.payload import alert_json_line
from tickmini.alerting.services import Services
from tickmini.alerting.spec import HandlerSpec, PostOptions
from tickmini.errors import HandlerSpecError, TickminiError


def canonical_header(name: str) -> str:
    """Go's ``CanonicalMIMEHeaderKey``: ``content-type`` → ``Content-Type``."""
    if not name or any(c in name for c in " \t:\r\n"):
        return name
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


class PostHandler:
    """POST each event's alert JSON; endpoint headers first, then the handler's own (Set)."""

    def __init__(self, options: PostOptions, services: Services, spec: HandlerSpec) -> None:
        self.services = services
        endpoint = services.config.endpoint(options.endpoint) if options.endpoint else None
        headers: dict[str, str] = {}
        auth = None
        if endpoint is not None:
            url = endpoint.url
            for name, value in endpoint.headers.items():
                headers[canonical_header(name)] = value
            if endpoint.basic_auth is not None:
                auth = (endpoint.basic_auth.username, endpoint.basic_auth.password)
            if endpoint.alert_template or endpoint.alert_template_file:
                raise HandlerSpecError(
                    f"[[httppost]] endpoint {endpoint.endpoint!r}: alert-template is not supported "
                    "by tickmini yet",
                    file=spec.source,
                )
        elif options.url:
            url = options.url
        else:
            missing = (
                f"endpoint {options.endpoint!r} is not in kapacitor.conf and "
                if options.endpoint
                else ""
            )
            raise HandlerSpecError(
                f"post handler: {missing}no url is given",
                file=spec.source,
                expected="a url, or the name of a [[httppost]] endpoint from --config",
            )
        if "{{" in url:
            raise HandlerSpecError(
                f"post handler: URL templates are not supported by tickmini yet: {url!r}",
                file=spec.source,
            )
        for name, value in options.headers.items():
            headers[canonical_header(name)] = value
        headers["Content-Type"] = "application/json"
        self.url = url
        self.headers = tuple(headers.items())
        self.auth = auth
        self.options = options
        parts = urlsplit(url)
        self.secrets = tuple(s for s in (parts.password, auth[1] if auth else None) if s)
        self.record: dict[str, object] = {"url": url, "headers": dict(options.headers)}
        if endpoint is not None:
            self.record = {"endpoint": endpoint.endpoint}

    def handle(self, event: AlertEvent) -> None:
        if event.no_external:
            return
        try:
            body = alert_json_line(event)
        except TickminiError as err:
            self.services.local_failure("post", event.id, err.message)
            return
        self.services.dispatch(
            OutgoingRequest(
                handler="post",
                transport="http",
                url=self.url,
                destination=self.url,
                body=body,
                incident=event.id,
                headers=self.headers,
                response_style="post",
                capture_response=self.options.capture_response,
                timeout=self.options.timeout_ns / 1e9 if self.options.timeout_ns else None,
                verify_tls=not self.options.skip_ssl_verification,
                auth=self.auth,
                secrets=self.secrets,
                record=self.record,
            )
        )
