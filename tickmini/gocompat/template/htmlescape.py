"""Go ``html/template`` contextual autoescaping (``escape.go``, ``transition.go``, ``context.go``).

Before a details template is compiled, the parse tree is walked with an HTML context (text, tag,
attribute name/value, URL, JS, CSS, RCDATA, comment ...). Each ``{{action}}`` gets the escaper
commands for its context appended to its pipeline, as Go does; template text is rewritten where
Go rewrites it (HTML comments dropped, a stray ``<`` in text becomes ``&lt;``). Escaping errors
are reported as Go reports them (``html/template:details: ends in a non-text context: {...}``).

Supported with Go's exact rules: text, RCDATA, tags, attribute names, quoted and unquoted values,
URL attributes (filter, normaliser, query escaper), ``on*`` JS attributes and ``<script>``
(value, string and regexp escapers), ``style``/``<style>`` CSS. Not supported: ``{{template}}``
calls outside the HTML text context.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field, replace

from tickmini.gocompat.gofmt import sprint
from tickmini.gocompat.jsonenc import JSONEncodeError, encode
from tickmini.gocompat.numbers import UnsupportedFloatError
from tickmini.gocompat.template.funcs import GoFunc, eval_args
from tickmini.gocompat.template.nodes import (
    ActionNode,
    BranchNode,
    BreakNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    IdentifierNode,
    ListNode,
    Node,
    PipeNode,
    TemplateNode,
    TextNode,
)
from tickmini.values import Duration


class JSContent(str):
    """A string of Go type ``html/template.JS`` (what Kapacitor's ``json`` returns)."""

    __slots__ = ()


class EscapeError(Exception):
    """The template cannot be escaped (Go reports this when it first executes)."""


FILTER_FAILSAFE = "ZgotmplZ"

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


_ERROR_STATE = "stateError"
_DEAD = "stateDead"


def _error(message: str) -> Context:
    return Context(state=_ERROR_STATE, err=message)


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
_COMMENT_STATES = frozenset(
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
            raise EscapeError(f"{_goq(ch)} in attribute name: {_goq(s[:32])}")
    return len(s)


def _goq(text: str) -> str:
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
        return _error(str(err)), len(s)
    if i == j:
        return _error(f"expected space, attr name, or end of tag, but got {_goq(s[i:])}"), len(s)
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
        return _error(str(err)), len(s)
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


def _is_js_ident_part(ch: str) -> bool:
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
    while j > 0 and _is_js_ident_part(s[j - 1]):
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
        return _error(f"'/' could start a division or regexp: {_goq(s[i : i + 32])}"), len(s)
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
                return _error(f"unfinished escape sequence in JS string: {_goq(s)}"), len(s)
        elif ch == "[":
            in_charset = True
        elif ch == "]":
            in_charset = False
        elif not in_charset:
            return replace(c, state="stateJS", js_ctx="jsCtxDivOp"), i + 1
        k = i + 1
    if in_charset:
        return _error(f"unfinished JS regexp charset: {_goq(s)}"), len(s)
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
                return _error(f"unfinished escape sequence in CSS string: {_goq(s)}"), len(s)
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
    _DEAD: _t_error,
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
            c.state in _JS_LITERAL_STATES or c.state in _COMMENT_STATES
        ):
            return c, len(s)
        i = _index_tag_end(s, _SPECIAL_END[c.element])
        if i != -1:
            return Context(), i
    return c, len(s)


def _context_after_text(c: Context, s: str) -> tuple[Context, int]:
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
            return _error(f"{_goq(s[bad])} in unquoted attr: {_goq(s[:i])}"), len(s)
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


def _nudge(c: Context) -> Context:
    if c.state == "stateTag":
        return replace(c, state="stateAttrName")
    if c.state == "stateBeforeValue":
        return replace(c, state=_ATTR_START[c.attr], delim="delimSpaceOrTagEnd", attr="attrNone")
    if c.state == "stateAfterName":
        return replace(c, state="stateAttrName", attr="attrNone")
    return c


def _join(a: Context, b: Context, node_name: str, at: int | None = None) -> Context:
    if a.state == _ERROR_STATE:
        return a
    if b.state == _ERROR_STATE:
        return b
    if a.state == _DEAD:
        return b
    if b.state == _DEAD:
        return a
    if a == b:
        return a
    if replace(a, url_part=b.url_part) == b:
        return replace(a, url_part="urlPartUnknown")
    if replace(a, js_ctx=b.js_ctx) == b:
        return replace(a, js_ctx="jsCtxUnknown")
    na, nb = _nudge(a), _nudge(b)
    if not (na == a and nb == b):
        joined = _join(na, nb, node_name, at)
        if joined.state != _ERROR_STATE:
            return joined
    failed = _error(f"{{{{{node_name}}}}} branches end in different contexts: {a}, {b}")
    return replace(failed, err_at=at)


# --- the tree walk ---------------------------------------------------------------------

_PREDEFINED = frozenset({"html", "urlquery"})
_EQUIVALENT = {
    "_html_template_attrescaper": "html",
    "_html_template_htmlescaper": "html",
    "_html_template_rcdataescaper": "html",
    "_html_template_urlescaper": "urlquery",
    "_html_template_urlnormalizer": "urlquery",
}


class _Escaper:
    def __init__(self, name: str, defined: dict[str, ListNode], source: str) -> None:
        self.name = name
        self.defined = defined
        self.source = source
        self.escaped_defs: set[str] = set()
        self.edit = True

    def fail(self, message: str, node: Node | None = None) -> EscapeError:
        if node is not None:
            return EscapeError(f"html/template:{self.name}:{self.location(node)}: {message}")
        return EscapeError(f"html/template:{self.name}: {message}")

    def location(self, node: Node) -> str:
        return self.location_at(node.pos)

    def location_at(self, pos: int) -> str:
        source = self.source
        line = source.count("\n", 0, pos) + 1
        column = pos - (source.rfind("\n", 0, pos) + 1)
        return f"{line}:{column}"

    def escape_list(self, c: Context, node: ListNode | None) -> Context:
        if node is None:
            return c
        for child in node.nodes:
            c = self.escape(c, child)
            if c.state == _ERROR_STATE:
                return c
        return c

    def escape(self, c: Context, node: Node) -> Context:
        if isinstance(node, TextNode):
            return self.escape_text(c, node)
        if isinstance(node, ActionNode):
            return self.escape_action(c, node)
        if isinstance(node, BranchNode):
            return self.escape_branch(c, node)
        if isinstance(node, TemplateNode):
            return self.escape_template(c, node)
        if isinstance(node, BreakNode | ContinueNode):
            return Context(state=_DEAD)
        if isinstance(node, CommentNode):
            return c
        raise self.fail(f"unexpected node {type(node).__name__}")

    def escape_action(self, c: Context, node: ActionNode) -> Context:
        if node.pipe.decl:
            return c
        c = _nudge(c)
        for position, cmd in enumerate(node.pipe.cmds):
            first = cmd.args[0]
            if not (isinstance(first, IdentifierNode) and first.name in _PREDEFINED):
                continue
            if position < len(node.pipe.cmds) - 1 or (
                c.state == "stateAttr" and c.delim == "delimSpaceOrTagEnd" and first.name == "html"
            ):
                raise self.fail(
                    f"predefined escaper {_goq(first.name)} disallowed in template", node
                )
        escapers: list[str] = []
        state = c.state
        if state == _ERROR_STATE:
            return c
        if state in (
            "stateURL",
            "stateCSSDqStr",
            "stateCSSSqStr",
            "stateCSSDqURL",
            "stateCSSSqURL",
            "stateCSSURL",
        ):
            if c.url_part == "urlPartNone":
                escapers.append("_html_template_urlfilter")
            if c.url_part in ("urlPartNone", "urlPartPreQuery"):
                if state in ("stateCSSDqStr", "stateCSSSqStr"):
                    escapers.append("_html_template_cssescaper")
                else:
                    escapers.append("_html_template_urlnormalizer")
            elif c.url_part == "urlPartQueryOrFrag":
                escapers.append("_html_template_urlescaper")
            else:
                raise self.fail(f"{node.pipe} appears in an ambiguous context within a URL", node)
        elif state == "stateJS":
            escapers.append("_html_template_jsvalescaper")
            c = replace(c, js_ctx="jsCtxDivOp")
        elif state == "stateJSBqStr":
            # Go 1.19.8+ (CVE-2023-24538): no actions inside JS template literals.
            raise self.fail(f"{{{{{node.pipe}}}}} appears in a JS template literal", node)
        elif state in ("stateJSDqStr", "stateJSSqStr"):
            escapers.append("_html_template_jsstrescaper")
        elif state == "stateJSRegexp":
            escapers.append("_html_template_jsregexpescaper")
        elif state == "stateCSS":
            escapers.append("_html_template_cssvaluefilter")
        elif state == "stateText":
            escapers.append("_html_template_htmlescaper")
        elif state == "stateRCDATA":
            escapers.append("_html_template_rcdataescaper")
        elif state == "stateAttr":
            pass
        elif state in ("stateAttrName", "stateTag"):
            c = replace(c, state="stateAttrName")
            escapers.append("_html_template_htmlnamefilter")
        elif state == "stateSrcset":
            escapers.append("_html_template_srcsetescaper")
        elif state in _COMMENT_STATES:
            escapers.append("_html_template_commentescaper")
        elif state == _DEAD:
            return c
        else:
            raise self.fail(f"unexpected state {state}", node)
        if c.delim == "delimSpaceOrTagEnd":
            escapers.append("_html_template_nospaceescaper")
        elif c.delim != "delimNone":
            escapers.append("_html_template_attrescaper")
        if self.edit:
            _ensure_pipeline_contains(node.pipe, escapers)
        return c

    def escape_branch(self, c: Context, node: BranchNode) -> Context:
        c0 = self.escape_list(c, node.list)
        if node.kind == "range":
            if c0.state == _ERROR_STATE:
                return c0
            saved = self.edit
            self.edit = False
            try:
                c1 = self.escape_list(c0, node.list)
            finally:
                self.edit = saved
            joined = _join(c0, c1, node.kind, node.pos)
            if joined.state == _ERROR_STATE:
                return replace(joined, err=f"on range loop re-entry: {joined.err}")
            c0 = joined
        c1 = self.escape_list(c, node.else_list)
        return _join(c0, c1, node.kind, node.pos)

    def escape_template(self, c: Context, node: TemplateNode) -> Context:
        if c.state != "stateText" or c.delim != "delimNone":
            raise self.fail("tickmini supports {{template}} only in HTML text context", node)
        tree = self.defined.get(node.name)
        if tree is None or node.name in self.escaped_defs:
            return c
        self.escaped_defs.add(node.name)
        end = self.escape_list(Context(), tree)
        if end.state == _ERROR_STATE:
            return end
        if end != Context():
            raise self.fail(f"template {node.name} ends in a non-text context: {end}", node)
        return c

    def escape_text(self, c: Context, node: TextNode) -> Context:
        s = node.text
        written = 0
        i = 0
        out: list[str] = []
        while i != len(s):
            c1, nread = _context_after_text(c, s[i:])
            i1 = i + nread
            if c.state in ("stateText", "stateRCDATA"):
                end = i1
                if c1.state != c.state:
                    for j in range(end - 1, i - 1, -1):
                        if s[j] == "<":
                            end = j
                            break
                for j in range(i, end):
                    if s[j] == "<" and not s[j:].upper().startswith("<!DOCTYPE"):
                        out.append(s[written:j])
                        out.append("&lt;")
                        written = j + 1
            elif c.state in _COMMENT_STATES and c.delim == "delimNone":
                if c.state == "stateJSBlockCmt":
                    out.append(
                        "\n" if any(ch in s[written:i1] for ch in "\n\r\u2028\u2029") else " "
                    )
                elif c.state == "stateCSSBlockCmt":
                    out.append(" ")
                written = i1
            if c.state != c1.state and c1.state in _COMMENT_STATES and c1.delim == "delimNone":
                cs = i1 - 2
                if c1.state == "stateHTMLCmt":
                    cs -= 2
                out.append(s[written:cs])
                written = i1
            if i == i1 and c.state == c1.state:
                raise self.fail(f"infinite loop from {c} to {c1} on {_goq(s[:i])}..{_goq(s[i:])}")
            c, i = c1, i1
        if written != 0 and c.state != _ERROR_STATE:
            if c.state not in _COMMENT_STATES or c.delim != "delimNone":
                out.append(s[written:])
            if self.edit:
                node.text = "".join(out)
        return c


def _ensure_pipeline_contains(pipe: PipeNode, escapers: list[str]) -> None:
    if not escapers:
        return
    length = len(pipe.cmds)
    if length:
        last = pipe.cmds[-1]
        first = last.args[0]
        if isinstance(first, IdentifierNode) and first.name in _PREDEFINED:
            esc = first.name
            if length == 1 and len(last.args) > 1:
                last.args[0] = IdentifierNode(first.pos, "_eval_args_")
                pipe.cmds.append(CommandNode(pipe.pos, [IdentifierNode(pipe.pos, esc)]))
                length += 1
            dup = False
            for index, escaper in enumerate(escapers):
                if _EQUIVALENT.get(escaper) == esc:
                    escapers[index] = esc
                    dup = True
            if dup:
                length -= 1
    kept = pipe.cmds[:length]
    inserted = {
        _EQUIVALENT.get(c.args[0].name, c.args[0].name)
        for c in kept
        if isinstance(c.args[0], IdentifierNode)
    }
    for escaper in escapers:
        if _EQUIVALENT.get(escaper, escaper) not in inserted:
            kept.append(CommandNode(pipe.pos, [IdentifierNode(pipe.pos, escaper)]))
    pipe.cmds = kept


def escape_tree(name: str, root: ListNode, defined: dict[str, ListNode], source: str = "") -> None:
    """Rewrite ``root`` (and called ``define``s) in place; raises :class:`EscapeError`."""
    escaper = _Escaper(name, defined, source)
    end = escaper.escape_list(Context(), root)
    if end.err is not None:
        if end.err_at is not None:
            raise EscapeError(f"html/template:{name}:{escaper.location_at(end.err_at)}: {end.err}")
        raise EscapeError(f"html/template:{name}: {end.err}")
    if end.state not in ("stateText", _DEAD):
        raise EscapeError(f"html/template:{name}: ends in a non-text context: {end}")


# --- escaper functions -------------------------------------------------------------------


def _stringify(args: tuple[object, ...]) -> tuple[str, str]:
    """html/template ``stringify``: (text, content type); untyped nil arguments are skipped."""
    if len(args) == 1:
        only = args[0]
        if isinstance(only, JSContent):
            return str(only), "js"
        if isinstance(only, str):
            return only, "plain"
    return sprint(*(a for a in args if a is not None)), "plain"


_HTML_RE = re.compile("[\x00\"&'+<>]")
_NOSPACE_TABLE = {
    "\x00": "&#xfffd;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\v": "&#11;",
    "\f": "&#12;",
    "\r": "&#13;",
    " ": "&#32;",
    '"': "&#34;",
    "&": "&amp;",
    "'": "&#39;",
    "+": "&#43;",
    "<": "&lt;",
    "=": "&#61;",
    ">": "&gt;",
    "`": "&#96;",
}
_NOSPACE_RE = re.compile("[\x00\t\n\v\f\r \"&'+<=>`\ufdd0-\ufdef\ufff0-\uffff]")


def _html_replace(text: str) -> str:
    if _HTML_RE.search(text) is None:
        return text
    return (
        text.replace("&", "&amp;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
        .replace("+", "&#43;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\x00", "\ufffd")
    )


def html_escaper(*args: object) -> str:
    return _html_replace(_stringify(args)[0])


def nospace_escaper(*args: object) -> str:
    text = _stringify(args)[0]
    return _NOSPACE_RE.sub(
        lambda m: _NOSPACE_TABLE.get(m.group()) or f"&#x{ord(m.group()):x};", text
    )


def url_filter(*args: object) -> str:
    text = _stringify(args)[0]
    protocol, colon, _ = text.partition(":")
    if colon and "/" not in protocol and protocol.lower() not in ("http", "https", "mailto"):
        return "#" + FILTER_FAILSAFE
    return text


_URL_RESERVED = "!#$&*+,/:;=?@[]"
_URL_UNRESERVED = "-._~"


def _process_url(text: str, norm: bool) -> str:
    data = text.encode("utf-8", "surrogateescape")
    out: list[str] = []
    for index, byte in enumerate(data):
        ch = chr(byte)
        if (
            (byte < 0x80 and (ch.isalnum() or ch in _URL_UNRESERVED))
            or (norm and ch in _URL_RESERVED)
            or (
                norm
                and ch == "%"
                and index + 2 < len(data)
                and chr(data[index + 1]) in "0123456789abcdefABCDEF"
                and chr(data[index + 2]) in "0123456789abcdefABCDEF"
            )
        ):
            out.append(ch)
        else:
            out.append(f"%{byte:02x}")
    return "".join(out)


def url_normalizer(*args: object) -> str:
    return _process_url(_stringify(args)[0], True)


def url_escaper(*args: object) -> str:
    return _process_url(_stringify(args)[0], False)


def srcset_escaper(*args: object) -> str:
    return url_normalizer(*args)


_JS_STR_TABLE = {
    "\x00": "\\u0000",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\u000b",
    "\f": "\\f",
    "\r": "\\r",
    '"': "\\u0022",
    "&": "\\u0026",
    "'": "\\u0027",
    "+": "\\u002b",
    "/": "\\/",
    "<": "\\u003c",
    ">": "\\u003e",
    "\\": "\\\\",
    "`": "\\u0060",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JS_REGEXP_TABLE = {
    **_JS_STR_TABLE,
    "$": "\\$",
    "(": "\\(",
    ")": "\\)",
    "*": "\\*",
    "-": "\\-",
    ".": "\\.",
    "?": "\\?",
    "[": "\\[",
    "]": "\\]",
    "^": "\\^",
    "{": "\\{",
    "|": "\\|",
    "}": "\\}",
}


def js_str_escaper(*args: object) -> str:
    text = _stringify(args)[0]
    return "".join(_JS_STR_TABLE.get(ch, ch) for ch in text)


def js_regexp_escaper(*args: object) -> str:
    text = _stringify(args)[0]
    escaped = "".join(_JS_REGEXP_TABLE.get(ch, ch) for ch in text)
    return escaped or "(?:)"


def js_val_escaper(*args: object) -> str:
    if len(args) == 1:
        value = args[0]
        if isinstance(value, JSContent):
            return str(value)
        if isinstance(value, Duration):  # a Stringer; time.Time is a json.Marshaler instead
            value = sprint(value)
    else:
        value = sprint(*args)
    try:
        text = encode(value)
    except (JSONEncodeError, UnsupportedFloatError) as err:
        message = str(err.message).replace("*/", "* /").replace("</script", "\\x3C/script")
        return f" /* {message} */null "
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if not text:
        return " null "
    if _is_js_ident_part(text[0]) or _is_js_ident_part(text[-1]):
        return " " + text + " "
    return text


_CSS_TABLE = {
    "\x00": "\\0",
    "\t": "\\9",
    "\n": "\\a",
    "\f": "\\c",
    "\r": "\\d",
    '"': "\\22",
    "&": "\\26",
    "'": "\\27",
    "(": "\\28",
    ")": "\\29",
    "+": "\\2b",
    "/": "\\2f",
    ":": "\\3a",
    ";": "\\3b",
    "<": "\\3c",
    ">": "\\3e",
    "\\": "\\\\",
    "{": "\\7b",
    "}": "\\7d",
}


def css_escaper(*args: object) -> str:
    text = _stringify(args)[0]
    out: list[str] = []
    for index, ch in enumerate(text):
        repl = _CSS_TABLE.get(ch)
        if repl is None:
            out.append(ch)
            continue
        out.append(repl)
        if (
            repl != "\\\\"
            and index + 1 < len(text)
            and (text[index + 1] in "0123456789abcdefABCDEF" or text[index + 1] in " \t\n\f\r")
        ):
            out.append(" ")
    return "".join(out)


def css_value_filter(*args: object) -> str:
    text = _stringify(args)[0]
    ident: list[str] = []
    for index, ch in enumerate(text):
        if ch in "\x00\"'()/;@[\\]`{}<>":
            return FILTER_FAILSAFE
        if ch == "-" and index != 0 and text[index - 1] == "-":
            return FILTER_FAILSAFE
        if ch.isascii() and (ch.isalnum() or ch in "-_"):
            ident.append(ch)
    lowered = "".join(ident).lower()
    if "expression" in lowered or "mozbinding" in lowered:
        return FILTER_FAILSAFE
    return text


def html_name_filter(*args: object) -> str:
    text = _stringify(args)[0]
    if not text:
        return FILTER_FAILSAFE
    text = text.lower()
    if attr_type(text) != "plain":
        return FILTER_FAILSAFE
    if not all(("0" <= ch <= "9") or ("a" <= ch <= "z") for ch in text):
        return FILTER_FAILSAFE
    return text


def comment_escaper(*args: object) -> str:
    return ""


ESCAPER_FUNCS: dict[str, GoFunc] = {
    f.name: f
    for f in (
        GoFunc("_eval_args_", 0, True, lambda *a: eval_args(a)),
        GoFunc("_html_template_htmlescaper", 0, True, html_escaper),
        GoFunc("_html_template_attrescaper", 0, True, html_escaper),
        GoFunc("_html_template_rcdataescaper", 0, True, html_escaper),
        GoFunc("_html_template_nospaceescaper", 0, True, nospace_escaper),
        GoFunc("_html_template_urlfilter", 0, True, url_filter),
        GoFunc("_html_template_urlnormalizer", 0, True, url_normalizer),
        GoFunc("_html_template_urlescaper", 0, True, url_escaper),
        GoFunc("_html_template_srcsetescaper", 0, True, srcset_escaper),
        GoFunc("_html_template_jsvalescaper", 0, True, js_val_escaper),
        GoFunc("_html_template_jsstrescaper", 0, True, js_str_escaper),
        GoFunc("_html_template_jsregexpescaper", 0, True, js_regexp_escaper),
        GoFunc("_html_template_cssescaper", 0, True, css_escaper),
        GoFunc("_html_template_cssvaluefilter", 0, True, css_value_filter),
        GoFunc("_html_template_htmlnamefilter", 0, True, html_name_filter),
        GoFunc("_html_template_commentescaper", 0, True, comment_escaper),
    )
}
