"""The TICKscript AST: small frozen dataclasses, each with the 1-based line and column of the
token that starts it (for chain calls: of the method name).

``comment`` holds the lines of a ``//`` comment block that precedes the node (text after ``//``,
as written; an entry ``"\n"`` marks a blank line between two blocks), kept only so that
``tickmini fmt`` can reproduce Kapacitor's tickfmt. The other layout-only fields (``parens``,
``multiline``, ``name_comment``...) exist for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    line: int = 0
    column: int = 0
    comment: tuple[str, ...] = ()


# --- literals -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberLiteral(Node):
    """int64 (octal when written with a leading 0) or float64; ``text`` is the source lexeme."""

    value: int | float
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StringLiteral(Node):
    """``'...'`` (only ``\\'`` unescaped) or ``'''...'''`` (no escapes)."""

    value: str
    triple: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DurationLiteral(Node):
    nanoseconds: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BoolLiteral(Node):
    value: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class RegexLiteral(Node):
    """``/.../``; ``pattern`` has ``\\/`` already turned into ``/``, ``text`` is the lexeme."""

    pattern: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StarLiteral(Node):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ListLiteral(Node):
    items: tuple[Expr, ...]


# --- names ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference(Node):
    """``"name"``: a field or tag of the current point (``\\"`` unescaped)."""

    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Identifier(Node):
    """A bare name: a var, ``stream``/``batch``, a level constant in match expressions."""

    name: str


# --- operators ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class UnaryExpr(Node):
    op: str  # "-" or "!"
    operand: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class BinaryExpr(Node):
    """``op`` is the operator text: + - * / % == != < <= > >= =~ !~ AND OR.

    line/column are those of the operator token (Kapacitor reports binary nodes there).
    """

    op: str
    left: Expr
    right: Expr
    parens: bool = False  # written in parentheses (tickfmt keeps them)
    multiline: bool = False  # a line break between the operands (tickfmt keeps it)


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionCall(Node):
    """``name(args)``: a lambda built-in or a global function."""

    name: str
    args: tuple[Expr, ...]
    multiline: bool = False  # arguments started on another line: tickfmt puts one per line


@dataclass(frozen=True, slots=True, kw_only=True)
class Lambda(Node):
    """``lambda: expr``."""

    expr: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainCall(Node):
    """``receiver |name(args)``, ``receiver .name(args)`` or ``receiver @name(args)``.

    ``operator`` is ``"|"``, ``"."`` or ``"@"``; ``args`` is ``None`` for a property read
    written without parentheses (``.name``). line/column are those of ``name``.
    """

    receiver: Expr
    operator: str
    name: str
    args: tuple[Expr, ...] | None
    operator_line: int = 0
    operator_column: int = 0
    multiline: bool = False  # as FunctionCall.multiline
    name_comment: tuple[str, ...] = ()  # a comment between the operator and the name


Expr = (
    NumberLiteral
    | StringLiteral
    | DurationLiteral
    | BoolLiteral
    | RegexLiteral
    | StarLiteral
    | ListLiteral
    | Reference
    | Identifier
    | UnaryExpr
    | BinaryExpr
    | FunctionCall
    | Lambda
    | ChainCall
)


# --- statements -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VarDeclaration(Node):
    """``var name = value``."""

    name: str
    value: Expr
    name_comment: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TypedVarDeclaration(Node):
    """``var name type`` (a template variable; its value must be supplied from outside)."""

    name: str
    type_name: str
    name_comment: tuple[str, ...] = ()
    type_comment: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DBRPStatement(Node):
    """``dbrp "db"."rp"``."""

    database: str
    retention_policy: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpressionStatement(Node):
    expr: Expr


Statement = VarDeclaration | TypedVarDeclaration | DBRPStatement | ExpressionStatement


@dataclass(frozen=True, slots=True, kw_only=True)
class Program(Node):
    """A whole script. ``trailing_comment`` is a comment after the last statement (Kapacitor
    keeps it, and a comment inside the final ``)``/``]``, as program-level comments)."""

    statements: tuple[Statement, ...]
    filename: str = "<script>"
    source: str = ""
    trailing_comment: tuple[str, ...] = ()
