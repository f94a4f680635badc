"""Kapacitor's TICKscript lexer (``tick/ast/lex.go``), reproduced state for state.

Kapacitor's lexer has two states, and the meaning of ``-``, ``!``, ``/``, ``*`` and ``=`` depends
on which one it is in (reference §1.2):

* *operand* position (start, and after ``( [ ] | @ , * . regex comment`` and every operator):
  ``/`` starts a regex, ``*`` is the star literal, ``=``/``<``/``>`` are errors;
* *operator* position (after a name, keyword, number, duration, string, reference or ``)``):
  ``/`` is division, ``*`` multiplication, ``=``/``==``/``=~``/``!=``/``!~``/``<``... operators;
  after ``=``, ``=~`` and ``!~`` a following ``/`` starts a regex.

A context-free tokenizer cannot make these choices, so Lark is fed tokens from here. Like
Kapacitor's, the lexer stops at its first error and emits one ``LEXERROR`` token there: the
parser reports it only if it gets that far, so an earlier syntax error wins, as in Kapacitor.
Literal values are decoded here too (number syntax, duration overflow, RE2 regex syntax), which
turns a bad literal into a ``LEXERROR`` at that literal.

Comments are not tokens: each token carries the comment block(s) written before it, which the
tree builder attaches to nodes the way Kapacitor's parser does (for ``tickmini fmt``).
"""

from __future__ import annotations

import re

from tickmini.syntax.literals import (
    LiteralError,
    comment_lines,
    decode_duration,
    decode_number,
    decode_reference,
    decode_regex,
    decode_string,
)

# Go's unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space property.
GO_SPACES = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE_RUN = re.compile("[" + re.escape(GO_SPACES) + "]*")
_SPACE_NO_NEWLINE_RUN = re.compile("[" + re.escape(GO_SPACES.replace("\n", "")) + "]*")
# Identifier continuation: letters, Unicode decimal digits, '_' (checked exactly for non-ASCII).
_IDENT_REST = re.compile(r"\w*")
_DIGITS = re.compile(r"\d*")
_TRIPLE_BODY_RUN = re.compile(r"[^'\\]+")

DURATION_UNITS = "uµsmhdw"

KEYWORDS: dict[str, str] = {
    "AND": "AND",
    "OR": "OR",
    "TRUE": "TRUE",
    "FALSE": "FALSE",
    "var": "VAR",
    "dbrp": "DBRP",
}

# Single-character tokens of the operand position and the state each one leads to.
_OPERAND_PUNCT: dict[str, tuple[str, bool]] = {
    "(": ("LPAREN", False),
    ")": ("RPAREN", True),
    "[": ("LSB", False),
    "]": ("RSB", False),
    "|": ("PIPE", False),
    "@": ("AT", False),
    ",": ("_COMMA", False),
    "*": ("STAR", False),
    "-": ("MINUS", False),
    "!": ("NOT", False),
}
_SIMPLE_OPERATORS: dict[str, str] = {"+": "PLUS", "-": "MINUS", "*": "MULT", "%": "MOD"}


class Tok:
    """One token: Lark needs only ``type``; the rest is for the AST, errors and comments.

    ``value`` is the decoded literal for literal tokens, the text otherwise. ``comment`` is the
    comment written just before the token (tuple of lines, ``"\\n"`` marking a blank line between
    blocks) until a tree-builder rule takes it, as Kapacitor's ``consumeComment`` does.
    """

    __slots__ = ("column", "comment", "ctx", "end", "line", "pos", "text", "type", "value")

    def __init__(
        self,
        type_: str,
        text: str,
        value: object,
        pos: int,
        end: int,
        line: int,
        column: int,
        comment: tuple[str, ...] | None,
        ctx: Lexer | None,
    ) -> None:
        self.ctx = ctx
        self.type = type_
        self.text = text
        self.value = value
        self.pos = pos
        self.end = end
        self.line = line
        self.column = column
        self.comment = comment

    def take_comment(self) -> tuple[str, ...]:
        """Kapacitor's ``consumeComment``: a comment attaches to one node only."""
        comment = self.comment
        self.comment = None
        return comment or ()

    def __repr__(self) -> str:
        return f"Tok({self.type}, {self.text!r}, {self.line}:{self.column})"


