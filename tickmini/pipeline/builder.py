"""AST to pipeline definitions, at define time as Kapacitor does it (reference 1.14).

The script is evaluated once: variables are bound (immutable), expressions outside lambdas are
computed, identifiers inside lambdas are replaced by the variables' values, and every ``|chain``
and ``.property`` call is checked against the node catalogue with Kapacitor's reflection rules
(first letter capitalised; exact Go argument types, so ``.flapping(0, 1)`` is an error). Unknown
names get a did-you-mean at their position. Lambdas and alert templates are compiled here, once.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from tickmini.errors import BuildError, TickminiError
from tickmini.pipeline import catalog
from tickmini.pipeline.definition import (
    STAR,
    BuildWarning,
    CompiledLambdaValue,
    HandlerDef,
    NodeDef,
    Pipeline,
    RegexValue,
    Star,
)
from tickmini.syntax import ast
from tickmini.values import Duration

__all__ = ["BuildOptions", "build_pipeline", "compile_script"]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """``strict``: every accepted Kapacitor incompatibility becomes a BuildError."""

    strict: bool = False


@dataclass(slots=True)
class _Lambda:
    """A lambda value during evaluation: the AST and the variables visible when it was read."""

    node: ast.Lambda
    variables: dict[str, object]


@dataclass(slots=True)
class _Scope:
    values: dict[str, object] = field(default_factory=dict)


def _go_type(value: object) -> str:
    """The Go type Kapacitor's reflection would report for an evaluated value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Duration):
        return "time.Duration"
    if isinstance(value, _Lambda):
        return "*ast.LambdaNode"
    if isinstance(value, Star):
        return "*ast.StarNode"
    if isinstance(value, RegexValue):
        return "*regexp.Regexp"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, NodeDef):
        return catalog.node_kind(value.kind).go_type
    if isinstance(value, _HandlerRef):
        return catalog.node_kind("handler:" + value.handler.kind).go_type
    return type(value).__name__


def _matches(value: object, arg_type: str) -> bool:
    if arg_type == "any":
        return True
    if arg_type == "string":
        return isinstance(value, str)
    if arg_type == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if arg_type == "float":
        return isinstance(value, float)
    if arg_type == "duration":
        return isinstance(value, Duration)
    if arg_type == "bool":
        return isinstance(value, bool)
    if arg_type == "lambda":
        return isinstance(value, _Lambda)
    if arg_type == "node":
        return isinstance(value, NodeDef)
    raise AssertionError(f"unknown argument type {arg_type}")


_EXAMPLES = {
    "int": "an integer such as 21",
    "float": "a float such as 0.25 (write 1.0, not 1)",
    "duration": "a duration such as 10s",
    "string": "a string such as 'name'",
    "lambda": 'a lambda such as lambda: "value" > 10',
    "bool": "TRUE or FALSE",
}


@dataclass(slots=True)
class _HandlerRef:
    """What ``.post(url)`` returns: the handler object, which still accepts alert properties."""

    alert: NodeDef
    handler: HandlerDef


