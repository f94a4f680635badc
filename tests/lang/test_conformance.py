"""Every golden case of Kapacitor's lambda evaluator: same value and type, or an error at the
same stage (parse, compile = define time, eval/scope = per point)."""

from __future__ import annotations

from typing import Any

import pytest

from tickmini import compile_lambda
from tickmini.errors import BuildError, EvaluationError, TickscriptSyntaxError

from .conformance_data import check_value, load, point

CASES = load("cases.jsonl")
SEQUENCES = load("sequences.jsonl")

_STAGE_ERRORS = {
    "parse": TickscriptSyntaxError,
    "compile": BuildError,
}


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['group']}:{case['expr']}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    stage = case.get("stage")
    if stage in _STAGE_ERRORS:
        with pytest.raises(_STAGE_ERRORS[stage]):
            compile_lambda(case["expr"])
        return
    compiled = compile_lambda(case["expr"])
    data = point(case["fields"], case["tags"], case.get("time"))
    if "error" in expect:
        assert stage in ("eval", "scope")
        with pytest.raises(EvaluationError):
            compiled.evaluate(data)
        return
    check_value(compiled.evaluate(data), expect, case["expr"])


@pytest.mark.parametrize("sequence", SEQUENCES, ids=[_case_id(c) for c in SEQUENCES])
def test_sequence(sequence: dict[str, Any]) -> None:
    compiled = compile_lambda(sequence["expr"])
    for i, (raw, expect) in enumerate(zip(sequence["points"], sequence["expect"], strict=True)):
        data = point(raw["fields"], raw["tags"])
        where = f"{sequence['expr']} point {i}"
        if "error" in expect:
            with pytest.raises(EvaluationError):
                compiled.evaluate(data)
        else:
            check_value(compiled.evaluate(data), expect, where)
