"""Re-send a dead-letter file: rebuild each request (API key from the config) and deliver again.

The dead letter never holds the API key or ``[[httppost]]`` credentials, so VictorOps requests
get their URL and key from the current ``kapacitor.conf`` and endpoint posts their URL, headers
and basic auth from its ``[[httppost]]`` entry. The file is read and checked completely before
anything is sent; what fails again goes to a new dead-letter file, the original is left as is.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tickmini.alerting.delivery import OutgoingRequest
from tickmini.alerting.handlers.log import open_log, write_line
from tickmini.alerting.handlers.post import canonical_header
from tickmini.alerting.handlers.victorops import victorops_request
from tickmini.alerting.services import DeliverySummary, Services
from tickmini.config import KapacitorConfig, read_text_file
from tickmini.errors import DeliveryError

_REQUIRED = {
    "victorops": ("body", "incident", "routing_key"),
    "post": ("body", "incident"),
    "tcp": ("body", "incident", "address"),
    "log": ("body", "incident", "path"),
}


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One record of a dead-letter file, with its line number for messages."""

    line: int
    record: dict[str, Any]


def read_dead_letters(path: str | Path) -> list[DeadLetter]:
    """Parse and check every line; a bad line is a :class:`DeliveryError` with its position."""
    name = str(path)
    text = read_text_file(path, DeliveryError, "dead-letter file")
    letters = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise DeliveryError(
                f"not a dead-letter record: {err.msg}",
                file=name,
                line=number,
                column=err.colno,
                source_line=line,
                expected="one JSON object per line, as tickmini writes them",
            ) from None
        _check(record, name, number, line)
        letters.append(DeadLetter(number, record))
    return letters


def _check(record: object, name: str, number: int, line: str) -> None:
    def fail(message: str) -> DeliveryError:
        return DeliveryError(message, file=name, line=number, column=1, source_line=line)

    if not isinstance(record, dict):
        raise fail("a dead-letter record must be a JSON object")
    handler = record.get("handler")
    if handler not in _REQUIRED:
        raise fail(f"unknown handler {handler!r} in dead-letter record")
    for key in _REQUIRED[handler]:
        if not isinstance(record.get(key), str):
            raise fail(f"{handler} dead-letter record needs a string {key!r}")
    if handler == "post" and not isinstance(record.get("endpoint", record.get("url")), str):
        raise fail("post dead-letter record needs a 'url' or an 'endpoint'")
    try:
        record["body"].encode("utf-8")
    except UnicodeEncodeError:
        raise fail("'body' is not valid text (a lone surrogate escape)") from None
    if handler == "log":
        mode = record.get("mode", 0o600)
        if isinstance(mode, bool) or not isinstance(mode, int) or not 0 <= mode <= 0o7777:
            raise fail("log dead-letter record needs a file 'mode' between 0 and 0o7777")
        if "\x00" in record["path"] or not Path(record["path"]).is_absolute():
            raise fail("log dead-letter record needs an absolute 'path' without NUL characters")
    headers = record.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise fail("'headers' must map header names to strings")


def rebuild_request(letter: DeadLetter, config: KapacitorConfig) -> OutgoingRequest:
    """The request a record stands for, with secrets restored from ``config``."""
    record = letter.record
    body = record["body"].encode("utf-8")
    handler = record["handler"]
    if handler == "victorops":
        return victorops_request(body, record["incident"], record["routing_key"], config.victorops)
    if handler == "tcp":
        address = record["address"]
        return OutgoingRequest(
            handler="tcp",
            transport="tcp",
            url=address,
            destination=address,
            body=body,
            incident=record["incident"],
            record={"address": address},
        )
    headers: dict[str, str] = {}
    auth = None
    name = record.get("endpoint")
    if isinstance(name, str):
        endpoint = config.endpoint(name)
        if endpoint is None:
            raise DeliveryError(
                f"[[httppost]] endpoint {name!r} of dead-letter line {letter.line} is not in the config",
                hint="pass the kapacitor.conf that defines it with --config",
            )
        url = endpoint.url
        headers.update({canonical_header(k): v for k, v in endpoint.headers.items()})
        if endpoint.basic_auth is not None:
            auth = (endpoint.basic_auth.username, endpoint.basic_auth.password)
    else:
        url = record["url"]
    headers.update({canonical_header(k): v for k, v in record.get("headers", {}).items()})
    headers["Content-Type"] = "application/json"
    return OutgoingRequest(
        handler="post",
        transport="http",
        url=url,
        destination=url,
        body=body,
        incident=record["incident"],
        headers=tuple(headers.items()),
        auth=auth,
        secrets=(auth[1],) if auth else (),
        record={k: record[k] for k in ("endpoint", "url", "headers") if k in record},
    )


def resend(letters: list[DeadLetter], services: Services) -> DeliverySummary:
    """Send every record again through ``services`` (in file order); returns the summary.
    A ``.log()`` record is appended to its file again, as the log handler writes it."""
    requests = [
        letter if letter.record["handler"] == "log" else rebuild_request(letter, services.config)
        for letter in letters
    ]
    try:
        for request in requests:
            if isinstance(request, DeadLetter):
                _append_log(request.record, services)
            else:
                services.dispatch(request)
    except KeyboardInterrupt:
        services.interrupt()
        services.close()
        raise
    return services.close()


def _append_log(record: dict[str, Any], services: Services) -> None:
    """Append a kept ``.log()`` line to its file (created with its mode); kept again if not."""
    path, body = record["path"], record["body"].encode("utf-8")
    mode = record.get("mode", 0o600)
    try:
        fd = open_log(path, mode)
    except OSError as err:
        error: str | None = str(err.strerror or err)
    else:
        error = write_line(fd, body)
        os.close(fd)
    if error is not None:
        extra = {"path": path, "mode": mode}
        services.keep_failed_write("log", record["incident"], path, body, error, 1, extra)
