"""The VictorOps request, byte for byte as Kapacitor sends it (reference §6.4, §6.9)."""

from __future__ import annotations

import json

import pytest

try:  # tests/alerting as a package, or as a plain directory (rootdir import mode)
    from .conftest import CONFORMANCE, make_event, victorops_config
except ImportError:
    from conftest import CONFORMANCE, make_event, victorops_config  # type: ignore[no-redef]
from pytest_httpserver import HTTPServer

from tickmini.alerting.event import Level, Row
from tickmini.alerting.handlers import create_handler
from tickmini.alerting.handlers.payload import victorops_body
from tickmini.alerting.handlers.urls import go_path_join, victorops_url
from tickmini.alerting.spec import HandlerSpec


def _expected(case: str) -> list[dict]:
    return json.loads((CONFORMANCE / case / "expected.json").read_text())


def _wire(body: dict) -> bytes:
    """What Go's json.Encoder writes for the expected map: sorted keys, compact, newline."""
    return (
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    ).encode()


def test_stream_alert_victorops_two_handlers_send_exact_requests(
    httpserver: HTTPServer, make_services
) -> None:
    expected = _expected("TestStream_AlertVictorOps")
    for item in expected:
        httpserver.expect_request(item["url_path"], method="POST").respond_with_data("{}")
    services = make_services(victorops_config(httpserver.url_for("")))
    handlers = [
        create_handler(HandlerSpec("victorops", {"routing-key": "test_key"}), services),
        create_handler(HandlerSpec("victorops", {"routing-key": "test_key2"}), services),
    ]
    event = make_event()
    for handler in handlers:
        handler.handle(event)
    summary = services.close()
    assert summary.delivered == 2 and summary.failed == 0
    received = sorted(httpserver.log, key=lambda pair: pair[0].path)
    assert [req.path for req, _ in received] == [e["url_path"] for e in expected]
    for (request, _), item in zip(received, expected, strict=True):
        assert request.get_data() == _wire(item["body"])
        assert request.headers["Content-Type"] == "application/json"


def test_topic_handler_victorops_case_body_is_byte_exact(
    httpserver: HTTPServer, make_services
) -> None:
    (item,) = _expected("TestServer_AlertHandlers__victorops")
    httpserver.expect_request(item["url_path"], method="POST").respond_with_data("ok")
    services = make_services(victorops_config(httpserver.url_for("/"), routing_key=""))
    case = json.loads(
        (CONFORMANCE / "TestServer_AlertHandlers__victorops" / "case.json").read_text()
    )
    spec = HandlerSpec(**{k: case["topic_handler"][k] for k in ("kind", "options", "id", "topic")})
    event = make_event(
        id="id",
        message="message",
        time=0,
        series=[Row("alert", {}, ["time", "value"], [[0, 1.0]])],
    )
    create_handler(spec, services).handle(event)
    assert services.close().delivered == 1
    ((request, _),) = httpserver.log
    assert request.path == "/api_key/key"
    assert request.get_data() == _wire(item["body"])
    assert b'"data":"{\\"series\\":[{\\"name\\":\\"alert\\",\\"columns\\"' in request.get_data()


def test_json_data_sends_the_result_as_an_object() -> None:
    body = victorops_body(make_event(), json_data=True)
    assert body == (
        b'{"data":{"series":[{"name":"cpu","tags":{"host":"serverA"},"columns":["time","count"],'
        b'"values":[["1971-01-01T00:00:10Z",10]]}]},"entity_id":"kapacitor/cpu/serverA",'
        b'"message_type":"CRITICAL","monitoring_tool":"kapacitor",'
        b'"state_message":"kapacitor/cpu/serverA is CRITICAL","timestamp":31536010}\n'
    )


@pytest.mark.parametrize(
    ("level", "message_type"),
    [
        (Level.OK, "RECOVERY"),
        (Level.INFO, "INFO"),
        (Level.WARNING, "WARNING"),
        (Level.CRITICAL, "CRITICAL"),
    ],
)
def test_message_type_from_level(level: Level, message_type: str) -> None:
    body = json.loads(victorops_body(make_event(level=level), json_data=False))
    assert body["message_type"] == message_type


def test_timestamp_is_unix_seconds_floored_and_html_escaped_message() -> None:
    body = victorops_body(make_event(time=-1, message="<a & b>", series=[]), json_data=False)
    assert b'"timestamp":-1}' in body
    assert b'"state_message":"\\u003ca \\u0026 b\\u003e"' in body
    assert b'"data":"{\\"series\\":null}"' in body
    assert (
        json.loads(victorops_body(make_event(time=1_999_999_999), json_data=False))["timestamp"]
        == 1
    )


def test_url_join_follows_go_path_join() -> None:
    assert go_path_join("/a/", "", "b/../c") == "/a/c"
    assert go_path_join("", "", "") == ""
    assert victorops_url("http://h:1", "api_key", "") == "http://h:1/api_key"
    assert victorops_url("http://h:1/base/", "k", "r k") == "http://h:1/base/k/r%20k"
    assert (
        victorops_url(
            "https://alert.victorops.com/integrations/generic/20131114/alert", "KEY", "team_rocket"
        )
        == "https://alert.victorops.com/integrations/generic/20131114/alert/KEY/team_rocket"
    )


def test_routing_key_falls_back_to_config(httpserver: HTTPServer, make_services) -> None:
    httpserver.expect_request("/api_key/routing_key", method="POST").respond_with_data("")
    services = make_services(victorops_config(httpserver.url_for("")))
    create_handler(HandlerSpec("victorops", {}), services).handle(make_event())
    assert services.close().delivered == 1
    assert httpserver.log[0][0].path == "/api_key/routing_key"


def test_disabled_service_dead_letters_without_sending(
    httpserver: HTTPServer, make_services, tmp_path
) -> None:
    services = make_services(victorops_config(httpserver.url_for(""), enabled=False))
    create_handler(HandlerSpec("victorops", {}), services).handle(make_event())
    summary = services.close()
    assert summary.dead_lettered == 1 and not httpserver.log
    record = json.loads((tmp_path / "dead.jsonl").read_text())
    assert record["error"] == "service is not enabled"
    assert "api_key" not in (tmp_path / "dead.jsonl").read_text()


def test_no_external_events_are_not_sent(httpserver: HTTPServer, make_services) -> None:
    services = make_services(victorops_config(httpserver.url_for("")))
    create_handler(HandlerSpec("victorops", {}), services).handle(make_event(no_external=True))
    assert services.close().delivered == 0 and not httpserver.log


def test_nan_field_fails_like_go_marshal(make_services) -> None:
    services = make_services(victorops_config("http://127.0.0.1:9"))
    event = make_event(series=[Row("cpu", {}, ["time", "v"], [[0, float("nan")]])])
    create_handler(HandlerSpec("victorops", {}), services).handle(event)
    summary = services.close()
    assert summary.local_failures == 1 and summary.failed == 1
