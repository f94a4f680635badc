"""Turning parser and lexer failures into errors a TICKscript author can act on.

The position is the offending token's, as in Kapacitor (so the line is the one Kapacitor
reports). ``expected`` is said in TICKscript words, derived from the parser state; ``hint``
covers the usual mistakes: ``and``/``&&`` for ``AND``, ``=`` for ``==``, a missing ``lambda:``,
``"`` for ``'``, unclosed strings and parentheses, chain methods without ``()``.
"""

from __future__ import annotations

from tickmini.errors import TickscriptSyntaxError
from tickmini.syntax.lexer import KEYWORDS, Tok

_VALUE_STARTS = frozenset({"NUMBER", "STRING", "DURATION", "IDENT", "LPAREN", "REFERENCE"})
_OPERATORS = frozenset(
    {
        "PLUS",
        "MINUS",
        "MULT",
        "DIV",
        "MOD",
        "AND",
        "OR",
        "EQ",
        "NE",
        "LT",
        "GT",
        "LE",
        "GE",
        "REQ",
        "RNE",
    }
)
_COMPARISONS = frozenset({"EQ", "NE", "LT", "GT", "LE", "GE", "REQ", "RNE", "AND", "OR"})
_VALUE_ENDS = frozenset(
    {"IDENT", "NUMBER", "STRING", "DURATION", "REFERENCE", "RPAREN", "TRUE", "FALSE", "REGEX"}
)

_WORDS: dict[str, str] = {
    "IDENT": "a name",
    "NUMBER": "a number",
    "STRING": "a 'string'",
    "DURATION": "a duration",
    "REFERENCE": 'a "reference"',
    "REGEX": "a /regex/",
    "LAMBDA": "'lambda:'",
    "TRUE": "TRUE",
    "FALSE": "FALSE",
    "STAR": "'*'",
    "LPAREN": "'('",
    "RPAREN": "')'",
    "LSB": "'['",
    "RSB": "']'",
    "_COMMA": "','",
    "DOT": "'.'",
    "PIPE": "'|'",
    "AT": "'@'",
    "ASGN": "'='",
    "VAR": "'var'",
    "DBRP": "'dbrp'",
    "NOT": "'!'",
    "MINUS": "'-'",
    "$END": "the end of the script",
    "PLUS": "'+'",
    "MULT": "'*'",
    "DIV": "'/'",
    "MOD": "'%'",
    "AND": "AND",
    "OR": "OR",
    "EQ": "'=='",
    "NE": "'!='",
    "LT": "'<'",
    "GT": "'>'",
    "LE": "'<='",
    "GE": "'>='",
    "REQ": "'=~'",
    "RNE": "'!~'",
}


def syntax_error(
    message: str,
    tok: Tok,
    text: str,
    filename: str,
    *,
    expected: str | None = None,
    hint: str | None = None,
) -> TickscriptSyntaxError:
    """The positioned error for ``tok``."""
    start = text.rfind("\n", 0, tok.pos) + 1
    end = text.find("\n", tok.pos)
    return TickscriptSyntaxError(
        message,
        file=filename,
        line=tok.line,
        column=tok.column,
        source_line=text[start : end if end >= 0 else len(text)],
        expected=expected,
        hint=hint,
    )


def lexer_error(
    tokens: list[Tok], index: int, expected: set[str], text: str, filename: str
) -> TickscriptSyntaxError:
    """The lexer stopped at ``tokens[index]`` (unterminated string, bad character or literal);
    ``expected`` are the terminals the parser could have taken there."""
    tok = tokens[index]
    message, hint = tok.value  # type: ignore[misc]
    hints = [hint] if hint else []
    lambda_hint = _missing_lambda_hint(tokens, index)
    if lambda_hint:
        hints.append(lambda_hint)
    prev = tokens[index - 1] if index > 0 else None
    return syntax_error(
        message,
        tok,
        text,
        filename,
        expected=describe_expected(expected, prev, tokens, index),
        hint="; ".join(hints) or None,
    )


def unexpected_token_error(
    tokens: list[Tok], index: int, expected: set[str], text: str, filename: str
) -> TickscriptSyntaxError:
    """The parser cannot accept ``tokens[index]``; ``expected`` are the terminals it could."""
    tok = tokens[index]
    prev = tokens[index - 1] if index > 0 else None
    message = f"unexpected {describe_token(tok)}"
    return syntax_error(
        message,
        tok,
        text,
        filename,
        expected=describe_expected(expected, prev, tokens, index),
        hint=_hint(tokens, index, expected, text),
    )


def describe_token(tok: Tok) -> str:
    if tok.type == "$END":
        return "end of script"
    if tok.type == "IDENT":
        return f"name '{tok.text}'"
    if tok.type in KEYWORDS.values() or tok.type == "LAMBDA":
        return f"keyword '{tok.text}'"
    kind = {
        "NUMBER": "number",
        "STRING": "string",
        "DURATION": "duration",
        "REFERENCE": "reference",
        "REGEX": "regex",
    }.get(tok.type)
    if kind:
        shown = tok.text if len(tok.text) <= 30 else tok.text[:27] + "..."
        return f"{kind} {shown}"
    return f"'{tok.text}'"


