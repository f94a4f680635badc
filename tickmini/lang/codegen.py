"""Python source for one expression specialised to one combination of reference types.

With every reference type fixed, every Kapacitor ``Type(scope)`` question is answered here, once:
operator and signature checks become either nothing or a ``raise`` placed exactly where Kapacitor
would fail (before the stateful calls it would not reach), and each operator becomes the one
Python operation for its operand types. The result is straight-line code with no type dispatch.

Script text never enters the source: every name, literal, message and helper is a namespace
constant (``_k0``, ``_k1``…) registered through :class:`Constants`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tickmini.lang.analysis import TIME_REFERENCE, Analysis, TypeFailure, literal_type
from tickmini.lang.functions import FunctionSpec
from tickmini.lang.operators import BINARY_RESULT, binary_type_error
from tickmini.lang.regex import Matcher
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

# Types a top-level evaluation may return (Kapacitor's Expression.Eval switch).
RESULT_TYPES = frozenset({T_INT, T_FLOAT, T_STRING, T_BOOL, T_DURATION})
# Types a function argument may have (stateful ``eval()`` switch).
ARGUMENT_TYPES = frozenset({T_INT, T_FLOAT, T_STRING, T_BOOL, T_DURATION, T_REGEX, T_TIME})


@dataclass(frozen=True)
class ErrorSpec:
    """An evaluation error known when specialising: its message and the sub-expression."""

    message: str
    node: ast.Node
    panic: bool = False


@dataclass
class Constants:
    """The namespace constants of one compiled expression (shared by all its specialisations)."""

    values: dict[str, object] = field(default_factory=dict)
    _by_identity: dict[int, str] = field(default_factory=dict)
    _counter: int = 0

    def fresh(self, prefix: str) -> str:
        """A new unique global name (for generated helper functions)."""
        self._counter += 1
        return f"{prefix}{self._counter}"

    def add(self, value: object) -> str:
        key = id(value)
        name = self._by_identity.get(key)
        if name is None:
            name = f"_k{len(self.values)}"
            self.values[name] = value
            self._by_identity[key] = name
        return name


_MAX_DEPTH = 40  # deeper right-nested AND/OR code moves into helper functions


def _type_guard(requested: str, actual: str) -> str:
    return f"TypeGuard: expression returned unexpected type {actual}, expected {requested}"


class Specialiser:
    """Emits the body of one specialisation: statements ending in ``return``."""

    def __init__(
        self,
        analysis: Analysis,
        ref_types: dict[str, str],
        constants: Constants,
        literals: dict[int, object],
        values_tuple: str,
        matchers: dict[int, Matcher],
    ) -> None:
        self.analysis = analysis
        self.ref_types = ref_types
        self.constants = constants
        self.literals = literals
        self.values_tuple = values_tuple
        self.matchers = matchers
        self.lines: list[str] = []
        self.helpers: list[str] = []  # outlined functions this body calls
        self.params = ", ".join(
            ["context", *(f"v{i}" for i in range(len(analysis.references)))]
            + (["vt"] if analysis.uses_time else [])
        )
        self.depth = 1
        self.temps = 0
        self.prefix = ""  # "Failed to handle N argument: " for each enclosing call argument
        self.ref_locals = {name: f"v{i}" for i, name in enumerate(analysis.references)}
        self.ref_locals[TIME_REFERENCE] = "vt"

    # --- emission helpers ---------------------------------------------------------------------

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def temp(self) -> str:
        self.temps += 1
        return f"r{self.temps}"

    def const(self, value: object) -> str:
        return self.constants.add(value)

    def fail(self, message: str, node: ast.Node, *, panic: bool = False) -> str:
        if not panic:
            message = self.prefix + message
        spec = self.const(ErrorSpec(message, node, panic))
        self.emit(f"raise _E({spec}, {self.values_tuple})")
        return "None"

    def type_of(self, node: ast.Expr) -> str:
        return self.analysis.node_type(node, self.ref_types)

    # --- entry points -------------------------------------------------------------------------

    def body_eval(self) -> list[str]:
        """Kapacitor ``Expression.Eval``: the root's type first, then its value."""
        root = self.analysis.root
        try:
            kind = self.type_of(root)
        except TypeFailure as failure:
            self.fail(failure.message, failure.node, panic=failure.panic)
            return self.lines
        if kind in RESULT_TYPES:
            self.emit(f"return {self.gen(root, kind)}")
        elif kind == T_MISSING:
            if isinstance(root, ast.Reference):
                self.fail(f'missing value: "{root.name}"', root)
            elif isinstance(root, ast.UnaryExpr) and isinstance(root.operand, ast.Reference):
                self.fail(f'reference "{root.operand.name}" is missing value', root)
            else:
                self.fail("expression has a missing value", root)
        else:
            self.fail(f"expression returned unexpected type {kind}", root)
        return self.lines

    def body_bool(self) -> list[str]:
        """Kapacitor ``EvalBool`` (where/alert): the value must be a boolean (TypeGuard)."""
        self.emit(f"return {self.gen(self.analysis.root, T_BOOL)}")
        return self.lines

    # --- nodes --------------------------------------------------------------------------------

    def gen(self, node: ast.Expr, want: str) -> str:
        """Code for ``node`` evaluated as type ``want`` (Kapacitor's ``EvalX``)."""
        kind = literal_type(node)
        if kind is not None:
            if kind != want:
                return self.fail(_type_guard(want, kind), node)
            return self.const(self.literals[id(node)])
        if isinstance(node, ast.Reference):
            actual = self.type_of(node)
            if actual != want:
                return self.fail(_type_guard(want, actual), node)
            return self.ref_locals[node.name]
        if isinstance(node, ast.UnaryExpr):
            return self.gen_unary(node, want)
        if isinstance(node, ast.BinaryExpr):
            return self.gen_binary(node, want)
        assert isinstance(node, ast.FunctionCall)
        return self.gen_call(node, want)

    def gen_unary(self, node: ast.UnaryExpr, want: str) -> str:
        if node.op == "!":
            if want != T_BOOL:
                return self.fail(_type_guard(want, T_BOOL), node)
            operand = self.gen(node.operand, T_BOOL)
            return f"(not {operand})"
        try:
            actual = self.type_of(node)
        except TypeFailure as failure:
            return self.fail(failure.message, failure.node, panic=failure.panic)
        if want in (T_STRING, T_REGEX, T_TIME):
            return self.fail(_type_guard(want, self.analysis.const_type[id(node)]), node)
        if actual != want:
            return self.fail(_type_guard(want, actual), node)
        operand = self.gen(node.operand, want)
        result = self.temp()
        if want == T_BOOL:
            self.emit(f"{result} = not {operand}")
        elif want == T_INT:
            self.emit(f"{result} = -{operand} if {operand} != _MIN else {operand}")
        elif want == T_FLOAT:
            self.emit(f"{result} = -{operand}")
        elif want == T_DURATION:
            self.emit(f"{result} = _Dur(_wrap(-{operand}.nanoseconds))")
        else:
            return self.fail(_type_guard(want, actual), node)
        return result

    def gen_binary(self, node: ast.BinaryExpr, want: str) -> str:
        op = node.op
        if self.analysis.dynamic[id(node.left)] or self.analysis.dynamic[id(node.right)]:
            try:
                left_type = self.type_of(node.left)
                right_type = self.type_of(node.right)
            except TypeFailure as failure:
                return self.fail(failure.message, failure.node, panic=failure.panic)
            if (op, left_type, right_type) not in BINARY_RESULT:
                return self.fail(self.operand_error(node, left_type, right_type), node)
        else:
            left_type = self.analysis.const_type[id(node.left)]
            right_type = self.analysis.const_type[id(node.right)]
        result_type = BINARY_RESULT[(op, left_type, right_type)]
        if op in ("AND", "OR"):
            result = self.gen_logical(node)
        else:
            left = self.gen(node.left, left_type)
            right = self.gen(node.right, right_type)
            result = self.gen_operation(node, left_type, right_type, left, right)
        if result_type != want:
            return self.fail(_type_guard(want, result_type), node)
        return result

    def operand_error(self, node: ast.BinaryExpr, left: str, right: str) -> str:
        """Kapacitor's ``determineError(scope)`` for operands of known types."""
        for side, kind, operand in (("left", left, node.left), ("right", right, node.right)):
            if kind == T_INVALID:
                return f"{side} value is invalid value type"
            if kind == T_MISSING:
                if isinstance(operand, ast.Reference):
                    return f'{side} reference value "{operand.name}" is missing value'
                return f"{side} operand of {node.op} is missing value"
        return binary_type_error(node.op, left, right)

    def gen_logical(self, node: ast.BinaryExpr) -> str:
        left = self.gen(node.left, T_BOOL)
        result = self.temp()
        short = "False" if node.op == "AND" else "True"
        self.emit(f"if {'not ' if node.op == 'AND' else ''}{left}:")
        self.depth += 1
        self.emit(f"{result} = {short}")
        self.depth -= 1
        self.emit("else:")
        self.depth += 1
        if self.depth < _MAX_DEPTH:
            right = self.gen(node.right, T_BOOL)
        else:
            right = self.outline(node.right, T_BOOL)
        self.emit(f"{result} = {right}")
        self.depth -= 1
        return result

    def outline(self, node: ast.Expr, want: str) -> str:
        """Generate ``node`` as a separate function (Python limits indentation depth)."""
        name = self.constants.fresh("_o")
        lines, depth, temps = self.lines, self.depth, self.temps
        self.lines, self.depth = [], 1
        self.emit(f"return {self.gen(node, want)}")
        self.helpers.append("\n".join([f"def {name}({self.params}):", *self.lines]))
        self.lines, self.depth, self.temps = lines, depth, temps
        return f"{name}({self.params})"

    def gen_operation(self, node: ast.BinaryExpr, lt: str, rt: str, a: str, b: str) -> str:
        op = node.op
        emit = self.emit
        if op in ("==", "!=", "<", "<=", ">", ">="):
            # Pure and cannot fail: returned as an expression instead of a temporary.
            if lt == T_DURATION:
                a, b = f"{a}.nanoseconds", f"{b}.nanoseconds"
            elif lt == T_INT and rt == T_FLOAT:
                a = self.as_float(a)
            elif lt == T_FLOAT and rt == T_INT:
                b = self.as_float(b)
            return f"({a} {op} {b})"
        r = self.temp()
        if op in ("=~", "!~"):
            matcher = self.matchers.get(id(node.right))
            if matcher is None:
                emit(f"{r} = {b}.search({a}) is {'not ' if op == '=~' else ''}None")
                return r
            cache, search = self.const(matcher.cache), self.const(matcher.search)
            emit(f"{r} = {cache}.get({a})")
            emit(f"if {r} is None: {r} = {search}({a})")
            if op == "!~":
                emit(f"{r} = not {r}")
            return r
        if lt == T_INT and rt == T_INT:
            if op in ("+", "-", "*"):
                emit(f"{r} = {a} {op} {b}")
                emit(f"if not _MIN <= {r} <= _MAX: {r} = _wrap({r})")
            else:
                self.zero_check(b, node)
                emit(f"{r} = {'_idiv' if op == '/' else '_irem'}({a}, {b})")
            return r
        if lt == T_FLOAT and rt == T_FLOAT:
            if op == "/":
                emit(f"{r} = {a} / {b} if {b} else _fdiv({a}, {b})")
            else:
                emit(f"{r} = {a} {op} {b}")
            return r
        if lt == T_STRING:
            emit(f"{r} = {a} + {b}")
            return r
        # durations
        if lt == T_DURATION and rt == T_DURATION:
            if op == "/":
                self.zero_check(f"{b}.nanoseconds", node)
                emit(f"{r} = _idiv({a}.nanoseconds, {b}.nanoseconds)")
            else:
                emit(f"{r} = _Dur(_wrap({a}.nanoseconds {op} {b}.nanoseconds))")
            return r
        if rt == T_DURATION:  # int * duration, float * duration
            a, b, lt, rt = b, a, rt, lt
        if rt == T_INT:
            if op == "*":
                emit(f"{r} = _Dur(_wrap({a}.nanoseconds * {b}))")
            else:
                self.zero_check(b, node)
                emit(f"{r} = _Dur(_idiv({a}.nanoseconds, {b}))")
            return r
        if op == "*":
            emit(f"{r} = _Dur(_f2i(_float({a}.nanoseconds) * {b}))")
        else:
            emit(f"{r} = _Dur(_f2i(_fdiv(_float({a}.nanoseconds), {b})))")
        return r

    def as_float(self, code: str) -> str:
        """Go's float64(int) of an operand; folded when the operand is a constant."""
        value = self.constants.values.get(code)
        if type(value) is int:
            return self.const(float(value))
        return f"_float({code})"

    def zero_check(self, divisor: str, node: ast.Node) -> None:
        constant = self.constants.values.get(divisor, self)
        if type(constant) is int:  # a literal divisor: decided now
            if constant == 0:
                self.fail("runtime error: integer divide by zero", node, panic=True)
            return
        self.emit(f"if {divisor} == 0:")
        self.depth += 1
        self.fail("runtime error: integer divide by zero", node, panic=True)
        self.depth -= 1

    def gen_call(self, node: ast.FunctionCall, want: str) -> str:
        try:
            result_type, signature = self.analysis.call_type(node, self.ref_types)
        except TypeFailure as failure:
            return self.fail(failure.message, failure.node, panic=failure.panic)
        spec = self.analysis.functions[node.name]
        args = [
            self.gen_argument(i, arg, kind)
            for i, (arg, kind) in enumerate(zip(node.args, signature, strict=True))
        ]
        result = self.temp()
        self.emit_call(node, spec, signature, args, result)
        if result_type != want:
            return self.fail(_type_guard(want, result_type), node)
        return result

    def gen_argument(self, index: int, arg: ast.Expr, kind: str) -> str:
        """One argument, as Kapacitor's ``callFunction`` evaluates it; its errors are prefixed
        ``Failed to handle N argument:`` (known here, so no try/except in the generated code)."""
        if kind == T_MISSING:
            return "_M"
        outer = self.prefix
        self.prefix = f"{outer}Failed to handle {index + 1} argument: "
        try:
            if kind not in ARGUMENT_TYPES:
                return self.fail(f"function arg expression returned unexpected type {kind}", arg)
            return self.gen(arg, kind)
        finally:
            self.prefix = outer

    def emit_call(
        self,
        node: ast.FunctionCall,
        spec: FunctionSpec,
        signature: tuple[str, ...],
        args: list[str],
        result: str,
    ) -> None:
        if spec.stateful is not None:
            self.emit(f"{result} = _{spec.stateful}({', '.join(args)})")
            return
        if spec.name == "if" and not spec.needs_context:
            self.emit(f"{result} = {args[1]} if {args[0]} else {args[2]}")
            return
        if spec.name == "isPresent" and not spec.needs_context:
            self.emit(f"{result} = {'False' if signature[0] == T_MISSING else 'True'}")
            return
        impl = self.const(spec.impls[signature])
        call_args = ", ".join(["context", *args] if spec.needs_context else args)
        # Every call is guarded: a GoError is Kapacitor's "error calling", and anything else an
        # implementation might raise must still surface as an EvaluationError (try is free).
        self.emit("try:")
        self.depth += 1
        self.emit(f"{result} = {impl}({call_args})")
        self.depth -= 1
        self.emit("except _GoError as exc:")
        self.depth += 1
        where = self.const(ErrorSpec(f'{self.prefix}error calling "{node.name}": ', node))
        self.emit(f"raise _E({where}, {self.values_tuple}, exc) from None")
        self.depth -= 1
        self.emit("except _Exception as exc:")
        self.depth += 1
        self.emit(f"raise _E({where}, {self.values_tuple}, exc) from None")
        self.depth -= 1
