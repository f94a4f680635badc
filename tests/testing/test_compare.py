"""Value equality, field mismatches and the order-preserving alignment."""

from __future__ import annotations

from tickmini.testing.compare import Mismatch, align, mismatches, values_equal
from tickmini.testing.model import Expected


def _expected(**values: object) -> Expected:
    return Expected(values, (), 0)


def test_numbers_compare_as_after_a_json_round_trip() -> None:
    assert values_equal(10, 10.0)
    assert not values_equal(10, 10.5)
    assert not values_equal(True, 1)
    assert not values_equal(1.0, True)
    assert values_equal({"a": [1, 2.0]}, {"a": [1.0, 2]})
    assert not values_equal({"a": 1}, {"a": 1, "b": 2})
    assert not values_equal("1", 1)


def test_tags_and_fields_check_only_the_keys_written() -> None:
    actual = {"level": "OK", "tags": {"host": "a", "cpu": "total"}, "fields": {"v": 1.0}}
    assert mismatches({"tags": {"host": "a"}}, actual) == []
    assert mismatches({"tags": {"host": "b"}, "fields": {"w": 2}}, actual) == [
        Mismatch("tags.host", "b", "a"),
        Mismatch("fields.w", 2, None, missing=True),
    ]


def test_alignment_reports_a_missing_event_not_a_cascade() -> None:
    expected = [
        _expected(level="CRITICAL", time=1),
        _expected(level="CRITICAL", time=2),
        _expected(level="OK", time=3),
    ]
    actual = [{"level": "CRITICAL", "time": 1}, {"level": "OK", "time": 3}]
    pairs = align(expected, actual)
    assert [(p.expected is not None, p.actual_index, p.ok) for p in pairs] == [
        (True, 0, True),
        (True, None, False),
        (True, 1, True),
    ]


def test_alignment_pairs_partial_matches_and_lists_extras() -> None:
    expected = [_expected(level="CRITICAL", time=1)]
    actual = [{"level": "OK", "time": 1}, {"level": "CRITICAL", "time": 9}]
    pairs = align(expected, actual)
    assert pairs[0].actual_index == 0 and pairs[0].mismatches == [
        Mismatch("level", "CRITICAL", "OK")
    ]
    assert pairs[1].expected is None and pairs[1].actual_index == 1


def test_a_lone_pair_that_agrees_on_nothing_still_pairs() -> None:
    pairs = align([_expected(level="CRITICAL", time=1)], [{"level": "OK", "time": 5}])
    assert [(p.expected is not None, p.actual_index) for p in pairs] == [(True, 0)]
    assert [m.key for m in pairs[0].mismatches] == ["level", "time"]


def test_empty_expectation_against_events() -> None:
    pairs = align([], [{"level": "OK"}])
    assert len(pairs) == 1 and not pairs[0].ok


def test_first_difference_names_the_path() -> None:
    from tickmini.testing.compare import first_difference

    want = {"series": [{"name": "cpu", "values": [["t", 10.0]]}]}
    assert first_difference(want, {"series": [{"name": "cpu", "values": [["t", 10]]}]}) is None
    assert (
        first_difference(want, {"series": [{"name": "cpu", "values": [["t", 11]]}]})
        == "series[0].values[0][1]: expected 10.0, actual 11"
    )
    assert first_difference(want, {"series": []}) == "series: 1 items expected, 0 actual"
    assert first_difference({"a": 1}, {"a": 1, "b": 2}) == "b: not expected"
    assert first_difference({"a": 1}, {}) == "a: missing in the actual value"
