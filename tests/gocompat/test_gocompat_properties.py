"""Properties of the encoders and escapers over random values (hypothesis)."""

from __future__ import annotations

import html
import json
from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.gocompat.jsonenc import encode, encode_line
from tickmini.gocompat.template.kapacitor import (
    compile_details,
    details_data,
    id_data,
    message_data,
    server_info,
)

SERVER = server_info("localhost", "c", "s")
MSG = message_data(id_data("m", "t", "", {}, SERVER), "id", {}, "OK", 0, 0)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


def same(decoded: object, original: object) -> bool:
    """JSON equality where a float written without a fraction may decode as an int."""
    if isinstance(original, float):
        return isinstance(decoded, int | float) and float(decoded) == original
    if isinstance(original, list):
        return (
            isinstance(decoded, list)
            and len(decoded) == len(original)
            and all(same(d, o) for d, o in zip(decoded, original, strict=True))
        )
    if isinstance(original, dict):
        return (
            isinstance(decoded, dict)
            and decoded.keys() == original.keys()
            and all(same(decoded[k], original[k]) for k in original)
        )
    return type(decoded) is type(original) and decoded == original


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_json_round_trips_and_escapes_html(value: object) -> None:
    text = encode(value)
    assert same(json.loads(text), value)
    assert not any(ch in text for ch in "<>&\u2028\u2029")
    assert encode_line(value) == text + "\n"
    assert same(json.loads(encode(value, escape_html=False)), value)


def _render(source: str, message: str) -> str:
    return compile_details(source).render(details_data(MSG, message))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_html_text_and_attribute_values_are_inert_and_lossless(message: str) -> None:
    expected = message.replace("\x00", "\ufffd")
    inner = _render("<p>{{ .Message }}</p>", message)[3:-4]
    assert not any(ch in inner for ch in "<>\"'+")
    assert html.unescape(inner) == expected
    quoted = _render('<a title="{{ .Message }}">', message)[10:-2]
    assert '"' not in quoted
    assert html.unescape(quoted) == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_url_query_values_round_trip(message: str) -> None:
    inner = _render('<a href="/q?x={{ .Message }}">', message)[14:-2]
    assert not any(ch in inner for ch in " \"'<>")
    assert unquote(html.unescape(inner), errors="surrogatepass") == message
