"""Reductions of the grammar's rules → AST nodes, applied while parsing (no parse tree).

The callbacks are stateless; everything they need travels on the tokens (:class:`Tok`). Comments
are attached the way Kapacitor's parser consumes them (``consumeComment``), since tickfmt
prints them from there: a comment before ``var``/``dbrp``, a name, a literal, ``lambda:``, ``[``,
a binary operator or a chain operator belongs to that node; a comment before ``(`` of a
parenthesised expression replaces the inner node's comment; a unary operator takes the comment
of the last token of its operand (only a ``)`` can still have one); other comments are dropped,
except after the last statement (see :func:`tickmini.syntax.parser.parse_script`).

Layout flags follow Kapacitor's positions: a call is ``multiline`` if its last argument starts
on a later line than its name, a binary expression if its right operand does on a later line
than its left one (positions of binary and chain nodes are their operator tokens).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tickmini.syntax import ast
from tickmini.syntax.lexer import Tok


def _kapacitor_line(node: ast.Expr) -> int:
    """Line of Kapacitor's ``Position()`` of a node (a chain's is its operator)."""
    if isinstance(node, ast.ChainCall):
        return node.operator_line
    return node.line


def _args_multiline(name: Tok, args: tuple[ast.Expr, ...]) -> bool:
    return bool(args) and _kapacitor_line(args[-1]) > name.line


def statement_start(node: ast.Expr) -> ast.Expr:
    """The leftmost node of an expression (where its first token is)."""
    while isinstance(node, (ast.BinaryExpr, ast.ChainCall)):
        node = node.left if isinstance(node, ast.BinaryExpr) else node.receiver
    return node


class TreeBuilder:
    """One method per grammar rule (or alias); each gets the rule's children as a list."""

    # --- statements ---------------------------------------------------------------------

    def start(self, children: list[ast.Statement]) -> list[ast.Statement]:
        return children

    def lambda_start(self, children: list[ast.Expr]) -> ast.Expr:
        return children[0]

    def var_decl(self, children: list[Any]) -> ast.VarDeclaration:
        var, name, _asgn, value = children
        return ast.VarDeclaration(
            line=var.line,
            column=var.column,
            comment=var.take_comment(),
            name=name.text,
            name_comment=name.take_comment(),
            value=value,
        )

    def typed_decl(self, children: list[Tok]) -> ast.TypedVarDeclaration:
        var, name, type_name = children
        return ast.TypedVarDeclaration(
            line=var.line,
            column=var.column,
            comment=var.take_comment(),
            name=name.text,
            name_comment=name.take_comment(),
            type_name=type_name.text,
            type_comment=type_name.take_comment(),
        )

    def dbrp(self, children: list[Tok]) -> ast.DBRPStatement:
        keyword, database, _dot, retention_policy = children
        database.take_comment()
        retention_policy.take_comment()
        return ast.DBRPStatement(
            line=keyword.line,
            column=keyword.column,
            comment=keyword.take_comment(),
            database=str(database.value),
            retention_policy=str(retention_policy.value),
        )

    def expr_stmt(self, children: list[ast.Expr]) -> ast.ExpressionStatement:
        expr = children[0]
        first = statement_start(expr)
        return ast.ExpressionStatement(line=first.line, column=first.column, expr=expr)

    # --- expressions --------------------------------------------------------------------

    def lambda_expr(self, children: list[Any]) -> ast.Lambda:
        keyword, expr = children
        return ast.Lambda(
            line=keyword.line, column=keyword.column, comment=keyword.take_comment(), expr=expr
        )

    def list_expr(self, children: list[Any]) -> ast.ListLiteral:
        bracket, items, _close = children
        return ast.ListLiteral(
            line=bracket.line, column=bracket.column, comment=bracket.take_comment(), items=items
        )

    def list_items(self, children: list[ast.Expr]) -> tuple[ast.Expr, ...]:
        return tuple(children)

    def chain(self, children: list[Any]) -> ast.ChainCall:
        receiver, operator, name = children[0], children[1], children[2]
        args = tuple(children[4]) if len(children) == 6 else None
        return ast.ChainCall(
            line=name.line,
            column=name.column,
            comment=operator.take_comment(),
            receiver=receiver,
            operator=operator.text,
            name=name.text,
            args=args,
            operator_line=operator.line,
            operator_column=operator.column,
            multiline=args is not None and _args_multiline(name, args),
            name_comment=name.take_comment(),
        )

    def gfunc(self, children: list[Any]) -> ast.FunctionCall:
        name, _open, args, _close = children
        args = tuple(args)
        return ast.FunctionCall(
            line=name.line,
            column=name.column,
            comment=name.take_comment(),
            name=name.text,
            args=args,
            multiline=_args_multiline(name, args),
        )

    def lfunc(self, children: list[Any]) -> ast.FunctionCall:
        # Kapacitor's lfunction() takes no comment: one before the name is dropped.
        name, _open, args, _close = children
        args = tuple(args)
        name.take_comment()
        return ast.FunctionCall(
            line=name.line,
            column=name.column,
            name=name.text,
            args=args,
            multiline=_args_multiline(name, args),
        )

    def args(self, children: list[ast.Expr]) -> list[ast.Expr]:
        return children

    largs = args

    def binary(self, children: list[Any]) -> ast.BinaryExpr:
        left, operator, right = children
        return ast.BinaryExpr(
            line=operator.line,
            column=operator.column,
            comment=operator.take_comment(),
            op=operator.text,
            left=left,
            right=right,
            multiline=_kapacitor_line(right) > _kapacitor_line(left),
        )

    def unary(self, children: list[Any]) -> ast.UnaryExpr:
        operator, operand = children
        # newUnary(pos, op, p.primary(), p.consumeComment()): the comment is taken after the
        # operand is parsed, i.e. from the operand's last token.
        comment = operator.ctx.last_consumed().take_comment()
        operator.take_comment()
        return ast.UnaryExpr(
            line=operator.line,
            column=operator.column,
            comment=comment,
            op=operator.text,
            operand=operand,
        )

    def paren(self, children: list[Any]) -> ast.Expr:
        open_paren, inner, _close = children
        if isinstance(inner, ast.BinaryExpr):
            inner = replace(inner, parens=True)
        return replace(inner, comment=open_paren.take_comment())

    # --- leaves ---------------------------------------------------------------------------

    def ident(self, children: list[Tok]) -> ast.Identifier:
        tok = children[0]
        return ast.Identifier(
            line=tok.line, column=tok.column, comment=tok.take_comment(), name=tok.text
        )

    def number(self, children: list[Tok]) -> ast.NumberLiteral:
        tok = children[0]
        return ast.NumberLiteral(
            line=tok.line,
            column=tok.column,
            comment=tok.take_comment(),
            value=tok.value,  # type: ignore[arg-type]
            text=tok.text,
        )

    def string(self, children: list[Tok]) -> ast.StringLiteral:
        tok = children[0]
        value, triple = tok.value  # type: ignore[misc]
        return ast.StringLiteral(
            line=tok.line, column=tok.column, comment=tok.take_comment(), value=value, triple=triple
        )

    def duration(self, children: list[Tok]) -> ast.DurationLiteral:
        tok = children[0]
        return ast.DurationLiteral(
            line=tok.line,
            column=tok.column,
            comment=tok.take_comment(),
            nanoseconds=tok.value,  # type: ignore[arg-type]
            text=tok.text,
        )

    def regex(self, children: list[Tok]) -> ast.RegexLiteral:
        tok = children[0]
        return ast.RegexLiteral(
            line=tok.line,
            column=tok.column,
            comment=tok.take_comment(),
            pattern=tok.value.pattern,  # type: ignore[attr-defined]
            text=tok.text,
        )

    def star(self, children: list[Tok]) -> ast.StarLiteral:
        tok = children[0]
        return ast.StarLiteral(line=tok.line, column=tok.column, comment=tok.take_comment())

    def boolean(self, children: list[Tok]) -> ast.BoolLiteral:
        tok = children[0]
        return ast.BoolLiteral(
            line=tok.line, column=tok.column, comment=tok.take_comment(), value=tok.type == "TRUE"
        )

    def reference(self, children: list[Tok]) -> ast.Reference:
        tok = children[0]
        return ast.Reference(
            line=tok.line,
            column=tok.column,
            comment=tok.take_comment(),
            name=tok.value,  # type: ignore[arg-type]
        )
