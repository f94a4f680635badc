"""Kapacitor lambda semantics beyond the golden sample: Go arithmetic, conversions, string and
regex functions, time functions, scope filling, stage of errors, and their positions."""

from __future__ import annotations

import math

import pytest

from tickmini import Duration, Point, compile_lambda
from tickmini.errors import BuildError, EvaluationError, TickscriptSyntaxError
from tickmini.lang.compiler import RuntimePanic

INT64_MAX = (1 << 63) - 1
INT64_MIN = -(1 << 63)


def evaluate(expr: str, fields: dict[str, object] | None = None, **kwargs: object) -> object:
    tags = kwargs.pop("tags", {})
    time = kwargs.pop("time", 0)
    point = Point("m", dict(tags), dict(fields or {}), time)  # type: ignore[arg-type]
    return compile_lambda(expr).evaluate(point)


# --- Go integer arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "quotient", "remainder"),
    [(7, 2, 3, 1), (-7, 2, -3, -1), (7, -2, -3, 1), (-7, -2, 3, -1), (INT64_MIN, -1, INT64_MIN, 0)],
)
def test_int_division_truncates_like_go(a: int, b: int, quotient: int, remainder: int) -> None:
    assert evaluate('"a" / "b"', {"a": a, "b": b}) == quotient
    assert evaluate('"a" % "b"', {"a": a, "b": b}) == remainder


def test_int64_arithmetic_wraps_around() -> None:
    assert evaluate('"big" + 1', {"big": INT64_MAX}) == INT64_MIN
    assert evaluate('"big" * 2', {"big": INT64_MAX}) == -2
    assert evaluate('"small" - 1', {"small": INT64_MIN}) == INT64_MAX
    assert evaluate('-"small"', {"small": INT64_MIN}) == INT64_MIN


def test_integer_division_by_zero_is_a_runtime_panic_error() -> None:
    with pytest.raises(RuntimePanic, match="integer divide by zero"):
        evaluate('"a" % "z"', {"a": 1, "z": 0})
    with pytest.raises(EvaluationError, match="integer divide by zero"):
        evaluate("1h / 0s")


def test_float_division_is_ieee() -> None:
    assert evaluate('"f" / "z"', {"f": 1.5, "z": 0.0}) == math.inf
    assert evaluate('"f" / "z"', {"f": -1.5, "z": -0.0}) == math.inf
    assert math.isnan(evaluate('"z" / "z"', {"z": 0.0}))  # type: ignore[arg-type]


def test_int_and_float_never_mix_in_arithmetic_but_do_in_comparisons() -> None:
    with pytest.raises(EvaluationError, match="got float \\* int"):
        evaluate('"v" * 2', {"v": 1.5})
    assert evaluate('"v" * 2', {"v": 3}) == 6
    assert evaluate('"v" > 1', {"v": 1.5}) is True
    # int64 -> float64 conversion in mixed comparisons, as Go does
    assert evaluate('"big" == 9223372036854775807.0', {"big": INT64_MAX}) is True


def test_duration_arithmetic() -> None:
    assert evaluate("1s * 0.3333") == Duration(333_300_000)
    assert evaluate('"d" * 3', {"d": Duration(5)}) == Duration(15)
    assert evaluate('3 * "d"', {"d": Duration(5)}) == Duration(15)
    assert evaluate('"d" / 2', {"d": Duration(-7)}) == Duration(-3)
    assert evaluate("90m / 1h") == 1
    assert evaluate("-1m") == Duration(-60_000_000_000)
    assert evaluate('"d" < 1s', {"d": Duration(5)}) is True
    with pytest.raises(EvaluationError, match="mismatched type"):
        evaluate('"d" + 1', {"d": Duration(5)})


# --- comparisons, logic, strings -------------------------------------------------------------


def test_nan_compares_false_except_not_equal() -> None:
    fields = {"x": math.nan}
    assert evaluate('"x" < 1.0', fields) is False
    assert evaluate('"x" == "x"', fields) is False
    assert evaluate('"x" != "x"', fields) is True


def test_string_comparison_is_bytewise() -> None:
    assert evaluate("'Z' < 'a'") is True
    assert evaluate("'é' > 'z'") is True
    assert evaluate("'a' + 'b' == 'ab'") is True


