"""Matching expected against actual: value equality, field-by-field mismatches, alignment.

Equality follows Kapacitor's own tests: numbers compare after a JSON round trip (10 == 10.0,
booleans are not numbers), ``tags``/``fields``/request ``body`` check only the keys written in
the test, ``data`` and httpOut content compare whole. Expected and actual lists are aligned in
order (a longest-common-subsequence over match quality), so one missing event reads as
"missing", not as every later event differing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from tickmini.testing.model import Expected

# Keys whose expected mapping lists only the entries to check (the actual may have more).
SUBSET_KEYS = frozenset({"tags", "fields", "body"})
# How much agreeing on a key says that two items are "the same one" when aligning lists.
_IDENTITY_WEIGHTS = {"time": 3.0, "level": 2.0, "id": 2.0, "kind": 2.0, "handler": 2.0}
# Two items that agree on nothing still pair (and show their differences) rather than being
# reported as one missing and one extra, unless a better pairing exists.
_FLOOR = 0.1


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One field that differs: its name (``tags.host`` for nested ones), expected, actual."""

    key: str
    expected: object
    actual: object
    missing: bool = False  # the actual has no such key at all


@dataclass(slots=True)
class Pairing:
    """One line of an alignment: a match, a pair that differs, a missing or unexpected item."""

    expected: Expected | None
    actual_index: int | None
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.expected is not None and self.actual_index is not None and not self.mismatches


def values_equal(expected: object, actual: object) -> bool:
    """Deep equality with JSON number semantics (int and float equal by value, bool apart)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if isinstance(expected, int) and isinstance(actual, int):
            return expected == actual
        return float(expected) == float(actual)
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        return expected.keys() == actual.keys() and all(
            values_equal(expected[k], actual[k]) for k in expected
        )
    if isinstance(expected, (list, tuple)) and isinstance(actual, (list, tuple)):
        return len(expected) == len(actual) and all(
            values_equal(e, a) for e, a in zip(expected, actual, strict=True)
        )
    return type(expected) is type(actual) and expected == actual


def first_difference(expected: object, actual: object, path: str = "") -> str | None:
    """Where two JSON-like values first differ (``series[0].values[1][2]: ...``), or None."""
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        for key in expected:
            if key not in actual:
                return f"{path}.{key}: missing in the actual value".lstrip(".")
            found = first_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        extra = [k for k in actual if k not in expected]
        return f"{path}.{extra[0]}: not expected".lstrip(".") if extra else None
    if isinstance(expected, (list, tuple)) and isinstance(actual, (list, tuple)):
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            found = first_difference(e, a, f"{path}[{i}]")
            if found:
                return found
        if len(expected) != len(actual):
            where = path.lstrip(".") or "list"
            return f"{where}: {len(expected)} items expected, {len(actual)} actual"
        return None
    if values_equal(expected, actual):
        return None
    return f"{path.lstrip('.') or 'value'}: expected {_json(expected)}, actual {_json(actual)}"


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def mismatches(expected: Mapping[str, object], actual: Mapping[str, object]) -> list[Mismatch]:
    """The keys of ``expected`` whose value differs in ``actual``."""
    out: list[Mismatch] = []
    for key, want in expected.items():
        if key not in actual:
            out.append(Mismatch(key, want, None, missing=True))
            continue
        got = actual[key]
        if key in SUBSET_KEYS and isinstance(want, Mapping) and isinstance(got, Mapping):
            for sub, sub_want in want.items():
                if sub not in got:
                    out.append(Mismatch(f"{key}.{sub}", sub_want, None, missing=True))
                elif not values_equal(sub_want, got[sub]):
                    out.append(Mismatch(f"{key}.{sub}", sub_want, got[sub]))
        elif not values_equal(want, got):
            out.append(Mismatch(key, want, got))
    return out


def align(
    expected: Sequence[Expected],
    actual: Sequence[Mapping[str, object]],
    diff: Callable[[Mapping[str, object], Mapping[str, object]], list[Mismatch]] = mismatches,
) -> list[Pairing]:
    """Order-preserving alignment maximising match quality (full matches count most).

    Agreeing on ``time``, ``level`` and ``id`` weighs most; items left over are reported as
    missing (expected) or unexpected (actual).
    """
    n, m = len(expected), len(actual)
    if n == m:  # the common case, a passing list: check the diagonal before anything costly
        diagonal = [diff(e.values, a) for e, a in zip(expected, actual, strict=True)]
        if not any(diagonal):
            return [Pairing(e, j) for j, e in enumerate(expected)]
    table = [[diff(e.values, a) for a in actual] for e in expected]

    def score(i: int, j: int) -> float:
        wrong = table[i][j]
        if not wrong:
            return 2.0
        weights = {k: _IDENTITY_WEIGHTS.get(k, 1.0) for k in expected[i].values}
        total = sum(weights.values())
        lost = sum(weights.get(m.key.split(".")[0], 1.0) for m in wrong if m.key in weights) + sum(
            0.5 for m in wrong if m.key not in weights
        )
        return max(total - lost, _FLOOR * total) / total

    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = score(i, j)
            options = [best[i + 1][j], best[i][j + 1]]
            if take > 0:
                options.append(take + best[i + 1][j + 1])
            best[i][j] = max(options)
    out: list[Pairing] = []
    i = j = 0
    while i < n and j < m:
        take = score(i, j)
        if take > 0 and best[i][j] == take + best[i + 1][j + 1]:
            out.append(Pairing(expected[i], j, table[i][j]))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            out.append(Pairing(expected[i], None))
            i += 1
        else:
            out.append(Pairing(None, j))
            j += 1
    out.extend(Pairing(expected[k], None) for k in range(i, n))
    out.extend(Pairing(None, k) for k in range(j, m))
    return out
