"""Alert deliveries per second to a local HTTP server, and what building the VictorOps body costs.

Two numbers: (1) VictorOps bodies encoded per second (the per-event work on the pipeline thread),
(2) end-to-end deliveries per second through the delivery queue to a local server (stdlib
``http.server`` on 127.0.0.1; one of every ``FAIL_EVERY`` answers is a 500, so retries are
included). Run: ``python benchmarks/bench_delivery.py``.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

from _common import machine, peak_rss_mib

from tickmini.alerting.delivery import RetryPolicy
from tickmini.alerting.event import AlertEvent, Level, Row
from tickmini.alerting.handlers import create_handler
from tickmini.alerting.handlers.payload import victorops_body
from tickmini.alerting.services import Services
from tickmini.alerting.spec import HandlerSpec
from tickmini.config import KapacitorConfig, VictorOpsConfig

BODIES = 200_000
DELIVERIES = 5_000
FAIL_EVERY = 4


def _event(n: int) -> AlertEvent:
    t = 1_700_000_000_000_000_000 + n * 1_000_000_000
    return AlertEvent(
        id=f"cpu:host=server{n % 100}",
        message="Hey, check your CPU",
        details="",
        time=t,
        duration=0,
        level=Level.CRITICAL,
        name="cpu",
        task_name="cpu_alert",
        group=f"host=server{n % 100}",
        tags={"host": f"server{n % 100}"},
        fields={"usage_idle": 5.5},
        series=[
            Row(
                "cpu",
                {"cpu": "cpu-total", "host": f"server{n % 100}"},
                ["time", "usage_idle"],
                [[t, 5.5]],
            )
        ],
    )


class _Handler(BaseHTTPRequestHandler):
    counter = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        with _Handler.lock:
            _Handler.counter += 1
            fail = _Handler.counter % FAIL_EVERY == 0
        self.send_response(500 if fail else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    events = [_event(n) for n in range(1000)]
    start = time.perf_counter()
    for n in range(BODIES):
        victorops_body(events[n % 1000], False)
    bodies_per_s = BODIES / (time.perf_counter() - start)

    server = HTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/alert"
    config = KapacitorConfig(victorops=VictorOpsConfig(enabled=True, api_key="k", url=url))
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.create(
            config,
            send=True,
            dead_letter=os.path.join(tmp, "dead.jsonl"),
            policy=RetryPolicy(initial_backoff=0.001, max_backoff=0.01),
        )
        handler = create_handler(HandlerSpec("victorops", {"routing-key": "rk"}), services)
        start = time.perf_counter()
        for n in range(DELIVERIES):
            handler.handle(events[n % 1000])
        summary = services.close()
        elapsed = time.perf_counter() - start
    server.shutdown()
    print(f"cpu: {machine()}")
    print(f"victorops bodies: {bodies_per_s:,.0f}/s")
    print(
        f"deliveries: {summary.delivered:,} delivered, {summary.retries:,} retries, "
        f"{summary.dead_lettered} dead-lettered in {elapsed:.2f}s = "
        f"{summary.delivered / elapsed:,.0f} deliveries/s (1 in {FAIL_EVERY} answers is a 500)"
    )
    print(f"peak RSS: {peak_rss_mib():.1f} MB")


if __name__ == "__main__":
    main()
