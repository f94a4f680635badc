"""Delivery that loses nothing: a bounded queue, worker threads, retries, and a dead letter.

Kapacitor sends each request once, with no timeout, and drops events when a handler's buffer is
full. tickmini instead:

- puts every request on a bounded queue; when it is full the producer (point processing) waits;
- sends with explicit connect/read timeouts;
- retries connection errors, timeouts, 429 and 5xx with jittered exponential backoff, within a
  bounded time per request (other 4xx are final);
- keeps the order of requests for one incident (same handler and entity id) by always routing
  them to the same worker;
- appends what still fails to a dead-letter JSON-lines file (without the API key) that
  ``tickmini resend`` can send again;
- on ``close()`` finishes or dead-letters everything pending; after ``interrupt()`` (Ctrl-C)
  it stops retrying and dead-letters what is left, quickly.
"""

from __future__ import annotations

import contextlib
import json
import queue
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tickmini.alerting.secrets import mask_secrets

if TYPE_CHECKING:  # httpx is imported by the workers that send: a run that sends nothing
    import httpx  # (the default) starts faster without it

ResponseStyle = Literal["victorops", "post"]
_HEADERS = {"User-Agent": "tickmini"}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Timeouts and retry budget. Defaults suit a CLI: at most ~30 s spent on one request."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    multiplier: float = 2.0
    jitter: float = 0.5
    max_elapsed: float = 30.0
    max_attempts: int = 8
    # After this many requests to one destination failed for good in a row, later requests to it
    # get a single attempt (a dead endpoint must not cost 30 s per alert).
    circuit_threshold: int = 3

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Delay before retry number ``retry`` (1-based): exponential, capped, ± jitter."""
        base = min(self.max_backoff, self.initial_backoff * self.multiplier ** (retry - 1))
        return max(0.0, base * (1 + self.jitter * (2 * rng.random() - 1)))


@dataclass(frozen=True, slots=True)
class OutgoingRequest:
    """One request a handler wants sent. ``url`` may hold the API key: it is never printed;
    ``destination`` is the masked form used in messages and the dead letter."""

    handler: str
    transport: Literal["http", "tcp"]
    url: str
    destination: str
    body: bytes
    incident: str
    headers: tuple[tuple[str, str], ...] = ()
    response_style: ResponseStyle = "post"
    capture_response: bool = False
    timeout: float | None = None
    verify_tls: bool = True
    auth: tuple[str, str] | None = None
    secrets: tuple[str, ...] = ()
    # Extra fields for the dead-letter record, enough for ``tickmini resend`` to rebuild it.
    record: dict[str, Any] = field(default_factory=dict)
    # Set when the request cannot be sent at all (e.g. service disabled): dead-lettered as is.
    refused: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    retry: bool
    error: str = ""
    retry_after: float | None = None


@dataclass(slots=True)
class DeliveryReport:
    """Counts for the run summary and the exit code."""

    delivered: int = 0
    dead_lettered: int = 0
    attempts: int = 0
    retries: int = 0
    dead_letter_path: str | None = None

    @property
    def failed(self) -> int:
        return self.dead_lettered


def classify_response(
    request: OutgoingRequest, status: int, body: bytes, retry_after: str | None
) -> Outcome:
    """What an HTTP answer means, per handler (VictorOps: only 200 is success)."""
    ok = status == 200 if request.response_style == "victorops" else 200 <= status < 300
    if ok:
        return Outcome(ok=True, retry=False)
    retry = status == 429 or status >= 500
    if request.response_style == "victorops":
        error = victorops_error(status, body)
    elif request.capture_response:
        error = body.decode("utf-8", "replace")
    else:
        error = f"POST returned non 2xx status code {status}"
    return Outcome(ok=False, retry=retry, error=error, retry_after=_retry_after(retry_after))


def victorops_error(status: int, body: bytes) -> str:
    """Kapacitor's VictorOps error text: 404 fixed, else the JSON ``message`` or a default."""
    if status == 404:
        return "URL or API key not found: 404"
    text = body.decode("utf-8", "replace")
    message = f"failed to understand VictorOps response. code: {status} content: {text}"
    try:  # Go's json.Decoder reads the first JSON value and ignores what follows
        decoded, _ = json.JSONDecoder().raw_decode(text.lstrip(" \t\r\n"))
    except ValueError:
        return message
    if isinstance(decoded, dict) and "message" in decoded:
        value = decoded["message"]
        return value if isinstance(value, str) else message
    return message


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


