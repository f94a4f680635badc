"""The Go ``text/template`` lexer (``text/template/parse/lex.go``), delimiters ``{{`` ``}}``.

Produces the whole token list up front (templates are compiled once). A lexical error becomes
an ``ERROR`` token carrying Go's message; the parser reports it when it reaches it, exactly as
Go does, so the first problem in reading order wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto


class Tok(Enum):
    ERROR = auto()
    BOOL = auto()
    CHAR = auto()
    CHAR_CONSTANT = auto()
    COMMENT = auto()
    ASSIGN = auto()
    DECLARE = auto()
    EOF = auto()
    FIELD = auto()
    IDENTIFIER = auto()
    LEFT_DELIM = auto()
    LEFT_PAREN = auto()
    NUMBER = auto()
    PIPE = auto()
    RAW_STRING = auto()
    RIGHT_DELIM = auto()
    RIGHT_PAREN = auto()
    SPACE = auto()
    STRING = auto()
    TEXT = auto()
    VARIABLE = auto()
    # keywords (printed as <word> in errors)
    BLOCK = auto()
    BREAK = auto()
    CONTINUE = auto()
    DOT = auto()
    DEFINE = auto()
    ELSE = auto()
    END = auto()
    IF = auto()
    NIL = auto()
    RANGE = auto()
    TEMPLATE = auto()
    WITH = auto()


KEYWORDS: dict[str, Tok] = {
    ".": Tok.DOT,
    "block": Tok.BLOCK,
    "break": Tok.BREAK,
    "continue": Tok.CONTINUE,
    "define": Tok.DEFINE,
    "else": Tok.ELSE,
    "end": Tok.END,
    "if": Tok.IF,
    "range": Tok.RANGE,
    "nil": Tok.NIL,
    "template": Tok.TEMPLATE,
    "with": Tok.WITH,
}
_KEYWORD_TOKENS = frozenset(KEYWORDS.values())

LEFT_DELIM = "{{"
RIGHT_DELIM = "}}"
LEFT_COMMENT = "/*"
RIGHT_COMMENT = "*/"
_SPACE_CHARS = " \t\r\n"


@dataclass(frozen=True, slots=True)
class Token:
    typ: Tok
    val: str
    pos: int
    line: int

    def __str__(self) -> str:
        """Go's ``item.String()``, used in parse error messages."""
        if self.typ is Tok.EOF:
            return "EOF"
        if self.typ is Tok.ERROR:
            return self.val
        if self.typ in _KEYWORD_TOKENS:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return _go_quote(self.val[:10]) + "..."
        return _go_quote(self.val)


def _go_quote(text: str) -> str:
    from tickmini.gocompat.gofmt import quote_go

    return quote_go(text)