def test_regex_is_an_unanchored_re2_search() -> None:
    assert evaluate('"s" =~ /b/', {"s": "abc"}) is True
    assert evaluate('"s" !~ /^b/', {"s": "abc"}) is True
    assert evaluate('"s" =~ /\\d/', {"s": "٣"}) is False  # \d is ASCII-only in RE2/Go
    assert evaluate('"s" =~ /^a$/', {"s": "a\n"}) is False  # $ is end of text, not before \n


def test_regex_matches_stay_correct_across_many_strings() -> None:
    compiled = compile_lambda('"s" =~ /^a.*b$/')
    for i in range(6000):  # more than the memo holds
        text = "a" + "x" * (i % 7) + ("b" if i % 2 else "c")
        assert compiled.evaluate(Point("m", {}, {"s": text}, 0)) is bool(i % 2)


def test_regex_syntax_errors_are_parse_errors() -> None:
    with pytest.raises(TickscriptSyntaxError):
        compile_lambda('"s" =~ /(?=a)/')
    with pytest.raises(TickscriptSyntaxError):
        compile_lambda('"s" =~ /(a)\\1/')


# --- functions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("string(1000000000000000000000.0)", "1000000000000000000000"),
        ("string(0.0000001)", "0.0000001"),
        ("string(-(0.0))", "-0"),
        ("string(1.0 / 0.0)", "+Inf"),
        ("string(1w)", "1w"),
        ("string(1500ms)", "1500ms"),
        ("string(1u)", "1u"),
        ("string(-90s)", "-90s"),
        ("humanBytes(1000000)", "1.0 MB"),
        ("humanBytes(999950)", "1000 kB"),
        ("humanBytes(9)", "9 B"),
        ("humanBytes(-1)", "18 EB"),
        ("strToUpper('straße')", "STRAßE"),
        ("strTrimSpace('\u00a0 a \u2003')", "a"),
        ("strTrimSpace('\x1ca')", "\x1ca"),
        ("strReplace('aaa', '', '-', 2)", "-a-aa"),
        ("strTrim('xxaxx', 'x')", "a"),
        ("strTrimPrefix('x.txt', 'x.')", "txt"),
        ("regexReplace(/a(x*)b/, '-ab-axxb-', '$1W')", "---"),
        ("regexReplace(/a(x*)b/, '-ab-axxb-', '${1}W')", "-W-xxW-"),
        ("regexReplace(/a(?P<n>x*)b/, 'axxb', '<${n}>')", "<xx>"),
        ("regexReplace(/a/, 'a', '$$')", "$"),
        ("regexReplace(/a/, 'a', '$')", "$"),
        ("regexReplace(/a*/, 'baaac', '-')", "-b-c-"),
        ("regexReplace(/x*/, 'abc', '-')", "-a-b-c-"),
        ("if(FALSE, 1m, 2m) == 2m", True),
        ("duration(1.5, 1s)", Duration(1_500_000_000)),
        ("duration('1h30m', 1s)", Duration(5_400_000_000_000)),
        ("duration(-2, 1ms)", Duration(-2_000_000)),
        ("bool('True')", True),
        ("int(-2.9)", -2),
        ("int('-42')", -42),
        ("float('0x1p-2')", 0.25),
        ("strLength('héllo')", 6),
        ("strIndex('héllo', 'l')", 3),
        ("strIndexAny('héllo', 'ol')", 3),
        ("strLastIndexAny('héllo', 'h')", 0),
        ("strCount('cheese', 'e')", 3),
        ("strContainsAny('abc', '')", False),
        ("strSubstring('héllo', 0, 3)", "hé"),
        ("pow10(2)", 100.0),
        ("jn(0, 0.0)", 1.0),
        ('isPresent("x")', False),
    ],
)
def test_function_results(expr: str, expected: object) -> None:
    result = evaluate(expr)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("log(0.0)", -math.inf),
        ("exp(1000.0)", math.inf),
        ("pow(0.0, -1.0)", math.inf),
        ("pow(-8.0, 1.0 / 3.0)", math.nan),
        ("gamma(0.0)", math.inf),
        ("gamma(-1.0)", math.nan),
        ("sqrt(-4.0)", math.nan),
        ("acos(2.0)", math.nan),
        ("floor(-0.5)", -1.0),
        ("ceil(-0.5)", -0.0),
        ("trunc(-0.5)", -0.0),
        ("mod(7.0, -3.0)", 1.0),
        ("max(1.0, 0.0 / 0.0)", math.nan),
        ("min(-0.0, 0.0)", -0.0),
        ("logb(0.0)", -math.inf),
        ("atanh(1.0)", math.inf),
        ("cosh(1000.0)", math.inf),
        ("sinh(-1000.0)", -math.inf),
        ("cbrt(-27.0)", -3.0),
        ("j0(1.0)", 0.7651976865579666),
        ("y1(1.0)", -0.7812128213002887),
        ("y0(0.0)", -math.inf),
    ],
)
def test_math_functions_have_go_special_values(expr: str, expected: float) -> None:
    result = evaluate(expr)
    assert type(result) is float
    if math.isnan(expected):
        assert math.isnan(result)  # type: ignore[arg-type]
    else:
        assert result == pytest.approx(expected, rel=1e-15, abs=1e-300)
        assert math.copysign(1, result) == math.copysign(1, expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("bool('yes')", 'strconv.ParseBool: parsing "yes": invalid syntax'),
        ("int('99999999999999999999')", "value out of range"),
        ("float('1e400')", "value out of range"),
        ("float(' 1')", "invalid syntax"),
        ("float('1_0')", "invalid syntax"),
        ("duration('5', 1s)", 'invalid duration string "5"'),
        ("strSubstring('abc', 0, 3)", "stop index too large"),
        ("abs(1)", 'Cannot call function "abs" with args (1: int)'),
        ("count(1)", 'Cannot call function "count"'),
        ("nosuch(1)", 'undefined function: "nosuch"'),
        ("strReplace('a','b','c','d','e')", "index out of range"),
        ('"time"', "unexpected type time"),
        ("now()", "unexpected type time"),
        ("/a/", "unexpected type regex"),
        ('!"s"', "unexpected type string, expected boolean"),
    ],
)
def test_evaluation_errors(expr: str, message: str) -> None:
    with pytest.raises(EvaluationError, match=None) as info:
        evaluate(expr, {"s": "x"})
    assert message in info.value.message


