"""Compile-time facts about a lambda expression: Kapacitor's constant types, which nodes are
dynamic, the define-time type checks, and Kapacitor's ``Type(scope)`` for a given set of
reference types.

Kapacitor evaluates a node by first asking the *types* of its operands (``Type(scope)``), which
depend only on the types of the referenced fields and tags, never on their values. So for every
combination of reference types all type questions (and the errors they raise) are answered once,
when the expression is specialised for that combination (see :mod:`tickmini.lang.codegen`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tickmini.gocompat.durations import format_go_duration
from tickmini.gocompat.numbers import format_float_v
from tickmini.lang.functions import MAX_ARGS, FunctionSpec
from tickmini.lang.operators import (
    BINARY_RESULT,
    COMPARISON_OPERATORS,
    LOGICAL_OPERATORS,
    binary_type_error,
)
from tickmini.lang.types import (
    T_BOOL,
    T_DURATION,
    T_FLOAT,
    T_INT,
    T_INVALID,
    T_MISSING,
    T_REGEX,
    T_STRING,
    T_TIME,
)
from tickmini.syntax import ast

TIME_REFERENCE = "time"

LITERAL_TYPES: dict[type, str] = {
    ast.StringLiteral: T_STRING,
    ast.DurationLiteral: T_DURATION,
    ast.BoolLiteral: T_BOOL,
    ast.RegexLiteral: T_REGEX,
}


class TypeFailure(Exception):
    """A type question has no answer: Kapacitor reports ``message`` for ``node``."""

    def __init__(self, message: str, node: ast.Node, *, panic: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.node = node
        self.panic = panic


def literal_type(node: ast.Node) -> str | None:
    if isinstance(node, ast.NumberLiteral):
        return T_INT if isinstance(node.value, int) else T_FLOAT
    return LITERAL_TYPES.get(type(node))


def argument_text(node: ast.Node) -> str:
    """How Kapacitor prints an argument in a signature error (its evaluator's ``String()``)."""
    if isinstance(node, ast.Reference):
        return '"' + node.name + '"'
    if isinstance(node, ast.NumberLiteral):
        return format_float_v(node.value) if isinstance(node.value, float) else str(node.value)
    if isinstance(node, ast.StringLiteral):
        return node.value
    if isinstance(node, ast.DurationLiteral):
        return format_go_duration(node.nanoseconds)
    if isinstance(node, ast.BoolLiteral):
        return "true" if node.value else "false"
    if isinstance(node, ast.RegexLiteral):
        return node.pattern
    if isinstance(node, ast.UnaryExpr):
        return node.op + argument_text(node.operand)
    if isinstance(node, ast.BinaryExpr):
        return f"{argument_text(node.left)} {node.op} {argument_text(node.right)}"
    if isinstance(node, ast.FunctionCall):
        return node.name + "(" + ", ".join(argument_text(a) for a in node.args) + ")"
    return "?"


@dataclass
class Analysis:
    """Facts about one expression, computed once at compile time."""

    root: ast.Expr
    functions: Mapping[str, FunctionSpec]
    references: tuple[str, ...] = ()
    uses_time: bool = False
    const_type: dict[int, str] = field(default_factory=dict)
    dynamic: dict[int, bool] = field(default_factory=dict)

    def prepare(self) -> None:
        """Collect references and constant types; raise TypeFailure for define-time errors."""
        names: list[str] = []
        self._walk(self.root, names)
        self.references = tuple(dict.fromkeys(n for n in names if n != TIME_REFERENCE))
        self.uses_time = TIME_REFERENCE in names

    def _walk(self, node: ast.Expr, names: list[str]) -> None:
        key = id(node)
        if isinstance(node, ast.Reference):
            names.append(node.name)
            self.const_type[key], self.dynamic[key] = T_INVALID, True
            return
        kind = literal_type(node)
        if kind is not None:
            self.const_type[key], self.dynamic[key] = kind, False
            return
        if isinstance(node, ast.UnaryExpr):
            self._walk(node.operand, names)
            ctype = T_BOOL if node.op == "!" else self.const_type[id(node.operand)]
            self.const_type[key] = ctype
            self.dynamic[key] = ctype == T_INVALID and self.dynamic[id(node.operand)]
            return
        if isinstance(node, ast.BinaryExpr):
            self._walk(node.left, names)
            self._walk(node.right, names)
            left, right = self.const_type[id(node.left)], self.const_type[id(node.right)]
            if node.op in COMPARISON_OPERATORS or node.op in LOGICAL_OPERATORS:
                ctype = T_BOOL
            else:
                ctype = BINARY_RESULT.get((node.op, left, right), T_INVALID)
            self.const_type[key] = ctype
            dyn = self.dynamic[id(node.left)] or self.dynamic[id(node.right)]
            self.dynamic[key] = ctype == T_INVALID and dyn
            if not dyn and (node.op, left, right) not in BINARY_RESULT:
                raise TypeFailure(binary_type_error(node.op, left, right), node)
            return
        if isinstance(node, ast.FunctionCall):
            for arg in node.args:
                self._walk(arg, names)
            self.const_type[key], self.dynamic[key] = T_INVALID, True
            return
        raise TypeFailure(f"{type(node).__name__} is not allowed in a lambda expression", node)

    # --- Kapacitor's Type(scope) for given reference types ------------------------------------

    def node_type(self, node: ast.Expr, ref_types: Mapping[str, str]) -> str:
        """Kapacitor's ``Type(scope)``; raises TypeFailure where Kapacitor returns an error."""
        if isinstance(node, ast.Reference):
            return T_TIME if node.name == TIME_REFERENCE else ref_types[node.name]
        ctype = self.const_type[id(node)]
        if isinstance(node, ast.UnaryExpr):
            return ctype if ctype != T_INVALID else self.node_type(node.operand, ref_types)
        if isinstance(node, ast.BinaryExpr):
            if ctype != T_INVALID:
                return ctype
            left = self.node_type(node.left, ref_types)
            right = self.node_type(node.right, ref_types)
            result = BINARY_RESULT.get((node.op, left, right))
            if result is None:
                raise TypeFailure(binary_type_error(node.op, left, right), node)
            return result
        if isinstance(node, ast.FunctionCall):
            return self.call_type(node, ref_types)[0]
        return ctype

    def call_type(
        self, node: ast.FunctionCall, ref_types: Mapping[str, str]
    ) -> tuple[str, tuple[str, ...]]:
        """(result type, argument types) of a call after Kapacitor's signature check."""
        spec = self.functions.get(node.name)
        if spec is None:
            raise TypeFailure(f'undefined function: "{node.name}"', node)
        types: list[str] = []
        for i, arg in enumerate(node.args):
            try:
                kind = self.node_type(arg, ref_types)
            except TypeFailure as failure:
                if failure.panic:
                    raise
                raise TypeFailure(
                    f"Failed to handle {i + 1} argument: {failure.message}", failure.node
                ) from None
            if i >= MAX_ARGS:
                raise TypeFailure(
                    f"runtime error: index out of range [{i}] with length {MAX_ARGS}",
                    node,
                    panic=True,
                )
            types.append(kind)
        signature = tuple(types)
        result = spec.signatures.get(signature)
        if result is not None:
            return result, signature
        missing = [
            argument_text(a) for a, t in zip(node.args, types, strict=True) if t == T_MISSING
        ]
        if missing:
            in_scope = [
                '"' + name + '"'
                for name in self.references
                if ref_types.get(name) != T_MISSING and '"' + name + '"' not in missing
            ]
            if self.uses_time:
                in_scope.append('"time"')
            plural = len(missing) > 1
            raise TypeFailure(
                f'Cannot call function "{node.name}" '
                + ("arguments " if plural else "argument ")
                + ", ".join(missing)
                + (" are missing" if plural else " is missing")
                + f", values in scope are [{', '.join(in_scope)}]",
                node,
            )
        given = ",".join(f"{argument_text(a)}: {t}" for a, t in zip(node.args, types, strict=True))
        available = ", ".join("(" + ",".join(sig) + ")" for sig in spec.signatures)
        raise TypeFailure(
            f'Cannot call function "{node.name}" with args ({given}), '
            f"available signatures are [{available}].",
            node,
        )

    # --- likely reference types, to choose which specialisations to inline --------------------

    def likely_types(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {name: [] for name in self.references}
        self._likely(self.root, None, found)
        result: dict[str, tuple[str, ...]] = {}
        for name, kinds in found.items():
            ordered = list(dict.fromkeys(kinds)) or [T_FLOAT, T_INT]
            result[name] = tuple(ordered[:2])
        return result

    def _likely(
        self, node: ast.Expr, guess: tuple[str, ...] | None, found: dict[str, list[str]]
    ) -> None:
        numeric = (T_FLOAT, T_INT)
        if isinstance(node, ast.Reference):
            if node.name in found:
                found[node.name].extend(guess or numeric)
            return
        if isinstance(node, ast.UnaryExpr):
            self._likely(node.operand, (T_BOOL,) if node.op == "!" else numeric, found)
            return
        if isinstance(node, ast.BinaryExpr):
            for this, other in ((node.left, node.right), (node.right, node.left)):
                self._likely(this, self._operand_guess(node.op, other), found)
            return
        if isinstance(node, ast.FunctionCall):
            spec = self.functions.get(node.name)
            for i, arg in enumerate(node.args):
                kinds: list[str] = []
                if spec is not None:
                    for sig in spec.signatures:
                        if i < len(sig) and sig[i] not in kinds:
                            kinds.append(sig[i])
                preferred = [
                    k for k in (T_FLOAT, T_INT, T_STRING, T_BOOL, T_DURATION) if k in kinds
                ]
                self._likely(arg, tuple(preferred) or None, found)

    def _operand_guess(self, op: str, other: ast.Expr) -> tuple[str, ...]:
        if op in LOGICAL_OPERATORS:
            return (T_BOOL,)
        if op in ("=~", "!~"):
            return (T_STRING,)
        other_type = self.const_type[id(other)]
        if other_type in (T_INT, T_FLOAT):
            return (T_FLOAT, T_INT) if op in COMPARISON_OPERATORS else (other_type,)
        if other_type in (T_STRING, T_BOOL):
            return (other_type,)
        if other_type == T_DURATION:
            return (T_DURATION,) if op in COMPARISON_OPERATORS or op in "+-" else (T_FLOAT, T_INT)
        return (T_FLOAT, T_INT)
