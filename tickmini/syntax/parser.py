"""Parsing TICKscript text into the AST: ``parse_script`` and ``parse_lambda``.

Tokens from :mod:`tickmini.syntax.lexer` run through Lark's LALR(1) tables
(:mod:`tickmini.syntax.grammar`), whose reductions build the AST directly
(:mod:`tickmini.syntax.transform`); no parse tree is built. The loop below is Lark's own
``feed_token`` over pre-flattened tables. Any failure becomes a
:class:`~tickmini.errors.TickscriptSyntaxError` with file, line, column, what was expected and,
for common mistakes, a hint (:mod:`tickmini.syntax.diagnostics`).
"""

from __future__ import annotations

from typing import Any

from tickmini.errors import TickscriptSyntaxError
from tickmini.syntax import ast
from tickmini.syntax.lexer import Lexer, Tok

END = "$END"


def parse_script(text: str, filename: str = "<script>") -> ast.Program:
    """Parse a whole TICKscript; raises :class:`TickscriptSyntaxError`."""
    lexer = Lexer(text)
    tokens = lexer.run()
    try:
        statements = _run(lexer, tokens, "start", text, filename)
    finally:
        lexer.tokens = []  # tokens refer to the lexer: no reference cycle left behind
    return ast.Program(
        line=1,
        column=1,
        statements=tuple(statements),
        filename=filename,
        source=text,
        trailing_comment=_trailing_comment(tokens),
    )


def parse_lambda(text: str, filename: str = "<lambda>") -> ast.Expr:
    """Parse the expression of a lambda (the text after ``lambda:``), as Kapacitor's
    ``ParseLambda`` does; raises :class:`TickscriptSyntaxError`."""
    lexer = Lexer(text)
    try:
        return _run(lexer, lexer.run(), "lambda_start", text, filename)
    finally:
        lexer.tokens = []


def _run(lexer: Lexer, tokens: list[Tok], start: str, text: str, filename: str) -> Any:
    from tickmini.syntax.grammar import parse_tables

    tables = parse_tables()
    states = tables.states
    end_state = tables.end_states[start]
    state_stack = [tables.start_states[start]]
    value_stack: list[Any] = []
    for index, tok in enumerate(tokens):
        lexer.cursor = index
        kind = tok.type
        while True:
            action = states[state_stack[-1]].get(kind)
            if action is None:
                raise _failure(tokens, index, start, text, filename)
            target, rule, callback = action
            if callback is None:
                state_stack.append(target)
                value_stack.append(tok)
                break
            if target:
                children = value_stack[-target:]
                del state_stack[-target:]
                del value_stack[-target:]
            else:
                children = []
            value = callback(children)
            state_stack.append(states[state_stack[-1]][rule][0])
            value_stack.append(value)
            if kind == END and state_stack[-1] == end_state:
                return value
    raise AssertionError("the token list always ends with $END or LEXERROR")  # pragma: no cover


def _failure(
    tokens: list[Tok],
    index: int,
    start: str,
    text: str,
    filename: str,
) -> TickscriptSyntaxError:
    from tickmini.syntax import diagnostics

    expected = acceptable_terminals(tokens[:index], start)
    if tokens[index].type == "LEXERROR":
        return diagnostics.lexer_error(tokens, index, expected, text, filename)
    return diagnostics.unexpected_token_error(tokens, index, expected, text, filename)


def _advance(states: tuple[dict[str, Any], ...], stack: list[int], kind: str, end: int) -> bool:
    """Feed one terminal to a bare state stack (no AST); False if the parser rejects it."""
    while True:
        action = states[stack[-1]].get(kind)
        if action is None:
            return False
        target, rule, callback = action
        if callback is None:
            stack.append(target)
            return True
        if target:
            del stack[-target:]
        stack.append(states[stack[-1]][rule][0])
        if kind == END and stack[-1] == end:
            return True


def acceptable_terminals(prefix: list[Tok], start: str) -> set[str]:
    """The terminals that may follow ``prefix`` (which the parser accepted).

    The parser's failing state is not enough: LALR merges lookaheads and may have reduced
    already, so the state after ``prefix`` is rebuilt and every terminal tried on a copy.
    """
    from tickmini.syntax.grammar import parse_tables

    tables = parse_tables()
    states = tables.states
    end = tables.end_states[start]
    stack = [tables.start_states[start]]
    for tok in prefix:
        _advance(states, stack, tok.type, end)
    candidates = {s for state in states for s in state if s == END or s.isupper()}
    return {kind for kind in candidates if _advance(states, list(stack), kind, end)}


def _trailing_comment(tokens: list[Tok]) -> tuple[str, ...]:
    """Kapacitor keeps, as program-level comments, a comment still attached to the last token
    (only a final ``)`` or ``]`` can have one) and the comment before the end of the text."""
    end = tokens[-1]
    last = tokens[-2] if len(tokens) > 1 else None
    blocks = [
        block
        for block in ((last.take_comment() if last is not None else ()), end.take_comment())
        if block
    ]
    if len(blocks) == 2:
        return (*blocks[0], "\n", "\n", *blocks[1])
    return blocks[0] if blocks else ()
