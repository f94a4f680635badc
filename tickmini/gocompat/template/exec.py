"""Compile a parsed Go template into Python closures, then run them (``text/template/exec.go``).

Each node becomes a closure once, at compile time; rendering only calls closures over plain
data. Variables follow Go's dynamic stack (``$`` is the data); ``range`` over maps is in sorted
key order. Execute errors become :class:`TemplateError` with Go's ``executing "NAME" at <NODE>``
context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tickmini.errors import TemplateError
from tickmini.gocompat.gofmt import format_v, type_name
from tickmini.gocompat.gotypes import GoInt, GoMap
from tickmini.gocompat.template.funcs import GoFunc
from tickmini.gocompat.template.nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
)
from tickmini.gocompat.template.values import ExecFailure, field_of, find_method, is_true

MAX_TEMPLATE_DEPTH = 50

_MISSING = object()


class _State:
    """One rendering: output pieces, the variable stack and the template call depth."""

    __slots__ = ("depth", "out", "vars")

    def __init__(self, data: object) -> None:
        self.out: list[str] = []
        self.vars: list[list[object]] = [["$", data]]
        self.depth = 0


class _Located(Exception):
    """An execute failure with the node it happened at."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


Stmt = Callable[[_State, object], None]
Expr = Callable[[_State, object], object]
Cmd = Callable[[_State, object, object], object]


def _fail(node: Node, message: str) -> _Located:
    return _Located(node, message)


def _ideal_constant(node: NumberNode) -> object:
    """Go ``idealConstant``: floats stay floats when written like floats, else int."""
    text = node.text
    is_hex_int = (
        len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")
    )
    looks_float = not is_hex_int and text[0] != "'" and any(c in text for c in ".eEpP")
    if node.is_float and looks_float:
        return node.float_value
    if node.is_int:
        return GoInt(node.int_value)
    if node.is_float:
        return node.float_value
    raise ExecFailure(f"{node.text} overflows int")


@dataclass(slots=True)
class _Program:
    """All compiled templates of one template set (the main one and its ``define``s)."""

    name: str
    source: str
    funcs: Mapping[str, GoFunc]
    trees: dict[str, Stmt]


