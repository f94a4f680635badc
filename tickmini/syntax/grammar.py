"""Finding the TICKscript grammar, having Lark analyse it, and caching the result.

The grammar ships inside the wheel as ``tickmini/grammars/tickscript.lark`` (pyproject
force-include); in a source checkout or an editable install it is the top-level
``grammars/tickscript.lark``.

Lark computes the LALR(1) tables and how each reduction shapes its children (which tokens are
dropped, which helper rules are spliced in, which ``?rule`` passes its only child through).
That analysis is flattened into plain data (:class:`ParseTables`), whose reductions call the
:class:`~tickmini.syntax.transform.TreeBuilder` methods. The plain data is kept as JSON in the
user's cache directory, keyed by a hash of the grammar, so a warm start neither imports Lark
(about 40 ms) nor analyses the grammar (about 30 ms). JSON, not pickle: loading it runs no code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

GRAMMAR_NAME = "tickscript.lark"
START_RULES = ("start", "lambda_start")
# Bump when the cached data's layout or meaning changes.
CACHE_FORMAT = "tickmini-lalr-1"

# An action: (next state, None, None) to shift a token or go to a state after a reduction;
# (number of children, rule name, callback) to reduce.
Action = tuple[int, Any, Callable[[list[Any]], Any] | None]


@dataclass(frozen=True, slots=True)
class ParseTables:
    """The LALR(1) automaton as plain data: ``states[state][symbol] -> Action``."""

    states: tuple[dict[str, Action], ...]
    start_states: dict[str, int]
    end_states: dict[str, int]


def grammar_text() -> str:
    """The grammar source: from the installed package, else from the source checkout."""
    packaged = resources.files("tickmini") / "grammars" / GRAMMAR_NAME
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammars" / GRAMMAR_NAME
    return checkout.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def parse_tables() -> ParseTables:
    """The parse tables with the AST builder's callbacks (built once per process)."""
    text = grammar_text()
    key = hashlib.sha256((CACHE_FORMAT + "\n" + text).encode("utf-8")).hexdigest()
    cache = _cache_file()
    data = _load(cache, key) if cache is not None else None
    if data is not None:
        try:
            return _tables(data)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            pass  # a damaged cache file: analyse again
    data = analyse_grammar(text)
    data["key"] = key
    if cache is not None:
        _save(cache, data)
    return _tables(data)


def analyse_grammar(text: str) -> dict[str, Any]:
    """Let Lark build the LALR(1) automaton and describe each rule's reduction as data."""
    from lark import Lark
    from lark.lexer import Lexer

    class FedByTickminiLexer(Lexer):
        """Lark wants a lexer; ours runs outside it (:mod:`tickmini.syntax.lexer`)."""

        def __init__(self, lexer_conf: Any) -> None:
            del lexer_conf

        def lex(self, *args: Any) -> Any:
            raise TypeError("tokens are fed by tickmini.syntax.lexer")

    parser = Lark(
        text,
        parser="lalr",
        lexer=FedByTickminiLexer,
        start=list(START_RULES),
        maybe_placeholders=False,
    )
    table = parser.parser.parser.parser.parse_table
    rules: list[Any] = []
    rule_index: dict[Any, int] = {}
    states: list[dict[str, int]] = [{} for _ in range(max(table.states) + 1)]
    for state, actions in table.states.items():
        for symbol, (action, arg) in actions.items():
            if str(action) == "Shift":
                states[state][symbol] = arg
            else:
                if arg not in rule_index:
                    rule_index[arg] = len(rules)
                    rules.append(arg)
                states[state][symbol] = -1 - rule_index[arg]
    return {
        "format": CACHE_FORMAT,
        "states": states,
        "start_states": dict(table.start_states),
        "end_states": dict(table.end_states),
        "rules": [_rule_shape(rule) for rule in rules],
    }


def _rule_shape(rule: Any) -> dict[str, Any]:
    """What Lark's parse-tree builder does on reducing ``rule`` (LALR, no placeholders):
    drop filtered tokens (``_COMMA``), splice the children of ``_helper`` rules, let an
    unaliased ``?rule`` return its only child, else call the method named by alias or rule."""
    keep = [
        [index, (not sym.is_term) and sym.name.startswith("_")]
        for index, sym in enumerate(rule.expansion)
        if rule.options.keep_all_tokens or not (sym.is_term and sym.filter_out)
    ]
    return {
        "size": len(rule.expansion),
        "origin": rule.origin.name,
        "method": rule.alias or rule.options.template_source or rule.origin.name,
        "keep": keep,
        "pass_single": bool(rule.options.expand1 and not rule.alias),
    }


def _tables(data: dict[str, Any]) -> ParseTables:
    from tickmini.syntax.transform import TreeBuilder

    builder = TreeBuilder()
    reductions = [
        (shape["size"], shape["origin"], _reduction(shape, builder)) for shape in data["rules"]
    ]
    states = tuple(
        {
            symbol: (target, None, None) if target >= 0 else reductions[-1 - target]
            for symbol, target in row.items()
        }
        for row in data["states"]
    )
    return ParseTables(
        states=states,
        start_states=dict(data["start_states"]),
        end_states=dict(data["end_states"]),
    )


def _reduction(shape: dict[str, Any], builder: Any) -> Callable[[list[Any]], Any]:
    keep = [(index, splice) for index, splice in shape["keep"]]
    pass_single = shape["pass_single"]
    method = getattr(builder, shape["method"], None)
    helper = shape["origin"].startswith("_")
    if method is None and not helper and not pass_single:
        raise AssertionError(f"grammar rule {shape['origin']!r} has no TreeBuilder method")
    filtering = len(keep) < shape["size"] or any(splice for _, splice in keep)

    def reduce(children: list[Any]) -> Any:
        if filtering:
            kept: list[Any] | None = None
            for index, splice in keep:
                child = children[index]
                if kept is None:
                    # A spliced helper's list is ours alone: extend it in place, so that
                    # left-recursive repetitions (statements, arguments) stay linear.
                    kept = child if splice else [child]
                elif splice:
                    kept.extend(child)
                else:
                    kept.append(child)
            children = kept if kept is not None else []
        if pass_single and len(children) == 1:
            return children[0]
        if method is None:
            if not helper:
                raise AssertionError(f"rule {shape['origin']!r} reduced {len(children)} children")
            return children  # a helper rule's children are spliced into its parent
        return method(children)

    return reduce


def _cache_file() -> Path | None:
    """Where the analysed grammar may be kept; None when there is no private writable place."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "tickmini"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(directory, os.W_OK):
        return None
    return directory / "tickscript-lalr.json"


def _load(path: Path, key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data


def _save(path: Path, data: dict[str, Any]) -> None:
    """Write atomically (rename), so a concurrent reader never sees half a file."""
    try:
        fd, temp = tempfile.mkstemp(prefix=".tickscript-", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"))
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)
