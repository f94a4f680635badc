"""log, post and tcp handlers with real files, a real HTTP server and a real TCP listener."""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import threading

import pytest

try:  # tests/alerting as a package, or as a plain directory (rootdir import mode)
    from .conftest import CONFORMANCE, make_event, victorops_config
except ImportError:
    from conftest import CONFORMANCE, make_event, victorops_config  # type: ignore[no-redef]
from pytest_httpserver import HTTPServer

from tickmini.alerting.event import Level, Row
from tickmini.alerting.handlers import check_handler_available, create_handler, global_handler_specs
from tickmini.alerting.services import Services
from tickmini.alerting.spec import HandlerSpec
from tickmini.config import BasicAuth, HTTPPostEndpoint, KapacitorConfig
from tickmini.errors import BuildError, HandlerSpecError


def _log_event():
    return make_event(
        id="kapacitor.cpu.serverA",
        message="kapacitor.cpu.serverA is CRITICAL",
    )


def test_log_handler_writes_one_alert_json_per_line_with_modes(tmp_path) -> None:
    expected = json.loads((CONFORMANCE / "TestStream_AlertLog" / "expected.json").read_text())
    services = Services.create(KapacitorConfig(), stderr=io.StringIO())
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    handlers = [
        create_handler(HandlerSpec("log", {"path": str(first)}), services),
        create_handler(HandlerSpec("log", {"path": str(second), "mode": 0o644}), services),
    ]
    assert not first.exists()  # created on the first event, as Kapacitor does
    for handler in handlers:
        handler.handle(_log_event())
    services.close()
    old_umask = os.umask(0)
    os.umask(old_umask)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600 & ~old_umask
    assert stat.S_IMODE(second.stat().st_mode) == 0o644 & ~old_umask
    for path in (first, second):
        lines = path.read_text().splitlines()
        assert [json.loads(line) for line in lines] == expected
        assert lines[0].startswith('{"id":"kapacitor.cpu.serverA","message":')


def test_log_handler_appends_and_keeps_what_it_cannot_write(tmp_path) -> None:
    stderr = io.StringIO()
    dead = tmp_path / "dead.jsonl"
    services = Services.create(KapacitorConfig(), stderr=stderr, dead_letter=dead)
    path = tmp_path / "x.log"
    handler = create_handler(HandlerSpec("log", {"path": str(path)}), services)
    handler.handle(make_event(level=Level.CRITICAL))
    handler.handle(make_event(level=Level.OK))
    unwritable = tmp_path / "no" / "dir.log"
    missing = create_handler(HandlerSpec("log", {"path": str(unwritable), "mode": 0o640}), services)
    missing.handle(make_event(level=Level.WARNING))
    summary = services.close()
    levels = [json.loads(line)["level"] for line in path.read_text().splitlines()]
    assert levels == ["CRITICAL", "OK"]
    assert summary.dead_lettered == 1 and summary.failed == 1
    assert f"kept in {dead}" in stderr.getvalue()
    assert "No such file or directory" in stderr.getvalue()
    (record,) = [json.loads(line) for line in dead.read_text().splitlines()]
    assert record["handler"] == "log" and record["path"] == str(unwritable)
    assert record["mode"] == 0o640 and record["attempts"] == 2
    assert json.loads(record["body"])["level"] == "WARNING"
    # tickmini resend appends the kept line once the file can be written
    from tickmini.alerting.resend import read_dead_letters, resend

    unwritable.parent.mkdir()
    again = Services.create(KapacitorConfig(), send=True, dead_letter=tmp_path / "again.jsonl")
    assert resend(read_dead_letters(dead), again).failed == 0
    assert unwritable.read_text() == record["body"]
    assert unwritable.stat().st_mode & 0o777 == 0o640
    assert not (tmp_path / "again.jsonl").exists()


def test_a_kept_log_line_that_still_cannot_be_written_is_kept_again(tmp_path) -> None:
    from tickmini.alerting.resend import read_dead_letters, resend

    dead = tmp_path / "dead.jsonl"
    services = Services.create(KapacitorConfig(), stderr=io.StringIO(), dead_letter=dead)
    handler = create_handler(HandlerSpec("log", {"path": str(tmp_path / "no" / "x.log")}), services)
    handler.handle(make_event())
    assert services.close().dead_lettered == 1
    again_path = tmp_path / "again.jsonl"
    again = Services.create(
        KapacitorConfig(), send=True, dead_letter=again_path, stderr=io.StringIO()
    )
    summary = resend(read_dead_letters(dead), again)
    assert summary.dead_lettered == 1
    assert json.loads(again_path.read_text())["body"] == json.loads(dead.read_text())["body"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"path": "relative.log"}, "must be absolute"),
        ({"path": "/tmp/x.log", "mode": 0o444}, "must be user writable"),
        ({"path": "/tmp/x.log", "mood": 1}, "unknown option 'mood'"),
    ],
)
def test_log_handler_option_errors(options, message) -> None:
    with pytest.raises(HandlerSpecError, match=message):
        create_handler(HandlerSpec("log", options), Services())


