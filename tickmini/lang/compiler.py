"""Compile a lambda expression once into fast Python functions with Kapacitor's exact semantics.

Public API:

* :func:`compile_lambda` (``tickmini.compile_lambda``): the text after ``lambda:``.
* :func:`compile_expression`: an AST expression from the pipeline builder, with script variables
  (and, for topic-handler match expressions, extra functions and constants).

A :class:`CompiledLambda`'s ``evaluate(point)`` and ``evaluate_bool(point)`` are generated Python
functions (no wrapper layers). They read the referenced fields and tags into locals, then run the
code specialised for the observed reference types: the likely type combinations are inlined, any
other combination is specialised on first sight and cached (:mod:`tickmini.lang.codegen`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from tickmini.errors import BuildError, EvaluationError, TickscriptSyntaxError
from tickmini.gocompat.int64 import (
    INT64_MAX,
    INT64_MIN,
    float_to_int64,
    int_div,
    int_rem,
    wrap_int64,
)
from tickmini.gocompat.strconv import GoError
from tickmini.lang import goconv
from tickmini.lang.analysis import Analysis, TypeFailure
from tickmini.lang.codegen import Constants, ErrorSpec, Specialiser
from tickmini.lang.functions import BUILTINS, FunctionSpec
from tickmini.lang.regex import Matcher, RegexSyntaxError, compile_regex
from tickmini.lang.stateful import FunctionState
from tickmini.lang.types import (
    MISSING,
    REGEX_CLASS,
    T_BOOL,
    T_DURATION,
    T_FLOAT,
    T_INT,
    T_MISSING,
    T_STRING,
    Missing,
    describe,
    type_of_class,
)
from tickmini.syntax import ast
from tickmini.values import Duration, Time

__all__ = [
    "CompiledLambda",
    "RuntimePanic",
    "compile_expression",
    "compile_lambda",
]

_MAX_INLINE_VARIANTS = 8
_COMPILE_RECURSION_LIMIT = 20_000  # compiling walks the AST recursively (long OR chains)
# Built-ins whose value is not a function of their arguments: they read the wall clock.
_CLOCK_FUNCTIONS = frozenset({"now"})

_CLASS_OF_TYPE: dict[str, type] = {
    T_FLOAT: float,
    T_INT: int,
    T_STRING: str,
    T_BOOL: bool,
    T_DURATION: Duration,
    T_MISSING: Missing,
}


@contextlib.contextmanager
def _deep_recursion() -> Iterator[None]:
    """Let the compiler recurse through expressions thousands of nodes deep (a generated
    ``"host" == 'h1' OR … OR "host" == 'h5000'``); the limit is restored afterwards."""
    previous = sys.getrecursionlimit()
    if previous < _COMPILE_RECURSION_LIMIT:
        sys.setrecursionlimit(_COMPILE_RECURSION_LIMIT)
    try:
        yield
    finally:
        if previous < _COMPILE_RECURSION_LIMIT:
            sys.setrecursionlimit(previous)


class RuntimePanic(EvaluationError):
    """An evaluation error that is a Go runtime panic in Kapacitor (integer divide by zero, slice
    bounds, too many function arguments). Kapacitor recovers it only in ``eval`` nodes; tickmini
    reports it like any evaluation error everywhere."""


def compile_lambda(text: str) -> CompiledLambda:
    """Compile the text after ``lambda:``.

    Raises :class:`~tickmini.errors.TickscriptSyntaxError` if it does not parse and
    :class:`~tickmini.errors.BuildError` for what Kapacitor rejects before any data (a type error
    between constants, an unknown name).
    """
    from tickmini.syntax.parser import parse_lambda

    try:
        expr = parse_lambda(text, "<lambda>")
    except RecursionError:
        raise TickscriptSyntaxError(
            "expression is nested too deeply", file="<lambda>", line=1, column=1
        ) from None
    return compile_expression(expr, source=text, filename="<lambda>")


def compile_expression(
    expr: ast.Expr,
    *,
    variables: Mapping[str, object] | None = None,
    source: str = "",
    filename: str = "<script>",
    extra_functions: Mapping[str, FunctionSpec] | None = None,
    constants: Mapping[str, object] | None = None,
) -> CompiledLambda:
    """Compile a lambda expression from a parsed script.

    ``variables`` are the script's vars: an identifier in the lambda is replaced by its value
    (int, float, str, bool, Duration, a regex, an AST literal or a ``lambda``), as Kapacitor does.
    ``extra_functions`` (see :func:`tickmini.lang.functions.extra_function`) and ``constants``
    serve topic-handler match expressions; extra functions receive ``evaluate``'s ``context``.
    """
    if isinstance(expr, ast.Lambda):
        expr = expr.expr
    location = _Location(source, filename)
    try:
        with _deep_recursion():
            return _compile(expr, variables, constants, extra_functions, location)
    except (RecursionError, SyntaxError, MemoryError):
        # Python's own limits (recursion, generated-code nesting), far beyond real scripts.
        raise location.error(BuildError, "expression is nested too deeply", expr) from None


def _compile(
    expr: ast.Expr,
    variables: Mapping[str, object] | None,
    constants: Mapping[str, object] | None,
    extra_functions: Mapping[str, FunctionSpec] | None,
    location: _Location,
) -> CompiledLambda:
    names: dict[str, object] = {**(variables or {}), **(constants or {})}
    root = _substitute(expr, names, location)
    functions = {**BUILTINS, **extra_functions} if extra_functions else BUILTINS
    analysis = Analysis(root, functions)
    try:
        analysis.prepare()
    except TypeFailure as failure:
        raise location.error(BuildError, failure.message, failure.node) from None
    literals = _literal_values(root, location)
    return CompiledLambda(_Template(analysis, literals, location))


# --- positions and errors -----------------------------------------------------------------------


class _Location:
    """Where the expression came from, to give errors file, line, column and the source line."""

    def __init__(self, source: str, filename: str) -> None:
        self.filename = filename
        self.lines = source.splitlines()

    def error(self, cls: type[Any], message: str, node: ast.Node | None, **extra: Any) -> Any:
        line = node.line if node is not None and node.line else None
        column = node.column if node is not None and node.column else None
        source_line = None
        if line is not None and 0 < line <= len(self.lines):
            source_line = self.lines[line - 1]
        return cls(
            message,
            file=self.filename,
            line=line,
            column=column,
            source_line=source_line,
            **extra,
        )


# --- identifiers and literals -------------------------------------------------------------------


def _value_node(name: str, value: object, at: ast.Identifier, location: _Location) -> ast.Expr:
    pos = {"line": at.line, "column": at.column}
    if isinstance(value, ast.Lambda):
        return value.expr
    if isinstance(
        value,
        ast.NumberLiteral
        | ast.StringLiteral
        | ast.DurationLiteral
        | ast.BoolLiteral
        | ast.RegexLiteral,
    ):
        return dataclasses.replace(value, **pos)
    if isinstance(value, bool):
        return ast.BoolLiteral(value=value, **pos)
    if isinstance(value, int):
        return ast.NumberLiteral(value=wrap_int64(value), text=str(value), **pos)
    if isinstance(value, float):
        return ast.NumberLiteral(value=value, text=repr(value), **pos)
    if isinstance(value, str):
        return ast.StringLiteral(value=value, **pos)
    if isinstance(value, Duration):
        return ast.DurationLiteral(
            nanoseconds=value.nanoseconds, text=f"{value.nanoseconds}ns", **pos
        )
    if isinstance(value, REGEX_CLASS):
        return ast.RegexLiteral(pattern=value.pattern, text=f"/{value.pattern}/", **pos)
    raise location.error(
        BuildError, f'var "{name}" of type {type(value).__name__} cannot be used in a lambda', at
    )


def _substitute(node: ast.Expr, names: Mapping[str, object], location: _Location) -> ast.Expr:
    if isinstance(node, ast.Identifier):
        if node.name not in names:
            in_scope = ", ".join(sorted(names))
            raise location.error(
                BuildError,
                f'name "{node.name}" is undefined. Names in scope: {in_scope}',
                node,
            )
        return _value_node(node.name, names[node.name], node, location)
    if isinstance(node, ast.UnaryExpr):
        return dataclasses.replace(node, operand=_substitute(node.operand, names, location))
    if isinstance(node, ast.BinaryExpr):
        return dataclasses.replace(
            node,
            left=_substitute(node.left, names, location),
            right=_substitute(node.right, names, location),
        )
    if isinstance(node, ast.FunctionCall):
        args = tuple(_substitute(a, names, location) for a in node.args)
        return dataclasses.replace(node, args=args)
    if isinstance(node, ast.Lambda):
        return _substitute(node.expr, names, location)
    if isinstance(node, ast.StarLiteral | ast.ListLiteral | ast.ChainCall):
        raise location.error(
            BuildError, f"{type(node).__name__} cannot be used in a lambda expression", node
        )
    return node


def _literal_values(root: ast.Expr, location: _Location) -> dict[int, object]:
    values: dict[int, object] = {}
    stack: list[ast.Expr] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.NumberLiteral | ast.StringLiteral | ast.BoolLiteral):
            values[id(node)] = node.value
        elif isinstance(node, ast.DurationLiteral):
            values[id(node)] = Duration(node.nanoseconds)
        elif isinstance(node, ast.RegexLiteral):
            try:
                values[id(node)] = compile_regex(node.pattern)
            except RegexSyntaxError as exc:
                raise location.error(
                    TickscriptSyntaxError, f"error parsing regexp: {exc}", node
                ) from None
        elif isinstance(node, ast.UnaryExpr):
            stack.append(node.operand)
        elif isinstance(node, ast.BinaryExpr):
            stack.extend((node.right, node.left))
        elif isinstance(node, ast.FunctionCall):
            stack.extend(node.args)
    return values


# --- the compiled template (shared by copies) ---------------------------------------------------


class _Template:
    """Everything about one expression that copies share: analysis, constants, generated code."""

    def __init__(
        self, analysis: Analysis, literals: dict[int, object], location: _Location
    ) -> None:
        self.analysis = analysis
        self.literals = literals
        self.location = location
        self.constants = Constants()
        self.references = analysis.references
        self.value_params = [f"v{i}" for i in range(len(self.references))]
        if analysis.uses_time:
            self.value_params.append("vt")
        self.values_tuple = "(" + "".join(f"v{i}, " for i in range(len(self.references))) + ")"
        self.first_reference = self._first_references()
        self.matchers = {
            key: Matcher(value.pattern)
            for key, value in literals.items()
            if isinstance(value, REGEX_CLASS)
        }
        self._spec_code: dict[tuple[str, tuple[str, ...]], Any] = {}
        self.main_code = compile(self._main_source(), "<tickmini lambda>", "exec")
        self.pure = not analysis.uses_time and self._calls_only_pure_builtins()

    def _calls_only_pure_builtins(self) -> bool:
        stack: list[ast.Expr] = [self.analysis.root]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.UnaryExpr):
                stack.append(node.operand)
            elif isinstance(node, ast.BinaryExpr):
                stack.extend((node.left, node.right))
            elif isinstance(node, ast.FunctionCall):
                spec = self.analysis.functions.get(node.name)
                if spec is None or BUILTINS.get(node.name) is not spec or spec.stateful:
                    return False
                if node.name in _CLOCK_FUNCTIONS:
                    return False
                stack.extend(node.args)
        return True

    def _first_references(self) -> dict[str, ast.Node]:
        found: dict[str, ast.Node] = {}
        stack: list[ast.Expr] = [self.analysis.root]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Reference):
                found.setdefault(node.name, node)
            elif isinstance(node, ast.UnaryExpr):
                stack.append(node.operand)
            elif isinstance(node, ast.BinaryExpr):
                stack.extend((node.right, node.left))
            elif isinstance(node, ast.FunctionCall):
                stack.extend(reversed(node.args))
        return found

    # errors raised by generated code
    def make_error(
        self, spec: ErrorSpec, values: tuple[object, ...], cause: Exception | None = None
    ) -> EvaluationError:
        message = spec.message
        cls: type[EvaluationError] = RuntimePanic if spec.panic else EvaluationError
        if isinstance(cause, goconv.GoPanic):
            message, cls = str(cause), RuntimePanic
        elif cause is not None:
            message = spec.message + str(getattr(cause, "message", cause))
        return self.location.error(cls, message, spec.node, hint=self._values_hint(values))

    def _values_hint(self, values: tuple[object, ...]) -> str | None:
        if not values:
            return None
        shown = ", ".join(
            f'"{n}" = {describe(v)}' for n, v in zip(self.references, values, strict=True)
        )
        return f"values: {shown}"

    def collision(self, name: str) -> EvaluationError:
        return self.location.error(
            EvaluationError,
            f'cannot have field and tags with same name "{name}"',
            self.first_reference.get(name),
        )

    # generated source
    def specialise(self, mode: str, ref_types: tuple[str, ...], helpers: list[str]) -> list[str]:
        """Body lines for one type combination; outlined helper functions go to ``helpers``."""
        specialiser = Specialiser(
            self.analysis,
            dict(zip(self.references, ref_types, strict=True)),
            self.constants,
            self.literals,
            self.values_tuple,
            self.matchers,
        )
        lines = specialiser.body_eval() if mode == "eval" else specialiser.body_bool()
        helpers.extend(specialiser.helpers)
        return lines

    def spec_code(self, mode: str, ref_types: tuple[str, ...]) -> Any:
        key = (mode, ref_types)
        code = self._spec_code.get(key)
        if code is None:
            params = ", ".join(["context", *self.value_params])
            helpers: list[str] = []
            body = self.specialise(mode, ref_types, helpers)
            source = "\n\n".join([*helpers, "\n".join([f"def _spec({params}):", *body])])
            code = compile(source, "<tickmini lambda>", "exec")
            self._spec_code[key] = code
        return code

    def column_code(self, ref_types: tuple[str, ...]) -> Any:
        """A comprehension over columns when the specialisation is one ``return`` (else None).
        The expression is generated code (constants and value names only), never script text."""
        helpers: list[str] = []
        try:
            with _deep_recursion():
                body = self.specialise("bool", ref_types, helpers)
        except (RecursionError, SyntaxError, MemoryError):
            return None
        if helpers or len(body) != 1 or not body[0].startswith("    return "):
            return None
        expression = body[0][len("    return ") :]
        columns = [f"c{i}" for i in range(len(ref_types))]
        values = ", ".join(self.value_params[: len(ref_types)])
        rows = columns[0] if len(columns) == 1 else f"_zip({', '.join(columns)})"
        source = (
            f"def _columns(context, {', '.join(columns)}):\n"
            f"    return [{expression} for {values} in {rows}]"
        )
        return compile(source, "<tickmini lambda columns>", "exec")

    def _variants(self) -> list[tuple[str, ...]]:
        likely = self.analysis.likely_types()
        options = [likely[name] for name in self.references]
        variants = list(itertools.product(*options))
        if len(variants) > _MAX_INLINE_VARIANTS:
            variants = [tuple(o[0] for o in options)]
        return variants

    def _main_source(self) -> str:
        lines: list[str] = []
        helpers: list[str] = []
        for mode, fname in (("eval", "evaluate"), ("bool", "evaluate_bool")):
            lines.append(f"def {fname}(point, context=None):")
            lines.extend(self._prologue())
            if not self.references:
                lines.extend(self.specialise(mode, (), helpers))
                continue
            classes = ", ".join(f"c{i}" for i in range(len(self.references)))
            for i in range(len(self.references)):
                lines.append(f"    c{i} = _type(v{i})")
            for variant in self._variants():
                test = " and ".join(
                    f"c{i} is {self.constants.add(_CLASS_OF_TYPE[t])}"
                    for i, t in enumerate(variant)
                )
                lines.append(f"    if {test}:")
                lines.extend("    " + line for line in self.specialise(mode, variant, helpers))
            args = ", ".join(["context", *self.value_params])
            lines.append(f"    return _slow_{mode}(({classes},), {args})")
        return "\n\n".join([*helpers, "\n".join(lines)])

    def _prologue(self) -> list[str]:
        lines = ["    fields = point.fields"]
        if self.references:
            lines.append("    tags = point.tags")
        for i, name in enumerate(self.references):
            key = self.constants.add(name)
            lines += [
                f"    v{i} = fields.get({key}, _M)",
                f"    if v{i} is _M:",
                f"        v{i} = tags.get({key}, _M)",
                f"    elif {key} in tags:",
                f"        raise _collision({key})",
            ]
        if self.analysis.uses_time:
            lines.append("    vt = _Time(point.time)")
        return lines

    def namespace(self) -> dict[str, object]:
        return {
            "__builtins__": {},
            "_M": MISSING,
            "_E": self.make_error,
            "_collision": self.collision,
            "_GoError": GoError,
            "_Exception": Exception,
            "_Dur": Duration,
            "_Time": Time,
            "_float": float,
            "_type": type,
            "_zip": zip,
            "_MIN": INT64_MIN,
            "_MAX": INT64_MAX,
            "_wrap": wrap_int64,
            "_idiv": int_div,
            "_irem": int_rem,
            "_fdiv": goconv.float_div,
            "_f2i": float_to_int64,
            **self.constants.values,
        }


# --- the public object --------------------------------------------------------------------------


class CompiledLambda:
    """A compiled lambda expression with its own stateful-function state.

    ``evaluate(point, context=None)`` returns the value (int, float, str, bool or Duration) or
    raises :class:`~tickmini.errors.EvaluationError`; ``evaluate_bool`` is the predicate form used
    by where/alert (a non-boolean result is an error). ``context`` reaches extra functions only.
    """

    evaluate: Callable[..., object]
    evaluate_bool: Callable[..., bool]

    def __init__(self, template: _Template) -> None:
        self._template = template
        self.references: frozenset[str] = frozenset(template.references)
        self.state = FunctionState()
        self._specs: dict[tuple[str, tuple[type, ...]], Callable[..., object]] = {}
        self._namespace = template.namespace()
        self._namespace.update(
            {
                "_count": self.state.count,
                "_sigma": self.state.sigma,
                "_spread": self.state.spread,
                "_slow_eval": self._slow_eval,
                "_slow_bool": self._slow_bool,
            }
        )
        exec(template.main_code, self._namespace)
        self.evaluate = self._namespace["evaluate"]  # type: ignore[assignment]
        self.evaluate_bool = self._namespace["evaluate_bool"]  # type: ignore[assignment]

    @property
    def pure(self) -> bool:
        """True when the value depends on the point's fields and tags only (no stateful
        function, no time, no clock, no extra function): evaluating it ahead or twice goes
        unseen."""
        return self._template.pure

    @property
    def reference_order(self) -> tuple[str, ...]:
        """The referenced names in the order :meth:`bool_for_types` takes their values."""
        return self._template.references

    def bool_for_types(self, classes: tuple[type, ...]) -> Callable[..., object]:
        """``evaluate_bool`` past its reads: ``f(context, *values)`` for values of these classes,
        one per name of :attr:`reference_order`, for callers holding columns of values."""
        return self._specialised("bool", classes)

    def bool_columns(self, classes: tuple[type, ...]) -> Callable[..., list[object]]:
        """``f(context, *columns)``: :meth:`bool_for_types` on every row of equally long
        columns (one per referenced name, each all of its class), as one list. A one-line
        specialisation runs as a comprehension: no call per row."""
        key = ("columns", classes)
        function = self._specs.get(key)
        if function is None:
            row = self._specialised("bool", classes)
            code = self._template.column_code(tuple(type_of_class(c) for c in classes))
            if code is None or not classes:

                def by_row(context: object, *columns: list[object]) -> list[object]:
                    return list(map(row, itertools.repeat(context), *columns))

                function = by_row
            else:
                self._namespace.update(self._template.constants.values)
                exec(code, self._namespace)
                function = self._namespace.pop("_columns")
            self._specs[key] = function
        return function

    def copy_reset(self) -> CompiledLambda:
        """A fresh copy with new stateful-function state (Kapacitor's ``CopyReset``)."""
        return CompiledLambda(self._template)

    def _slow_eval(self, classes: tuple[type, ...], context: object, *values: object) -> object:
        return self._specialised("eval", classes)(context, *values)

    def _slow_bool(self, classes: tuple[type, ...], context: object, *values: object) -> object:
        return self._specialised("bool", classes)(context, *values)

    def _specialised(self, mode: str, classes: tuple[type, ...]) -> Callable[..., object]:
        key = (mode, classes)
        function = self._specs.get(key)
        if function is None:
            ref_types = tuple(type_of_class(c) for c in classes)
            try:
                with _deep_recursion():
                    code = self._template.spec_code(mode, ref_types)
            except (RecursionError, SyntaxError, MemoryError):
                raise EvaluationError("expression is nested too deeply") from None
            self._namespace.update(self._template.constants.values)
            exec(code, self._namespace)
            function = self._namespace.pop("_spec")
            self._specs[key] = function
        return function
