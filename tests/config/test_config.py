"""kapacitor.conf: every [victorops] option and default, [[httppost]], [alert], env overrides,
and errors with file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.config import (
    DEFAULT_VICTOROPS_URL,
    BasicAuth,
    HTTPPostEndpoint,
    VictorOpsConfig,
    default_config,
    load_config,
    parse_config,
)
from tickmini.errors import ConfigError, TickminiError

SAMPLES = Path(__file__).parent.parent.parent / "samples"


def test_the_seed_config() -> None:
    config = load_config(SAMPLES / "kapacitor.conf", environ={})
    assert config.victorops == VictorOpsConfig(
        enabled=True,
        api_key="xxxx",
        routing_key="xxxx",
        url="https://alert.victorops.com/integrations/generic/20131114/alert",
        json_data=False,
        global_=False,
    )
    assert config.warnings == ()


def test_defaults_are_kapacitors() -> None:
    config = parse_config("", environ={})
    assert config.victorops == VictorOpsConfig(False, "", "", DEFAULT_VICTOROPS_URL, False, False)
    assert config.hostname == "localhost"
    assert (config.alert.persist_topics, config.alert.topic_buffer_length) == (True, 5000)
    assert config.httppost == ()
    assert default_config(environ={}) == parse_config("", "kapacitor.conf", environ={}).__class__()


def test_every_victorops_option() -> None:
    text = """
hostname = "kap1"
[victorops]
  enabled = true
  api-key = "k"
  routing-key = "r"
  url = "http://127.0.0.1:9/x"
  json-data = true
  global = true
[alert]
  persist-topics = false
  topic-buffer-length = 10
"""
    config = parse_config(text, environ={})
    assert config.hostname == "kap1"
    assert config.victorops == VictorOpsConfig(True, "k", "r", "http://127.0.0.1:9/x", True, True)
    assert config.alert.persist_topics is False
    assert config.alert.topic_buffer_length == 1000  # Kapacitor's minimum


def test_httppost_endpoints() -> None:
    text = """
[[httppost]]
  endpoint = "a"
  url = "http://a/"
  headers = { X-Token = "t" }
  basic-auth = { username = "u", password = "p" }
[[httppost]]
  endpoint = "b"
  url = "http://b/"
