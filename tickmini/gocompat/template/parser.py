"""The Go ``text/template`` parser (``text/template/parse/parse.go``).

Builds :mod:`nodes` trees and reports parse errors as Go does (``template: NAME:LINE: MSG``),
as :class:`tickmini.errors.TemplateError`. Function names are checked at parse time against the
set the template will run with, as Go does.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from tickmini.errors import TemplateError
from tickmini.gocompat.gofmt import quote_go
from tickmini.gocompat.template.lexer import Tok, Token, lex
from tickmini.gocompat.template.nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
)

_OPERAND_START = frozenset(
    {
        Tok.BOOL,
        Tok.CHAR_CONSTANT,
        Tok.DOT,
        Tok.FIELD,
        Tok.IDENTIFIER,
        Tok.NUMBER,
        Tok.NIL,
        Tok.RAW_STRING,
        Tok.STRING,
        Tok.VARIABLE,
        Tok.LEFT_PAREN,
    }
)
_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
}
_OCTAL_INT = re.compile(r"[+-]?0[0-7_]+")

MAX_NESTING = 100
"""Deepest nesting of parentheses and control actions (Go allows 10000; Python recursion doesn't)."""


class _ParseError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def unquote_char(text: str, i: int, quote: str) -> tuple[str, int]:
    """Go ``strconv.UnquoteChar`` at ``text[i]``: (decoded text, next index)."""
    ch = text[i]
    if ch == quote and quote in "'\"":
        raise ValueError("invalid syntax")
    if ch != "\\":
        return ch, i + 1
    if i + 1 >= len(text):
        raise ValueError("invalid syntax")
    esc = text[i + 1]
    if esc in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[esc], i + 2
    if esc in "'\"":
        if esc != quote:
            raise ValueError("invalid syntax")
        return esc, i + 2
    if esc in "xuU":
        size = {"x": 2, "u": 4, "U": 8}[esc]
        digits = text[i + 2 : i + 2 + size]
        if len(digits) != size or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise ValueError("invalid syntax")
        code = int(digits, 16)
        if esc == "x":
            return bytes([code]).decode("utf-8", "surrogateescape"), i + 2 + size
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ValueError("invalid syntax")
        return chr(code), i + 2 + size
    if esc in "01234567":
        digits = text[i + 1 : i + 4]
        if len(digits) != 3 or not all(c in "01234567" for c in digits) or int(digits, 8) > 255:
            raise ValueError("invalid syntax")
        return bytes([int(digits, 8)]).decode("utf-8", "surrogateescape"), i + 4
    raise ValueError("invalid syntax")


def unquote(text: str) -> str:
    """Go ``strconv.Unquote`` for ``"..."`` and raw ```...``` strings."""
    if len(text) < 2 or text[0] != text[-1]:
        raise ValueError("invalid syntax")
    body = text[1:-1]
    if text[0] == "`":
        if "`" in body:
            raise ValueError("invalid syntax")
        return body.replace("\r", "")
    if text[0] != '"' or "\n" in body:
        raise ValueError("invalid syntax")
    out: list[str] = []
    i = 0
    while i < len(body):
        piece, i = unquote_char(body, i, '"')
        out.append(piece)
    return "".join(out)


def parse_number(text: str, typ: Tok, pos: int) -> NumberNode:
    """Go ``parse.newNumber``; raises ValueError with Go's message."""
    node = NumberNode(pos, text)
    if typ is Tok.CHAR_CONSTANT:
        try:
            value, end = unquote_char(text, 1, "'")
        except (ValueError, IndexError):
            raise ValueError(f"malformed character constant: {text}") from None
        if text[end:] != "'" or len(value) != 1:
            raise ValueError(f"malformed character constant: {text}")
        code = ord(value)
        if 0xDC80 <= code <= 0xDCFF:  # a \xHH byte escape (kept as a surrogate in strings)
            code -= 0xDC00
        node.is_int = node.is_uint = node.is_float = True
        node.int_value = code
        node.float_value = float(code)
        return node
    if text.endswith("i"):
        raise ValueError(f"complex constants are not supported by tickmini: {quote_go(text)}")
    as_int = _parse_int(text)
    if as_int is not None:
        if -(1 << 63) <= as_int < (1 << 63):
            node.is_int = True
            node.int_value = as_int
        if 0 <= as_int < (1 << 64):
            node.is_uint = True
        if node.is_int or node.is_uint:
            node.is_float = True
            node.float_value = float(as_int)
    if not (node.is_int or node.is_uint):
        value = _parse_float(text)
        if value is not None:
            if not any(c in text for c in ".eEpP"):
                raise ValueError(f"integer overflow: {quote_go(text)}")
            node.is_float = True
            node.float_value = value
            if value == int(value) and -(1 << 63) <= int(value) < (1 << 63):
                node.is_int = True
                node.int_value = int(value)
            if value == int(value) and 0 <= int(value) < (1 << 64):
                node.is_uint = True
    if not (node.is_int or node.is_uint or node.is_float):
        raise ValueError(f"illegal number syntax: {quote_go(text)}")
    return node


def _parse_int(text: str) -> int | None:
    try:
        if _OCTAL_INT.fullmatch(text):
            return int(text.replace("0", "0o", 1), 0)
        return int(text, 0)
    except ValueError:
        return None


def _parse_float(text: str) -> float | None:
    body = text.lstrip("+-")
    try:
        if body[:2] in ("0x", "0X"):
            value = float.fromhex(body.replace("_", ""))
            return -value if text.startswith("-") else value
        value = float(text)
    except (ValueError, OverflowError):
        return None
    if value in (float("inf"), float("-inf")):
        return None
    return value


class Parser:
    """One template text → the main tree plus any ``{{define}}``d trees."""

    def __init__(self, name: str, text: str, funcs: Collection[str]) -> None:
        self.name = name
        self.tokens: list[Token] = lex(text)
        self.index = 0
        self.funcs = funcs
        self.vars: list[str] = ["$"]
        self.defined: dict[str, ListNode] = {}
        self.action_line = 0
        self.depth = 0
        self.range_depth = 0

    # --- token stream -----------------------------------------------------------------
    def next(self) -> Token:
        token = self.tokens[min(self.index, len(self.tokens) - 1)]
        self.index += 1
        self.last = token
        return token

    def backup(self) -> None:
        self.index -= 1

    def peek(self) -> Token:
        return self.tokens[min(self.index, len(self.tokens) - 1)]

    def next_non_space(self) -> Token:
        token = self.next()
        while token.typ is Tok.SPACE:
            token = self.next()
        return token

    def peek_non_space(self) -> Token:
        token = self.next_non_space()
        self.backup()
        return token

    def error(self, message: str, token: Token | None = None) -> _ParseError:
        line = (token or self.tokens[min(max(self.index - 1, 0), len(self.tokens) - 1)]).line
        return _ParseError(message, line)

    def unexpected(self, token: Token, context: str) -> _ParseError:
        if token.typ is Tok.ERROR:
            return self.error(token.val, token)
        return self.error(f"unexpected {token} in {context}", token)

    def expect(self, typ: Tok, context: str) -> Token:
        token = self.next_non_space()
        if token.typ is not typ:
            raise self.unexpected(token, context)
        return token

    # --- grammar ----------------------------------------------------------------------
    def parse(self) -> tuple[ListNode, dict[str, ListNode]]:
        try:
            root = ListNode(0)
            while self.peek().typ is not Tok.EOF:
                if self.peek().typ is Tok.LEFT_DELIM:
                    mark = self.index
                    self.next()
                    if self.next_non_space().typ is Tok.DEFINE:
                        self.parse_definition()
                        continue
                    self.index = mark
                node = self.text_or_action()
                if isinstance(node, EndNode | ElseNode):
                    raise self.error(f"unexpected {node}")
                root.nodes.append(node)
        except _ParseError as err:
            raise TemplateError(
                f"template: {self.name}:{err.line}: {err.message}",
                expected="a valid Go text/template (see docs/templates.md)",
            ) from None
        return root, self.defined

    def parse_definition(self) -> None:
        context = "define clause"
        name_token = self.next_non_space()
        if name_token.typ not in (Tok.STRING, Tok.RAW_STRING):
            raise self.unexpected(name_token, context)
        name = self.unquote_token(name_token)
        self.expect(Tok.RIGHT_DELIM, context)
        saved_vars = self.vars
        self.vars = ["$"]
        body, end = self.item_list()
        if not isinstance(end, EndNode):
            raise self.error(f"unexpected {end} in {context}")
        self.vars = saved_vars
        self.defined[name] = body

    def unquote_token(self, token: Token) -> str:
        try:
            return unquote(token.val)
        except ValueError as err:
            raise self.error(str(err), token) from None

    def item_list(self) -> tuple[ListNode, Node]:
        body = ListNode(self.peek().pos)
        while self.peek_non_space().typ is not Tok.EOF:
            node = self.text_or_action()
            if isinstance(node, EndNode | ElseNode):
                return body, node
            body.nodes.append(node)
        raise self.error("unexpected EOF")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ is Tok.TEXT:
            return TextNode(token.pos, token.val)
        if token.typ is Tok.LEFT_DELIM:
            self.action_line = token.line
            return self.action()
        if token.typ is Tok.COMMENT:
            return CommentNode(token.pos, token.val)
        raise self.unexpected(token, "input")

    def action(self) -> Node:
        token = self.next_non_space()
        typ = token.typ
        if typ is Tok.BLOCK:
            return self.block_control()
        if typ is Tok.BREAK:
            return self.break_control(token, "break")
        if typ is Tok.CONTINUE:
            return self.break_control(token, "continue")
        if typ is Tok.ELSE:
            return self.else_control(token)
        if typ is Tok.END:
            self.expect(Tok.RIGHT_DELIM, "end")
            return EndNode(token.pos)
        if typ in (Tok.IF, Tok.RANGE, Tok.WITH):
            return self.branch_control(token.val, token)
        if typ is Tok.TEMPLATE:
            return self.template_control(token)
        self.backup()
        start = self.peek()
        return ActionNode(start.pos, self.pipeline("command", Tok.RIGHT_DELIM))

    def break_control(self, token: Token, kind: str) -> Node:
        self.expect(Tok.RIGHT_DELIM, kind)
        if self.range_depth <= 0:
            raise self.error(f"{{{{{kind}}}}} outside {{{{range}}}}", token)
        return BreakNode(token.pos) if kind == "break" else ContinueNode(token.pos)

    def else_control(self, token: Token) -> Node:
        if self.peek_non_space().typ is Tok.IF:
            return ElseNode(token.pos)
        self.expect(Tok.RIGHT_DELIM, "else")
        return ElseNode(token.pos)

    def branch_control(self, kind: str, token: Token) -> Node:
        self.nest()
        try:
            return self.branch_body(kind, token)
        finally:
            self.depth -= 1

    def branch_body(self, kind: str, token: Token) -> Node:
        saved = len(self.vars)
        pipe = self.pipeline(kind, Tok.RIGHT_DELIM)
        if kind == "range":
            self.range_depth += 1
        body, end = self.item_list()
        if kind == "range":
            self.range_depth -= 1
        else_list: ListNode | None = None
        if isinstance(end, ElseNode):
            if kind == "if" and self.peek_non_space().typ is Tok.IF:
                self.next_non_space()
                else_list = ListNode(end.pos)
                else_list.nodes.append(self.branch_control("if", self.last))
            else:
                else_list, end = self.item_list()
                if not isinstance(end, EndNode):
                    raise self.error(f"expected end; found {end}")
        del self.vars[saved:]
        return BranchNode(pipe.pos, kind, pipe, body, else_list)  # Go: the pipeline's position

    def template_control(self, token: Token) -> Node:
        context = "template clause"
        name_token = self.next_non_space()
        if name_token.typ not in (Tok.STRING, Tok.RAW_STRING):
            raise self.unexpected(name_token, context)
        name = self.unquote_token(name_token)
        pipe: PipeNode | None = None
        if self.next_non_space().typ is not Tok.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, Tok.RIGHT_DELIM)
        return TemplateNode(token.pos, name, pipe)

    def block_control(self) -> Node:
        context = "block clause"
        name_token = self.next_non_space()
        if name_token.typ not in (Tok.STRING, Tok.RAW_STRING):
            raise self.unexpected(name_token, context)
        name = self.unquote_token(name_token)
        pipe = self.pipeline(context, Tok.RIGHT_DELIM)
        saved_vars = self.vars
        self.vars = ["$"]
        body, end = self.item_list()
        if not isinstance(end, EndNode):
            raise self.error(f"unexpected {end} in {context}")
        self.vars = saved_vars
        self.defined[name] = body
        return TemplateNode(name_token.pos, name, pipe)

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"max expression depth exceeded (tickmini allows {MAX_NESTING})")

    def pipeline(self, context: str, end: Tok) -> PipeNode:
        self.nest()
        try:
            return self.pipeline_body(context, end)
        finally:
            self.depth -= 1

    def pipeline_body(self, context: str, end: Tok) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(token.pos)
        if token.typ is Tok.VARIABLE:
            self.declarations(pipe, context)
        while True:
            token = self.next_non_space()
            if token.typ is end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in _OPERAND_START:
                self.backup()
                pipe.cmds.append(self.command())
            else:
                raise self.unexpected(token, context)

    def declarations(self, pipe: PipeNode, context: str) -> None:
        while True:
            mark = self.index
            variable = self.next_non_space()
            following = self.peek_non_space()
            if following.typ in (Tok.ASSIGN, Tok.DECLARE):
                pipe.is_assign = following.typ is Tok.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, (variable.val,)))
                self.vars.append(variable.val)
                return
            if following.typ is Tok.CHAR and following.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, (variable.val,)))
                self.vars.append(variable.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (
                        Tok.VARIABLE,
                        Tok.RIGHT_DELIM,
                        Tok.RIGHT_PAREN,
                    ):
                        continue
                    raise self.error("range can only initialize variables")
                raise self.error(f"too many declarations in {context}")
            self.index = mark  # not a declaration: the variable starts a command
            return

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            raise self.error(f"missing value for {context}")
        for stage, cmd in enumerate(pipe.cmds[1:], start=1):
            if isinstance(cmd.args[0], BoolNode | DotNode | NilNode | NumberNode | StringNode):
                raise self.error(f"non executable command in pipeline stage {stage + 1}")

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ is Tok.SPACE:
                continue
            if token.typ in (Tok.RIGHT_DELIM, Tok.RIGHT_PAREN):
                self.backup()
            elif token.typ is not Tok.PIPE:
                raise self.unexpected(token, "operand")
            break
        if not cmd.args:
            raise self.error("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ is Tok.FIELD:
            chain_pos = self.peek().pos
            fields: list[str] = []
            while self.peek().typ is Tok.FIELD:
                fields.append(self.next().val[1:])
            if isinstance(node, FieldNode):
                return FieldNode(chain_pos, (*node.ident, *fields))
            if isinstance(node, VariableNode):
                return VariableNode(chain_pos, (*node.ident, *fields))
            if isinstance(node, BoolNode | StringNode | NumberNode | NilNode | DotNode):
                raise self.error(f"unexpected . after term {quote_go(str(node))}")
            return ChainNode(chain_pos, node, fields)
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        if typ is Tok.IDENTIFIER:
            if token.val not in self.funcs:
                raise self.error(f"function {quote_go(token.val)} not defined", token)
            return IdentifierNode(token.pos, token.val)
        if typ is Tok.DOT:
            return DotNode(token.pos)
        if typ is Tok.NIL:
            return NilNode(token.pos)
        if typ is Tok.VARIABLE:
            if token.val not in self.vars:
                raise self.error(f"undefined variable {quote_go(token.val)}", token)
            return VariableNode(token.pos, (token.val,))
        if typ is Tok.FIELD:
            return FieldNode(token.pos, (token.val[1:],))
        if typ is Tok.BOOL:
            return BoolNode(token.pos, token.val == "true")
        if typ in (Tok.CHAR_CONSTANT, Tok.NUMBER):
            try:
                return parse_number(token.val, typ, token.pos)
            except ValueError as err:
                raise self.error(str(err), token) from None
        if typ is Tok.LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", Tok.RIGHT_PAREN)
        if typ in (Tok.STRING, Tok.RAW_STRING):
            return StringNode(token.pos, token.val, self.unquote_token(token))
        self.backup()
        return None


def parse_template(
    name: str, text: str, funcs: Collection[str]
) -> tuple[ListNode, dict[str, ListNode]]:
    """Parse ``text``; returns the main tree and the ``define``d ones."""
    return Parser(name, text, funcs).parse()
