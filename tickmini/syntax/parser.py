"""Parsing TICKscript text into the AST: ``parse_script`` and ``parse_lambda``.

Tokens from :mod:`tickmini.syntax.lexer` are fed one by one to the cached Lark LALR parser, whose
reductions build the AST directly (:mod:`tickmini.syntax.transform`). Any failure becomes a
:class:`~tickmini.errors.TickscriptSyntaxError` with file, line, column, what was expected and,
for common mistakes, a hint (:mod:`tickmini.syntax.diagnostics`).
"""

from __future__ import annotations

from typing import Any

from tickmini.syntax import ast
from tickmini.syntax.lexer import Lexer, Tok


def parse_script(text: str, filename: str = "<script>") -> ast.Program:
    """Parse a whole TICKscript; raises :class:`TickscriptSyntaxError`."""
    lexer = Lexer(text)
    tokens = lexer.run()
    statements = _feed(lexer, tokens, "start", text, filename)
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
    tokens = lexer.run()
    return _feed(lexer, tokens, "lambda_start", text, filename)


def _feed(lexer: Lexer, tokens: list[Tok], start: str, text: str, filename: str) -> Any:
    from lark.exceptions import UnexpectedToken

    from tickmini.syntax.grammar import tickscript_parser

    state = tickscript_parser().parse_interactive(start=start).parser_state
    feed = state.feed_token
    index = 0
    try:
        for index, tok in enumerate(tokens):
            lexer.cursor = index
            if tok.type == "$END":
                return feed(tok, True)
            if tok.type == "LEXERROR":
                break
            feed(tok)
    except UnexpectedToken as err:
        from tickmini.syntax.diagnostics import unexpected_token_error

        expected = _acceptable_terminals(err.state, err.expected)
        raise unexpected_token_error(tokens, index, expected, text, filename) from None
    from tickmini.syntax.diagnostics import lexer_error

    raise lexer_error(tokens, index, text, filename)


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


def _acceptable_terminals(state: Any, candidates: set[str]) -> set[str]:
    """The terminals the parser would really shift next (LALR merges lookaheads, so the
    failing state lists more); tried on copies of the state, without building any AST."""
    from copy import copy

    from lark.exceptions import UnexpectedToken

    conf = copy(state.parse_conf)
    conf.callbacks = {}
    accepted = set()
    for name in candidates:
        trial = state.copy(deepcopy_values=False)
        trial.parse_conf = conf
        try:
            trial.feed_token(Tok(name, "", None, 0, 0, 0, 0, None, None), name == "$END")
        except UnexpectedToken:
            continue
        accepted.add(name)
    return accepted or set(candidates)