class _Builder:
    def __init__(self, program: ast.Program, options: BuildOptions) -> None:
        self.program = program
        self.options = options
        self.filename = program.filename
        self.lines = program.source.splitlines()
        self.nodes: list[NodeDef] = []
        self.warnings: list[BuildWarning] = []
        self.dbrps: list[tuple[str, str]] = []
        self.scope = _Scope()
        self.task_type = "stream"
        self.stream = self._new_node("stream", "stream", (), "stream", program)

    # --- errors -------------------------------------------------------------------------------

    def error(
        self,
        message: str,
        node: ast.Node | None,
        *,
        expected: str | None = None,
        hint: str | None = None,
    ) -> BuildError:
        line = node.line if node is not None and node.line else None
        column = node.column if node is not None and node.column else None
        source_line = None
        if line is not None and 0 < line <= len(self.lines):
            source_line = self.lines[line - 1]
        return BuildError(
            message,
            file=self.filename,
            line=line,
            column=column,
            source_line=source_line,
            expected=expected,
            hint=hint,
        )

    def incompatible(self, message: str, node: ast.Node, hint: str) -> None:
        """Accepted by tickmini, rejected by Kapacitor: a warning, or an error with --strict."""
        if self.options.strict:
            raise self.error(message, node, hint=hint)
        self.warnings.append(BuildWarning(message, self.filename, node.line, node.column, hint))

    # --- nodes --------------------------------------------------------------------------------

    def _new_node(
        self, kind: str, method: str, args: tuple[object, ...], edge: str, at: ast.Node
    ) -> NodeDef:
        info = catalog.node_kind(kind)
        node_id = len(self.nodes)
        desc = method if kind == "influxql" else info.desc
        node = NodeDef(
            kind=kind,
            id=node_id,
            name=f"{desc}{node_id}",
            method=method,
            args=args,
            properties=dict(info.defaults),
            edge=edge,
            line=at.line,
            column=at.column,
        )
        self.nodes.append(node)
        return node

    # --- evaluation ---------------------------------------------------------------------------

    def run(self) -> Pipeline:
        for statement in self.program.statements:
            self.statement(statement)
        if not self.stream.children:
            raise self.error(
                "task does nothing: the script only names the source node",
                self.program.statements[0] if self.program.statements else None,
                hint="chain nodes after it, e.g. stream |from() .measurement('cpu') |alert()...",
            )
        for node in self.nodes:
            self.validate(node)
        return Pipeline(
            task_type=self.task_type,
            nodes=self.nodes,
            dbrps=self.dbrps,
            warnings=self.warnings,
            filename=self.filename,
            source=self.program.source,
        )

    def statement(self, statement: ast.Statement) -> None:
        if isinstance(statement, ast.VarDeclaration):
            if statement.name in self.scope.values or statement.name in ("stream", "batch"):
                raise self.error(
                    f"attempted to redefine {statement.name}, vars are immutable", statement
                )
            self.scope.values[statement.name] = self.evaluate(statement.value)
        elif isinstance(statement, ast.TypedVarDeclaration):
            raise self.error(
                f'missing value for var "{statement.name}".',
                statement,
                hint="template variables need a value from a vars file; give it a value here",
            )
        elif isinstance(statement, ast.DBRPStatement):
            self.dbrps.append((statement.database, statement.retention_policy))
        elif isinstance(statement, ast.ExpressionStatement):
            self.evaluate(statement.expr)
        else:  # pragma: no cover - the AST has no other statements
            raise self.error(f"unknown statement {type(statement).__name__}", statement)

    def evaluate(self, expr: ast.Expr) -> object:
        if isinstance(expr, ast.NumberLiteral):
            return expr.value
        if isinstance(expr, ast.StringLiteral):
            return expr.value
        if isinstance(expr, ast.DurationLiteral):
            return Duration(expr.nanoseconds)
        if isinstance(expr, ast.BoolLiteral):
            return expr.value
        if isinstance(expr, ast.RegexLiteral):
            return RegexValue(expr.pattern, expr.text)
        if isinstance(expr, ast.StarLiteral):
            return STAR
        if isinstance(expr, ast.ListLiteral):
            return [self.evaluate(item) for item in expr.items]
        if isinstance(expr, ast.Lambda):
            return _Lambda(expr, self.lambda_variables())
        if isinstance(expr, ast.Identifier):
            return self.identifier(expr)
        if isinstance(expr, ast.Reference):
            raise self.error(
                f'"{expr.name}" (double quotes) names a field or tag, which only a lambda can read',
                expr,
                hint=f"for a string write '{expr.name}' with single quotes;"
                f' to read the field or tag write lambda: "{expr.name}" ...',
            )
        if isinstance(expr, ast.ChainCall):
            return self.chain(expr)
        if isinstance(expr, ast.FunctionCall):
            raise self.error(f'no global function "{expr.name}" defined', expr)
        if isinstance(expr, ast.UnaryExpr | ast.BinaryExpr):
            return self.constant(expr)
        raise self.error(f"cannot evaluate {type(expr).__name__}", expr)

    def identifier(self, expr: ast.Identifier) -> object:
        if expr.name == "stream":
            return self.stream
        if expr.name == "batch":
            self.task_type = "batch"
            raise self.error(
                "batch tasks are not supported yet: tickmini runs stream tasks",
                expr,
                hint="replace 'batch |query(...)' with 'stream |from() ... |window()'",
            )
        if expr.name in self.scope.values:
            return self.scope.values[expr.name]
        names = ", ".join(sorted([*self.scope.values, "stream"]))
        raise self.error(
            f'name "{expr.name}" is undefined. Names in scope: {names}',
            expr,
            hint=self.did_you_mean(expr.name, [*self.scope.values, "stream"]),
        )

    def lambda_variables(self) -> dict[str, object]:
        """The scalar variables a lambda can reference (nodes are not values in lambdas)."""
        return {
            name: value
            for name, value in self.scope.values.items()
            if not isinstance(value, NodeDef | _HandlerRef | _Lambda)
        }

    def constant(self, expr: ast.Expr) -> object:
        """Binary/unary expressions outside lambdas are computed now, with lambda semantics."""
        from tickmini.lang.compiler import compile_expression
        from tickmini.values import Point

        if isinstance(expr, ast.UnaryExpr):
            operand = self.evaluate(expr.operand)
            numeric = isinstance(operand, int | float | Duration) and not isinstance(operand, bool)
            if (expr.op == "-" and not numeric) or (
                expr.op == "!" and not isinstance(operand, bool)
            ):
                wanted = "a number or a duration" if expr.op == "-" else "a boolean"
                raise self.error(
                    f"invalid argument to '{expr.op}': {_go_type(operand)} (it needs {wanted})",
                    expr,
                )
        for name in _identifiers(expr):
            value = self.scope.values.get(name)
            if isinstance(value, NodeDef | _HandlerRef | _Lambda):
                raise self.error(f"cannot use {name} ({_go_type(value)}) in an expression", expr)
        compiled = compile_expression(
            expr,
            variables=_lambda_values(self.lambda_variables()),
            source=self.program.source,
            filename=self.filename,
        )
        if compiled.references:
            names = ", ".join(f'"{name}"' for name in sorted(compiled.references))
            raise self.error(
                f"{names} can only be read inside a lambda: outside one, an expression is"
                " computed once, when the script is defined",
                expr,
                hint='did you forget lambda: ? e.g. .crit(lambda: "usage_idle" < 10)',
            )
        try:
            value = compiled.evaluate(Point(name="", tags={}, fields={}, time=0))
        except TickminiError as err:
            raise self.error(err.message, expr) from None
        if isinstance(value, Duration):
            return value
        return value

    # --- chains -------------------------------------------------------------------------------

    def chain(self, call: ast.ChainCall) -> object:
        receiver = self.evaluate(call.receiver)
        if call.operator == "@":
            raise self.error(
                f'UDFs are not supported: no UDF "{call.name}"',
                call,
                hint="tickmini runs built-in nodes only",
            )
        if call.args is None:
            raise self.error(
                f'reading the property "{call.name}" is not supported',
                call,
                hint=f"call it with parentheses: .{call.name}(...)",
            )
        args = tuple(self.evaluate(arg) for arg in call.args)
        if isinstance(receiver, _HandlerRef):
            kind = "handler:" + receiver.handler.kind
            owner: NodeDef = receiver.alert
        elif isinstance(receiver, NodeDef):
            kind = receiver.kind
            owner = receiver
        else:
            raise self.error(
                f'no method or property "{call.name}" on {_go_type(receiver)}',
                call,
                hint="methods are called on nodes such as stream |from() or a var holding one",
            )
        if call.operator == "|":
            return self.chain_method(call, kind, owner, args)
        return self.property_method(call, kind, owner, receiver, args)

    def chain_method(
        self, call: ast.ChainCall, kind: str, owner: NodeDef, args: tuple[object, ...]
    ) -> NodeDef:
        info = catalog.node_kind(kind)
        name = catalog.lookup(info.chain, call.name)
        if name is None:
            if catalog.lookup(catalog.properties_of(kind), call.name) is not None:
                raise self.error(
                    f'no chaining method "{call.name}" on {info.go_type}, but property does '
                    f"exist. Use '.' operator instead: 'node.{call.name}(..)'.",
                    call,
                )
            raise self.error(
                f'no chaining method "{call.name}" on {info.go_type}',
                call,
                hint=self.did_you_mean(call.name, info.chain, prefix="|"),
            )
        method = catalog.CHAIN_METHODS[name]
        if not method.supported:
            raise self.error(
                f"the {name}() node is not supported by tickmini (yet)",
                call,
                hint="supported nodes: "
                + ", ".join(m.name for m in catalog.CHAIN_METHODS.values() if m.supported),
            )
        self.check_args(call, name, method.signature, args, info.go_type, go_method=True)
        if name == "window" and owner.edge != "stream":
            raise self.error("cannot window a batch edge", call)
        if name == "from" and owner.kind not in ("stream", "from"):
            raise self.error("|from() can only follow stream", call)
        edge = catalog.node_kind(method.creates).edge
        if edge == "same":
            edge = owner.edge
        child = self._new_node(method.creates, name, args, edge, call)
        child.parents.append(owner)
        owner.children.append(child)
        if method.creates == "eval":
            child.properties["expressions"] = tuple(self.compile_lambda(arg, call) for arg in args)
        elif method.creates == "where":
            child.properties["lambda"] = self.compile_lambda(args[0], call)
        elif method.creates == "groupBy":
            child.properties["dimensions"] = args
        elif method.creates == "httpOut":
            child.properties["endpoint"] = args[0]
        elif method.creates == "influxql":
            child.properties["field"] = args[0]
            child.properties["as"] = name
            if name == "percentile":
                child.properties["percentile"] = args[1]
        return child

    def property_method(
        self,
        call: ast.ChainCall,
        kind: str,
        owner: NodeDef,
        receiver: object,
        args: tuple[object, ...],
    ) -> object:
        properties = catalog.properties_of(kind)
        info = catalog.node_kind(kind)
        name = catalog.lookup(properties, call.name)
        if name is None and call.name in catalog.LENIENT_SPELLINGS:
            name = catalog.LENIENT_SPELLINGS[call.name]
            if name in properties:
                self.incompatible(
                    f".{call.name}() is accepted by tickmini but Kapacitor would reject this "
                    f'script (no method or property "{call.name}" on {info.go_type})',
                    call,
                    hint=f"write .{name}() so that Kapacitor accepts it too",
                )
            else:
                name = None
        if name is None:
            if catalog.lookup(info.chain, call.name) is not None:
                raise self.error(
                    f'no property method "{call.name}" on {info.go_type}, but chaining method '
                    f"does exist. Use '|' operator instead: 'node|{call.name}(..)'.",
                    call,
                )
            raise self.error(
                f'no method or property "{call.name}" on {info.go_type}',
                call,
                hint=self.did_you_mean(call.name, properties, prefix="."),
            )
        prop = properties[name]
        self.check_args(call, name, prop.signature, args, info.go_type, go_method=prop.go_method)
        is_own = name in info.properties and kind.startswith("handler:")
        if is_own:
            assert isinstance(receiver, _HandlerRef)
            self.apply(prop, receiver.handler.properties, args, call)
            return receiver
        if prop.action == "handler":
            return self.new_handler(call, name, owner, args)
        self.apply(prop, owner.properties, args, call)
        owner.positions[prop.key] = (call.line, call.column)
        if prop.action in ("set",) and isinstance(args[0], _Lambda):
            owner.properties[prop.key] = self.compile_lambda(args[0], call)
        return receiver

    def apply(
        self, prop: catalog.Property, target: dict[str, object], args: tuple, call: ast.ChainCall
    ) -> None:
        action = prop.action
        if action == "set":
            target[prop.key] = args[0].nanoseconds if isinstance(args[0], Duration) else args[0]
        elif action == "flag":
            target[prop.key] = True
        elif action == "args":
            target[prop.key] = args
        elif action == "extend":
            target[prop.key] = (*target.get(prop.key, ()), *args)
        elif action == "put_pair":
            headers = dict(target.get(prop.key) or {})
            headers[args[0]] = args[1]
            target[prop.key] = headers
        elif action == "and_lambda":
            lam = args[0]
            previous = target.get("_where_expr")
            expr = lam.node.expr
            if previous is not None:
                expr = ast.BinaryExpr(
                    op="AND", left=previous, right=expr, line=call.line, column=call.column
                )
            target["_where_expr"] = expr
            target[prop.key] = self.compile_lambda(
                _Lambda(ast.Lambda(expr=expr), lam.variables), call
            )
        elif action == "method":
            self.apply_method(prop, target, args, call)
        else:  # pragma: no cover - the catalogue has no other actions
            raise AssertionError(action)

    def apply_method(
        self, prop: catalog.Property, target: dict[str, object], args: tuple, call: ast.ChainCall
    ) -> None:
        if prop.name == "flapping":
            target["flapping"] = (args[0], args[1])
        elif prop.name == "stateChangesOnly":
            # Kapacitor keeps the duration only when exactly one is given.
            duration = args[0].nanoseconds if len(args) == 1 else 0
            target["stateChangesOnly"] = duration
        elif prop.name == "inhibit":
            target["inhibitors"] = (*target.get("inhibitors", ()), (args[0], tuple(args[1:])))
        elif prop.name == "keep":
            target["keep"] = tuple(args)
        else:  # pragma: no cover
            raise AssertionError(prop.name)

    def new_handler(
        self, call: ast.ChainCall, name: str, alert: NodeDef, args: tuple[object, ...]
    ) -> _HandlerRef:
        if name not in catalog.HANDLER_SPEC_KIND:
            raise self.error(
                f"the .{name}() alert handler is not supported by tickmini",
                call,
                hint="supported handlers: .post(), .tcp(), .log(), .victorOps(); or publish "
                "with .topic() and attach a handler file",
            )
        handler = HandlerDef(
            kind=name, args=args, properties={}, line=call.line, column=call.column
        )
        alert.handlers.append(handler)
        return _HandlerRef(alert, handler)

    def check_args(
        self,
        call: ast.ChainCall,
        name: str,
        signature: catalog.Signature,
        args: tuple[object, ...],
        go_type: str,
        *,
        go_method: bool,
    ) -> None:
        params = signature.params
        if len(args) < len(params) or (signature.variadic is None and len(args) > len(params)):
            expected = f".{name}{signature.describe()}"
            raise self.error(
                f".{name}() takes {_count(params, signature.variadic)}, got {len(args)}",
                call,
                expected=expected,
            )
        for index, value in enumerate(args):
            wanted = params[index] if index < len(params) else signature.variadic
            assert wanted is not None
            if not _matches(value, wanted):
                got = _go_type(value)
                want = catalog.ARG_TYPES[wanted]
                detail = (
                    f"reflect: Call using {got} as type {want}"
                    if go_method
                    else f"reflect.Set: value of type {got} is not assignable to type {want}"
                )
                arg_node = call.args[index] if call.args else call
                raise self.error(
                    f'error calling func "{name}" on obj {go_type}: argument {index + 1} must '
                    f"be {want}, not {got} ({detail})",
                    arg_node,
                    expected=_EXAMPLES.get(wanted, want),
                    hint=_type_hint(value, wanted),
                )

    def compile_lambda(self, value: object, call: ast.ChainCall) -> CompiledLambdaValue:
        assert isinstance(value, _Lambda)
        from tickmini.lang.compiler import compile_expression

        compiled = compile_expression(
            value.node.expr,
            variables=_lambda_values(value.variables),
            source=self.program.source,
            filename=self.filename,
        )
        return CompiledLambdaValue(value.node.expr, compiled, value.node.line, value.node.column)

    def did_you_mean(self, name: str, candidates, prefix: str = "") -> str | None:
        names = list(candidates)
        lowered = {c.lower(): c for c in names}
        if name.lower() in lowered:
            return f"did you mean {prefix}{lowered[name.lower()]}?"
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        if not close:
            close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
            close = [lowered[c] for c in close]
        if close:
            return f"did you mean {prefix}{close[0]}?"
        return None

    # --- validation (Kapacitor's validate() and start-time checks) -----------------------------

    def validate(self, node: NodeDef) -> None:
        at = _Pos(node.line, node.column)
        props = node.properties
        if node.kind in ("from", "groupBy"):
            dims = props["groupBy"] if node.kind == "from" else props["dimensions"]
            self.validate_dimensions(dims, props.get("exclude", ()), at)
        elif node.kind == "eval":
            names = props["as"]
            exprs = props["expressions"]
            if len(names) != len(exprs):
                raise self.error(
                    "must specify same number of expressions and .as() names: got "
                    f"{len(names)} as names, and {len(exprs)} expressions.",
                    at,
                )
            for tag in props["tags"]:
                if tag not in names:
                    raise self.error(f"tag name {tag!r} is not one of the .as() names", at)
        elif node.kind == "window":
            self.validate_window(node, at)
        elif node.kind == "alert":
            self.validate_alert(node, at)

    def validate_dimensions(self, dims: tuple, exclude: tuple, at: ast.Node) -> None:
        has_star = False
        for dim in dims:
            if isinstance(dim, Star):
                has_star = True
            elif not isinstance(dim, str):
                raise self.error(f"invalid dimension object of type {_go_type(dim)}", at)
        if has_star and len(dims) > 1:
            raise self.error("cannot group by both '*' and named dimensions.", at)
        if exclude and not has_star:
            raise self.error("exclude requires '*'", at)

    def validate_window(self, node: NodeDef, at: ast.Node) -> None:
        p = node.properties
        if p["period"] and p["periodCount"]:
            raise self.error("can only use one of period and periodCount", at)
        if p["every"] and p["everyCount"]:
            raise self.error("can only use one of every and everyCount", at)
        if not p["period"] and not p["periodCount"]:
            raise self.error(
                "window node must have either a period or a periodCount",
                at,
                hint="add .period(10s) (and .every(10s))",
            )
        for key in ("period", "every", "periodCount", "everyCount"):
            if p[key] < 0:
                raise self.error(f"window {key} must not be negative", at)

    def validate_alert(self, node: NodeDef, at: ast.Node) -> None:
        from tickmini.runtime.alert_templates import compile_alert_templates

        p = node.properties
        if p["history"] < 2:
            p["history"] = 2
        if p["flapping"] is not None:
            low, high = p["flapping"]
            if low > 1 or high > 1:
                raise self.error(
                    "alert flap thresholds are percentages and should be between 0 and 1",
                    _Pos(*node.positions.get("flapping", (node.line, node.column))),
                )
        for handler in node.handlers:
            handler.spec = self.handler_spec(handler)
        node.compiled["templates"] = compile_alert_templates(
            p["id"],
            p["message"],
            p["details"],
            positions={
                key: node.positions.get(key, (node.line, node.column))
                for key in ("id", "message", "details")
            },
            error=lambda message, line, column: self.error(message, _Pos(line, column)),
        )

    def handler_spec(self, handler: HandlerDef):
        from tickmini.alerting.spec import HandlerSpec

        at = _Pos(handler.line, handler.column)
        p = handler.properties
        options: dict[str, object] = {}
        if handler.kind == "post":
            if handler.args:
                options["url"] = handler.args[0]
            if len(handler.args) > 1:
                raise self.error(".post() takes at most one URL", at)
            if p.get("endpoint"):
                options["endpoint"] = p["endpoint"]
            headers = p.get("headers") or {}
            for key in headers:
                if key.upper() == "AUTHENTICATE":
                    raise self.error("invalid post: cannot set 'authenticate' header", at)
            if headers:
                options["headers"] = dict(headers)
            if p.get("captureResponse"):
                options["capture-response"] = True
            if p.get("timeout"):
                options["timeout"] = p["timeout"]
            if p.get("skipSSLVerification"):
                options["skip-ssl-verification"] = True
            if "url" not in options and "endpoint" not in options:
                raise self.error(
                    ".post() needs a URL or an .endpoint()",
                    at,
                    hint=".post('http://example.com/alert')",
                )
        elif handler.kind == "tcp":
            options["address"] = p.get("address", handler.args[0])
        elif handler.kind == "log":
            path = handler.args[0]
            if not os.path.isabs(path):
                raise self.error(
                    f"the log handler path must be absolute, got {path!r}",
                    at,
                    hint="write .log('/var/log/alerts.log')",
                )
            options["path"] = path
            if p.get("mode"):
                options["mode"] = p["mode"]
        elif handler.kind == "victorOps" and p.get("routingKey"):
            options["routing-key"] = p["routingKey"]
        return HandlerSpec(kind=catalog.HANDLER_SPEC_KIND[handler.kind], options=options)