def _is_ident_text(text: str) -> bool:
    """Go ``isValidIdent`` for every char: ``\\w`` also admits other numerics (``²``, ``Ⅻ``)."""
    return text.isascii() or all(c.isalpha() or c.isdecimal() or c == "_" for c in text)


def _scan_escaped(text: str, start: int, quote: str) -> int:
    """Index of the closing ``quote`` from ``start``, or -1.

    In Kapacitor's references, single-quoted strings and regexes a backslash escapes only the
    quote char, so the closing quote is the first one not directly preceded by a backslash.
    """
    j = text.find(quote, start)
    while j != -1 and text[j - 1] == "\\":
        j = text.find(quote, j + 1)
    return j


def _scan_triple(text: str, pos: int) -> int:
    """End (exclusive) of a ``'''...'''`` string starting at ``pos``, or -1 (Go's count logic)."""
    n = len(text)
    i = pos + 3
    count = 3
    while True:
        m = _TRIPLE_BODY_RUN.match(text, i)
        if m and m.end() > i:
            i = m.end()
            count = 3
            continue
        if i >= n:
            return -1
        c = text[i]
        i += 1
        if c == "\\":
            if count == 1:
                if i < n and text[i] == "'":
                    i += 1
            else:
                count = 3
        else:  # a quote
            count -= 1
            if count == 0:
                return i


def _scan_comment(text: str, pos: int) -> int:
    """End of a ``//`` comment block (``lexComment``): following lines that start with ``/``
    after spaces continue it; a blank line ends it."""
    n = len(text)
    i = pos + 2
    while True:
        j = text.find("\n", i)
        if j == -1:
            return n
        k = _SPACE_NO_NEWLINE_RUN.match(text, j + 1).end()
        if k < n and text[k] == "/":
            i = k + 1
            continue
        return k


