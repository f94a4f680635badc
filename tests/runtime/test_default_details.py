"""The specialised default details ``{{ json . }}`` and JSON quoting equal the generic paths."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.alerting.encode import quote_text, string_list_json, string_map_json
from tickmini.gocompat.jsonenc import encode
from tickmini.gocompat.jsonstr import quote_string
from tickmini.gocompat.template.kapacitor import (
    DEFAULT_DETAILS_TEMPLATE,
    compile_details,
    details_data,
    id_data,
    message_data,
    server_info,
)
from tickmini.runtime.default_details import DefaultDetails, is_default_details

INT64 = st.integers(-(2**63), 2**63 - 1)
# Texts that reach every escaping rule: HTML characters, quotes, controls, U+2028, surrogates.
SPECIAL = "<>&'\"+\\\n\t\x00\x1f\u2028\u2029\ud800é€😀 ="
texts = st.text(alphabet=st.sampled_from(SPECIAL) | st.characters(), max_size=12)
field_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e25, max_value=1e25),
    INT64,
    texts,
    st.booleans(),
)
events = st.fixed_dictionaries(
    {
        "event_id": texts,
        "name": texts,
        "task_name": texts,
        "group": st.one_of(st.just(""), texts),
        "tags": st.dictionaries(texts, texts, max_size=4),
        "fields": st.dictionaries(texts, field_values, max_size=5),
        "level": st.sampled_from(["OK", "INFO", "WARNING", "CRITICAL"]),
        "time": st.integers(-(2**62), 2**62),
        "duration": INT64,
        "message": texts,
    }
)
GENERIC = compile_details(DEFAULT_DETAILS_TEMPLATE)


def generic(e: dict, server) -> str:
    info = message_data(
        id_data(e["name"], e["task_name"], e["group"], e["tags"], server),
        e["event_id"],
        e["fields"],
        e["level"],
        e["time"],
        e["duration"],
    )
    return GENERIC.render(details_data(info, e["message"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(events, min_size=1, max_size=4), texts, st.booleans())
def test_default_details_are_byte_identical_to_the_template(batch, hostname, same_group) -> None:
    server = server_info(hostname, "c", "s")
    details = DefaultDetails()
    for e in batch:
        if same_group:
            e = {**e, "group": "g"}  # the cached prefix must follow name, tags and ID changes
        fast = details.render(**e, server=server)
        assert fast == generic(e, server)


def test_a_nan_field_gives_empty_details_as_kapacitor() -> None:
    e = {
        "event_id": "cpu:nil",
        "name": "cpu",
        "task_name": "t",
        "group": "",
        "tags": {"host": "a"},
        "fields": {"v": float("nan")},
        "level": "CRITICAL",
        "time": 0,
        "duration": 0,
        "message": "m",
    }
    server = server_info("localhost", "c", "s")
    assert DefaultDetails().render(**e, server=server) == generic(e, server) == ""


def test_the_group_cache_is_bounded() -> None:
    server = server_info("localhost", "c", "s")
    details = DefaultDetails()
    for i in range(10_000):
        details.render(f"id{i}", "m", "t", f"g{i}", {}, {}, "OK", 0, 0, "", server)
    assert len(details.prefixes) <= 4096


def test_default_template_spellings() -> None:
    assert is_default_details("{{ json . }}") and is_default_details("{{json .}}")
    assert not is_default_details("{{ json . }} ") and not is_default_details("{{ jsonCompact . }}")


@settings(max_examples=500, deadline=None)
@given(texts)
def test_quote_text_is_quote_string(text: str) -> None:
    assert quote_text(text) == quote_string(text)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(texts, texts, max_size=5))
def test_string_map_json_is_the_generic_encoder(tags: dict[str, str]) -> None:
    assert string_map_json(tags) == encode(tags)


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, max_size=6))
def test_string_list_json_is_the_generic_encoder(columns: list[str]) -> None:
    assert string_list_json(columns) == encode(columns)
