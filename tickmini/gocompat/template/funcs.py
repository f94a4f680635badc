"""Template functions: Go's builtins and the signature each one is called with.

A function is plain data (:class:`GoFunc`): its name, how many fixed parameters it takes,
whether it is variadic, which parameters must be strings, and the Python callable. The
executor checks argument counts and types exactly where Go's reflection would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote_plus

from tickmini.gocompat.gofmt import sprint, sprintf, sprintln
from tickmini.gocompat.template.values import (
    ExecFailure,
    go_call,
    go_eq,
    go_ge,
    go_gt,
    go_index,
    go_le,
    go_len,
    go_lt,
    go_ne,
    go_not,
    go_slice,
)


@dataclass(frozen=True, slots=True)
class GoFunc:
    """A function callable from a template (``FuncMap`` entry or builtin)."""

    name: str
    fixed: int
    variadic: bool
    fn: Callable[..., object]
    string_params: tuple[int, ...] = ()


def eval_args(args: tuple[object, ...]) -> str:
    """text/template ``evalArgs``: one string as is, otherwise ``fmt.Sprint`` (nil → <no value>)."""
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(*("<no value>" if a is None else a for a in args))


_HTML_ESCAPES = {
    '"': "&#34;",
    "'": "&#39;",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\x00": "\ufffd",
}


def html_escape_string(text: str) -> str:
    """Go ``template.HTMLEscapeString``."""
    if not any(ch in text for ch in _HTML_ESCAPES):
        return text
    return "".join(_HTML_ESCAPES.get(ch, ch) for ch in text)


_JS_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "=": "\\u003D",
}


def js_escape_string(text: str) -> str:
    """Go ``template.JSEscapeString``."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in _JS_ESCAPES:
            out.append(_JS_ESCAPES[ch])
        elif code < 0x20:
            out.append(f"\\u00{code:02X}")
        elif code < 0x80 or ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\u{code:04X}")
    return "".join(out)


def query_escape(text: str) -> str:
    """Go ``url.QueryEscape``."""
    return quote_plus(text.encode("utf-8", "surrogateescape"), safe="")


def _and_or(*args: object) -> object:  # evaluated lazily by the executor
    raise ExecFailure("and/or are evaluated by the executor")


BUILTINS: Mapping[str, GoFunc] = {
    f.name: f
    for f in (
        GoFunc("and", 1, True, _and_or),
        GoFunc("or", 1, True, _and_or),
        GoFunc("call", 1, True, go_call),
        GoFunc("html", 0, True, lambda *a: html_escape_string(eval_args(a))),
        GoFunc("js", 0, True, lambda *a: js_escape_string(eval_args(a))),
        GoFunc("urlquery", 0, True, lambda *a: query_escape(eval_args(a))),
        GoFunc("index", 1, True, go_index),
        GoFunc("slice", 1, True, go_slice),
        GoFunc("len", 1, False, go_len),
        GoFunc("not", 1, False, go_not),
        GoFunc("print", 0, True, sprint),
        GoFunc("println", 0, True, sprintln),
        GoFunc("printf", 1, True, lambda f, *a: sprintf(f, a), string_params=(0,)),
        GoFunc("eq", 1, True, go_eq),
        GoFunc("ne", 2, False, go_ne),
        GoFunc("lt", 2, False, go_lt),
        GoFunc("le", 2, False, go_le),
        GoFunc("gt", 2, False, go_gt),
        GoFunc("ge", 2, False, go_ge),
    )
}

__all__ = [
    "BUILTINS",
    "GoFunc",
    "eval_args",
    "html_escape_string",
    "js_escape_string",
    "query_escape",
]
