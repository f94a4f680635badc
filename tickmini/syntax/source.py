"""Reading script text the way Kapacitor sees it: bytes, not lines.

No newline translation (``\\r\\n`` stays, as in Kapacitor), and bytes that are not UTF-8 are kept
as lone surrogates (``surrogateescape``): inside strings and comments they survive a round trip
through ``tickmini fmt``, anywhere else they are an unexpected character, as in Kapacitor.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tickmini.errors import UsageError

STDIN_NAME = "-"


def decode_script(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def encode_script(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIN_NAME else path


def read_script(path: str) -> str:
    """The text of a script file, or of standard input for ``-``; :class:`UsageError` if it
    cannot be read."""
    try:
        if path == STDIN_NAME:
            return decode_script(sys.stdin.buffer.read())
        return decode_script(Path(path).read_bytes())
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from None


def write_script_atomically(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash never leaves a half-written script."""
    target = Path(path)
    mode = target.stat().st_mode & 0o7777 if target.exists() else None
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(encode_script(text))
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