@dataclass(frozen=True, slots=True)
class _Pos:
    """A bare position for errors found after evaluation."""

    line: int
    column: int


def _count(params: tuple[str, ...], variadic: str | None) -> str:
    n = len(params)
    if variadic is not None:
        return f"at least {n} argument{'s' if n != 1 else ''}"
    return f"{n} argument{'s' if n != 1 else ''}"


def _type_hint(value: object, wanted: str) -> str | None:
    if wanted == "float" and isinstance(value, int) and not isinstance(value, bool):
        return f"write {value}.0: Kapacitor does not convert integers to floats here"
    if wanted == "int" and isinstance(value, float):
        return f"write {int(value)}: Kapacitor wants an integer here"
    if wanted == "duration" and isinstance(value, int | float):
        return f"write a duration with a unit, e.g. {value}s"
    if wanted == "lambda":
        return "wrap the expression in lambda: ..."
    return None


def _identifiers(expr: ast.Expr) -> list[str]:
    found: list[str] = []

    def walk(e: object) -> None:
        if isinstance(e, ast.Identifier):
            found.append(e.name)
        elif isinstance(e, ast.BinaryExpr):
            walk(e.left)
            walk(e.right)
        elif isinstance(e, ast.UnaryExpr):
            walk(e.operand)
        elif isinstance(e, ast.FunctionCall):
            for a in e.args:
                walk(a)

    walk(expr)
    return found


def _lambda_values(variables: Mapping[str, object]) -> dict[str, object]:
    """Variables as the lambda compiler takes them (plain Python values)."""
    out: dict[str, object] = {}
    for name, value in variables.items():
        if isinstance(value, RegexValue):
            out[name] = ast.RegexLiteral(pattern=value.pattern, text=value.text)
        elif isinstance(value, Star):
            out[name] = ast.StarLiteral()
        else:
            out[name] = value
    return out


def build_pipeline(program: ast.Program, *, strict: bool = False) -> Pipeline:
    """Evaluate a parsed script into pipeline definitions (raises BuildError)."""
    return _Builder(program, BuildOptions(strict=strict)).run()


def compile_script(
    source: str | ast.Program, filename: str = "<script>", *, strict: bool = False
) -> Pipeline:
    """Parse (if given text) and build a script: the one entry point other commands use."""
    if isinstance(source, ast.Program):
        program = source
    else:
        from tickmini.syntax.parser import parse_script

        program = parse_script(source, filename)
    return build_pipeline(program, strict=strict)