def test_post_handler_sends_alert_json_with_headers(httpserver: HTTPServer, make_services) -> None:
    expected = json.loads(
        (CONFORMANCE / "TestServer_AlertHandlers__post" / "expected.json").read_text()
    )
    httpserver.expect_request("/alerts", method="POST").respond_with_data("", status=204)
    services = make_services(KapacitorConfig())
    spec = HandlerSpec("post", {"url": httpserver.url_for("/alerts"), "headers": {"x-team": "ops"}})
    event = make_event(id="id", message="message", details="details", time=0,
                       series=[Row("alert", {}, ["time", "value"], [[0, 1.0]])])  # fmt: skip
    create_handler(spec, services).handle(event)
    assert services.close().delivered == 1
    ((request, _),) = httpserver.log
    body = json.loads(request.get_data())
    expected[0]["data"]["series"][0].pop("tags")  # Kapacitor omits the empty tags map
    assert body == expected[0]
    assert request.get_data().endswith(b"}\n")
    assert request.headers["X-Team"] == "ops"
    assert request.headers["Content-Type"] == "application/json"


def test_post_endpoint_from_config_with_basic_auth_and_handler_header_override(
    httpserver: HTTPServer, make_services
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("")
    config = KapacitorConfig(
        httppost=(
            HTTPPostEndpoint(
                endpoint="hook",
                url=httpserver.url_for("/hook"),
                headers={"X-A": "endpoint", "X-B": "endpoint"},
                basic_auth=BasicAuth("user", "pw-secret"),
            ),
        )
    )
    services = make_services(config)
    create_handler(
        HandlerSpec("post", {"endpoint": "hook", "headers": {"X-B": "handler"}}), services
    ).handle(make_event())
    assert services.close().delivered == 1
    request = httpserver.log[0][0]
    assert (request.headers["X-A"], request.headers["X-B"]) == ("endpoint", "handler")
    assert request.authorization.username == "user"


def test_post_non_2xx_is_reported_with_captured_response(
    httpserver: HTTPServer, make_services, tmp_path
) -> None:
    httpserver.expect_request("/x").respond_with_data("bad body", status=400)
    services = make_services(KapacitorConfig())
    spec = HandlerSpec("post", {"url": httpserver.url_for("/x"), "capture-response": True})
    create_handler(spec, services).handle(make_event())
    assert services.close().dead_lettered == 1
    record = json.loads((tmp_path / "dead.jsonl").read_text())
    assert record["error"] == "bad body" and record["url"] == httpserver.url_for("/x")


def test_post_without_url_or_known_endpoint_is_refused() -> None:
    with pytest.raises(HandlerSpecError, match="no url"):
        create_handler(HandlerSpec("post", {"endpoint": "missing"}), Services())


def test_tcp_handler_sends_alert_json_and_an_extra_newline(make_services) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    received: list[bytes] = []

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
            received.append(b"".join(chunks))

    thread = threading.Thread(target=serve)
    thread.start()
    address = f"127.0.0.1:{listener.getsockname()[1]}"
    services = make_services(KapacitorConfig())
    create_handler(HandlerSpec("tcp", {"address": address}), services).handle(make_event())
    assert services.close().delivered == 1
    thread.join(5)
    listener.close()
    (data,) = received
    assert data.endswith(b"}\n\n")
    assert json.loads(data)["id"] == "kapacitor/cpu/serverA"


def test_dry_run_prints_requests_with_the_api_key_masked(httpserver: HTTPServer) -> None:
    stderr = io.StringIO()
    services = Services.create(
        victorops_config(httpserver.url_for(""), api_key="TOPSECRET"), stderr=stderr
    )
    create_handler(HandlerSpec("victorops", {"routing-key": "team_rocket"}), services).handle(
        make_event()
    )
    summary = services.close()
    output = stderr.getvalue()
    assert not httpserver.log
    assert summary.would_send == 1 and summary.failed == 0
    assert "TOPSECRET" not in output
    assert "/********/team_rocket" in output
    assert '"entity_id":"kapacitor/cpu/serverA"' in output
    assert "not sent" in summary.text()


def test_victorops_disabled_is_a_build_error_and_global_adds_a_handler() -> None:
    disabled = victorops_config("http://x", enabled=False)
    with pytest.raises(BuildError, match="not enabled"):
        check_handler_available(HandlerSpec("victorops", {}), disabled)
    check_handler_available(HandlerSpec("log", {"path": "/x"}), disabled)
    check_handler_available(HandlerSpec("victorops", {}), victorops_config("http://x"))
    glob = victorops_config("http://x", global_=True)
    assert global_handler_specs(glob, []) == [HandlerSpec("victorops", {})]
    assert global_handler_specs(glob, [HandlerSpec("victorops", {"routing-key": "k"})]) == []
    assert global_handler_specs(victorops_config("http://x"), []) == []


def test_log_file_mode_keeps_permission_bits_only(tmp_path) -> None:
    """Go's os.FileMode(07777) has permission bits 0777 (setuid etc. are other flags there)."""
    import os as os_module

    from tickmini.alerting.handlers.log import open_log

    old_umask = os_module.umask(0)
    try:
        fd = open_log(str(tmp_path / "x.log"), 0o7777)
        os_module.close(fd)
    finally:
        os_module.umask(old_umask)
    assert (tmp_path / "x.log").stat().st_mode & 0o7777 == 0o777


def test_resend_refuses_a_log_record_with_a_relative_path(tmp_path, monkeypatch) -> None:
    from tickmini.cli.main import main

    record = {
        "handler": "log",
        "incident": "cpu:nil",
        "body": "{}\n",
        "path": "relative.log",
        "mode": 0o600,
    }
    dead = tmp_path / "dead.jsonl"
    dead.write_text(json.dumps(record) + "\n")
    monkeypatch.chdir(tmp_path)
    assert main(["resend", str(dead), "--retry-for", "0"]) == 3
    assert not (tmp_path / "relative.log").exists()
