"""Show a lambda's work on one point, step by step, like pytest's assertion rewriting.

``"usage_idle" < 10`` on a point with usage_idle=7.5 reads
``"usage_idle" < 10 -> 7.5 < 10 -> true``: first the expression as written, then the
references and function calls replaced by their values, then each operator whose operands are
known replaced by its result, until one value is left.

Every sub-expression is compiled once (with :func:`tickmini.lang.compiler.compile_expression`)
and evaluated on its own, so the values shown are exactly the values the engine computes.
Expressions that call a stateful function (``count()``, ``sigma()``, ``spread()``) are not
re-evaluated: a second evaluation would change their state, so only the text is shown.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tickmini.errors import TickminiError
from tickmini.gocompat.durations import format_go_duration
from tickmini.gocompat.numbers import format_float_v
from tickmini.lang.compiler import compile_expression
from tickmini.syntax import ast
from tickmini.syntax.formatter import format_expression
from tickmini.values import Duration, Point

__all__ = [
    "STATEFUL_FUNCTIONS",
    "Explained",
    "LambdaExplainer",
    "calls_stateful",
    "references_of",
    "value_text",
]

STATEFUL_FUNCTIONS = frozenset({"count", "sigma", "spread"})
ARROW = " -> "
MAX_STEPPED_NODES = 200  # bigger expressions show only their final value
MAX_SOURCE_CHARS = 300


def _shortened(text: str) -> str:
    return text if len(text) <= MAX_SOURCE_CHARS else text[: MAX_SOURCE_CHARS - 1] + "…"


@dataclass(frozen=True, slots=True)
class Explained:
    """One lambda on one point: the successive renderings and the outcome."""

    steps: tuple[str, ...]
    value: object = None
    error: str | None = None
    evaluated: bool = True  # False: stateful, not re-evaluated

    def render(self) -> str:
        return ARROW.join(self.steps)

    @property
    def truth(self) -> bool | None:
        """True/False for a boolean result, None for an error or when not evaluated."""
        if self.error is not None or not self.evaluated or not isinstance(self.value, bool):
            return None
        return self.value


def value_text(value: object) -> str:
    """A lambda value written as TICKscript would write it (Go's %v for floats)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_float_v(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "\\'") + "'"
    if isinstance(value, Duration):
        return format_go_duration(value.nanoseconds)
    return str(value)


def _children(node: ast.Expr) -> tuple[ast.Expr, ...]:
    if isinstance(node, ast.BinaryExpr):
        return (node.left, node.right)
    if isinstance(node, ast.UnaryExpr):
        return (node.operand,)
    if isinstance(node, ast.FunctionCall):
        return node.args
    if isinstance(node, ast.Lambda):
        return (node.expr,)
    return ()


def _walk(node: ast.Expr) -> Iterator[ast.Expr]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(_children(current))


def calls_stateful(expr: ast.Expr) -> bool:
    """Whether the expression calls count(), sigma() or spread() anywhere."""
    return any(
        isinstance(n, ast.FunctionCall) and n.name in STATEFUL_FUNCTIONS for n in _walk(expr)
    )


def references_of(expr: ast.Expr) -> tuple[str, ...]:
    """The field/tag names the expression reads, in order of first appearance."""
    seen: dict[str, None] = {}
    for node in _walk(expr):
        if isinstance(node, ast.Reference) and node.name != "time":
            seen[node.name] = None
    return tuple(sorted(seen, key=lambda name: _first_position(expr, name)))


def _first_position(expr: ast.Expr, name: str) -> tuple[int, int]:
    return min(
        (n.line, n.column) for n in _walk(expr) if isinstance(n, ast.Reference) and n.name == name
    )


def _substituted_root(compiled: object, fallback: ast.Expr) -> ast.Expr:
    """The compiled lambda's AST with script vars replaced by their values, if it keeps one."""
    template = getattr(compiled, "_template", None)
    analysis = getattr(template, "analysis", None)
    root = getattr(analysis, "root", None)
    return root if root is not None else fallback


def _is_leaf_value(node: ast.Expr) -> bool:
    """Replaced by its value in the first step (the point's data enters here)."""
    return isinstance(node, ast.Reference | ast.FunctionCall)


class LambdaExplainer:
    """Compiled once per lambda; ``explain(point)`` is called for each traced point."""

    def __init__(self, expr: ast.Expr, compiled: object | None = None) -> None:
        if isinstance(expr, ast.Lambda):
            expr = expr.expr
        self.source = _shortened(format_expression(expr))
        self.stateful = calls_stateful(expr)
        self.references = references_of(expr)
        self.root = _substituted_root(compiled, expr)
        self._evaluators: dict[int, Callable[[Point], object]] = {}
        self._heights: dict[int, int] = {}
        self.whole_only = sum(1 for _ in _walk(self.root)) > MAX_STEPPED_NODES
        if self.stateful:
            return
        if self.whole_only:
            # A generated giant (thousands of ORs): only the final value, computed by the
            # compiled lambda itself.
            evaluate = getattr(compiled, "evaluate", None)
            if evaluate is None:
                with contextlib.suppress(TickminiError):
                    evaluate = compile_expression(self.root).evaluate
            if evaluate is not None:
                self._evaluators[id(self.root)] = evaluate
            return
        self._prepare(self.root)

    def _prepare(self, root: ast.Expr) -> None:
        for node in _walk(root):
            try:
                self._evaluators[id(node)] = compile_expression(node).evaluate
            except TickminiError:
                # A sub-expression that cannot stand alone (it should not happen once the
                # whole lambda compiled): that node keeps its text.
                continue
        self._height(root)

    def _height(self, node: ast.Expr) -> int:
        """The step at which the node is replaced by its value (0: literals, kept as written)."""
        children = _children(node)
        if _is_leaf_value(node):
            height = 1
        elif not children:
            height = 0
        else:
            height = 1 + max(self._height(child) for child in children)
        if isinstance(node, ast.FunctionCall):
            for child in children:
                self._height(child)
        self._heights[id(node)] = height
        return height

    def explain(self, point: Point) -> Explained:
        if self.stateful:
            note = "(calls a stateful function: not re-evaluated)"
            return Explained((self.source, note), None, None, False)
        values: dict[int, tuple[object, str | None]] = {}
        root_eval = self._evaluators.get(id(self.root))
        if root_eval is None:
            return Explained((self.source,), None, None, False)
        if self.whole_only:
            try:
                value, error = root_eval(point), None
            except TickminiError as err:
                value, error = None, err.message
            final = f"error: {error}" if error is not None else value_text(value)
            return Explained((self.source, final), value, error)
        self._evaluate(self.root, point, values, True)
        steps = [self.source]
        top = self._heights[id(self.root)]
        for level in range(1, top + 1):
            text = self._render(self.root, values, level)
            if text not in (steps[-1], "error"):
                steps.append(text)
        value, error = values[id(self.root)]
        final = f"error: {error}" if error is not None else value_text(value)
        if steps[-1] != final:
            steps.append(final)
        return Explained(tuple(steps), value, error)

    def _evaluate(
        self,
        node: ast.Expr,
        point: Point,
        values: dict[int, tuple[object, str | None]],
        reached: bool,
    ) -> None:
        """Values of every node the engine would reach (AND/OR short-circuit like Go)."""
        if not reached:
            return
        evaluate = self._evaluators.get(id(node))
        if evaluate is not None:
            try:
                values[id(node)] = (evaluate(point), None)
            except TickminiError as err:
                values[id(node)] = (None, err.message)
        if isinstance(node, ast.BinaryExpr) and node.op in ("AND", "OR"):
            self._evaluate(node.left, point, values, True)
            left, _ = values.get(id(node.left), (None, None))
            short = left is False if node.op == "AND" else left is True
            self._evaluate(node.right, point, values, not short)
            return
        for child in _children(node):
            self._evaluate(child, point, values, True)

    def _render(
        self, node: ast.Expr, values: dict[int, tuple[object, str | None]], level: int
    ) -> str:
        key = id(node)
        height = self._heights.get(key, 0)
        if 1 <= height <= level:
            if key not in values:
                return "…"  # never evaluated: the other side of AND/OR decided
            value, error = values[key]
            if error is None:
                return value_text(value)
            return "missing" if isinstance(node, ast.Reference) else "error"
        if isinstance(node, ast.BinaryExpr):
            text = (
                f"{self._render(node.left, values, level)} {node.op} "
                f"{self._render(node.right, values, level)}"
            )
            return f"({text})" if node.parens else text
        if isinstance(node, ast.UnaryExpr):
            return node.op + self._render(node.operand, values, level)
        return format_expression(node)


_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@dataclass(frozen=True, slots=True)
class Threshold:
    """``"field" <op> constant`` somewhere in a lambda (a line worth drawing on a plot)."""

    field: str
    op: str
    value: float


def thresholds(explainer: LambdaExplainer) -> list[Threshold]:
    """The comparisons of a reference with a number in the lambda (vars already substituted),
    written with the reference on the left."""
    found: list[Threshold] = []
    for node in _walk(explainer.root):
        if not isinstance(node, ast.BinaryExpr) or node.op not in _MIRRORED:
            continue
        left, right, op = node.left, node.right, node.op
        if isinstance(left, ast.NumberLiteral) and isinstance(right, ast.Reference):
            left, right, op = right, left, _MIRRORED[op]
        if isinstance(left, ast.Reference) and isinstance(right, ast.NumberLiteral):
            found.append(Threshold(left.name, op, float(right.value)))
    return found