def test_time_functions_use_the_point_time_in_utc() -> None:
    ns = 1_709_214_310_123_456_789  # 2024-02-29T13:45:10.123456789Z, a Thursday
    assert evaluate('hour("time")', time=ns) == 13
    assert evaluate('weekday("time")', time=ns) == 4
    assert evaluate('unixNano("time")', {"time": 5}, time=ns) == ns  # "time" shadows a field
    assert evaluate('year("time")', time=-1) == 1969
    assert type(evaluate("unixNano(now())")) is int


# --- scope filling ---------------------------------------------------------------------------


def test_tags_fill_the_scope_and_a_name_in_both_is_an_error() -> None:
    assert evaluate("\"host\" == 'a'", tags={"host": "a"}) is True
    with pytest.raises(EvaluationError, match='cannot have field and tags with same name "x"'):
        evaluate('FALSE AND "x" > 1', {"x": 1}, tags={"x": "1"})


def test_missing_values() -> None:
    with pytest.raises(EvaluationError, match='left reference value "v" is missing value'):
        evaluate('"v" > 1')
    assert evaluate('isPresent("v") AND "v" > 1') is False
    with pytest.raises(EvaluationError, match='missing value: "v"'):
        evaluate('"v"')


def test_unknown_python_values_in_fields_are_errors_not_crashes() -> None:
    for value in (None, [1], object(), 1 + 2j):
        with pytest.raises(EvaluationError):
            evaluate('"x" + 1', {"x": value})
        with pytest.raises(EvaluationError):
            evaluate('"x"', {"x": value})


# --- stages and positions --------------------------------------------------------------------


def test_constant_type_errors_are_build_errors_with_the_operator_position() -> None:
    with pytest.raises(BuildError) as info:
        compile_lambda("\"x\" > 1 AND 'a' + 1 == 'b'")
    error = info.value
    assert "mismatched type to binary operator. got string + int" in error.message
    assert (error.line, error.column) == (1, 17)
    assert "'a' + 1" in error.render()


def test_function_signature_errors_happen_at_evaluation_as_in_kapacitor() -> None:
    compiled = compile_lambda("pow(2, 10)")  # Kapacitor accepts it when the task is defined
    with pytest.raises(EvaluationError, match="available signatures are \\[\\(float,float\\)\\]"):
        compiled.evaluate(Point("m", {}, {}, 0))


def test_evaluation_errors_name_the_sub_expression_and_the_values() -> None:
    compiled = compile_lambda('"a" > 1 AND "b" / "c" > 1')
    with pytest.raises(EvaluationError) as info:
        compiled.evaluate(Point("m", {}, {"a": 2, "b": 1, "c": 0}, 0))
    error = info.value
    assert error.column == 17
    assert error.hint is not None and '"c" = 0 (int)' in error.hint
    assert '"b" / "c"' in error.render()