class DeadLetterFile:
    """Appends one JSON line per undeliverable request; created only when first needed."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, request: OutgoingRequest, error: str, attempts: int) -> str:
        """Write the record; returns its (masked) JSON line. Raises OSError if it cannot."""
        return self.append_line(dead_letter_line(request, error, attempts))

    def append_line(self, line: str) -> str:
        """Write one record line (:func:`record_line`). Raises OSError if it cannot."""
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return line


def dead_letter_line(request: OutgoingRequest, error: str, attempts: int) -> str:
    """The dead-letter record of a request as a JSON line, secrets masked."""
    record = dead_letter_record(
        request.handler,
        request.destination,
        request.incident,
        request.body,
        error,
        attempts,
        request.record,
    )
    return record_line(record, request.secrets)


def record_line(record: dict[str, Any], secrets: tuple[str, ...] = ()) -> str:
    """A dead-letter record as one JSON line with ``secrets`` masked."""
    return mask_secrets(json.dumps(record, ensure_ascii=False, sort_keys=True), secrets)


def dead_letter_record(
    handler: str,
    destination: str,
    incident: str,
    body: bytes,
    error: str,
    attempts: int,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """One dead-letter record: what failed, why, and what ``tickmini resend`` needs."""
    return {
        "time": datetime.now(timezone.utc).isoformat(),
        "handler": handler,
        "destination": destination,
        "incident": incident,
        "body": body.decode("utf-8", "replace"),
        "error": error,
        "attempts": attempts,
        **extra,
    }


_STOP = object()
# After Ctrl-C, how long requests already in flight may take before they are dead-lettered.
INTERRUPT_GRACE = 1.0


@dataclass(eq=False)
class _Worker:
    """One delivery thread and its queue. ``in_flight`` is the request being sent;
    ``abandoned`` means the closing thread took over its pending requests after Ctrl-C."""

    inbox: queue.Queue[object]
    thread: threading.Thread | None = None
    in_flight: OutgoingRequest | None = None
    abandoned: bool = False


class DeliveryQueue:
    """Bounded, ordered-per-incident, retrying delivery on worker threads."""

    def __init__(
        self,
        dead_letter: DeadLetterFile,
        policy: RetryPolicy | None = None,
        workers: int = 4,
        capacity: int = 1000,
        on_failure: Callable[[OutgoingRequest, str], None] | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.dead_letter = dead_letter
        self.report = DeliveryReport()
        self._on_failure = on_failure
        self._lock = threading.Lock()
        self._interrupted = threading.Event()
        self._closed = False
        self._failures_in_a_row: dict[str, int] = {}
        per_worker = max(1, capacity // max(1, workers))
        self._workers = [_Worker(queue.Queue(per_worker)) for _ in range(max(1, workers))]
        for index, worker in enumerate(self._workers):
            worker.thread = threading.Thread(
                target=self._work, args=(worker,), name=f"tickmini-delivery-{index}", daemon=True
            )
            worker.thread.start()

    # -- producer side -------------------------------------------------------------------------

    def submit(self, request: OutgoingRequest) -> None:
        """Queue ``request``; waits (never drops) while the incident's worker queue is full."""
        if self._closed:
            raise RuntimeError("delivery queue is closed")
        key = hash((request.handler, request.destination, request.incident))
        inbox = self._workers[key % len(self._workers)].inbox
        while True:
            try:
                inbox.put(request, timeout=0.2)
                return
            except queue.Full:
                if self._interrupted.is_set():
                    self._give_up(request, "interrupted before delivery", 0)
                    return
            except KeyboardInterrupt:  # Ctrl-C while waiting for room: keep this request too
                self.interrupt()
                self._give_up(request, "interrupted before delivery", 0)
                raise

    def close(self) -> DeliveryReport:
        """Finish (or dead-letter) everything pending, stop the workers, return the counts.

        Ctrl-C while closing (or :meth:`interrupt` before) makes it quick: nothing is retried,
        and requests still pending after a short grace are dead-lettered."""
        if not self._closed:
            self._closed = True
            try:
                if not self._interrupted.is_set():
                    for worker in self._workers:
                        worker.inbox.put(_STOP)
                        assert worker.thread is not None
                        worker.thread.join()
            except KeyboardInterrupt:
                self.interrupt()
                self._close_interrupted()
                raise
            if self._interrupted.is_set():
                self._close_interrupted()
        self.report.dead_letter_path = (
            str(self.dead_letter.path) if self.report.dead_lettered else None
        )
        return self.report

    def interrupt(self) -> None:
        """Ctrl-C: stop retrying; what is pending is dead-lettered instead of sent."""
        self._interrupted.set()

    def _close_interrupted(self) -> None:
        deadline = time.monotonic() + INTERRUPT_GRACE
        for worker in self._workers:
            with contextlib.suppress(queue.Full):
                worker.inbox.put_nowait(_STOP)
        while time.monotonic() < deadline and not self._all_idle():
            time.sleep(0.01)
        leftovers: list[OutgoingRequest] = []
        with self._lock:
            for worker in self._workers:
                if worker.in_flight is not None:  # stuck in a request: take its work over
                    worker.abandoned = True
                    leftovers.append(worker.in_flight)
        for worker in self._workers:
            if worker.abandoned:
                leftovers.extend(_drain(worker.inbox))
                continue
            with contextlib.suppress(queue.Full):  # its queue is empty now: let it stop
                worker.inbox.put_nowait(_STOP)
            assert worker.thread is not None
            worker.thread.join(max(0.1, deadline - time.monotonic()))
        for request in leftovers:
            self._give_up(request, "interrupted before delivery was confirmed", 0, forced=True)

    def _all_idle(self) -> bool:
        with self._lock:
            return all(w.in_flight is None and w.inbox.empty() for w in self._workers)

    def __enter__(self) -> DeliveryQueue:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if isinstance(value, KeyboardInterrupt):
            self.interrupt()
        self.close()

    # -- worker side ---------------------------------------------------------------------------

    def _work(self, worker: _Worker) -> None:
        import httpx

        rng = random.Random()
        clients: dict[bool, httpx.Client] = {}
        try:
            while True:
                item = worker.inbox.get()
                if item is _STOP:
                    return
                assert isinstance(item, OutgoingRequest)
                with self._lock:
                    if worker.abandoned:
                        return
                    worker.in_flight = item
                try:
                    verify = item.verify_tls
                    client = clients.get(verify) or clients.setdefault(
                        verify, httpx.Client(follow_redirects=True, verify=verify, headers=_HEADERS)
                    )
                    self._deliver(item, client, rng, worker)
                except Exception as err:  # a bug must not stall the queue or lose the request
                    self._give_up(item, f"internal error: {err!r}", 0, worker=worker)
                with self._lock:
                    if worker.abandoned:
                        return
                    worker.in_flight = None
        finally:
            for client in clients.values():
                client.close()

    def _deliver(
        self, request: OutgoingRequest, client: httpx.Client, rng: random.Random, worker: _Worker
    ) -> None:
        if request.refused is not None:
            self._give_up(request, request.refused, 0, worker=worker)
            return
        if self._interrupted.is_set():
            self._give_up(request, "interrupted before delivery", 0, worker=worker)
            return
        policy = self.policy
        origin = _origin(request)
        single_try = self._failures_in_a_row.get(origin, 0) >= policy.circuit_threshold
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            outcome = self._attempt(request, client)
            with self._lock:
                if worker.abandoned:
                    return
                self.report.attempts += 1
                if attempts > 1:
                    self.report.retries += 1
                if outcome.ok:
                    self.report.delivered += 1
                    self._failures_in_a_row[origin] = 0
                    return
            if not outcome.retry or single_try or attempts >= policy.max_attempts:
                break
            delay = policy.backoff(attempts, rng)
            if outcome.retry_after is not None:
                delay = max(delay, outcome.retry_after)
            if time.monotonic() - started + delay > policy.max_elapsed:
                break
            if self._interrupted.wait(delay):
                break
        with self._lock:
            self._failures_in_a_row[origin] = self._failures_in_a_row.get(origin, 0) + 1
        self._give_up(request, outcome.error, attempts, worker=worker)

    def _attempt(self, request: OutgoingRequest, client: httpx.Client) -> Outcome:
        if request.transport == "tcp":
            return self._attempt_tcp(request)
        import httpx

        policy = self.policy
        read = request.timeout if request.timeout else policy.read_timeout
        timeout = httpx.Timeout(
            read, connect=min(policy.connect_timeout, read), pool=policy.connect_timeout
        )
        try:
            response = client.post(
                request.url,
                content=request.body,
                headers=dict(request.headers),
                timeout=timeout,
                auth=request.auth,
            )
        except httpx.TimeoutException as err:
            return Outcome(False, True, f"timed out: {type(err).__name__}")
        except httpx.TransportError as err:
            return Outcome(False, True, f"connection failed: {err or type(err).__name__}")
        except (httpx.HTTPError, ValueError) as err:  # invalid URL, unsupported scheme ...
            return Outcome(False, False, f"cannot send: {err}")
        return classify_response(
            request, response.status_code, response.content, response.headers.get("retry-after")
        )

    def _attempt_tcp(self, request: OutgoingRequest) -> Outcome:
        host, _, port = request.url.rpartition(":")
        try:
            with socket.create_connection(
                (host.strip("[]"), int(port)), timeout=self.policy.connect_timeout
            ) as conn:
                conn.settimeout(self.policy.read_timeout)
                conn.sendall(request.body)
        except ValueError:
            return Outcome(False, False, f"invalid tcp address {request.url!r}")
        except OSError as err:
            return Outcome(
                False, True, f"failed to connect to {request.url}: {err.strerror or err}"
            )
        return Outcome(True, False)

    def _give_up(
        self,
        request: OutgoingRequest,
        error: str,
        attempts: int,
        *,
        worker: _Worker | None = None,
        forced: bool = False,
    ) -> None:
        """Dead-letter ``request`` and count it (unless Ctrl-C handed it to the closing thread)."""
        error = mask_secrets(error, request.secrets)
        with self._lock:
            if worker is not None and worker.abandoned and not forced:
                return
            try:
                self.dead_letter.append(request, error, attempts)
            except OSError as err:  # keep the request: print the record instead
                error += (
                    f"; the dead-letter file {self.dead_letter.path} cannot be written "
                    f"({err.strerror or err}), record: {dead_letter_line(request, error, attempts)}"
                )
            self.report.dead_lettered += 1
        if self._on_failure is not None:
            self._on_failure(request, error)


def _drain(inbox: queue.Queue[object]) -> list[OutgoingRequest]:
    items = []
    while True:
        try:
            item = inbox.get_nowait()
        except queue.Empty:
            return items
        if isinstance(item, OutgoingRequest):
            items.append(item)


def _origin(request: OutgoingRequest) -> str:
    """The destination host (for the circuit breaker): scheme://host:port or host:port."""
    if request.transport == "tcp":
        return request.url
    import httpx

    try:
        url = httpx.URL(request.url)
    except (httpx.InvalidURL, ValueError):
        return request.url
    return f"{url.scheme}://{url.host}:{url.port}"
