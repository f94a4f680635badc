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

from dataclasses import replace

from tickmini.gocompat.template.htmlcontext import (
    COMMENT_STATES,
    DEAD_STATE,
    ERROR_STATE,
    Context,
    EscapeError,
    context_after_text,
    go_quote,
    join,
    nudge,
)
from tickmini.gocompat.template.htmlescapers import ESCAPER_FUNCS, JSContent
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

__all__ = ["ESCAPER_FUNCS", "EscapeError", "JSContent", "escape_tree"]

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
        column = len(
            source[source.rfind("\n", 0, pos) + 1 : pos].encode("utf-8", "surrogateescape")
        )
        return f"{line}:{column}"

    def escape_list(self, c: Context, node: ListNode | None) -> Context:
        if node is None:
            return c
        for child in node.nodes:
            c = self.escape(c, child)
            if c.state == ERROR_STATE:
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
            return Context(state=DEAD_STATE)
        if isinstance(node, CommentNode):
            return c
        raise self.fail(f"unexpected node {type(node).__name__}")

    def escape_action(self, c: Context, node: ActionNode) -> Context:
        if node.pipe.decl:
            return c
        c = nudge(c)
        for position, cmd in enumerate(node.pipe.cmds):
            first = cmd.args[0]
            if not (isinstance(first, IdentifierNode) and first.name in _PREDEFINED):
                continue
            if position < len(node.pipe.cmds) - 1 or (
                c.state == "stateAttr" and c.delim == "delimSpaceOrTagEnd" and first.name == "html"
            ):
                raise self.fail(
                    f"predefined escaper {go_quote(first.name)} disallowed in template", node
                )
        escapers: list[str] = []
        state = c.state
        if state == ERROR_STATE:
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
        elif state in COMMENT_STATES:
            escapers.append("_html_template_commentescaper")
        elif state == DEAD_STATE:
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
            if c0.state == ERROR_STATE:
                return c0
            saved = self.edit
            self.edit = False
            try:
                c1 = self.escape_list(c0, node.list)
            finally:
                self.edit = saved
            joined = join(c0, c1, node.kind, node.pos)
            if joined.state == ERROR_STATE:
                return replace(joined, err=f"on range loop re-entry: {joined.err}")
            c0 = joined
        c1 = self.escape_list(c, node.else_list)
        return join(c0, c1, node.kind, node.pos)

    def escape_template(self, c: Context, node: TemplateNode) -> Context:
        if c.state != "stateText" or c.delim != "delimNone":
            raise self.fail("tickmini supports {{template}} only in HTML text context", node)
        tree = self.defined.get(node.name)
        if tree is None or node.name in self.escaped_defs:
            return c
        self.escaped_defs.add(node.name)
        end = self.escape_list(Context(), tree)
        if end.state == ERROR_STATE:
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
            c1, nread = context_after_text(c, s[i:])
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
            elif c.state in COMMENT_STATES and c.delim == "delimNone":
                if c.state == "stateJSBlockCmt":
                    out.append(
                        "\n" if any(ch in s[written:i1] for ch in "\n\r\u2028\u2029") else " "
                    )
                elif c.state == "stateCSSBlockCmt":
                    out.append(" ")
                written = i1
            if c.state != c1.state and c1.state in COMMENT_STATES and c1.delim == "delimNone":
                cs = i1 - 2
                if c1.state == "stateHTMLCmt":
                    cs -= 2
                out.append(s[written:cs])
                written = i1
            if i == i1 and c.state == c1.state:
                raise self.fail(
                    f"infinite loop from {c} to {c1} on {go_quote(s[:i])}..{go_quote(s[i:])}"
                )
            c, i = c1, i1
        if written != 0 and c.state != ERROR_STATE:
            if c.state not in COMMENT_STATES or c.delim != "delimNone":
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
    if end.state not in ("stateText", DEAD_STATE):
        raise EscapeError(f"html/template:{name}: ends in a non-text context: {end}")
