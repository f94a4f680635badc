"""Kapacitor's tickfmt (``tick.Format``, the ``Format`` methods of ``tick/ast/node.go``), byte for byte.

Each function below mirrors one ``Format(buf, indent, onNewLine)`` method: ``on_new_line`` says
the output is at the start of a line, so the node writes ``indent`` first. Rules that matter:
statements are separated by a blank line; ``|`` and ``@`` calls go on a new line four spaces
deeper than their receiver, ``.`` calls eight; a call whose last argument started on another
line than its name puts every argument on its own line; a binary expression that had a line
break between its operands keeps one after the operator; comments print as ``// text`` on their
own lines before the node that took them.
"""

from __future__ import annotations

from tickmini.errors import TickscriptSyntaxError
from tickmini.gocompat.numbers import format_float_f
from tickmini.syntax import ast

INDENT_STEP = "    "


def format_program(program: ast.Program) -> str:
    """The whole script as tickfmt prints it (ends with a newline unless empty).

    Raises :class:`TickscriptSyntaxError` for expressions nested thousands deep, which Python's
    stack cannot walk.
    """
    try:
        return _format_program(program)
    except RecursionError:
        raise TickscriptSyntaxError(
            "expression nested too deeply to format",
            file=program.filename,
            hint="split the expression with var declarations",
        ) from None


def _format_program(program: ast.Program) -> str:
    out: list[str] = []
    first = True
    for statement in program.statements:
        if not first:
            out.append("\n")
        first = False
        _statement(out, statement)
        out.append("\n")
    if program.trailing_comment:
        if not first:
            out.append("\n")
        _comment(out, program.trailing_comment, "", True)
        out.append("\n")
    return "".join(out)


def format_expression(expr: ast.Expr) -> str:
    """One expression as tickfmt prints it (e.g. a lambda's body, as ``ExpressionString``)."""
    out: list[str] = []
    _expr(out, expr, "", True)
    return "".join(out)


def _comment(out: list[str], lines: tuple[str, ...], indent: str, on_new_line: bool) -> None:
    if not on_new_line:
        out.append("\n")
    for line in lines:
        if line == "\n":
            out.append("\n")
        elif line:
            out.append(f"{indent}// {line}\n")
        else:
            out.append(f"{indent}//\n")


def _identifier(
    out: list[str], name: str, comment: tuple[str, ...], indent: str, on_new_line: bool
) -> None:
    if comment:
        _comment(out, comment, indent, on_new_line)
        on_new_line = True
    if on_new_line:
        out.append(indent)
    out.append(name)


def _statement(out: list[str], node: ast.Statement) -> None:
    if isinstance(node, ast.ExpressionStatement):
        _expr(out, node.expr, "", True)
    elif isinstance(node, ast.VarDeclaration):
        if node.comment:
            _comment(out, node.comment, "", True)
        out.append("var ")
        _identifier(out, node.name, node.name_comment, "", False)
        out.append(" = ")
        _expr(out, node.value, "", False)
    elif isinstance(node, ast.TypedVarDeclaration):
        if node.comment:
            _comment(out, node.comment, "", True)
        out.append("var ")
        _identifier(out, node.name, node.name_comment, "", False)
        out.append(" ")
        _identifier(out, node.type_name, node.type_comment, "", False)
    elif isinstance(node, ast.DBRPStatement):
        if node.comment:
            _comment(out, node.comment, "", True)
        # Kapacitor writes the names back without escaping quotes.
        out.append(f'dbrp "{node.database}"."{node.retention_policy}"')
    else:  # pragma: no cover - the parser builds only the four statement kinds
        raise TypeError(f"not a statement: {node!r}")


def _call(
    out: list[str],
    name: str,
    args: tuple[ast.Expr, ...],
    multiline: bool,
    comment: tuple[str, ...],
    indent: str,
    on_new_line: bool,
) -> None:
    _identifier(out, name, comment, indent, on_new_line)
    out.append("(")
    arg_indent = indent + INDENT_STEP
    for index, arg in enumerate(args):
        if index:
            out.append("," if multiline else ", ")
        if multiline:
            out.append("\n")
        _expr(out, arg, arg_indent, multiline)
    if multiline and args:
        out.append("\n")
        out.append(indent)
    out.append(")")


