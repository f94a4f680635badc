"""Finding and building the TICKscript grammar, once per process.

The grammar ships inside the wheel as ``tickmini/grammars/tickscript.lark`` (pyproject
force-include); in a source checkout or an editable install it is the top-level
``grammars/tickscript.lark``.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lark import Lark

GRAMMAR_NAME = "tickscript.lark"


def grammar_text() -> str:
    """The grammar source: from the installed package, else from the source checkout."""
    packaged = resources.files("tickmini") / "grammars" / GRAMMAR_NAME
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammars" / GRAMMAR_NAME
    return checkout.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def tickscript_parser() -> Lark:
    """The LALR(1) parser with the AST builder applied while parsing (built once)."""
    from lark import Lark
    from lark.lexer import Lexer

    from tickmini.syntax.transform import TreeBuilder

    class _FedByTickminiLexer(Lexer):
        """Placeholder: tokens are fed from :mod:`tickmini.syntax.lexer`."""

        def __init__(self, lexer_conf: Any) -> None:
            del lexer_conf

        def lex(self, *args: Any) -> Any:
            raise TypeError("tokens are fed by tickmini.syntax.lexer")

    return Lark(
        grammar_text(),
        parser="lalr",
        lexer=_FedByTickminiLexer,
        transformer=TreeBuilder(),
        start=["start", "lambda_start"],
        maybe_placeholders=False,
    )
