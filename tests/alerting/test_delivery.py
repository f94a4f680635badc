"""Delivery against a real HTTP server on 127.0.0.1: success, errors, retries, dead letter."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:  # tests/alerting as a package, or as a plain directory (rootdir import mode)
    from .conftest import make_event, victorops_config
except ImportError:
    from conftest import make_event, victorops_config  # type: ignore[no-redef]
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tickmini.alerting.delivery import DeadLetterFile, DeliveryQueue, OutgoingRequest, RetryPolicy
from tickmini.alerting.handlers import create_handler
from tickmini.alerting.spec import HandlerSpec

SECRET = "s3cr3t-API-key"


def _send_one(httpserver, make_services, tmp_path, **config):
    services = make_services(victorops_config(httpserver.url_for(""), api_key=SECRET, **config))
    create_handler(HandlerSpec("victorops", {"routing-key": "rk"}), services).handle(make_event())
    summary = services.close()
    dead = tmp_path / "dead.jsonl"
    records = [json.loads(line) for line in dead.read_text().splitlines()] if dead.exists() else []
    return summary, records, services.stderr.getvalue()


def _assert_no_secret(tmp_path, stderr: str) -> None:
    assert SECRET not in stderr
    for path in tmp_path.iterdir():
        assert SECRET not in path.read_text()


def test_200_is_delivered(httpserver: HTTPServer, make_services, tmp_path) -> None:
    httpserver.expect_request(f"/{SECRET}/rk", method="POST").respond_with_json(
        {"result": "success"}
    )
    summary, records, stderr = _send_one(httpserver, make_services, tmp_path)
    assert (summary.delivered, summary.failed, records, stderr) == (1, 0, [], "")


def test_201_is_an_error_for_victorops_and_is_final(
    httpserver: HTTPServer, make_services, tmp_path
) -> None:
    httpserver.expect_request(f"/{SECRET}/rk").respond_with_data("created", status=201)
    summary, records, _ = _send_one(httpserver, make_services, tmp_path)
    assert summary.dead_lettered == 1 and len(httpserver.log) == 1
    assert (
        records[0]["error"] == "failed to understand VictorOps response. code: 201 content: created"
    )


def test_404_without_message(httpserver: HTTPServer, make_services, tmp_path) -> None:
    httpserver.expect_request(f"/{SECRET}/rk").respond_with_data("nope", status=404)
    summary, records, stderr = _send_one(httpserver, make_services, tmp_path)
    assert summary.dead_lettered == 1 and len(httpserver.log) == 1  # 4xx: no retry
    assert records[0]["error"] == "URL or API key not found: 404"
    assert records[0]["attempts"] == 1
    assert "URL or API key not found: 404" in stderr
    _assert_no_secret(tmp_path, stderr)


def test_404_with_json_message_still_reports_kapacitors_404_text(
    httpserver: HTTPServer, make_services, tmp_path
) -> None:
    httpserver.expect_request(f"/{SECRET}/rk").respond_with_json(
        {"result": "failure", "message": "no such key"}, status=404
    )
    _, records, _ = _send_one(httpserver, make_services, tmp_path)
    assert records[0]["error"] == "URL or API key not found: 404"


def test_400_with_json_message_is_reported_and_final(
    httpserver: HTTPServer, make_services, tmp_path
) -> None:
    httpserver.expect_request(f"/{SECRET}/rk").respond_with_json(
        {"result": "failure", "message": "Missing fields: message_type"}, status=400
    )
    _, records, stderr = _send_one(httpserver, make_services, tmp_path)
    assert len(httpserver.log) == 1
    assert records[0]["error"] == "Missing fields: message_type"
    assert "Missing fields: message_type" in stderr
    body = json.loads(records[0]["body"])
    assert body["entity_id"] == "kapacitor/cpu/serverA"
    assert records[0]["destination"].endswith("/********/rk")
    assert records[0]["routing_key"] == "rk"
    _assert_no_secret(tmp_path, stderr)


def test_500_then_200_is_delivered_once_after_a_retry(
    httpserver: HTTPServer, make_services, tmp_path
) -> None:
    httpserver.expect_ordered_request(f"/{SECRET}/rk").respond_with_json(
        {"message": "busy"}, status=500
    )
    httpserver.expect_ordered_request(f"/{SECRET}/rk").respond_with_json({"result": "success"})
    summary, records, _ = _send_one(httpserver, make_services, tmp_path)
    assert (summary.delivered, summary.retries, summary.failed, records) == (1, 1, 0, [])
    assert len(httpserver.log) == 2
    assert httpserver.log[0][0].get_data() == httpserver.log[1][0].get_data()


def test_429_is_retried(httpserver: HTTPServer, make_services, tmp_path) -> None:
    httpserver.expect_ordered_request(f"/{SECRET}/rk").respond_with_data("slow down", status=429)
    httpserver.expect_ordered_request(f"/{SECRET}/rk").respond_with_data("")
    summary, _, _ = _send_one(httpserver, make_services, tmp_path)
    assert summary.delivered == 1 and len(httpserver.log) == 2


def test_server_that_never_answers_times_out_then_dead_letters(make_services, tmp_path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)  # accepts connections, never reads or answers
    port = listener.getsockname()[1]
    try:
        started = time.monotonic()
        services = make_services(victorops_config(f"http://127.0.0.1:{port}", api_key=SECRET))
        create_handler(HandlerSpec("victorops", {}), services).handle(make_event())
        summary = services.close()
        elapsed = time.monotonic() - started
    finally:
        listener.close()
    assert summary.dead_lettered == 1 and summary.delivered == 0
    record = json.loads((tmp_path / "dead.jsonl").read_text())
    assert record["error"].startswith("timed out")
    assert record["attempts"] >= 2  # timeouts are retried within the time budget
    assert elapsed < 10
    _assert_no_secret(tmp_path, services.stderr.getvalue())


def test_connection_refused_dead_letters(make_services, tmp_path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    services = make_services(victorops_config(f"http://127.0.0.1:{port}", api_key=SECRET))
    create_handler(HandlerSpec("victorops", {}), services).handle(make_event())
    summary = services.close()
    assert summary.dead_lettered == 1
    record = json.loads((tmp_path / "dead.jsonl").read_text())
    assert record["error"].startswith("connection failed")
    assert record["attempts"] > 1
    assert "failed to send event" in services.stderr.getvalue()
    _assert_no_secret(tmp_path, services.stderr.getvalue())


def test_10000_alerts_half_failing_none_lost_none_duplicated_in_order(tmp_path) -> None:
    """Every other request answers 500. Each alert ends up delivered exactly once (in order per
    incident) or dead-lettered; none is lost or sent twice.

    The server is the standard library's threaded HTTP/1.1 server on 127.0.0.1 rather than the
    shared pytest-httpserver (werkzeug, one thread, a new connection per request): the ~20,000
    requests reuse kept-alive connections, which about halves the test's time."""
    lock = threading.Lock()
    counter = [0]
    delivered: dict[str, list[int]] = defaultdict(list)

    class Flaky(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: each delivery worker reuses its connection
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path != "/api_key/rk":
                status = 404
            else:
                with lock:
                    counter[0] += 1
                    fail = counter[0] % 2 == 0
                    if not fail:
                        body = json.loads(data)
                        delivered[body["entity_id"]].append(body["timestamp"])
                status = 500 if fail else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:  # thousands of access-log lines cost seconds
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        policy = RetryPolicy(
            connect_timeout=1,
            read_timeout=2,
            initial_backoff=0.0005,
            max_backoff=0.002,
            max_elapsed=5,
        )
        from tickmini.alerting.services import Services

        services = Services.create(
            victorops_config(f"http://127.0.0.1:{server.server_port}/"),
            send=True,
            dead_letter=tmp_path / "dead.jsonl",
            policy=policy,
            workers=4,
            capacity=200,
        )
        handler = create_handler(HandlerSpec("victorops", {"routing-key": "rk"}), services)
        incidents = [f"host{i}" for i in range(50)]
        sent: dict[str, list[int]] = defaultdict(list)
        for n in range(10_000):
            incident = incidents[n % len(incidents)]
            sent[incident].append(n)
            handler.handle(make_event(id=incident, time=n * 1_000_000_000))
        summary = services.close()
        dead = tmp_path / "dead.jsonl"
        dead_ids: dict[str, list[int]] = defaultdict(list)
        if dead.exists():
            for line in dead.read_text().splitlines():
                record = json.loads(line)
                body = json.loads(record["body"])
                dead_ids[body["entity_id"]].append(body["timestamp"])
        assert summary.delivered + summary.dead_lettered == 10_000
        assert sum(len(v) for v in delivered.values()) == summary.delivered
        for incident, numbers in sent.items():
            got = delivered[incident]
            assert got == sorted(got), f"out of order for {incident}"
            assert len(set(got)) == len(got), f"duplicate for {incident}"
            assert sorted(got + dead_ids[incident]) == numbers
    finally:
        server.shutdown()
        server.server_close()


def _request(url: str, incident: str, n: int) -> OutgoingRequest:
    return OutgoingRequest(
        handler="post",
        transport="http",
        url=url,
        destination=url,
        body=str(n).encode(),
        incident=incident,
    )


def test_full_queue_makes_the_producer_wait_instead_of_dropping(
    httpserver: HTTPServer, tmp_path
) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(5)
        return Response("")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    queue = DeliveryQueue(
        DeadLetterFile(tmp_path / "d.jsonl"), RetryPolicy(read_timeout=10), workers=1, capacity=2
    )
    submitted = []

    def produce() -> None:
        for n in range(6):
            queue.submit(_request(httpserver.url_for("/slow"), "x", n))
            submitted.append(n)

    producer = threading.Thread(target=produce)
    producer.start()
    time.sleep(0.5)
    assert len(submitted) < 6  # blocked: one in flight, two queued
    release.set()
    producer.join(10)
    report = queue.close()
    assert submitted == list(range(6))
    assert report.delivered == 6 and report.dead_lettered == 0


def test_interrupt_dead_letters_pending_requests_quickly(tmp_path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
    queue = DeliveryQueue(
        DeadLetterFile(tmp_path / "d.jsonl"),
        RetryPolicy(read_timeout=30, max_elapsed=60, initial_backoff=1),
        workers=2,
        capacity=100,
    )
    try:
        for n in range(20):
            queue.submit(_request(url, f"i{n}", n))
        time.sleep(0.3)  # two requests are in flight, waiting for an answer that never comes
        started = time.monotonic()
        queue.interrupt()
        report = queue.close()
        elapsed = time.monotonic() - started
    finally:
        listener.close()
    assert report.dead_lettered == 20 and report.delivered == 0
    assert elapsed < 2  # not the 30 s read timeout
    lines = (tmp_path / "d.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["body"] for line in lines) == sorted(str(n) for n in range(20))


def test_dead_endpoint_costs_one_attempt_after_repeated_failures(tmp_path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = RetryPolicy(
        initial_backoff=0.001, max_backoff=0.001, max_attempts=5, circuit_threshold=2
    )
    queue = DeliveryQueue(DeadLetterFile(tmp_path / "d.jsonl"), policy, workers=1)
    for n in range(5):
        queue.submit(_request(f"http://127.0.0.1:{port}/", "same", n))
    report = queue.close()
    assert report.dead_lettered == 5
    attempts = [
        json.loads(line)["attempts"] for line in (tmp_path / "d.jsonl").read_text().splitlines()
    ]
    assert attempts == [5, 5, 1, 1, 1]


def test_unwritable_dead_letter_prints_the_record_instead(tmp_path) -> None:
    import io

    from tickmini.alerting.services import Services

    stderr = io.StringIO()
    services = Services.create(
        victorops_config("http://127.0.0.1:1", api_key=SECRET, enabled=False),
        send=True,
        dead_letter=tmp_path / "missing-dir" / "dead.jsonl",
        stderr=stderr,
    )
    create_handler(HandlerSpec("victorops", {}), services).handle(make_event())
    summary = services.close()
    output = stderr.getvalue()
    assert summary.dead_lettered == 1
    assert "cannot be written" in output and '\\"entity_id\\":\\"kapacitor/cpu/serverA\\"' in output
    assert SECRET not in output


def test_victorops_error_texts_follow_kapacitor() -> None:
    from tickmini.alerting.delivery import victorops_error

    assert victorops_error(404, b'{"message":"x"}') == "URL or API key not found: 404"
    assert victorops_error(400, b' {"message":"first"} trailing') == "first"
    assert victorops_error(500, b'{"message":""}') == ""
    default = "failed to understand VictorOps response. code: 502 content: "
    assert victorops_error(502, b"oops") == default + "oops"
    assert victorops_error(502, b'{"message":5}') == default + '{"message":5}'
    assert victorops_error(502, b'{"result":"failure"}') == default + '{"result":"failure"}'


def test_api_key_with_url_special_characters_never_shows(make_services, tmp_path) -> None:
    key = "k e/y?&=ü"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    services = make_services(victorops_config(f"http://127.0.0.1:{port}/alert", api_key=key))
    create_handler(HandlerSpec("victorops", {"routing-key": "rk"}), services).handle(make_event())
    assert services.close().dead_lettered == 1
    from urllib.parse import quote

    from tickmini.alerting.handlers.urls import go_escape_path

    texts = [services.stderr.getvalue(), (tmp_path / "dead.jsonl").read_text()]
    for form in (key, go_escape_path(key), quote(key), quote(key, safe=""), "k e", "k%20e"):
        for text in texts:
            assert form not in text
