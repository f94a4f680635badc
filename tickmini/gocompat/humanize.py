"""go-humanize v1.0.1 ``Bytes``: the text Kapacitor's ``humanBytes()`` lambda returns."""

from __future__ import annotations

import math

_SIZES = ("B", "kB", "MB", "GB", "TB", "PB", "EB")


def human_bytes(size: int) -> str:
    """go-humanize v1.0.1 ``Bytes(uint64)``: SI units, base 1000."""
    if size < 10:
        return f"{size} B"
    exponent = math.floor(math.log(float(size)) / math.log(1000.0))
    value = math.floor(float(size) / math.pow(1000.0, exponent) * 10 + 0.5) / 10
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return f"{text} {_SIZES[exponent]}"
