"""Go ``strconv`` parsing: ``ParseBool``, ``ParseInt(s, 10, 64)`` and ``ParseFloat(s, 64)``,
with Go's error texts.

Failures raise :class:`GoError`, the Python stand-in for a Go ``error`` value; callers turn it
into their own positioned error.
"""

from __future__ import annotations

import math
import re
from typing import Final

from tickmini.gocompat.int64 import INT64_MAX, INT64_MIN


class GoError(Exception):
    """A Go function returned an error (the message is Go's)."""


TRUE_TEXTS: Final = frozenset({"1", "t", "T", "TRUE", "true", "True"})
FALSE_TEXTS: Final = frozenset({"0", "f", "F", "FALSE", "false", "False"})
_DECIMAL_INT = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_HEX_FLOAT = re.compile(
    r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+\Z"
)
_SPECIAL_FLOAT = re.compile(r"(?:[+-]?(?:inf|infinity)|nan)\Z", re.IGNORECASE)  # no "+nan" in Go


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_bool(text: str) -> bool:
    """``strconv.ParseBool``."""
    if text in TRUE_TEXTS:
        return True
    if text in FALSE_TEXTS:
        return False
    raise GoError(f"strconv.ParseBool: parsing {_quote(text)}: invalid syntax")


def parse_int(text: str) -> int:
    """``strconv.ParseInt(text, 10, 64)``."""
    if not _DECIMAL_INT.match(text):
        raise GoError(f"strconv.ParseInt: parsing {_quote(text)}: invalid syntax")
    value = int(text)
    if not INT64_MIN <= value <= INT64_MAX:
        raise GoError(f"strconv.ParseInt: parsing {_quote(text)}: value out of range")
    return value


def parse_float(text: str) -> float:
    """``strconv.ParseFloat(text, 64)`` (decimal, hexadecimal and inf/nan forms)."""
    if _SPECIAL_FLOAT.match(text):
        return float(text)
    if _DECIMAL_FLOAT.match(text):
        value = float(text)
    elif _HEX_FLOAT.match(text):
        value = float.fromhex(text)
    else:
        raise GoError(f"strconv.ParseFloat: parsing {_quote(text)}: invalid syntax")
    if math.isinf(value):
        raise GoError(f"strconv.ParseFloat: parsing {_quote(text)}: value out of range")
    return value
