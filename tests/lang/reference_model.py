"""A slow, obviously-structured tree-walking evaluator of Kapacitor's lambda semantics, used only
as a test oracle for the generated code (temporaries, short-circuits, inlined and on-demand
specialisations, outlined helpers). It shares the compiler's type analysis and built-in function
table, and re-states every operator and the evaluation order independently."""

from __future__ import annotations

import math
from fractions import Fraction

from tickmini.lang.analysis import TIME_REFERENCE, Analysis, TypeFailure, literal_type
from tickmini.lang.goconv import GoError
from tickmini.lang.operators import BINARY_RESULT
from tickmini.lang.stateful import FunctionState
from tickmini.lang.types import MISSING, type_name
from tickmini.syntax import ast
from tickmini.values import Duration, Point, Time


class ModelError(Exception):
    """The model says: an evaluation error."""


def _wrap(value: int) -> int:
    return ((value + (1 << 63)) % (1 << 64)) - (1 << 63)


def _trunc_div(a: int, b: int) -> int:
    if b == 0:
        raise ModelError("divide by zero")
    return _wrap(math.trunc(Fraction(a, b)))


def _to_int64(value: float) -> int:
    if math.isnan(value) or math.isinf(value) or not -(2.0**63) <= value < 2.0**63:
        return -(1 << 63)
    return math.trunc(value)


def _fdiv(a: float, b: float) -> float:
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _compute(op: str, lt: str, rt: str, a: object, b: object) -> object:
    if op in ("=~", "!~"):
        found = b.search(a) is not None  # type: ignore[attr-defined]
        return found if op == "=~" else not found
    if op in ("==", "!=", "<", "<=", ">", ">="):
        if lt == "duration":
            a, b = a.nanoseconds, b.nanoseconds  # type: ignore[attr-defined]
        elif lt != rt:
            a, b = float(a), float(b)  # type: ignore[arg-type]
        return {
            "==": a == b,
            "!=": a != b,
            "<": a < b,  # type: ignore[operator]
            "<=": a <= b,  # type: ignore[operator]
            ">": a > b,  # type: ignore[operator]
            ">=": a >= b,  # type: ignore[operator]
        }[op]
    if lt == rt == "int":
        if op == "/":
            return _trunc_div(a, b)  # type: ignore[arg-type]
        if op == "%":
            if b == 0:
                raise ModelError("divide by zero")
            return _wrap(a - b * math.trunc(Fraction(a, b)))  # type: ignore[operator]
        return _wrap({"+": a + b, "-": a - b, "*": a * b}[op])  # type: ignore[operator]
    if lt == rt == "float":
        return {"+": a + b, "-": a - b, "*": a * b, "/": _fdiv(a, b)}[op]  # type: ignore[operator]
    if lt == rt == "string":
        return a + b  # type: ignore[operator]
    if lt == rt == "duration":
        x, y = a.nanoseconds, b.nanoseconds  # type: ignore[attr-defined]
        if op == "/":
            return _trunc_div(x, y)
        return Duration(_wrap(x + y if op == "+" else x - y))
    if rt == "duration":
        a, b, lt, rt = b, a, rt, lt
    ns = a.nanoseconds  # type: ignore[attr-defined]
    if rt == "int":
        return Duration(_wrap(ns * b) if op == "*" else _trunc_div(ns, b))  # type: ignore[arg-type]
    product = float(ns) * b if op == "*" else _fdiv(float(ns), b)  # type: ignore[arg-type]
    return Duration(_to_int64(product))


class Model:
    """Evaluates one expression per point, keeping its own stateful-function state."""

    def __init__(self, analysis: Analysis, literals: dict[int, object]) -> None:
        self.analysis = analysis
        self.literals = literals
        self.state = FunctionState()

    def evaluate(self, point: Point) -> object:
        scope: dict[str, object] = {}
        for name in self.analysis.references:
            if name in point.fields and name in point.tags:
                raise ModelError("field and tag")
            scope[name] = point.fields.get(name, point.tags.get(name, MISSING))
        scope[TIME_REFERENCE] = Time(point.time)
        self.types = {name: type_name(v) for name, v in scope.items()}
        self.scope = scope
        kind = self.type_of(self.analysis.root)
        if kind not in ("int", "float", "string", "boolean", "duration"):
            raise ModelError(kind)
        return self.ev(self.analysis.root, kind)

    def type_of(self, node: ast.Expr) -> str:
        try:
            return self.analysis.node_type(node, self.types)
        except TypeFailure as failure:
            raise ModelError(failure.message) from None

    def ev(self, node: ast.Expr, want: str) -> object:
        kind = literal_type(node)
        if kind is not None:
            if kind != want:
                raise ModelError("type guard")
            return self.literals[id(node)]
        if isinstance(node, ast.Reference):
            value = self.scope[node.name]
            if type_name(value) != want:
                raise ModelError("type guard")
            return value
        if isinstance(node, ast.UnaryExpr):
            if node.op == "!":
                if want != "boolean":
                    raise ModelError("type guard")
                return not self.ev(node.operand, "boolean")
            actual = self.type_of(node)
            if want in ("string", "regex", "time") or actual != want:
                raise ModelError("type guard")
            value = self.ev(node.operand, want)
            if want == "boolean":
                return not value
            if want == "duration":
                return Duration(_wrap(-value.nanoseconds))  # type: ignore[attr-defined]
            return _wrap(-value) if want == "int" else -value  # type: ignore[operator]
        if isinstance(node, ast.BinaryExpr):
            return self.ev_binary(node, want)
        assert isinstance(node, ast.FunctionCall)
        return self.ev_call(node, want)

    def ev_binary(self, node: ast.BinaryExpr, want: str) -> object:
        dynamic = self.analysis.dynamic
        if dynamic[id(node.left)] or dynamic[id(node.right)]:
            lt, rt = self.type_of(node.left), self.type_of(node.right)
        else:
            lt = self.analysis.const_type[id(node.left)]
            rt = self.analysis.const_type[id(node.right)]
        result_type = BINARY_RESULT.get((node.op, lt, rt))
        if result_type is None:
            raise ModelError("operand types")
        if node.op == "AND":
            value: object = self.ev(node.left, "boolean") and self.ev(node.right, "boolean")
        elif node.op == "OR":
            value = self.ev(node.left, "boolean") or self.ev(node.right, "boolean")
        else:
            a = self.ev(node.left, lt)
            b = self.ev(node.right, rt)
            value = _compute(node.op, lt, rt, a, b)
        if result_type != want:
            raise ModelError("type guard")
        return value

    def ev_call(self, node: ast.FunctionCall, want: str) -> object:
        try:
            result_type, signature = self.analysis.call_type(node, self.types)
        except TypeFailure as failure:
            raise ModelError(failure.message) from None
        args = []
        for arg, kind in zip(node.args, signature, strict=True):
            if kind == "missing":
                args.append(MISSING)
            elif kind in ("int", "float", "string", "boolean", "duration", "regex", "time"):
                args.append(self.ev(arg, kind))
            else:
                raise ModelError("argument type")
        spec = self.analysis.functions[node.name]
        if spec.stateful is not None:
            value = getattr(self.state, spec.stateful)(*args)
        else:
            try:
                value = spec.impls[signature](*args)
            except GoError as exc:
                raise ModelError(str(exc)) from None
        if result_type != want:
            raise ModelError("type guard")
        return value
