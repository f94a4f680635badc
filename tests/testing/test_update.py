"""``--update`` rewrites only the alerts of the cases it is given, keeping the rest of the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.testing.loader import parse_test_file
from tickmini.testing.update import updated_text

TEXT = """\
tickscript: stream|from()|alert()
interval: 10s
tests:
  - name: block   # a comment that stays
    input: 'cpu v=1 0'
    expect:
      alerts:
        - level: OK
          time: 10s
      # trailing comment that stays
      counts: {OK: 0}
  - name: flow
    input: 'cpu v=1 0'
    expect: {alerts: [], counts: {OK: 1}}
  - name: no alerts key
    input: 'cpu v=1 0'
    expect:
      counts:
        OK: 1
  - name: untouched
    input: 'cpu v=1 0'
    expect: {alerts: []}
"""
EVENT = {
    "time": 10 * 10**9,
    "level": "CRITICAL",
    "id": "cpu:nil",
    "message": "cpu:nil is CRITICAL",
    "duration": 90 * 10**9,
    "tags": {"host": "a"},
    "details": "not written unless checked",
}


def test_each_layout_is_rewritten_and_reads_back() -> None:
    loaded = parse_test_file(TEXT, "t.yaml")
    text = updated_text(loaded, {0: [EVENT], 1: [EVENT, EVENT], 2: [EVENT]})
    assert "# a comment that stays" in text and "# trailing comment that stays" in text
    assert text.endswith("  - name: untouched\n    input: 'cpu v=1 0'\n    expect: {alerts: []}\n")
    again = parse_test_file(text, "t.yaml")
    expected = {
        "time": 10 * 10**9,
        "level": "CRITICAL",
        "id": "cpu:nil",
        "message": "cpu:nil is CRITICAL",
        "duration": 90 * 10**9,
    }
    for index, count in ((0, 1), (1, 2), (2, 1)):
        alerts = again.cases[index].expect.alerts
        assert alerts is not None and [a.values for a in alerts] == [expected] * count
    assert again.cases[1].expect.counts == {"OK": 1}
    assert again.cases[2].expect.counts == {"OK": 1}
    assert again.cases[3].expect.alerts == []
    assert "duration: 90s" in text and "details" not in text


def test_keys_the_case_checked_are_kept() -> None:
    loaded = parse_test_file(
        TEXT.replace("          time: 10s\n", "          time: 10s\n          tags: {host: b}\n"),
        "t.yaml",
    )
    text = updated_text(loaded, {0: [EVENT]})
    alerts = parse_test_file(text, "t.yaml").cases[0].expect.alerts
    assert alerts is not None and alerts[0].values["tags"] == {"host": "a"}


def test_no_events_writes_an_empty_list() -> None:
    loaded = parse_test_file(TEXT, "t.yaml")
    again = parse_test_file(updated_text(loaded, {0: []}), "t.yaml")
    assert again.cases[0].expect.alerts == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "time": st.integers(min_value=0, max_value=10**12),
                "level": st.sampled_from(["OK", "INFO", "WARNING", "CRITICAL"]),
                "id": st.text(max_size=12),
                "message": st.text(max_size=20),
                "duration": st.integers(min_value=0, max_value=10**15),
            }
        ),
        max_size=4,
    )
)
def test_any_events_read_back_exactly(events: list[dict[str, object]]) -> None:
    loaded = parse_test_file(TEXT, "t.yaml")
    again = parse_test_file(updated_text(loaded, {0: events}), "t.yaml")
    alerts = again.cases[0].expect.alerts
    assert alerts is not None and [a.values for a in alerts] == events
