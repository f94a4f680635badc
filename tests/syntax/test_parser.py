"""Parsing into the AST: precedence, unary binding, chains, statements, positions (§1.11-1.12)."""

from __future__ import annotations

import pytest

from tickmini.errors import TickscriptSyntaxError
from tickmini.syntax import ast
from tickmini.syntax.parser import parse_lambda, parse_script


def shape(node: ast.Expr) -> str:
    """A fully parenthesised rendering, to compare tree shapes."""
    if isinstance(node, ast.BinaryExpr):
        return f"({shape(node.left)} {node.op} {shape(node.right)})"
    if isinstance(node, ast.UnaryExpr):
        return f"({node.op}{shape(node.operand)})"
    if isinstance(node, ast.FunctionCall):
        return f"{node.name}[{', '.join(shape(a) for a in node.args)}]"
    if isinstance(node, ast.Reference):
        return f'"{node.name}"'
    if isinstance(node, ast.Identifier):
        return node.name
    if isinstance(node, ast.NumberLiteral):
        return node.text
    if isinstance(node, ast.BoolLiteral):
        return "TRUE" if node.value else "FALSE"
    if isinstance(node, ast.StringLiteral):
        return repr(node.value)
    if isinstance(node, ast.RegexLiteral):
        return node.text
    if isinstance(node, ast.DurationLiteral):
        return node.text
    if isinstance(node, ast.StarLiteral):
        return "*"
    if isinstance(node, ast.Lambda):
        return f"lambda[{shape(node.expr)}]"
    if isinstance(node, ast.ListLiteral):
        return "[" + ", ".join(shape(i) for i in node.items) + "]"
    if isinstance(node, ast.ChainCall):
        args = "" if node.args is None else "(" + ", ".join(shape(a) for a in node.args) + ")"
        return f"{shape(node.receiver)}{node.operator}{node.name}{args}"
    raise AssertionError(node)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a + b * c", "(a + (b * c))"),
        ("a * b + c", "((a * b) + c)"),
        ("a - b - c", "((a - b) - c)"),
        ("a / b / c", "((a / b) / c)"),
        ("a % b * c", "((a % b) * c)"),
        ("a < b == c < d", "((a < b) == (c < d))"),
        ("a == b != c", "((a == b) != c)"),
        ("a AND b OR c AND d", "((a AND b) OR (c AND d))"),
        ("a OR b OR c", "((a OR b) OR c)"),
        ('"x" =~ /a/ AND "y" !~ /b/', '(("x" =~ /a/) AND ("y" !~ /b/))'),
        ("a + b < c * d AND e", "(((a + b) < (c * d)) AND e)"),
        ("-a * b", "((-a) * b)"),
        ("!a AND b", "((!a) AND b)"),
        ('!"x" == 5', '((!"x") == 5)'),
        ("--a", "(-(-a))"),
        ("-(a + b)", "(-(a + b))"),
        ("!(a == b)", "(!(a == b))"),
        ("a-1", "(a - 1)"),
        ("a -1", "(a - 1)"),
        ("f(a, b + 1, g(c))", "f[a, (b + 1), g[c]]"),
        ("f(a,)", "f[a]"),
        ("f()", "f[]"),
        ("x * *", "(x * *)"),
        ("TRUE OR FALSE", "(TRUE OR FALSE)"),
        ("'a' + 'b'", "('a' + 'b')"),
        ("5m + 1s", "(5m + 1s)"),
    ],
)
def test_lambda_precedence_and_associativity(text: str, expected: str) -> None:
    assert shape(parse_lambda(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a.b",  # no chains inside a lambda
        "f(a.b)",  # lambda calls take operator expressions only
        "f(lambda: x)",
        "f([a])",
        "[a]",
        "lambda: x",
        "a AND /x/",  # after AND the lexer is in operator position: '/' divides
        "/x/ == a",
        "1 +",
        "(a",
        "a)",
    ],
)
def test_lambda_rejects(text: str) -> None:
    with pytest.raises(TickscriptSyntaxError):
        parse_lambda(text)


def statements(text: str) -> tuple[ast.Statement, ...]:
    return parse_script(text).statements


def expr_of(text: str) -> ast.Expr:
    (statement,) = statements(text)
    assert isinstance(statement, ast.ExpressionStatement)
    return statement.expr


def test_chain_is_left_associative_with_three_operators() -> None:
    expr = expr_of("stream|from().measurement('cpu')@udf().x|alert()")
    assert shape(expr) == "stream|from().measurement('cpu')@udf().x|alert()"
    assert isinstance(expr, ast.ChainCall) and expr.name == "alert" and expr.operator == "|"
    x = expr.receiver
    assert isinstance(x, ast.ChainCall) and x.args is None and x.operator == "."


def test_a_top_level_call_takes_full_expressions_and_can_start_a_chain() -> None:
    assert shape(expr_of("f(a|b(), lambda: c, [d])")) == "f[a|b(), lambda[c], [d]]"
    assert shape(expr_of("f(1).x(2)")) == "f[1].x(2)"
    assert shape(expr_of("f(1) * 2 + g(3)")) == "((f[1] * 2) + g[3])"