class Lexer:
    """Tokenizes one text. Build one per parse; :func:`tokenize` is the entry point."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Tok] = []
        self.comments: list[str] = []
        self.line = 1
        self.line_start = 0
        self.counted_to = 0
        # Index of the token the parser is being fed: the token before it is the last one
        # consumed, whose comment a unary operator takes (Kapacitor's newUnary quirk).
        self.cursor = 0

    def last_consumed(self) -> Tok:
        return self.tokens[self.cursor - 1]

    def _emit(self, type_: str, pos: int, end: int, value: object = None) -> None:
        text = self.text
        newlines = text.count("\n", self.counted_to, pos)
        if newlines:
            self.line += newlines
            self.line_start = text.rfind("\n", self.counted_to, pos) + 1
        self.counted_to = pos
        comment = None
        if self.comments:
            comment = comment_lines(self.comments)
            self.comments = []
        lexeme = text[pos:end]
        self.tokens.append(
            Tok(
                type_,
                lexeme,
                lexeme if value is None else value,
                pos,
                end,
                self.line,
                pos - self.line_start + 1,
                comment,
                self,
            )
        )

    def _error(self, pos: int, message: str, hint: str | None = None) -> None:
        self._emit("LEXERROR", pos, pos, (message, hint))

    def run(self) -> list[Tok]:
        """Lex the whole text, starting in operand position (as Kapacitor's lexToken)."""
        text = self.text
        n = len(text)
        pos = 0
        operand = True
        while True:
            pos = _SPACE_RUN.match(text, pos).end()
            if pos >= n:
                self._emit("$END", n, n)
                return self.tokens
            c = text[pos]
            if not operand:
                # tryLexBinaryOperator: an operator, a comment, or back to the operand state.
                operand = True
                nxt = text[pos + 1 : pos + 2]
                if c in _SIMPLE_OPERATORS:
                    self._emit(_SIMPLE_OPERATORS[c], pos, pos + 1)
                    pos += 1
                    continue
                if c == "/":
                    if nxt == "/":
                        pos = self._comment(pos)
                    else:
                        self._emit("DIV", pos, pos + 1)
                        pos += 1
                    continue
                if c == "!":
                    if nxt == "=":
                        self._emit("NE", pos, pos + 2)
                        pos += 2
                    elif nxt == "~":
                        self._emit("RNE", pos, pos + 2)
                        pos = self._maybe_regex(pos + 2)
                        if pos < 0:
                            return self.tokens
                    else:
                        self._emit("NOT", pos, pos + 1)
                        pos += 1
                    continue
                if c in "<>":
                    base = "LT" if c == "<" else "GT"
                    if nxt == "=":
                        self._emit(base[0] + "E", pos, pos + 2)
                        pos += 2
                    else:
                        self._emit(base, pos, pos + 1)
                        pos += 1
                    continue
                if c == "=":
                    if nxt == "=":
                        self._emit("EQ", pos, pos + 2)
                        pos += 2
                        continue
                    if nxt == "~":
                        self._emit("REQ", pos, pos + 2)
                        pos += 2
                    else:
                        self._emit("ASGN", pos, pos + 1)
                        pos += 1
                    pos = self._maybe_regex(pos)
                    if pos < 0:
                        return self.tokens
                    continue
                # not an operator: fall through to the operand state at the same char
            # lexToken
            if c in _OPERAND_PUNCT:
                type_, operand_after = _OPERAND_PUNCT[c]
                self._emit(type_, pos, pos + 1)
                pos += 1
                operand = not operand_after
                continue
            if c.isalpha():
                end = _IDENT_REST.match(text, pos + 1).end()
                word = text[pos:end]
                if not _is_ident_text(word):
                    end = pos + 1
                    while end < n and (
                        text[end].isalpha() or text[end].isdecimal() or text[end] == "_"
                    ):
                        end += 1
                    word = text[pos:end]
                if word in KEYWORDS:
                    self._emit(KEYWORDS[word], pos, end)
                elif word == "lambda" and text[end : end + 1] == ":":
                    self._emit("LAMBDA", pos, end + 1)
                    end += 1
                else:
                    self._emit("IDENT", pos, end)
                pos = end
                operand = False
                continue
            if c.isdecimal() or c == ".":
                pos = self._number(pos)
                if pos < 0:
                    return self.tokens
                operand = self.tokens[-1].type == "DOT"
                continue
            if c == '"':
                end = _scan_escaped(text, pos + 1, '"')
                if end < 0:
                    self._error(pos, "unterminated field reference", _HINT_UNTERMINATED_REFERENCE)
                    return self.tokens
                self._emit("REFERENCE", pos, end + 1, decode_reference(text[pos : end + 1]))
                pos = end + 1
                operand = False
                continue
            if c == "'":
                pos = self._string(pos)
                if pos < 0:
                    return self.tokens
                operand = False
                continue
            if c == "/":
                if text[pos + 1 : pos + 2] == "/":
                    pos = self._comment(pos)
                else:
                    pos = self._regex(pos)
                    if pos < 0:
                        return self.tokens
                continue
            self._error(pos, f"unexpected character {_quote_char(c)}", _char_hint(text, pos))
            return self.tokens

    def _comment(self, pos: int) -> int:
        end = _scan_comment(self.text, pos)
        self.comments.append(self.text[pos:end])
        return end

    def _maybe_regex(self, pos: int) -> int:
        """After ``=``, ``=~``, ``!~``: skip spaces; a ``/`` then starts a regex (never a comment)."""
        after = _SPACE_RUN.match(self.text, pos).end()
        if self.text[after : after + 1] == "/":
            return self._regex(after)
        return pos

    def _regex(self, pos: int) -> int:
        text = self.text
        end = _scan_escaped(text, pos + 1, "/")
        if end < 0:
            self._error(pos, "unterminated regex", _HINT_UNTERMINATED_REGEX)
            return -1
        lexeme = text[pos : end + 1]
        try:
            value = decode_regex(lexeme)
        except LiteralError as err:
            self._error(pos, err.message, err.hint)
            return -1
        self._emit("REGEX", pos, end + 1, value)
        return end + 1

    def _string(self, pos: int) -> int:
        text = self.text
        if text.startswith("'''", pos):
            end = _scan_triple(text, pos)
        elif text.startswith("''", pos):
            end = pos + 2
        else:
            close = _scan_escaped(text, pos + 1, "'")
            end = -1 if close < 0 else close + 1
        if end < 0:
            self._error(pos, "unterminated string", _unterminated_string_hint(text, pos))
            return -1
        self._emit("STRING", pos, end, decode_string(text[pos:end]))
        return end

    def _number(self, pos: int) -> int:
        """``lexNumberOrDurationOrDot``: ``.``, a number (``5``, ``5.``, ``.5``) or a duration."""
        text = self.text
        if text[pos] == "." and not text[pos + 1 : pos + 2].isdecimal():
            self._emit("DOT", pos, pos + 1)
            return pos + 1
        end = _DIGITS.match(text, pos).end()
        decimal = False
        if text[end : end + 1] == ".":
            decimal = True
            end = _DIGITS.match(text, end + 1).end()
            if text[end : end + 1] == ".":
                self._error(pos, "multiple decimals in number")
                return -1
        unit = text[end : end + 1]
        try:
            if not decimal and unit and unit in DURATION_UNITS:
                end += 2 if unit == "m" and text[end + 1 : end + 2] == "s" else 1
                self._emit("DURATION", pos, end, decode_duration(text[pos:end]))
            else:
                self._emit("NUMBER", pos, end, decode_number(text[pos:end]))
        except LiteralError as err:
            self._error(pos, err.message, err.hint)
            return -1
        return end


_HINT_UNTERMINATED_REFERENCE = (
    'a field reference "name" needs a closing double quote; strings use single quotes'
)
_HINT_UNTERMINATED_REGEX = "end the regex with '/'; write '\\/' for a slash inside it"


def _unterminated_string_hint(text: str, pos: int) -> str:
    line_end = text.find("\n", pos)
    rest = text[pos + 1 : line_end if line_end >= 0 else len(text)]
    if '"' in rest and "'" not in rest:
        return "this string starts with ' but ends with \": TICKscript strings use single quotes on both ends"
    if rest.rstrip().endswith("\\'") or "\\'" in rest:
        return "\\' inside a string is an escaped quote, not the end of the string"
    return "close the string with ' (use ''' for text spanning several lines)"


def _quote_char(c: str) -> str:
    return repr(c) if c.isprintable() else f"U+{ord(c):04X}"


def _char_hint(text: str, pos: int) -> str | None:
    c = text[pos]
    nxt = text[pos + 1 : pos + 2]
    if c == "&":
        return "TICKscript writes logical and as AND (upper case), not &&"
    if c == "|" and nxt == "|":
        return "TICKscript writes logical or as OR (upper case), not ||"
    if c == ":":
        before = text[max(0, pos - 10) : pos].rstrip()
        if before.endswith("lambda"):
            return "write 'lambda:' with no space before the colon"
        return "':' is only valid in 'lambda:'"
    if c == "#":
        return "comments start with //"
    if c == ";":
        return "TICKscript statements need no ';'"
    if c in "{}":
        return "calls use parentheses: |from(), .measurement('cpu')"
    if c == "=":
        return (
            "a comparison needs a value on its left; after a regex or list no operator may follow"
        )
    if c == "_":
        return "names must start with a letter"
    if c == "\ufeff":
        return "the file starts with a byte-order mark, which Kapacitor rejects too: save it as UTF-8 without BOM"
    return None


def tokenize(text: str) -> list[Tok]:
    """All tokens of ``text``, ending with ``$END`` or with the first ``LEXERROR``."""
    return Lexer(text).run()
