"""Go's ``path.Match`` globs, as Kapacitor matches task, topic and handler IDs.

``*`` is any run of characters except ``/``, ``?`` one such character, ``[a-z]`` / ``[^a-z]`` a
class, ``\\`` escapes. Unlike :mod:`fnmatch`, ``[!...]`` is not negation and a malformed pattern
is an error (Go's ``ErrBadPattern``), not a literal.
"""

from __future__ import annotations

import re

from tickmini.errors import UsageError

GLOB_CHARACTERS = frozenset("*?[\\")


def is_glob(pattern: str) -> bool:
    return any(ch in GLOB_CHARACTERS for ch in pattern)


def compile_glob(pattern: str) -> re.Pattern[str]:
    """The regular expression equivalent of a Go ``path.Match`` pattern."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\":
            if i + 1 >= n:
                raise _bad(pattern)
            i += 1
            out.append(re.escape(pattern[i]))
        elif ch == "[":
            i = _char_class(pattern, i + 1, out)
            continue
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _char_class(pattern: str, i: int, out: list[str]) -> int:
    n = len(pattern)
    negate = i < n and pattern[i] == "^"
    if negate:
        i += 1
    ranges: list[str] = []
    first = True
    while True:
        if i >= n:
            raise _bad(pattern)
        if pattern[i] == "]" and not first:
            i += 1
            break
        first = False
        low, i = _class_char(pattern, i)
        high = low
        if i < n and pattern[i] == "-":
            high, i = _class_char(pattern, i + 1)
            if high < low:
                raise _bad(pattern)
        ranges.append(re.escape(low) if low == high else f"{re.escape(low)}-{re.escape(high)}")
    body = "".join(ranges)
    out.append(f"(?![/])[^{body}]" if negate else f"[{body}]")
    return i


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    n = len(pattern)
    if i >= n or pattern[i] in "-]":
        raise _bad(pattern)
    if pattern[i] == "\\":
        if i + 1 >= n:
            raise _bad(pattern)
        return pattern[i + 1], i + 2
    return pattern[i], i + 1


def _bad(pattern: str) -> UsageError:
    return UsageError(f"syntax error in pattern {pattern!r}")


def matching(patterns: list[str], names: list[str]) -> list[str]:
    """The names any pattern matches, in the order of ``names``."""
    compiled = [compile_glob(p) for p in patterns]
    return [name for name in names if any(c.fullmatch(name) for c in compiled)]