class Compiler:
    """Turns parse trees into closures; one instance per template set."""

    def __init__(self, name: str, source: str, funcs: Mapping[str, GoFunc]) -> None:
        self.program = _Program(name, source, funcs, {})

    # --- statements -------------------------------------------------------------------
    def compile_list(self, node: ListNode) -> Stmt:
        parts = [self.compile_node(n) for n in node.nodes]
        parts = [p for p in parts if p is not None]
        if len(parts) == 1:
            return parts[0]

        def run_list(state: _State, dot: object) -> None:
            for part in parts:
                part(state, dot)

        return run_list

    def compile_node(self, node: Node) -> Stmt | None:
        if isinstance(node, TextNode):
            text = node.text

            def run_text(state: _State, dot: object) -> None:
                state.out.append(text)

            return run_text
        if isinstance(node, CommentNode):
            return None
        if isinstance(node, ActionNode):
            return self.compile_action(node)
        if isinstance(node, BranchNode):
            if node.kind == "range":
                return self.compile_range(node)
            return self.compile_if_with(node)
        if isinstance(node, TemplateNode):
            return self.compile_template_call(node)
        if isinstance(node, BreakNode):

            def run_break(state: _State, dot: object) -> None:
                raise _Break

            return run_break
        if isinstance(node, ContinueNode):

            def run_continue(state: _State, dot: object) -> None:
                raise _Continue

            return run_continue
        raise TemplateError(f"unknown template node {type(node).__name__}")

    def compile_action(self, node: ActionNode) -> Stmt:
        pipe = self.compile_pipe(node.pipe)
        if node.pipe.decl:

            def run_decl(state: _State, dot: object) -> None:
                pipe(state, dot)

            return run_decl

        def run_action(state: _State, dot: object) -> None:
            value = pipe(state, dot)
            state.out.append(
                "<no value>"
                if value is None
                else value
                if type(value) is str
                else format_v(value, top=False)
            )

        return run_action

    def compile_if_with(self, node: BranchNode) -> Stmt:
        pipe = self.compile_pipe(node.pipe)
        body = self.compile_list(node.list)
        other = self.compile_list(node.else_list) if node.else_list is not None else None
        is_with = node.kind == "with"

        def run_branch(state: _State, dot: object) -> None:
            mark = len(state.vars)
            value = pipe(state, dot)
            if is_true(value):
                body(state, value if is_with else dot)
            elif other is not None:
                other(state, dot)
            del state.vars[mark:]

        return run_branch

    def compile_range(self, node: BranchNode) -> Stmt:
        pipe = self.compile_pipe(node.pipe)
        body = self.compile_list(node.list)
        other = self.compile_list(node.else_list) if node.else_list is not None else None
        n_decl = len(node.pipe.decl)
        is_assign = node.pipe.is_assign
        decl_names = [v.ident[0] for v in node.pipe.decl]

        def one(state: _State, key: object, elem: object) -> bool:
            if n_decl:
                if is_assign:
                    _set_var(state, decl_names[-1] if n_decl == 1 else decl_names[1], elem)
                    if n_decl > 1:
                        _set_var(state, decl_names[0], key)
                else:
                    state.vars[-1][1] = elem
                    if n_decl > 1:
                        state.vars[-2][1] = key
            mark = len(state.vars)
            try:
                body(state, elem)
            except _Continue:
                pass
            except _Break:
                return False
            finally:
                del state.vars[mark:]
            return True

        def run_range(state: _State, dot: object) -> None:
            mark = len(state.vars)
            value = pipe(state, dot)
            iterated = False
            if isinstance(value, GoMap | dict):
                items = value.items if isinstance(value, GoMap) else value
                for key in sorted(items):
                    iterated = True
                    if not one(state, key, items[key]):
                        break
            elif isinstance(value, list | tuple):
                for index, elem in enumerate(value):
                    iterated = True
                    if not one(state, GoInt(index), elem):
                        break
            elif value is not None:
                raise _fail(node, f"range can't iterate over {format_v(value, top=False)}")
            if not iterated and other is not None:
                other(state, dot)
            del state.vars[mark:]

        return run_range

    def compile_template_call(self, node: TemplateNode) -> Stmt:
        pipe = self.compile_pipe(node.pipe) if node.pipe is not None else None
        trees = self.program.trees
        name = node.name

        def run_template(state: _State, dot: object) -> None:
            tree = trees.get(name)
            if tree is None:
                raise _fail(node, f'no such template "{name}"')
            value = pipe(state, dot) if pipe is not None else None
            if state.depth >= MAX_TEMPLATE_DEPTH:
                raise _fail(node, f"exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})")
            saved = state.vars
            state.vars = [["$", value]]
            state.depth += 1
            try:
                tree(state, value)
            finally:
                state.depth -= 1
                state.vars = saved

        return run_template

    # --- pipelines and commands -------------------------------------------------------
    def compile_pipe(self, pipe: PipeNode) -> Expr:
        cmds = [self.compile_command(c) for c in pipe.cmds]
        decl = [v.ident[0] for v in pipe.decl]
        is_assign = pipe.is_assign

        if len(cmds) == 1 and not decl:
            only = cmds[0]

            def run_single(state: _State, dot: object) -> object:
                return only(state, dot, _MISSING)

            return run_single

        def run_pipe(state: _State, dot: object) -> object:
            value: object = _MISSING
            for cmd in cmds:
                value = cmd(state, dot, value)
            for name in decl:
                if is_assign:
                    _set_var(state, name, value)
                else:
                    state.vars.append([name, value])
            return value

        return run_pipe

    def compile_command(self, cmd: CommandNode) -> Cmd:
        first = cmd.args[0]
        args = cmd.args[1:]
        if isinstance(first, FieldNode):
            return self.compile_field_chain(first, _dot_expr, first.ident, args)
        if isinstance(first, ChainNode):
            base = self.compile_arg(first.node)  # the parser never chains on a bare nil
            return self.compile_field_chain(first, base, tuple(first.fields), args)
        if isinstance(first, VariableNode):
            name = first.ident[0]
            if len(first.ident) == 1:
                not_function = self.not_a_function(cmd)

                def run_variable(state: _State, dot: object, final: object) -> object:
                    not_function(final)
                    return _var_value(state, name, first)

                return run_variable

            def var_expr(state: _State, dot: object) -> object:
                return _var_value(state, name, first)

            return self.compile_field_chain(first, var_expr, first.ident[1:], args)
        if isinstance(first, IdentifierNode):
            return self.compile_call(cmd, first, args)
        if isinstance(first, PipeNode):
            inner = self.compile_pipe(first)
            not_function = self.not_a_function(cmd)

            def run_paren(state: _State, dot: object, final: object) -> object:
                not_function(final)
                return inner(state, dot)

            return run_paren
        not_function = self.not_a_function(cmd)
        if isinstance(first, NilNode):

            def run_nil(state: _State, dot: object, final: object) -> object:
                not_function(final)
                raise _fail(first, "nil is not a command")

            return run_nil
        constant = self.compile_arg(first)

        def run_constant(state: _State, dot: object, final: object) -> object:
            not_function(final)
            return constant(state, dot)

        return run_constant

    def not_a_function(self, cmd: CommandNode) -> Callable[[object], None]:
        first = cmd.args[0]
        has_args = len(cmd.args) > 1

        def check(final: object) -> None:
            if has_args or final is not _MISSING:
                raise _fail(first, f"can't give argument to non-function {first}")

        return check

    def compile_field_chain(
        self, node: Node, receiver_expr: Expr, idents: tuple[str, ...], args: list[Node]
    ) -> Cmd:
        arg_exprs = [self.compile_arg(a) for a in args]
        head = idents[:-1]
        last = idents[-1]
        has_explicit_args = bool(args)

        def run_chain(state: _State, dot: object, final: object) -> object:
            receiver = receiver_expr(state, dot)
            try:
                for name in head:
                    receiver = _field_step(state, dot, receiver, name, (), _MISSING)
                return _field_step(state, dot, receiver, last, arg_exprs, final, has_explicit_args)
            except ExecFailure as failure:
                raise _fail(node, str(failure)) from None

        return run_chain

    def compile_call(self, cmd: CommandNode, node: IdentifierNode, args: list[Node]) -> Cmd:
        func = self.program.funcs.get(node.name)
        if func is None:
            raise TemplateError(f'"{node.name}" is not a defined function')
        arg_exprs = [self.compile_arg(a) for a in args]
        name = node.name
        if name in ("and", "or"):
            want = name == "or"

            def run_and_or(state: _State, dot: object, final: object) -> object:
                if not arg_exprs and final is _MISSING:
                    raise _fail(node, f"wrong number of args for {name}: want at least 1 got 0")
                value: object = None
                for expr in arg_exprs:
                    value = expr(state, dot)
                    if is_true(value) == want:
                        return value
                if final is not _MISSING:
                    value = final
                return value

            return run_and_or

        fixed = func.fixed
        variadic = func.variadic
        arg_nodes = args
        string_params = func.string_params
        fn = func.fn
        call_node: Node = cmd

        def run_call(state: _State, dot: object, final: object) -> object:
            values = [expr(state, dot) for expr in arg_exprs]
            if final is not _MISSING:
                values.append(final)
            count = len(values)
            if variadic:
                if count < fixed:
                    raise _fail(
                        call_node,
                        f"wrong number of args for {name}: want at least {fixed} got {len(arg_exprs)}",
                    )
            elif count != fixed:
                raise _fail(call_node, f"wrong number of args for {name}: want {fixed} got {count}")
            for index in string_params:
                if not isinstance(values[index], str):
                    raise _fail(
                        arg_nodes[index] if index < len(arg_nodes) else call_node,
                        _string_param_error(
                            arg_nodes[index] if index < len(arg_nodes) else None, values[index]
                        ),
                    )
            try:
                return fn(*values)
            except ExecFailure as failure:
                raise _Located(call_node, f"error calling {name}: {failure}") from None
            except TemplateError as err:
                raise _Located(call_node, f"error calling {name}: {err.message}") from None

        return run_call

    def compile_arg(self, node: Node) -> Expr:
        """An argument expression (Go ``evalArg`` with an ``interface{}`` parameter)."""
        if isinstance(node, DotNode):
            return _dot_expr
        if isinstance(node, NilNode):
            return _nil_expr
        if isinstance(node, BoolNode):
            value: object = node.value
            return lambda state, dot: value
        if isinstance(node, StringNode):
            text = node.text
            return lambda state, dot: text
        if isinstance(node, NumberNode):
            try:
                constant = _ideal_constant(node)
            except ExecFailure as failure:
                message = str(failure)

                def overflow(state: _State, dot: object) -> object:
                    raise _fail(node, message)

                return overflow
            return lambda state, dot: constant
        if isinstance(node, PipeNode):
            return self.compile_pipe(node)
        if isinstance(node, FieldNode | ChainNode | VariableNode | IdentifierNode):
            command = self.compile_command(CommandNode(node.pos, [node]))
            return lambda state, dot: command(state, dot, _MISSING)
        raise TemplateError(f"can't handle {node} as an argument")