def _chain(out: list[str], node: ast.ChainCall, indent: str, on_new_line: bool) -> None:
    # Iterative over the links (ChainNode.Format recurses on its receiver): a long chain must
    # not exhaust Python's stack. Every link is indented relative to the chain's own indent.
    links: list[ast.ChainCall] = []
    receiver: ast.Expr = node
    while isinstance(receiver, ast.ChainCall):
        links.append(receiver)
        receiver = receiver.receiver
    _expr(out, receiver, indent, on_new_line)
    for link in reversed(links):
        out.append("\n")
        link_indent = indent + INDENT_STEP
        if link.operator == ".":
            link_indent += INDENT_STEP
        if link.comment:
            _comment(out, link.comment, link_indent, True)
        out.append(link_indent)
        out.append(link.operator)
        if link.args is None:
            _identifier(out, link.name, link.name_comment, link_indent, False)
        else:
            _call(out, link.name, link.args, link.multiline, link.name_comment, link_indent, False)


def _binary_operands(out: list[str], node: ast.BinaryExpr, indent: str) -> None:
    """BinaryNode.Format after its comment and indent, iterative down the left operands
    (``1 + 2 + ... + n`` nests to the left): a long sum must not exhaust Python's stack."""
    spine: list[tuple[ast.BinaryExpr, str]] = []
    current = node
    while True:
        if current.parens:
            out.append("(")
            indent += INDENT_STEP
        spine.append((current, indent))
        left = current.left
        if not isinstance(left, ast.BinaryExpr):
            _expr(out, left, indent, False)
            break
        if left.comment:
            _comment(out, left.comment, indent, False)
            out.append(indent)
        current = left
    for binary, operand_indent in reversed(spine):
        out.append(f" {binary.op}")
        out.append("\n" if binary.multiline else " ")
        _expr(out, binary.right, operand_indent, binary.multiline)
        if binary.parens:
            out.append(")")


def _expr(out: list[str], node: ast.Expr, indent: str, on_new_line: bool) -> None:
    if isinstance(node, ast.ChainCall):
        _chain(out, node, indent, on_new_line)
        return
    if isinstance(node, ast.FunctionCall):
        _call(out, node.name, node.args, node.multiline, node.comment, indent, on_new_line)
        return
    if node.comment:
        _comment(out, node.comment, indent, on_new_line)
        on_new_line = True
    if on_new_line:
        out.append(indent)
    if isinstance(node, ast.BinaryExpr):
        _binary_operands(out, node, indent)
    elif isinstance(node, ast.UnaryExpr):
        out.append(node.op)
        _expr(out, node.operand, indent, False)
    elif isinstance(node, ast.Lambda):
        out.append("lambda: ")
        _expr(out, node.expr, indent, False)
    elif isinstance(node, ast.ListLiteral):
        out.append("[")
        for index, item in enumerate(node.items):
            if index:
                out.append(", ")
            _expr(out, item, indent, on_new_line)
        out.append("]")
    else:
        out.append(format_literal(node))


def format_literal(node: ast.Expr) -> str:
    """A literal, name or reference as tickfmt writes it."""
    if isinstance(node, ast.NumberLiteral):
        value = node.value
        if isinstance(value, float):
            text = format_float_f(value)
            return text if "." in text else text + ".0"
        if len(node.text) > 1 and node.text[0] == "0":
            return "0" + format(value, "o")
        return str(value)
    if isinstance(node, ast.StringLiteral):
        if node.triple:
            return f"'''{node.value}'''"
        return "'" + node.value.replace("'", "\\'") + "'"
    if isinstance(node, ast.Reference):
        return '"' + node.name.replace('"', '\\"') + '"'
    if isinstance(node, ast.Identifier):
        return node.name
    if isinstance(node, ast.DurationLiteral):
        return node.text
    if isinstance(node, ast.RegexLiteral):
        return node.text
    if isinstance(node, ast.BoolLiteral):
        return "TRUE" if node.value else "FALSE"
    if isinstance(node, ast.StarLiteral):
        return "*"
    raise TypeError(f"not a literal: {node!r}")  # pragma: no cover
