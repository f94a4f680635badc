"""Kapacitor's binary operator type table (reference §2.3, ``tick/stateful/evaluation_funcs.go``)
as plain data, and the error texts Kapacitor derives from it.

Only the (operator, left type, right type) combinations listed here exist; everything else is a
type error. The compiler reads this table once per expression and type combination, never per
point.
"""

from __future__ import annotations

from typing import Final

from tickmini.lang.types import (
    T_BOOL,
    T_DURATION,
    T_FLOAT,
    T_INT,
    T_INVALID,
    T_REGEX,
    T_STRING,
)

MATH_OPERATORS: Final = frozenset({"+", "-", "*", "/", "%"})
COMPARISON_OPERATORS: Final = frozenset({"==", "!=", "<", "<=", ">", ">=", "=~", "!~"})
LOGICAL_OPERATORS: Final = frozenset({"AND", "OR"})


def _table() -> dict[tuple[str, str, str], str]:
    table: dict[tuple[str, str, str], str] = {}
    for op in ("AND", "OR"):
        table[(op, T_BOOL, T_BOOL)] = T_BOOL
    ordered = ((T_INT, T_INT), (T_FLOAT, T_FLOAT), (T_INT, T_FLOAT), (T_FLOAT, T_INT))
    ordered += ((T_STRING, T_STRING), (T_DURATION, T_DURATION))
    for op in ("==", "!="):
        for left, right in (*ordered, (T_BOOL, T_BOOL)):
            table[(op, left, right)] = T_BOOL
    for op in ("<", "<=", ">", ">="):
        for left, right in ordered:
            table[(op, left, right)] = T_BOOL
    for op in ("=~", "!~"):
        table[(op, T_STRING, T_REGEX)] = T_BOOL
    for op in ("+", "-", "*", "/"):
        table[(op, T_INT, T_INT)] = T_INT
        table[(op, T_FLOAT, T_FLOAT)] = T_FLOAT
    table[("+", T_DURATION, T_DURATION)] = T_DURATION
    table[("-", T_DURATION, T_DURATION)] = T_DURATION
    table[("+", T_STRING, T_STRING)] = T_STRING
    for scalar in (T_INT, T_FLOAT):
        table[("*", T_DURATION, scalar)] = T_DURATION
        table[("*", scalar, T_DURATION)] = T_DURATION
        table[("/", T_DURATION, scalar)] = T_DURATION
    table[("/", T_DURATION, T_DURATION)] = T_INT
    table[("%", T_INT, T_INT)] = T_INT
    return table


BINARY_RESULT: Final[dict[tuple[str, str, str], str]] = _table()


def _operators_by_type() -> dict[str, frozenset[str]]:
    # Kapacitor's typeToBinaryOperators: a type "supports" an operator when it appears on either
    # side of any entry for that operator.
    found: dict[str, set[str]] = {}
    for op, left, right in BINARY_RESULT:
        found.setdefault(left, set()).add(op)
        found.setdefault(right, set()).add(op)
    return {kind: frozenset(ops) for kind, ops in found.items()}


OPERATORS_OF_TYPE: Final[dict[str, frozenset[str]]] = _operators_by_type()


def operator_kind(op: str) -> str:
    if op in MATH_OPERATORS:
        return "math"
    if op in COMPARISON_OPERATORS:
        return "comparison"
    return "logical"


def binary_type_error(op: str, left: str, right: str) -> str:
    """The message of Kapacitor's ``determineError`` once both operand types are known."""
    left_ops = OPERATORS_OF_TYPE.get(left, frozenset())
    if left != T_INVALID and op not in left_ops:
        return f"invalid {operator_kind(op)} operator {op} for type {left}"
    if right != T_INVALID and op not in left_ops:
        return f"invalid {operator_kind(op)} operator {op} for type {right}"
    return (
        f"mismatched type to binary operator. got {left} {op} {right}. "
        "see bool(), int(), float(), string(), duration()"
    )
