"""Where the store lives, and the lock that lets one replay at a time write alert state.

The home directory is ``--home DIR``, else ``$TICKMINI_HOME``, else the XDG data directory
(``$XDG_DATA_HOME/tickmini`` or ``~/.local/share/tickmini``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tickmini.errors import TickminiError

DATABASE_NAME = "tickmini.db"
LOCK_NAME = "replay.lock"
_POLL_SECONDS = 0.1


class StoreError(TickminiError):
    """The store cannot be opened, is busy, or does not hold what was asked for."""


def resolve_home(home: str | None, environ: Mapping[str, str] | None = None) -> Path:
    """The home directory by the documented order (not created here)."""
    env = os.environ if environ is None else environ
    if home:
        return Path(home).expanduser()
    if env.get("TICKMINI_HOME"):
        return Path(env["TICKMINI_HOME"]).expanduser()
    data = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local/share")
    return Path(data).expanduser() / "tickmini"


@dataclass(slots=True)
class HomeLock:
    """An exclusive advisory lock on ``<home>/replay.lock`` (released when the process dies).

    A replay holds it from reading alert state to saving it, so two replays never interleave
    their state: the second waits, then reads what the first saved.
    """

    path: Path
    handle: IO[str] | None = None

    def acquire(self, wait_seconds: float, on_wait: Callable[[str], None]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        except OSError as err:
            raise StoreError(f"cannot lock the store {self.path.parent}: {err}") from None
        deadline = time.monotonic() + wait_seconds
        told = False
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                holder = _read_holder(handle)
                handle.close()
                raise StoreError(
                    f"the store {self.path.parent} is busy: another tickmini replay{holder} "
                    f"still holds it after {wait_seconds:g}s",
                    hint="wait for it to finish, or pass --wait SECONDS",
                )
            if not told:
                on_wait(
                    f"tickmini: waiting for another replay{_read_holder(handle)} "
                    f"to finish with {self.path.parent} (up to {wait_seconds:g}s)"
                )
                told = True
            time.sleep(_POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            _unlock(self.handle)
            self.handle.close()
            self.handle = None


def _read_holder(handle: IO[str]) -> str:
    handle.seek(0)
    text = handle.read().strip()
    return f" (pid {text})" if text.isdigit() else ""


try:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