def _is_alnum(ch: str) -> bool:
    return ch == "_" or ch.isalpha() or ch.isdecimal()


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.start = 0
        self.line = 1
        self.start_line = 1
        self.tokens: list[Token] = []
        self.paren_depth = 0
        self.inside_action = False

    # --- helpers -----------------------------------------------------------------------
    def emit(self, typ: Tok) -> None:
        val = self.text[self.start : self.pos]
        self.tokens.append(Token(typ, val, self.start, self.start_line))
        self.start = self.pos
        self.start_line = self.line

    def ignore(self) -> None:
        self.line += self.text.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def next(self) -> str:
        if self.pos >= len(self.text):
            self.pos += 1  # so that backup() is symmetric at EOF
            return ""
        ch = self.text[self.pos]
        self.pos += 1
        if ch == "\n":
            self.line += 1
        return ch

    def backup(self) -> None:
        self.pos -= 1
        if self.pos < len(self.text) and self.text[self.pos] == "\n":
            self.line -= 1

    def accept(self, valid: str) -> bool:
        ch = self.next()
        if ch and ch in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid: str) -> None:
        while True:
            ch = self.next()
            if not ch or ch not in valid:
                self.backup()
                return

    def error(self, message: str) -> None:
        self.tokens.append(Token(Tok.ERROR, message, self.start, self.start_line))

    # --- states --------------------------------------------------------------------------
    def run(self) -> list[Token]:
        while self.lex_text():
            state = self.lex_left_delim()
            if state is None or (state == "action" and not self.lex_inside_action()):
                break
        return self.tokens

    def lex_text(self) -> bool:
        """Text up to the next ``{{``; returns False at EOF."""
        index = self.text.find(LEFT_DELIM, self.pos)
        if index < 0:
            self.pos = len(self.text)
            if self.pos > self.start:
                self.line += self.text.count("\n", self.start, self.pos)
                self.emit(Tok.TEXT)
            self.tokens.append(Token(Tok.EOF, "", self.pos, self.line))
            return False
        self.pos = index
        trim = _has_left_trim(self.text, index + len(LEFT_DELIM))
        end = index
        if trim:
            while end > self.start and self.text[end - 1] in _SPACE_CHARS:
                end -= 1
        if end > self.start:
            self.pos = end
            self.line += self.text.count("\n", self.start, end)
            self.emit(Tok.TEXT)
        self.pos = index
        self.ignore()
        return True

    def lex_left_delim(self) -> str | None:
        """Consume ``{{`` (and a comment); the next state, or None after an error."""
        self.pos += len(LEFT_DELIM)
        trim = _has_left_trim(self.text, self.pos)
        after_marker = 2 if trim else 0
        if self.text.startswith(LEFT_COMMENT, self.pos + after_marker):
            self.pos += after_marker
            self.ignore()
            return "text" if self.lex_comment() else None
        self.emit(Tok.LEFT_DELIM)
        self.pos += after_marker
        self.ignore()
        self.paren_depth = 0
        return "action"

    def lex_comment(self) -> bool:
        self.pos += len(LEFT_COMMENT)
        index = self.text.find(RIGHT_COMMENT, self.pos)
        if index < 0:
            self.error("unclosed comment")
            return False
        self.pos = index + len(RIGHT_COMMENT)
        self.line += self.text.count("\n", self.start, self.pos)
        delim, trim = self.at_right_delim()
        if not delim:
            self.error("comment ends before closing delimiter")
            return False
        self.emit(Tok.COMMENT)
        if trim:
            self.pos += 2
        self.pos += len(RIGHT_DELIM)
        if trim:
            self.skip_leading_space()
        self.ignore()
        return True

    def skip_leading_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _SPACE_CHARS:
            self.pos += 1

    def at_right_delim(self) -> tuple[bool, bool]:
        if _has_right_trim(self.text, self.pos) and self.text.startswith(RIGHT_DELIM, self.pos + 2):
            return True, True
        if self.text.startswith(RIGHT_DELIM, self.pos):
            return True, False
        return False, False

    def lex_right_delim(self, trim: bool) -> None:
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += len(RIGHT_DELIM)
        self.emit(Tok.RIGHT_DELIM)
        if trim:
            self.skip_leading_space()
            self.ignore()

    def lex_inside_action(self) -> bool:
        while True:
            delim, trim = self.at_right_delim()
            if delim:
                if self.paren_depth == 0:
                    self.lex_right_delim(trim)
                    return True
                self.error("unclosed left paren")
                return False
            ch = self.next()
            if ch == "":
                self.error("unclosed action")
                return False
            if ch in _SPACE_CHARS:
                self.backup()
                self.lex_space()
            elif ch == "=":
                self.emit(Tok.ASSIGN)
            elif ch == ":":
                if self.next() != "=":
                    self.error("expected :=")
                    return False
                self.emit(Tok.DECLARE)
            elif ch == "|":
                self.emit(Tok.PIPE)
            elif ch == '"':
                if not self.lex_quote():
                    return False
            elif ch == "`":
                if not self.lex_raw_quote():
                    return False
            elif ch == "$":
                if not self.lex_field_or_variable(Tok.VARIABLE):
                    return False
            elif ch == "'":
                if not self.lex_char():
                    return False
            elif ch == "." and not (self.peek() and "0" <= self.peek() <= "9"):
                if not self.lex_field_or_variable(Tok.FIELD):
                    return False
            elif ch in "+-." or "0" <= ch <= "9":
                self.backup()
                if not self.lex_number():
                    return False
            elif _is_alnum(ch):
                self.backup()
                if not self.lex_identifier():
                    return False
            elif ch == "(":
                self.emit(Tok.LEFT_PAREN)
                self.paren_depth += 1
            elif ch == ")":
                self.emit(Tok.RIGHT_PAREN)
                self.paren_depth -= 1
                if self.paren_depth < 0:
                    self.error(f"unexpected right paren {_unicode_name(ch)}")
                    return False
            elif ord(ch) < 0x80 and ch.isprintable():
                self.emit(Tok.CHAR)
            else:
                self.error(f"unrecognized character in action: {_unicode_name(ch)}")
                return False

    def lex_space(self) -> None:
        while self.peek() and self.peek() in _SPACE_CHARS:
            if self.at_right_delim()[1]:
                break  # " -}}": that space belongs to the trim marker
            self.next()
        if self.pos > self.start:
            self.emit(Tok.SPACE)

    def _scan_word(self) -> bool:
        """Alphanumerics up to a terminator; any other character is Go's "bad character"."""
        while _is_alnum(self.peek()):
            self.next()
        if self.at_terminator():
            return True
        self.error(f"bad character {_unicode_name(self.next())}")
        return False

    def lex_identifier(self) -> bool:
        if not self._scan_word():
            return False
        word = self.text[self.start : self.pos]
        if word in KEYWORDS and word != ".":
            self.emit(KEYWORDS[word])
        elif word in ("true", "false"):
            self.emit(Tok.BOOL)
        else:
            self.emit(Tok.IDENTIFIER)
        return True

    def lex_field_or_variable(self, typ: Tok) -> bool:
        if self.at_terminator():
            self.emit(Tok.VARIABLE if typ is Tok.VARIABLE else Tok.DOT)
            return True
        if not self._scan_word():
            return False
        self.emit(typ)
        return True

    def at_terminator(self) -> bool:
        ch = self.peek()
        if ch == "" or ch in _SPACE_CHARS or ch in ".,|:()":
            return True
        return self.text.startswith(RIGHT_DELIM, self.pos)

    def lex_char(self) -> bool:
        return self._lex_to_quote("'", "unterminated character constant", Tok.CHAR_CONSTANT)

    def _lex_to_quote(self, quote: str, unterminated: str, token: Tok) -> bool:
        """Go's ``lexChar``/``lexQuote``: up to the closing ``quote``, skipping escapes; a newline
        or the end of the text first is the ``unterminated`` error."""
        while True:
            ch = self.next()
            if ch == "\\":
                nxt = self.next()
                if nxt and nxt != "\n":
                    continue
                self.error(unterminated)
                return False
            if ch in ("", "\n"):
                self.error(unterminated)
                return False
            if ch == quote:
                break
        self.emit(token)
        return True

    def lex_number(self) -> bool:
        if not self.scan_number():
            self.error(f"bad number syntax: {_go_quote(self.text[self.start : self.pos])}")
            return False
        self.emit(Tok.NUMBER)
        return True

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if _is_alnum(self.peek()):
            self.next()
            return False
        return True

    def lex_quote(self) -> bool:
        return self._lex_to_quote('"', "unterminated quoted string", Tok.STRING)

    def lex_raw_quote(self) -> bool:
        index = self.text.find("`", self.pos)
        if index < 0:
            self.error("unterminated raw quoted string")
            return False
        self.line += self.text.count("\n", self.pos, index + 1)
        self.pos = index + 1
        self.emit(Tok.RAW_STRING)
        return True


def _has_left_trim(text: str, pos: int) -> bool:
    return text.startswith("-", pos) and pos + 1 < len(text) and text[pos + 1] in _SPACE_CHARS


def _has_right_trim(text: str, pos: int) -> bool:
    return pos + 1 < len(text) and text[pos] in _SPACE_CHARS and text[pos + 1] == "-"


def _unicode_name(ch: str) -> str:
    """Go's ``%#U``: ``U+0021 '!'``."""
    if not ch:
        return "EOF"
    code = ord(ch)
    if ch.isprintable():
        return f"U+{code:04X} '{ch}'"
    return f"U+{code:04X}"


def lex(text: str) -> list[Token]:
    """All tokens of a template text, ending with EOF or an ERROR token."""
    return _Lexer(text).run()
