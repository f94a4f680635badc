"""The log handler: one alert JSON per line, appended to an absolute path (mode 0600 default).

Local and synchronous: it always writes, also in a dry run, as ``tickmini run`` promises. A
write that fails twice keeps the event in the dead-letter file (``tickmini resend`` appends it).
"""

from __future__ import annotations

import contextlib
import os
import threading

from tickmini.alerting.event import AlertEvent
from tickmini.alerting.handlers.payload import alert_json_line
from tickmini.alerting.services import Services
from tickmini.alerting.spec import LogOptions
from tickmini.errors import TickminiError


class LogHandler:
    """Opens the file on the first event (as Kapacitor, which creates it only when it logs)."""

    def __init__(self, options: LogOptions, services: Services) -> None:
        self.path = options.path
        self.mode = options.mode
        self.services = services
        self._fd: int | None = None
        self._lock = threading.Lock()
        services.register(self)

    def handle(self, event: AlertEvent) -> None:
        if event.no_external:
            return
        try:
            line = alert_json_line(event)
        except TickminiError as err:
            self.services.local_failure("log", event.id, err.message)
            return
        with self._lock:
            error = self._append(line)
            if error is not None:  # once more, through a freshly opened file
                self._close()
                error = self._append(line)
        if error is not None:
            self.services.keep_failed_write(
                "log", event.id, self.path, line, error, 2, {"path": self.path, "mode": self.mode}
            )

    def _append(self, line: bytes) -> str | None:
        """Append one line (opening the file first if needed); the error text, or None."""
        if self._fd is None:
            try:
                self._fd = open_log(self.path, self.mode)
            except OSError as err:
                return str(err.strerror or err)
        return write_line(self._fd, line)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


def open_log(path: str, mode: int) -> int:
    """``path`` opened for appending, created with ``mode``'s permission bits only (Go's
    ``os.FileMode(mode)`` keeps 0777: setuid, setgid and sticky bits are other flags there)."""
    return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, mode & 0o777)


def write_line(fd: int, line: bytes) -> str | None:
    """Write ``line`` whole (again after a short write); the error text, or None."""
    view = memoryview(line)
    while view:
        try:
            written = os.write(fd, view)
        except OSError as err:
            return str(err.strerror or err)
        if written <= 0:
            return f"short write ({len(line) - len(view)} of {len(line)} bytes)"
        view = view[written:]
    return None