def test_calls_after_an_operator_are_lambda_calls() -> None:
    with pytest.raises(TickscriptSyntaxError) as caught:
        parse_script("var x = 1 + f(a.b)")
    assert caught.value.column == 16  # at '.', where Kapacitor stops too


def test_statements_need_no_separator() -> None:
    kinds = [type(s).__name__ for s in statements("var x = 1.5m stream from() 'a' 'b'")]
    assert kinds == ["VarDeclaration"] + ["ExpressionStatement"] * 5


def test_minus_after_an_expression_continues_it() -> None:
    (decl,) = statements("var x = 5\n-3")
    assert isinstance(decl, ast.VarDeclaration) and shape(decl.value) == "(5 - 3)"
    # after a chain or a list, '-' starts a new statement
    assert len(statements("stream|from()\n-1")) == 2
    assert len(statements("var l = ['a']\n-1")) == 2


def test_a_name_followed_by_parentheses_is_a_call() -> None:
    assert shape(expr_of("a\n(1)")) == "a[1]"
    assert shape(expr_of("s.prop (1)")) == "s.prop(1)"
    assert len(statements("5 (1)")) == 2


def test_var_declarations() -> None:
    decl, typed, dbrp = statements('var x = lambda: "a" > 1\nvar t int\ndbrp "db"."rp"')
    assert isinstance(decl, ast.VarDeclaration) and decl.name == "x"
    assert isinstance(decl.value, ast.Lambda)
    assert isinstance(typed, ast.TypedVarDeclaration)
    assert (typed.name, typed.type_name) == ("t", "int")
    assert isinstance(dbrp, ast.DBRPStatement)
    assert (dbrp.database, dbrp.retention_policy) == ("db", "rp")


@pytest.mark.parametrize(
    "text",
    [
        "var x = [ 'a', b, *, ]",
        "var x = []",
        'var x = "ref"',
        "var x = *",
        "var x = -5m",
        "var x = !TRUE",
        "var x = /re/",
        "var r = x =~ /re/",
        'dbrp "a"."b" dbrp "c"."d"',
        "var x = f(1)(2)",
        "var x = lambda x",  # 'lambda' without ':' is a name: two statements
    ],
)
def test_scripts_that_parse(text: str) -> None:
    parse_script(text)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("var x = [1]", 1, 10),  # list items are names, strings or *
        ("var x = ['a' + 'b']", 1, 14),
        ("var var = 1", 1, 5),
        ("stream|from", 1, 12),
        ("stream\n  .from(", 2, 9),
        ("dbrp 'db'.'rp'", 1, 6),
        ('dbrp "db"', 1, 10),
        ("stream|from() + 1", 1, 15),
        ("stream @", 1, 9),
        ("var x =\n\n", 3, 1),
    ],
)
def test_scripts_that_do_not_parse(text: str, line: int, column: int) -> None:
    with pytest.raises(TickscriptSyntaxError) as caught:
        parse_script(text, "t.tick")
    assert (caught.value.line, caught.value.column) == (line, column)


def test_positions_of_nodes() -> None:
    expr = expr_of('stream\n    |from()\n        .where(lambda: "a" > 1)')
    assert isinstance(expr, ast.ChainCall)
    assert (expr.line, expr.column) == (3, 10)  # the name
    assert (expr.operator_line, expr.operator_column) == (3, 9)
    (lam,) = expr.args or ()
    assert isinstance(lam, ast.Lambda) and (lam.line, lam.column) == (3, 16)
    comparison = lam.expr
    assert isinstance(comparison, ast.BinaryExpr) and (comparison.line, comparison.column) == (
        3,
        28,
    )
    (statement,) = statements("  stream|from()")
    assert (statement.line, statement.column) == (1, 3)


def test_comments_attach_to_the_next_node() -> None:
    program = parse_script(
        "// about x\nvar x = 1\n\nstream\n    // the source\n    |from()\n// the end\n"
    )
    decl, statement = program.statements
    assert decl.comment == ("about x",)
    assert isinstance(statement, ast.ExpressionStatement)
    assert isinstance(statement.expr, ast.ChainCall) and statement.expr.comment == ("the source",)
    assert program.trailing_comment == ("the end",)


def test_parse_lambda_and_parse_script_agree() -> None:
    (decl,) = statements('var l = lambda: "a" * 2 > 1 OR -"b" < 0')
    assert isinstance(decl, ast.VarDeclaration) and isinstance(decl.value, ast.Lambda)
    assert shape(decl.value.expr) == shape(parse_lambda('"a" * 2 > 1 OR -"b" < 0'))


def test_program_keeps_filename_and_source() -> None:
    program = parse_script("stream|from()", "x.tick")
    assert (program.filename, program.source) == ("x.tick", "stream|from()")


def test_empty_and_comment_only_scripts() -> None:
    assert parse_script("").statements == ()
    assert parse_script("  \n\t").statements == ()
    assert parse_script("// just this").trailing_comment == ("just this",)
