"""Match expressions of topic handler files (reference §5.5) and topic handlers built from specs."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

try:  # tests/alerting as a package, or as a plain directory (rootdir import mode)
    from .conftest import make_event
except ImportError:
    from conftest import make_event  # type: ignore[no-redef]
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.alerting.event import Level
from tickmini.alerting.handlers import build_topic_handler
from tickmini.alerting.match import compile_match
from tickmini.alerting.services import Services
from tickmini.alerting.spec import HandlerSpec, parse_handler_text
from tickmini.alerting.topics import Topic
from tickmini.config import KapacitorConfig
from tickmini.errors import EvaluationError, HandlerSpecError, TickminiError


@pytest.mark.parametrize(
    ("text", "critical", "ok"),
    [
        ("changed() == TRUE", True, False),
        ("level() >= WARNING", True, False),
        ("level() == OK", False, True),
        ("\"host\" == 'serverA' AND level() == CRITICAL", True, False),
        ("name() == 'cpu' AND taskName() == 'task'", True, True),
        ("alertDuration() >= 0s", True, True),
        ("strContains(\"host\", 'B')", False, False),
    ],
)
def test_match_functions_and_constants(text: str, critical: bool, ok: bool) -> None:
    matches = compile_match(text)
    assert matches(make_event(level=Level.CRITICAL)) is critical
    assert matches(make_event(level=Level.OK)) is ok


def test_missing_tag_is_an_evaluation_error() -> None:
    with pytest.raises(EvaluationError, match="no tag exists for dc"):
        compile_match("\"dc\" == 'east'")(make_event())


@pytest.mark.parametrize("text", ["FOO == 1", "level() ==", "level() >= WARNNG"])
def test_bad_match_expressions_are_rejected_when_loaded(text: str) -> None:
    with pytest.raises(HandlerSpecError) as info:
        parse_handler_text(
            f"id: a\ntopic: t\nkind: log\nmatch: {text}\noptions:\n  path: /tmp/x\n", "h.yaml"
        )
    assert info.value.line == 4 and info.value.file == "h.yaml"
    assert "invalid match expression" in info.value.message


def test_topic_handler_with_changed_sees_the_topics_previous_level(tmp_path) -> None:
    """Only state changes reach the handler: previousLevel comes from the topic (§5.2)."""
    path = tmp_path / "changes.log"
    spec = parse_handler_text(
        f"id: changes\ntopic: cpu\nkind: log\nmatch: changed() == TRUE\noptions:\n  path: {path}\n",
        "changes.yaml",
    )
    stderr = io.StringIO()
    services = Services.create(KapacitorConfig(), stderr=stderr)
    topic = Topic("cpu")
    topic.handlers.append(build_topic_handler(spec, services))
    for level in (Level.CRITICAL, Level.CRITICAL, Level.OK, Level.OK, Level.WARNING):
        topic.collect(make_event(level=level))
    topic.collect(make_event(id="other", level=Level.OK))  # first OK of an id: not a change
    services.close()
    logged = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(e["level"], e["previousLevel"]) for e in logged] == [
        ("CRITICAL", "OK"),
        ("OK", "CRITICAL"),
        ("WARNING", "OK"),
    ]


def test_match_error_skips_the_event_and_says_why(tmp_path) -> None:
    stderr = io.StringIO()
    services = Services.create(KapacitorConfig(), stderr=stderr)
    path = tmp_path / "x.log"
    handler = build_topic_handler(
        HandlerSpec("log", {"path": str(path)}, id="h", topic="t", match="\"dc\" == 'east'"),
        services,
    )
    handler.handle(make_event())
    services.close()
    assert not path.exists()
    assert "failed to evaluate match expression" in stderr.getvalue()
    assert "no tag exists for dc" in stderr.getvalue()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_fuzz_match_text_only_raises_tickmini_errors(text: str) -> None:
    try:
        matches = compile_match(text)
    except HandlerSpecError:
        return
    with contextlib.suppress(TickminiError):
        matches(make_event())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["changed()", "level()", "name()", "taskName()", "alertDuration()", "OK", "CRITICAL",
             '"host"', "'cpu'", "1", "2.5", "5s", "TRUE", "==", "!=", ">=", "<", "AND", "OR", "+",
             "(", ")", "strLength(", ","]
        ),
        max_size=8,
    )
)  # fmt: skip
def test_fuzz_match_token_soup_only_raises_tickmini_errors(tokens: list[str]) -> None:
    test_fuzz_match_text_only_raises_tickmini_errors.hypothesis.inner_test(" ".join(tokens))