def _string_param_error(node: Node | None, value: object) -> str:
    """Go's message for a non-string argument to a ``string`` parameter (``evalArg``)."""
    if isinstance(node, NilNode):
        return "cannot assign nil to string"
    if isinstance(node, NumberNode | BoolNode):
        return f"expected string; found {node}"
    if value is None:
        return "invalid value; expected string"
    return f"wrong type for value; expected string; got {type_name(value)}"


def _dot_expr(state: _State, dot: object) -> object:
    return dot


def _nil_expr(state: _State, dot: object) -> object:
    return None


def _var_value(state: _State, name: str, node: Node) -> object:
    for entry in reversed(state.vars):
        if entry[0] == name:
            return entry[1]
    raise _fail(node, f"undefined variable: {name}")


def _set_var(state: _State, name: str, value: object) -> None:
    for entry in reversed(state.vars):
        if entry[0] == name:
            entry[1] = value
            return
    raise ExecFailure(f"undefined variable: {name}")


def _field_step(
    state: _State,
    dot: object,
    receiver: object,
    name: str,
    arg_exprs: list[Expr] | tuple[()],
    final: object,
    has_explicit_args: bool = False,
) -> object:
    if receiver is None:
        return None
    method = find_method(receiver, name)
    if method is not None:
        n_params, fn, raw = method
        values = [expr(state, dot) for expr in arg_exprs]
        if final is not _MISSING:
            values.append(final)
        if len(values) != n_params:
            raise ExecFailure(f"wrong number of args for {name}: want {n_params} got {len(values)}")
        return fn(raw, *values)
    return field_of(receiver, name, has_explicit_args or final is not _MISSING)


