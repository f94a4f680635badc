"""HTML contexts and how template text moves between them (Go ``html/template`` ``context.go``,
``transition.go``).

A :class:`Context` is where the output stands in an HTML document: text, inside a tag, an
attribute name or value (quoted or not, of which type), a URL part, JavaScript or CSS state. The
transition functions consume template text and return the next context, exactly as Go's do.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field, replace


class EscapeError(Exception):
    """The template cannot be escaped (Go reports this when it first executes)."""


# --- context -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    state: str = "stateText"
    delim: str = "delimNone"
    url_part: str = "urlPartNone"
    js_ctx: str = "jsCtxRegexp"
    attr: str = "attrNone"
    element: str = "elementNone"
    err: str | None = None
    err_at: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        err = "<nil>" if self.err is None else self.err
        return (
            f"{{{self.state} {self.delim} {self.url_part} {self.js_ctx} {self.attr} "
            f"{self.element} {err}}}"
        )


ERROR_STATE = "stateError"
DEAD_STATE = "stateDead"


def error_context(message: str) -> Context:
    return Context(state=ERROR_STATE, err=message)


_ELEMENT_CONTENT = {
    "elementNone": "stateText",
    "elementScript": "stateJS",
    "elementStyle": "stateCSS",
    "elementTextarea": "stateRCDATA",
    "elementTitle": "stateRCDATA",
}
_ELEMENT_NAMES = {
    "script": "elementScript",
    "style": "elementStyle",
    "textarea": "elementTextarea",
    "title": "elementTitle",
}
_SPECIAL_END = {
    "elementScript": "script",
    "elementStyle": "style",
    "elementTextarea": "textarea",
    "elementTitle": "title",
}
_ATTR_START = {
    "attrNone": "stateAttr",
    "attrScript": "stateJS",
    "attrScriptType": "stateAttr",
    "attrStyle": "stateCSS",
    "attrURL": "stateURL",
    "attrSrcset": "stateSrcset",
}
_URL_ATTRS = frozenset(
    [
        "action",
        "archive",
        "background",
        "cite",
        "classid",
        "codebase",
        "data",
        "formaction",
        "href",
        "icon",
        "longdesc",
        "manifest",
        "poster",
        "profile",
        "src",
        "usemap",
        "xmlns",
    ]
)
COMMENT_STATES = frozenset(
    {"stateHTMLCmt", "stateJSBlockCmt", "stateJSLineCmt", "stateCSSBlockCmt", "stateCSSLineCmt"}
)
_DELIM_ENDS = {"delimDoubleQuote": '"', "delimSingleQuote": "'", "delimSpaceOrTagEnd": " \t\n\f\r>"}
_SPACE = " \t\n\f\r"


def attr_type(name: str) -> str:
    """Go ``attrType``: the content type of an attribute value."""
    if name.startswith("data-"):
        name = name[5:]
    elif ":" in name:
        prefix, _, short = name.partition(":")
        if prefix == "xmlns":
            return "url"
        name = short
    if name in _URL_ATTRS:
        return "url"
    if name == "style":
        return "css"
    if name == "srcset":
        return "srcset"
    if name.startswith("on"):
        return "js"
    if "src" in name or "uri" in name or "url" in name:
        return "url"
    return "plain"


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _eat_tag_name(s: str, i: int) -> tuple[int, str]:
    if i == len(s) or not (s[i].isascii() and s[i].isalpha()):
        return i, "elementNone"
    j = i + 1
    while j < len(s):
        x = s[j]
        if _ascii_alnum(x):
            j += 1
            continue
        if x in ":-" and j + 1 < len(s) and _ascii_alnum(s[j + 1]):
            j += 2
            continue
        break
    return j, _ELEMENT_NAMES.get(s[i:j].lower(), "elementNone")


def _eat_white(s: str, i: int) -> int:
    while i < len(s) and s[i] in _SPACE:
        i += 1
    return i


def _eat_attr_name(s: str, i: int) -> int:
    for j in range(i, len(s)):
        ch = s[j]
        if ch in " \t\n\f\r=>":
            return j
        if ch in "'\"<":
            raise EscapeError(f"{go_quote(ch)} in attribute name: {go_quote(s[:32])}")
    return len(s)


def go_quote(text: str) -> str:
    from tickmini.gocompat.gofmt import quote_go

    return quote_go(text)


# --- transitions -----------------------------------------------------------------------


def _t_text(c: Context, s: str) -> tuple[Context, int]:
    k = 0
    while True:
        i = s.find("<", k)
        if i < 0 or i + 1 == len(s):
            return c, len(s)
        if s.startswith("<!--", i):
            return Context(state="stateHTMLCmt"), i + 4
        i += 1
        end = False
        if s[i] == "/":
            if i + 1 == len(s):
                return c, len(s)
            end, i = True, i + 1
        j, element = _eat_tag_name(s, i)
        if j != i:
            return Context(state="stateTag", element="elementNone" if end else element), j
        k = j


def _t_tag(c: Context, s: str) -> tuple[Context, int]:
    i = _eat_white(s, 0)
    if i == len(s):
        return c, len(s)
    if s[i] == ">":
        return Context(state=_ELEMENT_CONTENT[c.element], element=c.element), i + 1
    try:
        j = _eat_attr_name(s, i)
    except EscapeError as err:
        return error_context(str(err)), len(s)
    if i == j:
        return error_context(
            f"expected space, attr name, or end of tag, but got {go_quote(s[i:])}"
        ), len(s)
    name = s[i:j].lower()
    attr = "attrNone"
    if c.element == "elementScript" and name == "type":
        attr = "attrScriptType"
    else:
        attr = {
            "url": "attrURL",
            "css": "attrStyle",
            "js": "attrScript",
            "srcset": "attrSrcset",
        }.get(attr_type(name), "attrNone")
    state = "stateAttrName" if j == len(s) else "stateAfterName"
    return Context(state=state, element=c.element, attr=attr), j


def _t_attr_name(c: Context, s: str) -> tuple[Context, int]:
    try:
        i = _eat_attr_name(s, 0)
    except EscapeError as err:
        return error_context(str(err)), len(s)
    if i != len(s):
        c = replace(c, state="stateAfterName")
    return c, i


def _t_after_name(c: Context, s: str) -> tuple[Context, int]:
    i = _eat_white(s, 0)
    if i == len(s):
        return c, len(s)
    if s[i] != "=":
        return replace(c, state="stateTag"), i
    return replace(c, state="stateBeforeValue"), i + 1


def _t_before_value(c: Context, s: str) -> tuple[Context, int]:
    i = _eat_white(s, 0)
    if i == len(s):
        return c, len(s)
    delim = "delimSpaceOrTagEnd"
    if s[i] == "'":
        delim, i = "delimSingleQuote", i + 1
    elif s[i] == '"':
        delim, i = "delimDoubleQuote", i + 1
    return replace(c, state=_ATTR_START[c.attr], delim=delim), i


def _t_html_cmt(c: Context, s: str) -> tuple[Context, int]:
    i = s.find("-->")
    if i >= 0:
        return Context(), i + 3
    return c, len(s)


def _t_attr(c: Context, s: str) -> tuple[Context, int]:
    return c, len(s)


def _t_url(c: Context, s: str) -> tuple[Context, int]:
    if "#" in s or "?" in s:
        c = replace(c, url_part="urlPartQueryOrFrag")
    elif len(s) != _eat_white(s, 0) and c.url_part == "urlPartNone":
        c = replace(c, url_part="urlPartPreQuery")
    return c, len(s)


_REGEXP_PRECEDERS = frozenset(
    [
        "break",
        "case",
        "continue",
        "delete",
        "do",
        "else",
        "finally",
        "in",
        "instanceof",
        "return",
        "throw",
        "try",
        "typeof",
        "void",
    ]
)


def is_js_ident_part(ch: str) -> bool:
    return ch == "$" or ch == "_" or _ascii_alnum(ch)


def _next_js_ctx(s: str, preceding: str) -> str:
    s = s.rstrip("\t\n\f\r \u2028\u2029")
    if not s:
        return preceding
    c = s[-1]
    n = len(s)
    if c in "+-":
        start = n - 1
        while start > 0 and s[start - 1] == c:
            start -= 1
        return "jsCtxRegexp" if (n - start) % 2 == 1 else "jsCtxDivOp"
    if c == ".":
        if n != 1 and "0" <= s[n - 2] <= "9":
            return "jsCtxDivOp"
        return "jsCtxRegexp"
    if c in ",<>=*%&|^?!~([:;{}":
        return "jsCtxRegexp"
    j = n
    while j > 0 and is_js_ident_part(s[j - 1]):
        j -= 1
    if s[j:] in _REGEXP_PRECEDERS:
        return "jsCtxRegexp"
    return "jsCtxDivOp"


def _t_js(c: Context, s: str) -> tuple[Context, int]:
    match = re.search("[\"'`/]", s)
    if match is None:
        return replace(c, js_ctx=_next_js_ctx(s, c.js_ctx)), len(s)
    i = match.start()
    c = replace(c, js_ctx=_next_js_ctx(s[:i], c.js_ctx))
    ch = s[i]
    if ch == '"':
        c = replace(c, state="stateJSDqStr", js_ctx="jsCtxRegexp")
    elif ch == "'":
        c = replace(c, state="stateJSSqStr", js_ctx="jsCtxRegexp")
    elif ch == "`":
        c = replace(c, state="stateJSBqStr", js_ctx="jsCtxRegexp")
    elif i + 1 < len(s) and s[i + 1] == "/":
        c, i = replace(c, state="stateJSLineCmt"), i + 1
    elif i + 1 < len(s) and s[i + 1] == "*":
        c, i = replace(c, state="stateJSBlockCmt"), i + 1
    elif c.js_ctx == "jsCtxRegexp":
        c = replace(c, state="stateJSRegexp")
    elif c.js_ctx == "jsCtxDivOp":
        c = replace(c, js_ctx="jsCtxRegexp")
    else:
        return error_context(
            f"'/' could start a division or regexp: {go_quote(s[i : i + 32])}"
        ), len(s)
    return c, i + 1


def _t_js_delimited(c: Context, s: str) -> tuple[Context, int]:
    specials = {"stateJSSqStr": "\\'", "stateJSRegexp": "\\/[]", "stateJSBqStr": "\\`"}.get(
        c.state, '\\"'
    )
    k = 0
    in_charset = False
    while True:
        i = next((p for p in range(k, len(s)) if s[p] in specials), -1)
        if i < 0:
            break
        ch = s[i]
        if ch == "\\":
            i += 1
            if i == len(s):
                return error_context(
                    f"unfinished escape sequence in JS string: {go_quote(s)}"
                ), len(s)
        elif ch == "[":
            in_charset = True
        elif ch == "]":
            in_charset = False
        elif not in_charset:
            return replace(c, state="stateJS", js_ctx="jsCtxDivOp"), i + 1
        k = i + 1
    if in_charset:
        return error_context(f"unfinished JS regexp charset: {go_quote(s)}"), len(s)
    return c, len(s)


def _t_block_cmt(c: Context, s: str) -> tuple[Context, int]:
    i = s.find("*/")
    if i < 0:
        return c, len(s)
    return replace(c, state="stateJS" if c.state == "stateJSBlockCmt" else "stateCSS"), i + 2


def _t_line_cmt(c: Context, s: str) -> tuple[Context, int]:
    if c.state == "stateJSLineCmt":
        terminators, end_state = "\n\r\u2028\u2029", "stateJS"
    else:
        terminators, end_state = "\n\f\r", "stateCSS"
    i = next((p for p, ch in enumerate(s) if ch in terminators), -1)
    if i < 0:
        return c, len(s)
    return replace(c, state=end_state), i


def _t_css(c: Context, s: str) -> tuple[Context, int]:
    k = 0
    while True:
        i = next((p for p in range(k, len(s)) if s[p] in "(\"'/"), -1)
        if i < 0:
            return c, len(s)
        ch = s[i]
        if ch == "(":
            before = s[:i].rstrip("\t\n\f\r ")
            if before.lower().endswith("url"):
                j = len(s) - len(s[i + 1 :].lstrip("\t\n\f\r "))
                if j != len(s) and s[j] == '"':
                    return replace(c, state="stateCSSDqURL"), j + 1
                if j != len(s) and s[j] == "'":
                    return replace(c, state="stateCSSSqURL"), j + 1
                return replace(c, state="stateCSSURL"), j
        elif ch == "/" and i + 1 < len(s) and s[i + 1] in "/*":
            return replace(
                c, state="stateCSSLineCmt" if s[i + 1] == "/" else "stateCSSBlockCmt"
            ), i + 2
        elif ch == '"':
            return replace(c, state="stateCSSDqStr"), i + 1
        elif ch == "'":
            return replace(c, state="stateCSSSqStr"), i + 1
        k = i + 1


def _t_css_str(c: Context, s: str) -> tuple[Context, int]:
    if c.state in ("stateCSSDqStr", "stateCSSDqURL"):
        end_and_esc = '\\"'
    elif c.state in ("stateCSSSqStr", "stateCSSSqURL"):
        end_and_esc = "\\'"
    else:
        end_and_esc = "\\\t\n\f\r )"
    k = 0
    while True:
        i = next((p for p in range(k, len(s)) if s[p] in end_and_esc), -1)
        if i < 0:
            c2, nread = _t_url(c, s[k:])
            return c2, k + nread
        if s[i] == "\\":
            i += 1
            if i == len(s):
                return error_context(
                    f"unfinished escape sequence in CSS string: {go_quote(s)}"
                ), len(s)
        else:
            return replace(c, state="stateCSS"), i + 1
        c, _ = _t_url(c, s[: i + 1])
        k = i + 1


def _t_error(c: Context, s: str) -> tuple[Context, int]:
    return c, len(s)


_TRANSITIONS = {
    "stateText": _t_text,
    "stateTag": _t_tag,
    "stateAttrName": _t_attr_name,
    "stateAfterName": _t_after_name,
    "stateBeforeValue": _t_before_value,
    "stateHTMLCmt": _t_html_cmt,
    "stateRCDATA": _t_attr,
    "stateAttr": _t_attr,
    "stateURL": _t_url,
    "stateSrcset": _t_url,
    "stateJS": _t_js,
    "stateJSDqStr": _t_js_delimited,
    "stateJSSqStr": _t_js_delimited,
    "stateJSBqStr": _t_js_delimited,
    "stateJSRegexp": _t_js_delimited,
    "stateJSBlockCmt": _t_block_cmt,
    "stateJSLineCmt": _t_line_cmt,
    "stateCSS": _t_css,
    "stateCSSDqStr": _t_css_str,
    "stateCSSSqStr": _t_css_str,
    "stateCSSDqURL": _t_css_str,
    "stateCSSSqURL": _t_css_str,
    "stateCSSURL": _t_css_str,
    "stateCSSBlockCmt": _t_block_cmt,
    "stateCSSLineCmt": _t_line_cmt,
    "stateError": _t_error,
    DEAD_STATE: _t_error,
}

_JS_LITERAL_STATES = frozenset({"stateJSDqStr", "stateJSSqStr", "stateJSBqStr", "stateJSRegexp"})


def _index_tag_end(s: str, tag: str) -> int:
    """Index of ``</tag`` (case-insensitive) followed by a tag-name terminator, or -1."""
    lower = s.lower()
    start = 0
    while True:
        i = lower.find("</" + tag, start)
        if i < 0:
            return -1
        end = i + 2 + len(tag)
        if end == len(s) or s[end] in " \t\n\f\r/>":
            return i
        start = end


def _t_special_tag_end(c: Context, s: str) -> tuple[Context, int]:
    if c.element != "elementNone":
        if c.element == "elementScript" and (
            c.state in _JS_LITERAL_STATES or c.state in COMMENT_STATES
        ):
            return c, len(s)
        i = _index_tag_end(s, _SPECIAL_END[c.element])
        if i != -1:
            return Context(), i
    return c, len(s)


def context_after_text(c: Context, s: str) -> tuple[Context, int]:
    if c.delim == "delimNone":
        c1, i = _t_special_tag_end(c, s)
        if i == 0:
            return c1, 0
        return _TRANSITIONS[c.state](c, s[:i])
    ends = _DELIM_ENDS[c.delim]
    i = next((p for p, ch in enumerate(s) if ch in ends), len(s))
    if c.delim == "delimSpaceOrTagEnd":
        bad = next((p for p in range(i) if s[p] in "\"'<=`"), -1)
        if bad >= 0:
            return error_context(f"{go_quote(s[bad])} in unquoted attr: {go_quote(s[:i])}"), len(s)
    if i == len(s):
        decoded = _html.unescape(s)
        while decoded:
            c1, i1 = _TRANSITIONS[c.state](c, decoded)
            c, decoded = c1, decoded[i1:]
        return c, len(s)
    element = c.element
    if (
        c.state == "stateAttr"
        and c.element == "elementScript"
        and c.attr == "attrScriptType"
        and not _is_js_type(s[:i])
    ):
        element = "elementNone"
    if c.delim != "delimSpaceOrTagEnd":
        i += 1
    return Context(state="stateTag", element=element), i


def _is_js_type(mime: str) -> bool:
    mime = mime.split(";", 1)[0].strip().lower()
    return mime in {
        "application/ecmascript",
        "application/javascript",
        "application/json",
        "application/ld+json",
        "application/x-ecmascript",
        "application/x-javascript",
        "module",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }


def nudge(c: Context) -> Context:
    if c.state == "stateTag":
        return replace(c, state="stateAttrName")
    if c.state == "stateBeforeValue":
        return replace(c, state=_ATTR_START[c.attr], delim="delimSpaceOrTagEnd", attr="attrNone")
    if c.state == "stateAfterName":
        return replace(c, state="stateAttrName", attr="attrNone")
    return c


def join(a: Context, b: Context, node_name: str, at: int | None = None) -> Context:
    if a.state == ERROR_STATE:
        return a
    if b.state == ERROR_STATE:
        return b
    if a.state == DEAD_STATE:
        return b
    if b.state == DEAD_STATE:
        return a
    if a == b:
        return a
    if replace(a, url_part=b.url_part) == b:
        return replace(a, url_part="urlPartUnknown")
    if replace(a, js_ctx=b.js_ctx) == b:
        return replace(a, js_ctx="jsCtxUnknown")
    na, nb = nudge(a), nudge(b)
    if not (na == a and nb == b):
        joined = join(na, nb, node_name, at)
        if joined.state != ERROR_STATE:
            return joined
    failed = error_context(f"{{{{{node_name}}}}} branches end in different contexts: {a}, {b}")
    return replace(failed, err_at=at)