def describe_expected(
    expected: set[str], prev: Tok | None, tokens: list[Tok], index: int
) -> str | None:
    """What could have come instead, in TICKscript words."""
    if prev is not None and expected == {"IDENT"}:
        if prev.type == "DOT":
            return "a property name after '.'"
        if prev.type == "PIPE":
            return "a node name after '|', as in |from()"
        if prev.type == "AT":
            return "a user-defined function name after '@'"
        if prev.type == "VAR":
            return "a variable name after 'var'"
    if prev is not None and prev.type == "IDENT" and index >= 2 and tokens[index - 2].type == "VAR":
        return "'=' and a value, or a type (int, float, string, bool, duration, regex, lambda, list, star)"
    if prev is not None and prev.type == "DBRP":
        return 'a database name in double quotes, as in dbrp "telegraf"."autogen"'
    if prev is not None and expected == {"LPAREN"} and index >= 2:
        before = tokens[index - 2]
        if before.type == "PIPE":
            return f"'(' after |{prev.text}: chain methods always take parentheses"
    parts: list[str] = []
    rest = set(expected)
    if len(rest & _OPERATORS) >= 5:
        parts.append("an operator")
        rest -= _OPERATORS
    for name in ("DOT", "PIPE", "AT"):
        if name in rest:
            parts.append(_WORDS[name])
            rest.discard(name)
    statement = {"VAR", "DBRP"} <= rest
    if rest >= _VALUE_STARTS:
        parts.append("a new statement" if statement else "a value or expression")
        rest -= _VALUE_STARTS | {"TRUE", "FALSE", "MINUS", "NOT", "REGEX", "STAR"}
        if statement:
            rest -= {"VAR", "DBRP", "LAMBDA", "LSB"}
    at_end = "$END" in rest
    rest.discard("$END")
    parts.extend(_WORDS.get(name, name.lower()) for name in sorted(rest))
    if at_end:
        parts.append(_WORDS["$END"])
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def _open_brackets(tokens: list[Tok], index: int) -> list[Tok]:
    stack: list[Tok] = []
    for tok in tokens[:index]:
        if tok.type in ("LPAREN", "LSB"):
            stack.append(tok)
        elif tok.type in ("RPAREN", "RSB") and stack:
            stack.pop()
    return stack


def _missing_lambda_hint(tokens: list[Tok], index: int) -> str | None:
    """Inside a call's argument with a comparison but no ``lambda:`` in front."""
    depth = 0
    saw_comparison = False
    for i in range(index - 1, -1, -1):
        tok = tokens[i]
        if tok.type in ("RPAREN", "RSB"):
            depth += 1
        elif tok.type in ("LPAREN", "LSB"):
            if depth == 0:
                is_call = tok.type == "LPAREN" and i > 0 and tokens[i - 1].type == "IDENT"
                if is_call and saw_comparison:
                    return (
                        "a condition passed to a node or property needs 'lambda:' in front, "
                        "as in .where(lambda: \"host\" == 'a')"
                    )
                return None
            depth -= 1
        elif depth == 0:
            if tok.type in ("LAMBDA", "_COMMA"):
                return None
            if tok.type in _COMPARISONS:
                saw_comparison = True
    return None


def _hint(tokens: list[Tok], index: int, expected: set[str], text: str) -> str | None:
    tok = tokens[index]
    prev = tokens[index - 1] if index > 0 else None
    hints: list[str] = []
    after_value = prev is not None and prev.type in _VALUE_ENDS
    if tok.type == "IDENT" and after_value:
        if tok.text in ("and", "or"):
            hints.append(f"TICKscript writes '{tok.text}' as {tok.text.upper()}, in upper case")
        elif tok.text == "not":
            hints.append("negation is written with '!'")
        elif prev is not None and prev.type == "IDENT" and prev.text == "lambda":
            hints.append("write 'lambda:' with the colon right after 'lambda'")
    if tok.type == "IDENT" and prev is not None and prev.type == "NUMBER":
        if "." in prev.text and tok.text[0] in "uµsmhdw":
            hints.append(
                f"durations are whole numbers: {prev.text}{tok.text} is the number {prev.text} "
                f"followed by the name {tok.text} (write for example 90s)"
            )
        elif tok.text[0] in "eE":
            hints.append("numbers have no exponent notation: write 1000000.0, not 1e6")
    if tok.type in ("REFERENCE", "STRING", "NUMBER") and prev is not None and prev.text == "lambda":
        hints.append("write 'lambda:' with the colon right after 'lambda'")
    if tok.type == "ASGN":
        hints.append("compare with '=='; a single '=' only appears in 'var name = value'")
    if tok.type == "PIPE" and text[tok.end : tok.end + 1] == "|":
        hints.append("TICKscript writes logical or as OR, not ||")
    if prev is not None and prev.type == "VAR":
        if tok.type in KEYWORDS.values() or tok.type == "LAMBDA":
            hints.append(f"'{tok.text}' is a keyword and cannot be a variable name")
        elif tok.type in ("NUMBER", "DURATION"):
            hints.append("names start with a letter")
    if prev is not None and prev.type in ("DBRP", "DOT") and tok.type == "STRING":
        hints.append('database and retention policy names are double-quoted: dbrp "db"."rp"')
    if expected == {"LPAREN"} and index >= 2 and tokens[index - 2].type == "PIPE":
        hints.append(f"write |{tokens[index - 1].text}() even without arguments")
    open_brackets = _open_brackets(tokens, index)
    if tok.type == "RPAREN" and not any(t.type == "LPAREN" for t in open_brackets):
        hints.append("this ')' has no matching '('")
    if open_brackets:
        innermost = open_brackets[-1]
        if tok.type == "$END" or tok.line > innermost.line:
            hints.append(
                f"the '{innermost.text}' at line {innermost.line}, column {innermost.column} "
                "is not closed"
            )
    lambda_hint = _missing_lambda_hint(tokens, index)
    if lambda_hint:
        hints.append(lambda_hint)
    return "; ".join(hints) or None
