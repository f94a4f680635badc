"""The log handler: one alert JSON per line, appended to an absolute path (mode 0600 default).

Local and synchronous: it always writes, also in a dry run, as ``tickmini run`` promises.
"""

from __future__ import annotations

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
        try:
            with self._lock:
                if self._fd is None:
                    self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, self.mode)
                os.write(self._fd, line)
        except OSError as err:
            self.services.local_failure(
                "log", event.id, f"cannot write {self.path}: {err.strerror or err}"
            )

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