"""
    config = parse_config(text, environ={})
    assert config.httppost == (
        HTTPPostEndpoint("a", "http://a/", {"X-Token": "t"}, BasicAuth("u", "p")),
        HTTPPostEndpoint("b", "http://b/"),
    )
    assert config.endpoint("b").url == "http://b/"
    assert config.endpoint("c") is None
    assert config.secrets() == ("p",)


def test_environment_overrides() -> None:
    environ = {
        "KAPACITOR_VICTOROPS_ENABLED": "true",
        "KAPACITOR_VICTOROPS_API_KEY": "from-env",
        "KAPACITOR_VICTOROPS_ROUTING_KEY": "rk",
        "KAPACITOR_VICTOROPS_URL": "http://env/",
        "KAPACITOR_VICTOROPS_GLOBAL": "1",
        "KAPACITOR_VICTOROPS_JSON_DATA": "F",
        "KAPACITOR_HOSTNAME": "h",
    }
    config = load_config(SAMPLES / "kapacitor.conf", environ=environ)
    assert config.victorops == VictorOpsConfig(True, "from-env", "rk", "http://env/", False, True)
    assert config.hostname == "h"
    with pytest.raises(ConfigError, match="KAPACITOR_VICTOROPS_ENABLED must be a boolean"):
        parse_config("", environ={"KAPACITOR_VICTOROPS_ENABLED": "yes"})


def test_unknown_sections_are_ignored_with_a_warning() -> None:
    config = parse_config(
        '[http]\n  bind-address = ":9092"\n[[influxdb]]\n  name = "x"\n', "k.conf", environ={}
    )
    assert len(config.warnings) == 2
    assert config.warnings[0].startswith("k.conf:1: section [http]")
    assert config.warnings[1].startswith("k.conf:3: section [influxdb]")


def _error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "k.conf", environ={})
    return info.value


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        (
            '[victorops]\n  enabled = true\n  api_key = "x"\n',
            "unknown key 'api_key' in [victorops]",
            3,
            3,
        ),
        ('[victorops]\n  enabled = "true"\n', "enabled must be a boolean, not a string", 2, 3),
        ('[victorops]\n  url = ""\n', "url cannot be empty", 2, 3),
        ("[alert]\n  persist-topic = true\n", "unknown key 'persist-topic' in [alert]", 2, 3),
        (
            '[[httppost]]\n  endpoint = "a"\n  url = "http://a"\n  header = {}\n',
            "unknown key 'header'",
            4,
            3,
        ),
        ('[[httppost]]\n  endpoint = "a"\n', "must specify url", 1, 1),
        (
            '[[httppost]]\n  url = "http://a"\n  basic-auth = { username = "u" }\n',
            "basic-auth must set both",
            3,
            3,
        ),
        ("[victorops]\n  enabled = tru\n", "not valid TOML", 2, 13),
        ("[victorops\n", "not valid TOML", 1, 11),
        ("[victorops]\nenabled = true\n[victorops]\n", "not valid TOML", 3, 11),
        ("victorops = 1\n", "must be a [victorops] section", 1, 1),
        ("hostname = 5\n", "hostname must be a string", 1, 1),
    ],
)
def test_config_errors_name_the_key_and_position(text, message, line, column) -> None:
    err = _error(text)
    assert message in err.message
    assert (err.file, err.line, err.column) == ("k.conf", line, column)
    assert err.render().startswith(f"k.conf:{line}:{column}: error:")


def test_unknown_key_error_suggests_the_right_key() -> None:
    err = _error('[victorops]\n  routing_key = "x"\n')
    assert err.hint == "did you mean 'routing-key'?"


def test_unreadable_file(tmp_path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "missing.conf", environ={})
    bad = tmp_path / "bin.conf"
    bad.write_bytes(b"\xff\xfe[victorops]")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(bad, environ={})


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_config_text_only_raises_config_errors(text: str) -> None:
    try:
        parse_config(text, "k.conf", environ={})
    except ConfigError as err:
        assert err.file == "k.conf"


_toml_values = st.one_of(
    st.booleans(), st.integers(-5, 5), st.text(max_size=6), st.just({}), st.just([1, 2])
)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["victorops", "alert", "httppost", "other"]),
    st.dictionaries(
        st.sampled_from(["enabled", "api-key", "url", "global", "json-data", "persist-topics",
                         "topic-buffer-length", "endpoint", "headers", "basic-auth", "bogus"]),
        _toml_values,
        max_size=4,
    ),
)  # fmt: skip
def test_fuzz_structured_config_only_raises_tickmini_errors(section: str, values: dict) -> None:
    lines = [f"[[{section}]]" if section == "httppost" else f"[{section}]"]
    for key, value in values.items():
        lines.append(f"{key} = {_toml(value)}")
    try:
        parse_config("\n".join(lines) + "\n", "k.conf", environ={})
    except TickminiError as err:
        assert err.file == "k.conf" and err.line is not None


def _toml(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{}"
    return json.dumps(value)


@pytest.mark.parametrize(
    "line",
    [
        'api-key = "SECRETKEY123',  # unclosed string
        'api-key = "SECRETKEY123" "x"',  # trailing garbage
        'api_key = "SECRETKEY123"',  # unknown key
        "api-key = SECRETKEY123",  # bare word
        "api-key = 912345",  # wrong type
        '"api-key" = 912345',  # quoted key
    ],
)
def test_config_errors_never_show_the_api_key(line: str) -> None:
    err = _error(f"[victorops]\nenabled = true\n{line}\n")
    shown = err.render()
    assert err.line == 3
    assert "SECRETKEY123" not in shown and "912345" not in shown
    assert "********" in shown
