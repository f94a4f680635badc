"""What handlers need from the outside world, bundled: config, delivery, dry-run switch, output.

Handlers never talk to the network themselves: they build an :class:`OutgoingRequest` and hand
it to :meth:`Services.dispatch`, which either queues it for delivery (``send=True``) or, in a
dry run, prints the request that would be sent (API key masked) to ``stderr``.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from tickmini.alerting.delivery import (
    DeadLetterFile,
    DeliveryQueue,
    DeliveryReport,
    OutgoingRequest,
    RetryPolicy,
    dead_letter_record,
    record_line,
)
from tickmini.alerting.secrets import mask_secrets
from tickmini.config import KapacitorConfig, default_config

DEFAULT_DEAD_LETTER = "tickmini-dead-letter.jsonl"


class Closeable(Protocol):
    def close(self) -> None: ...


@dataclass(slots=True)
class DeliverySummary:
    """Counts for the run summary; ``failed`` makes the exit code non-zero."""

    delivered: int = 0
    dead_lettered: int = 0
    would_send: int = 0
    local_failures: int = 0
    retries: int = 0
    dead_letter_path: str | None = None

    @property
    def failed(self) -> int:
        return self.dead_lettered + self.local_failures

    def text(self) -> str:
        parts = []
        if self.would_send:
            parts.append(f"{self.would_send} request(s) not sent (dry run; use --send)")
        if self.delivered or self.dead_lettered:
            parts.append(f"{self.delivered} delivered")
        if self.retries:
            parts.append(f"{self.retries} retried attempt(s)")
        if self.dead_lettered:
            parts.append(f"{self.dead_lettered} undeliverable, written to {self.dead_letter_path}")
        if self.local_failures:
            parts.append(f"{self.local_failures} could not be handled (see errors above)")
        return "deliveries: " + (", ".join(parts) if parts else "none")


@dataclass(slots=True)
class Services:
    """Shared by all handlers of one run. Build with :meth:`create`; call :meth:`close` at the end."""

    config: KapacitorConfig = field(default_factory=default_config)
    send: bool = False
    delivery: DeliveryQueue | None = None
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    would_send: int = 0
    local_failures: int = 0
    dead_letter: DeadLetterFile | None = None  # where failed local writes (.log()) are kept
    kept_locally: int = 0
    _closeables: list[Closeable] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(
        cls,
        config: KapacitorConfig | None = None,
        *,
        send: bool = False,
        dead_letter: str | Path = DEFAULT_DEAD_LETTER,
        policy: RetryPolicy | None = None,
        workers: int = 4,
        capacity: int | None = None,
        stderr: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> Services:
        """Services for a run; with ``send`` a delivery queue (threads) is started."""
        config = config or default_config()
        services = cls(
            config=config,
            send=send,
            stderr=stderr or sys.stderr,
            stdout=stdout or sys.stdout,
        )
        services.dead_letter = DeadLetterFile(dead_letter)
        if send:
            services.delivery = DeliveryQueue(
                services.dead_letter,
                policy=policy,
                workers=workers,
                capacity=capacity or config.alert.topic_buffer_length,
                on_failure=services._report_failure,
            )
        return services

    def secrets(self) -> tuple[str, ...]:
        return self.config.secrets()

    def mask(self, text: str) -> str:
        return mask_secrets(text, self.secrets())

    def dispatch(self, request: OutgoingRequest) -> None:
        """Send (queue) ``request``, or print it in a dry run."""
        if self.send and self.delivery is not None:
            self.delivery.submit(request)
            return
        with self._lock:
            self.would_send += 1
        body = request.body.decode("utf-8", "replace").rstrip("\n")
        note = f" (would fail: {request.refused})" if request.refused else ""
        verb = "POST" if request.transport == "http" else "TCP"
        self.error_line(
            f"tickmini: dry run, not sent{note}: {request.handler} {verb} {request.destination} {body}"
        )

    def error_line(self, text: str) -> None:
        """One line on stderr, masked (the only way handlers print)."""
        self.stderr.write(self.mask(text) + "\n")
        self.stderr.flush()

    def local_failure(self, handler: str, event_id: str, error: str) -> None:
        """A handler could not handle an event locally (encoding, file write): counted, printed."""
        with self._lock:
            self.local_failures += 1
        self.error_line(f"tickmini: {handler} handler failed for event {event_id!r}: {error}")

    def keep_failed_write(
        self,
        handler: str,
        event_id: str,
        destination: str,
        body: bytes,
        error: str,
        attempts: int,
        extra: dict[str, object],
    ) -> None:
        """A local write (``.log()``) failed even when tried again: keep the event in the
        dead-letter file (for ``tickmini resend``), count and print it; never drop it."""
        failure = (
            f"tickmini: {handler}: could not write event {event_id!r} to {destination}: {error}"
        )
        if self.dead_letter is None:
            self.local_failure(handler, event_id, f"cannot write {destination}: {error}")
            return
        record = dead_letter_record(handler, destination, event_id, body, error, attempts, extra)
        line = record_line(record, self.secrets())
        try:
            self.dead_letter.append_line(line)
        except OSError as err:  # keep the event: print its record instead
            self.local_failure(
                handler,
                event_id,
                f"cannot write {destination}: {error}; the dead-letter file "
                f"{self.dead_letter.path} cannot be written either ({err.strerror or err}), "
                f"record: {line}",
            )
            return
        with self._lock:
            self.kept_locally += 1
        self.error_line(f"{failure}; kept in {self.dead_letter.path}")

    def _report_failure(self, request: OutgoingRequest, error: str) -> None:
        self.error_line(
            f"tickmini: {request.handler}: failed to send event {request.incident!r} to "
            f"{request.destination}: {error}"
        )

    def register(self, resource: Closeable) -> None:
        """Something to close at the end of the run (open log files)."""
        self._closeables.append(resource)

    def interrupt(self) -> None:
        """Ctrl-C: stop retrying, dead-letter what is pending (then call :meth:`close`)."""
        if self.delivery is not None:
            self.delivery.interrupt()

    def close(self) -> DeliverySummary:
        """Finish every pending delivery (or dead-letter it) and close handler resources."""
        report = self.delivery.close() if self.delivery is not None else DeliveryReport()
        for resource in self._closeables:
            resource.close()
        self._closeables.clear()
        kept_path = str(self.dead_letter.path) if self.kept_locally and self.dead_letter else None
        return DeliverySummary(
            delivered=report.delivered,
            dead_lettered=report.dead_lettered + self.kept_locally,
            would_send=self.would_send,
            local_failures=self.local_failures,
            retries=report.retries,
            dead_letter_path=report.dead_letter_path or kept_path,
        )
