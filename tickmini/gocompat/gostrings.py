"""Go ``strings`` behaviour on Python text: Go strings are bytes, so offsets count UTF-8 bytes,
``TrimSpace`` uses Go's (Unicode) white space and case mapping never grows a character.

Lone surrogates (invalid UTF-8 that reached us as text) keep their bytes through
``surrogateescape``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

# unicode.IsSpace: the characters strings.TrimSpace (and Kapacitor's comment trimming) strip.
GO_SPACE: Final = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def utf8(text: str) -> bytes:
    """The bytes of a Go string holding ``text``."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def from_utf8(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def byte_offset(text: str, char_index: int) -> int:
    if char_index < 0:
        return -1
    return len(utf8(text[:char_index]))


def index_any(text: str, chars: str) -> int:
    """``strings.IndexAny`` (a byte offset)."""
    for i, ch in enumerate(text):
        if ch in chars:
            return byte_offset(text, i)
    return -1


def last_index_any(text: str, chars: str) -> int:
    """``strings.LastIndexAny`` (a byte offset)."""
    for i in range(len(text) - 1, -1, -1):
        if text[i] in chars:
            return byte_offset(text, i)
    return -1


def trim_space(text: str) -> str:
    """``strings.TrimSpace``."""
    return text.strip(GO_SPACE)


def _simple_case(text: str, convert: Callable[[str], str]) -> str:
    # Go maps rune by rune (unicode.ToUpper/ToLower); Python's full mappings can grow a
    # character into several (ß -> SS), which Go never does.
    if text.isascii():
        return convert(text)
    out = []
    for ch in text:
        mapped = convert(ch)
        out.append(mapped if len(mapped) == 1 else ch)
    return "".join(out)


def to_upper(text: str) -> str:
    """``strings.ToUpper``."""
    return _simple_case(text, str.upper)


def to_lower(text: str) -> str:
    """``strings.ToLower``."""
    return _simple_case(text, str.lower)
