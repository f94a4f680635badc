"""promtool's expanding notation for synthetic input, adapted to line-protocol series.

``series: 'cpu,host=serverA usage_idle'`` names a measurement, its tags and one field;
``values: '95-5x3 _ 10'`` gives one sample per ``interval`` from the case start:

* ``a``        one sample (float; ``5i`` an integer, ``true``/``false`` a boolean,
  ``"text"`` a string)
* ``a+bxn``    n+1 samples a, a+b, ..., a+n*b (``a-bxn`` counts down; ``axn`` repeats a)
* ``_``        no sample at this step; ``_xn`` n steps without samples

Samples of several series entries with the same measurement and tags at the same time become
one point (their fields are merged), as InfluxDB would store them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tickmini.values import Point

_UNSIGNED = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER = r"[-+]?" + _UNSIGNED
_EXPAND = re.compile(
    rf"^(?P<start>{_NUMBER})(?P<int>i)?(?:(?P<op>[-+])(?P<step>{_UNSIGNED}))?x(?P<count>\d+)$"
)
_SINGLE = re.compile(rf"^(?P<value>{_NUMBER})(?P<int>i)?$")
_GAP = re.compile(r"^_(?:x(?P<count>\d+))?$")
_MAX_SAMPLES = 10_000_000

Sample = object  # float | int | bool | str, or None for "no sample at this step"


class NotationError(ValueError):
    """A token of the notation is wrong; ``token`` is what to point at."""

    def __init__(self, message: str, token: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.token = token
        self.hint = hint


@dataclass(frozen=True, slots=True)
class SeriesKey:
    """Measurement, tags (sorted by key as InfluxDB keeps them) and the one field name."""

    measurement: str
    tags: tuple[tuple[str, str], ...]
    field: str


def expand_values(text: str) -> list[Sample]:
    """The samples ``text`` stands for, in order (None = no sample at that step)."""
    samples: list[Sample] = []
    for token in text.split():
        samples.extend(_expand_token(token))
        if len(samples) > _MAX_SAMPLES:
            raise NotationError(f"more than {_MAX_SAMPLES} samples", token)
    return samples


def _expand_token(token: str) -> list[Sample]:
    gap = _GAP.match(token)
    if gap:
        return [None] * int(gap.group("count") or 1)
    single = _SINGLE.match(token)
    if single:
        if single.group("int"):
            return [_integer(single.group("value"), token)]
        return [float(single.group("value"))]
    expand = _EXPAND.match(token)
    if expand:
        count = int(expand.group("count"))
        if count > _MAX_SAMPLES:
            raise NotationError(f"more than {_MAX_SAMPLES} samples", token)
        sign = -1 if expand.group("op") == "-" else 1
        if expand.group("int"):
            start = _integer(expand.group("start"), token)
            step = sign * _integer(expand.group("step") or "0", token)
            return [start + k * step for k in range(count + 1)]
        start_f = float(expand.group("start"))
        step_f = sign * float(expand.group("step") or "0")
        return [start_f + k * step_f for k in range(count + 1)]
    if token in ("true", "false"):
        return [token == "true"]
    if len(token) >= 2 and token[0] == token[-1] == '"':
        return [token[1:-1]]
    if token == "stale":
        raise NotationError(
            "Kapacitor streams have no staleness markers",
            token,
            hint="use _ for a step without a sample",
        )
    raise NotationError(
        f"cannot read {token!r}",
        token,
        hint='write a number (95, 5i, -2.5), a+bxn, a-bxn, axn, _ or _xn, true/false, "text"',
    )


def _integer(text: str, token: str) -> int:
    if not re.fullmatch(r"[-+]?\d+", text):
        raise NotationError(f"{text!r} is not an integer (the i suffix asks for one)", token)
    value = int(text)
    if not -(2**63) <= value < 2**63:
        raise NotationError("integer out of the int64 range", token)
    return value


def parse_series_key(text: str) -> SeriesKey:
    """``cpu,host=serverA usage_idle`` with line-protocol escaping (``\\,`` ``\\=`` ``\\ ``)."""
    parts = _split_unescaped(text.strip(), " ")
    if len(parts) != 2 or not parts[1]:
        raise NotationError(
            "a series is a measurement with its tags, a space, then one field name",
            text,
            hint="for example 'cpu,host=serverA usage_idle'",
        )
    head, field = parts
    pieces = _split_unescaped(head, ",")
    measurement = _unescape(pieces[0])
    if not measurement:
        raise NotationError("the measurement name is empty", text)
    tags: dict[str, str] = {}
    for piece in pieces[1:]:
        kv = _split_unescaped(piece, "=")
        if len(kv) != 2 or not kv[0] or not kv[1]:
            raise NotationError(f"tag {piece!r} is not key=value", text)
        tags[_unescape(kv[0])] = _unescape(kv[1])
    return SeriesKey(measurement, tuple(sorted(tags.items())), _unescape(field))


def _split_unescaped(text: str, sep: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            out.append("".join(current))
            current = []
            if sep == " ":
                out.append(text[i + 1 :])
                return out
        else:
            current.append(ch)
        i += 1
    out.append("".join(current))
    return out


def _unescape(text: str) -> str:
    return re.sub(r"\\([,= \\])", r"\1", text)


def build_points(
    series: Iterable[tuple[SeriesKey, list[Sample]]],
    start: int,
    interval: int,
    database: str,
    retention_policy: str,
) -> list[Point]:
    """Points from expanded series: time order, and at equal times the order series appear in."""
    merged: dict[tuple[int, tuple[str, tuple[tuple[str, str], ...]]], Point] = {}
    order: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
    for key, samples in series:
        ident = (key.measurement, key.tags)
        order.setdefault(ident, len(order))
        for step, value in enumerate(samples):
            if value is None:
                continue
            time = start + step * interval
            point = merged.get((time, ident))
            if point is None:
                point = Point(
                    name=key.measurement,
                    tags=dict(key.tags),
                    fields={},
                    time=time,
                    database=database,
                    retention_policy=retention_policy,
                )
                merged[(time, ident)] = point
            point.fields[key.field] = value
    return [merged[k] for k in sorted(merged, key=lambda k: (k[0], order[k[1]]))]