def test_identifiers_need_a_value() -> None:
    with pytest.raises(BuildError, match='name "threshold" is undefined'):
        compile_lambda('"v" > threshold')


def test_stars_are_not_lambda_values() -> None:
    with pytest.raises((BuildError, TickscriptSyntaxError)):
        compile_lambda("*")


@pytest.mark.parametrize(
    ("n", "x"), [(0, 0.5), (1, 3.0), (2, 5.0), (5, 24.0), (0, 30.0), (30, 40.0), (3, 80.0)]
)
def test_bessel_functions_match_their_integral_and_wronskian(n: int, x: float) -> None:
    from tickmini.lang.bessel import jn, yn

    steps = max(2000, int(3 * x))
    integral = sum(
        math.cos(n * t - x * math.sin(t)) for t in (2 * math.pi * k / steps for k in range(steps))
    )
    assert jn(n, x) == pytest.approx(integral / steps, abs=1e-14)
    wronskian = jn(n + 1, x) * yn(n, x) - jn(n, x) * yn(n + 1, x)
    assert wronskian == pytest.approx(2 / (math.pi * x), rel=1e-12)


def test_bessel_orders_beyond_a_million_are_refused() -> None:
    with pytest.raises(EvaluationError, match='error calling "jn": Bessel function order'):
        evaluate("jn(1000000000, 1.0)")


def test_type_checks_run_before_stateful_calls() -> None:
    """Kapacitor asks every operand's type before evaluating a node, so a type error on the right
    stops a stateful call on the left from running."""
    compiled = compile_lambda('count() + int("v")')
    empty = Point("m", {}, {}, 0)
    with pytest.raises(EvaluationError, match='argument "v" is missing'):
        compiled.evaluate(empty)
    assert compiled.evaluate(Point("m", {}, {"v": 10}, 0)) == 11  # count() ran once

    chosen = compile_lambda('if(count() > 0, "a", "b")')
    with pytest.raises(EvaluationError, match='Cannot call function "if"'):
        chosen.evaluate(Point("m", {}, {"a": 1, "b": 2.0}, 0))
    assert chosen.evaluate(Point("m", {}, {"a": 1, "b": 2}, 0)) == 1
    assert compile_lambda("count()").evaluate(empty) == 1


def test_a_runtime_error_after_a_stateful_call_keeps_its_effect() -> None:
    compiled = compile_lambda('count() + int("v")')
    with pytest.raises(EvaluationError, match='error calling "int"'):
        compiled.evaluate(Point("m", {}, {"v": "x"}, 0))
    assert compiled.evaluate(Point("m", {}, {"v": "0"}, 0)) == 2


def test_not_needs_a_boolean_operand() -> None:
    with pytest.raises(EvaluationError, match='left reference value "m" is missing value'):
        evaluate('!("m" > 1)')
    assert evaluate('!("v" > 1)', {"v": 0}) is True
    with pytest.raises(EvaluationError, match="unexpected type int, expected boolean"):
        evaluate("!(1 + 2)")


def test_subclasses_of_int_float_and_str_count_as_their_base_type() -> None:
    class Count(int):
        pass

    class Label(str):
        pass

    assert evaluate('"n" + 1', {"n": Count(41)}) == 42
    assert evaluate("\"s\" == 'a'", {"s": Label("a")}) is True


def test_long_generated_or_chains_compile() -> None:
    text = " OR ".join(f"\"host\" == 'h{i}'" for i in range(2000))
    compiled = compile_lambda(text)
    assert compiled.evaluate(Point("m", {"host": "h1999"}, {}, 0)) is True
    assert compiled.evaluate(Point("m", {"host": "x"}, {}, 0)) is False
    with pytest.raises(EvaluationError, match="got int == string"):
        compiled.evaluate(Point("m", {}, {"host": 1}, 0))  # specialised on demand, as deep


@pytest.mark.parametrize("text", ["ab", "axxb", "ba", "a\nb", "é", "", "xab"])
def test_regex_matcher_paths_agree(text: str) -> None:
    """The fast RE2 match test and the public search API give the same answers."""
    from tickmini.lang.regex import Matcher

    fast = Matcher("^a.*b$")._found
    public = Matcher._public("^a.*b$")
    assert fast(text) is public(text)