def compile_trees(
    name: str,
    source: str,
    root: ListNode,
    defined: Mapping[str, ListNode],
    funcs: Mapping[str, GoFunc],
) -> Callable[[object], str]:
    """Compile a main tree and its ``define``s; returns ``render(data) -> str``."""
    compiler = Compiler(name, source, funcs)
    program = compiler.program
    for def_name, tree in defined.items():
        program.trees[def_name] = compiler.compile_list(tree)
    main = compiler.compile_list(root)
    program.trees.setdefault(name, main)

    def render(data: object) -> str:
        state = _State(data)
        try:
            main(state, data)
        except _Located as err:
            raise _execute_error(name, source, err) from None
        except ExecFailure as failure:
            raise TemplateError(f'template: {name}: executing "{name}": {failure}') from None
        except (_Break, _Continue):
            pass
        except RecursionError:
            raise TemplateError(
                f'template: {name}: executing "{name}": templates call each other too deeply'
            ) from None
        return "".join(state.out)

    return render


def _execute_error(name: str, source: str, err: _Located) -> TemplateError:
    pos = err.node.pos
    line = source.count("\n", 0, pos) + 1
    column = len(source[source.rfind("\n", 0, pos) + 1 : pos].encode("utf-8", "surrogateescape"))
    # Positions are inside the template text; the alert builder reports the script position.
    return TemplateError(
        f'template: {name}:{line}:{column}: executing "{name}" at <{err.node}>: {err.message}'
    )
