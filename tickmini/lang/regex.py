"""Go ``regexp`` on top of RE2: compilation, and ``ReplaceAllString`` with Go's template expansion.

RE2 (google-re2) has Go's syntax and its linear-time matching, so a script's regex can never
backtrack catastrophically on data. What RE2's Python binding does differently from Go is
replacement: Go expands ``$1``, ``${1}``, ``${name}`` and ``$$`` (``$1x`` names the group ``1x``)
and skips an empty match that abuts the previous match; both are reproduced here.
"""

from __future__ import annotations

from collections.abc import Callable

import re2

from tickmini.gocompat.gostrings import utf8
from tickmini.lang.types import REGEX_CLASS

try:  # the binding's C++ object: a match test without building Match objects (~5x faster)
    from re2 import _re2
except ImportError:  # pragma: no cover - a google-re2 without it: use the public API
    _re2 = None

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False
_TEST_OPTIONS = re2.Options()
_TEST_OPTIONS.log_errors = False
_TEST_OPTIONS.never_capture = True
_NO_MATCH = (-1, -1)
_CACHE_LIMIT = 4096


class RegexSyntaxError(ValueError):
    """The pattern is not valid RE2/Go syntax (the message is RE2's)."""


def compile_regex(pattern: str) -> REGEX_CLASS:  # type: ignore[valid-type]
    """Compile ``pattern`` with Go's (RE2's) syntax or raise :class:`RegexSyntaxError`."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else str(exc)
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise RegexSyntaxError(str(detail)) from None


class Matcher:
    """``=~`` for one regex literal: RE2 search, with the answers for recent strings memoised.

    The RE2 binding costs microseconds per call; tag values and string fields repeat, so a
    bounded dictionary of past answers makes the common case a dictionary lookup. Matching is a
    pure function of the string, so the memo is safe to share.
    """

    __slots__ = ("_found", "cache")

    def __init__(self, pattern: str) -> None:
        self.cache: dict[str, bool] = {}
        self._found = self._low_level(pattern) if _re2 is not None else self._public(pattern)

    @staticmethod
    def _low_level(pattern: str) -> Callable[[str], bool]:
        regexp = _re2.RE2(utf8(pattern), _TEST_OPTIONS)
        unanchored = _re2.RE2.Anchor.UNANCHORED

        def found(text: str) -> bool:
            data = utf8(text)
            return regexp.Match(unanchored, data, 0, len(data))[0] != _NO_MATCH

        return found

    @staticmethod
    def _public(pattern: str) -> Callable[[str], bool]:
        regexp = re2.compile(pattern, _TEST_OPTIONS)
        return lambda text: regexp.search(text) is not None

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in ``text`` (and remember the answer)."""
        found = self._found(text)
        if len(self.cache) >= _CACHE_LIMIT:
            self.cache.clear()
        self.cache[text] = found
        return found


def _is_name_char(ch: str) -> bool:
    return ch == "_" or ch.isalpha() or ch.isdigit()


def _parse_template(template: str) -> list[str | int | tuple[str]]:
    """Split a Go replacement template into literal text, group numbers and ``(name,)`` groups."""
    parts: list[str | int | tuple[str]] = []
    literal: list[str] = []
    i, n = 0, len(template)
    while i < n:
        ch = template[i]
        if ch != "$":
            literal.append(ch)
            i += 1
            continue
        if i + 1 < n and template[i + 1] == "$":
            literal.append("$")
            i += 2
            continue
        name, end = _extract_name(template, i + 1)
        if name is None:
            literal.append("$")  # malformed: Go keeps the "$" as text
            i += 1
            continue
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(int(name) if name.isdecimal() and name.isascii() else (name,))
        i = end
    if literal:
        parts.append("".join(literal))
    return parts


def _extract_name(template: str, start: int) -> tuple[str | None, int]:
    n = len(template)
    if start >= n:
        return None, start
    if template[start] == "{":
        end = template.find("}", start + 1)
        if end < 0:
            return None, start
        name = template[start + 1 : end]
        if not name or not all(_is_name_char(c) for c in name):
            return None, start
        return name, end + 1
    end = start
    while end < n and _is_name_char(template[end]):
        end += 1
    if end == start:
        return None, start
    return template[start:end], end


def replace_all(pattern: REGEX_CLASS, src: str, template: str) -> str:  # type: ignore[valid-type]
    """Go ``(*Regexp).ReplaceAllString(src, template)``."""
    parts = _parse_template(template)
    names = pattern.groupindex
    out: list[str] = []
    last_end = 0
    search_pos = 0
    n = len(src)
    while search_pos <= n:
        match = pattern.search(src, search_pos)
        if match is None:
            break
        start, end = match.span()
        out.append(src[last_end:start])
        if end > last_end or start == 0:
            for part in parts:
                if isinstance(part, str):
                    out.append(part)
                    continue
                index = part if isinstance(part, int) else names.get(part[0], -1)
                if 0 <= index <= pattern.groups:
                    text = match.group(index)
                    if text is not None:
                        out.append(text)
        last_end = end
        search_pos = search_pos + 1 if search_pos + 1 > end else end
    out.append(src[last_end:])
    return "".join(out)
