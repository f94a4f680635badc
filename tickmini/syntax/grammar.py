"""Finding, building and caching the TICKscript grammar, once per process.

The grammar ships inside the wheel as ``tickmini/grammars/tickscript.lark`` (pyproject
force-include); in a source checkout or an editable install it is the top-level
``grammars/tickscript.lark``.

Lark computes the LALR(1) tables and the reduction callbacks (our AST builder). Building them
takes tens of milliseconds, so Lark's own cache keeps them in the user's cache directory
(validated by a hash of the grammar, options and versions; a per-user directory rather than the
shared temporary one, since the cache is a pickle). :func:`parse_tables` then flattens them
into plain dicts for the parsing loop in :mod:`tickmini.syntax.parser`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lark import Lark

GRAMMAR_NAME = "tickscript.lark"
START_RULES = ("start", "lambda_start")


def grammar_text() -> str:
    """The grammar source: from the installed package, else from the source checkout."""
    packaged = resources.files("tickmini") / "grammars" / GRAMMAR_NAME
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammars" / GRAMMAR_NAME
    return checkout.read_text(encoding="utf-8")


def _cache_file() -> str | bool:
    """Where Lark may keep its analysed tables; False when there is no private place."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "tickmini"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    if not os.access(directory, os.W_OK):
        return False
    return str(directory / "tickscript-lalr.cache")


@functools.lru_cache(maxsize=1)
def tickscript_parser() -> Lark:
    """The Lark LALR(1) parser with the AST builder as its callbacks (built once)."""
    from lark import Lark

    from tickmini.syntax.transform import FedByTickminiLexer, TreeBuilder

    return Lark(
        grammar_text(),
        parser="lalr",
        lexer=FedByTickminiLexer,
        transformer=TreeBuilder(),
        start=list(START_RULES),
        maybe_placeholders=False,
        cache=_cache_file(),
    )


# An action: (next state, None, None) to shift a token or go to a state after a reduction;
# (number of children, rule name, callback) to reduce.
Action = tuple[int, Any, Callable[[list[Any]], Any] | None]


@dataclass(frozen=True, slots=True)
class ParseTables:
    """Lark's LALR(1) tables as plain data: ``states[state][symbol] -> Action``."""

    states: tuple[dict[str, Action], ...]
    start_states: dict[str, int]
    end_states: dict[str, int]


@functools.lru_cache(maxsize=1)
def parse_tables() -> ParseTables:
    """Flatten the tables of :func:`tickscript_parser` (Lark's parse table and callbacks)."""
    inner = tickscript_parser().parser.parser.parser
    table = inner.parse_table
    callbacks = inner.callbacks
    count = max(table.states) + 1
    states: list[dict[str, Action]] = [{} for _ in range(count)]
    for state, actions in table.states.items():
        row = states[state]
        for symbol, (action, arg) in actions.items():
            if str(action) == "Shift":
                row[symbol] = (arg, None, None)
            else:
                row[symbol] = (len(arg.expansion), arg.origin.name, callbacks[arg])
    return ParseTables(
        states=tuple(states),
        start_states=dict(table.start_states),
        end_states=dict(table.end_states),
    )
