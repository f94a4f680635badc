"""``kapacitor.conf``: the sections tickmini's handlers need, read as Kapacitor reads them.

Known sections (``[victorops]``, ``[[httppost]]``, ``[alert]``) are strict: a key Kapacitor does
not define there is an error naming the key and its line, so a typo never silently disables
alerting. Sections tickmini does not use (``[http]``, ``[influxdb]`` ...) are ignored with a
warning. ``KAPACITOR_*`` environment variables override the file as in Kapacitor
(upper-cased TOML name, ``-`` → ``_``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tickmini.alerting.secrets import MASK
from tickmini.errors import ConfigError, TickminiError
from tickmini.gocompat.strconv import FALSE_TEXTS, TRUE_TEXTS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

DEFAULT_VICTOROPS_URL = "https://alert.victorops.com/integrations/generic/20131114/alert"
DEFAULT_TOPIC_BUFFER_LENGTH = 5000
MIN_TOPIC_BUFFER_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class VictorOpsConfig:
    """``[victorops]``: defaults are Kapacitor's (``services/victorops/config.go``)."""

    enabled: bool = False
    api_key: str = ""
    routing_key: str = ""
    url: str = DEFAULT_VICTOROPS_URL
    json_data: bool = False
    global_: bool = False


@dataclass(frozen=True, slots=True)
class BasicAuth:
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class HTTPPostEndpoint:
    """One ``[[httppost]]`` entry, referenced by ``.post().endpoint(name)`` / ``endpoint:``."""

    endpoint: str = ""
    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    basic_auth: BasicAuth | None = None
    alert_template: str = ""
    alert_template_file: str = ""
    row_template: str = ""
    row_template_file: str = ""


@dataclass(frozen=True, slots=True)
class AlertConfig:
    """``[alert]``: topic persistence and per-handler buffer length."""

    persist_topics: bool = True
    topic_buffer_length: int = DEFAULT_TOPIC_BUFFER_LENGTH


@dataclass(frozen=True, slots=True)
class KapacitorConfig:
    """The parts of ``kapacitor.conf`` tickmini uses. ``warnings`` lists ignored sections."""

    hostname: str = "localhost"
    victorops: VictorOpsConfig = field(default_factory=VictorOpsConfig)
    httppost: tuple[HTTPPostEndpoint, ...] = ()
    alert: AlertConfig = field(default_factory=AlertConfig)
    path: str | None = None
    warnings: tuple[str, ...] = ()

    def endpoint(self, name: str) -> HTTPPostEndpoint | None:
        """The ``[[httppost]]`` entry called ``name`` (the last one wins, as in Kapacitor)."""
        found = None
        for entry in self.httppost:
            if entry.endpoint == name:
                found = entry
        return found

    def secrets(self) -> tuple[str, ...]:
        """Every configured value that must never be printed (for masking)."""
        values = [self.victorops.api_key]
        for entry in self.httppost:
            if entry.basic_auth is not None:
                values.append(entry.basic_auth.password)
        return tuple(v for v in values if v)


# Keys Kapacitor reads at the top level of kapacitor.conf (not all used by tickmini).
_ROOT_KEYS = frozenset(
    {
        "hostname",
        "data_dir",
        "skip-config-overrides",
        "default-retention-policy",
        "disable-handlers",
    }
)
_VICTOROPS_KEYS = {
    "enabled": ("enabled", bool),
    "api-key": ("api_key", str),
    "routing-key": ("routing_key", str),
    "url": ("url", str),
    "json-data": ("json_data", bool),
    "global": ("global_", bool),
}
_HTTPPOST_KEYS = {
    "endpoint": ("endpoint", str),
    "url": ("url", str),
    "headers": ("headers", dict),
    "basic-auth": ("basic_auth", dict),
    "alert-template": ("alert_template", str),
    "alert-template-file": ("alert_template_file", str),
    "row-template": ("row_template", str),
    "row-template-file": ("row_template_file", str),
}
_ALERT_KEYS = {
    "persist-topics": ("persist_topics", bool),
    "topic-buffer-length": ("topic_buffer_length", int),
}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TYPE_NAMES = {bool: "a boolean", str: "a string", int: "an integer", dict: "a table"}


_SECRET_ASSIGNMENT = re.compile(
    r"""^(\s*["']?[\w.-]*(?:api[-_]?key|password|passwd|token|secret|authorization)[\w.-]*["']?\s*=)(.*)$""",
    re.IGNORECASE,
)


def mask_secret_assignment(line: str) -> str:
    """A config line as it may be shown in an error: the value of a secret-looking key is hidden.

    Used on lines that may not even parse, so it works on the text, not on parsed values.
    """
    match = _SECRET_ASSIGNMENT.match(line)
    if match is None:
        return line
    return f"{match.group(1)} {MASK}"


class _Source:
    """The text of the file, to give keys and sections a line (tomllib keeps no positions)."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def error(
        self, message: str, line: int | None, column: int | None = 1, **kw: Any
    ) -> ConfigError:
        source_line = (
            mask_secret_assignment(self.lines[line - 1])
            if line is not None and 0 < line <= len(self.lines)
            else None
        )
        return ConfigError(
            message,
            file=self.path,
            line=line,
            column=column if line is not None else None,
            source_line=source_line,
            **kw,
        )

    def table_line(self, name: str, index: int = 0) -> int | None:
        """Line of ``[name]`` (or the ``index``-th ``[[name]]``)."""
        seen = 0
        for number, raw in enumerate(self.lines, 1):
            header = _header_name(raw)
            if header is not None and header[0] == name:
                if seen == index:
                    return number
                seen += 1
        return None

    def key_position(self, table: str | None, key: str, index: int = 0) -> tuple[int | None, int]:
        """Line and column of ``key = ...`` inside ``table`` (None: the top level)."""
        current: str | None = None
        occurrence: dict[str, int] = {}
        for number, raw in enumerate(self.lines, 1):
            header = _header_name(raw)
            if header is not None:
                current = header[0]
                if header[1]:
                    occurrence[current] = occurrence.get(current, -1) + 1
                continue
            if current != table or occurrence.get(table or "", 0) != index:
                continue
            stripped = raw.lstrip()
            for candidate in (key, f'"{key}"', f"'{key}'"):
                if stripped.startswith(candidate):
                    rest = stripped[len(candidate) :].lstrip()
                    if rest.startswith(("=", ".")):
                        return number, len(raw) - len(stripped) + 1
        if table is None:
            return None, 1
        return self.table_line(table, index), 1


def _header_name(raw: str) -> tuple[str, bool] | None:
    """``("victorops", False)`` for ``[victorops]``, ``("httppost", True)`` for ``[[httppost]]``."""
    text = raw.strip()
    if not text.startswith("["):
        return None
    array = text.startswith("[[")
    end = text.find("]]" if array else "]")
    if end < 0:
        return None
    name = text[2 if array else 1 : end].strip().strip("\"'")
    return name, array


def read_text_file(path: str | Path, error: type[TickminiError], what: str) -> str:
    """The UTF-8 text of a file the user names (``kapacitor.conf``, a handler file, a dead-letter
    file); an unreadable or non-UTF-8 file is ``error`` naming ``what`` and the file."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise error(f"cannot read {what}: {err.strerror or err}", file=str(path)) from None
    except UnicodeDecodeError as err:
        raise error(f"{what} is not UTF-8 text: {err.reason}", file=str(path)) from None


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> KapacitorConfig:
    """Read ``kapacitor.conf`` at ``path``; ``environ`` (default ``os.environ``) overrides it."""
    return parse_config(read_text_file(path, ConfigError, "config file"), str(path), environ)


def parse_config(
    text: str, path: str = "kapacitor.conf", environ: Mapping[str, str] | None = None
) -> KapacitorConfig:
    """Parse the text of a ``kapacitor.conf``; every problem is a :class:`ConfigError`."""
    source = _Source(path, text)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _syntax_error(source, err) from None
    warnings: list[str] = []
    hostname = "localhost"
    victorops = VictorOpsConfig()
    httppost: list[HTTPPostEndpoint] = []
    alert = AlertConfig()
    for key, value in document.items():
        if key == "victorops":
            victorops = _victorops(source, _table(source, key, value))
        elif key == "httppost":
            httppost = _httppost(source, value)
        elif key == "alert":
            alert = _alert(source, _table(source, key, value))
        elif key == "hostname":
            hostname = _typed(source, None, key, value, str)
        elif isinstance(value, (dict, list)) and not _is_scalar_list(value):
            line = source.table_line(key)
            warnings.append(f"{path}:{line or 1}: section [{key}] is not used by tickmini; ignored")
        elif key not in _ROOT_KEYS:
            line, _ = source.key_position(None, key)
            warnings.append(
                f"{path}:{line or 1}: top-level key {key!r} is not used by tickmini; ignored"
            )
    config = KapacitorConfig(
        hostname=hostname,
        victorops=victorops,
        httppost=tuple(httppost),
        alert=alert,
        path=path,
        warnings=tuple(warnings),
    )
    return apply_environment(config, os.environ if environ is None else environ)


def _syntax_error(source: _Source, err: Exception) -> ConfigError:
    message = str(err)
    match = _TOML_POSITION.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()].strip()
    else:
        line = len(source.lines) or 1
        column = len(source.lines[-1]) + 1 if source.lines else 1
        message = message.replace("(at end of document)", "").strip()
    return source.error(
        f"kapacitor.conf is not valid TOML: {message[:1].lower()}{message[1:]}",
        line,
        column,
        expected="TOML: [section] headers and key = value lines",
    )


def _is_scalar_list(value: object) -> bool:
    return isinstance(value, list) and not any(isinstance(v, dict) for v in value)


def _table(source: _Source, name: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        line, column = source.key_position(None, name)
        raise source.error(f"{name!r} must be a [{name}] section", line, column)
    return value


def _typed(
    source: _Source, table: str | None, key: str, value: object, kind: type, index: int = 0
) -> Any:
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is dict:
        ok = isinstance(value, dict)
    if not ok:
        line, column = source.key_position(table, key, index)
        where = f"[{table}] " if table else ""
        raise source.error(
            f"{where}{key} must be {_TYPE_NAMES[kind]}, not {_toml_type(value)}",
            line,
            column,
            expected=_TYPE_NAMES[kind],
        )
    return value


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return "a date/time"


def _decode(
    source: _Source,
    table: str,
    values: dict[str, Any],
    known: dict[str, tuple[str, type]],
    index: int = 0,
) -> dict[str, Any]:
    """Map TOML keys to dataclass field names, rejecting unknown keys with their line."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        spec = known.get(key) or known.get(key.lower())
        if spec is None:
            line, column = source.key_position(table, key, index)
            choices = ", ".join(sorted(known))
            raise source.error(
                f"unknown key {key!r} in [{table}]",
                line,
                column,
                expected=f"one of: {choices}",
                hint=_did_you_mean(key, known),
            )
        out[spec[0]] = _typed(source, table, key, value, spec[1], index)
    return out


def _did_you_mean(key: str, known: Mapping[str, object]) -> str | None:
    import difflib

    close = difflib.get_close_matches(key.lower().replace("_", "-"), list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else None


def _victorops(source: _Source, values: dict[str, Any]) -> VictorOpsConfig:
    fields = _decode(source, "victorops", values, _VICTOROPS_KEYS)
    config = VictorOpsConfig(**fields)
    if not config.url:
        line, column = source.key_position("victorops", "url")
        raise source.error("[victorops] url cannot be empty", line, column, expected="a URL")
    return config


def _httppost(source: _Source, value: object) -> list[HTTPPostEndpoint]:
    if not isinstance(value, list):
        line = source.table_line("httppost")
        raise source.error("httppost must be an array of tables: use [[httppost]]", line)
    endpoints = []
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise source.error(
                "each [[httppost]] entry must be a table", source.table_line("httppost")
            )
        fields = _decode(source, "httppost", entry, _HTTPPOST_KEYS, index)
        headers = fields.get("headers", {})
        for name, header in headers.items():
            if not isinstance(header, str):
                line, column = source.key_position("httppost", "headers", index)
                raise source.error(f"[[httppost]] header {name!r} must be a string", line, column)
        fields["headers"] = dict(headers)
        if "basic_auth" in fields:
            fields["basic_auth"] = _basic_auth(source, fields["basic_auth"], index)
        endpoint = HTTPPostEndpoint(**fields)
        if not endpoint.endpoint or not endpoint.url:
            what = "endpoint name" if not endpoint.endpoint else "url"
            raise source.error(
                f"[[httppost]] must specify {what}", source.table_line("httppost", index)
            )
        for option in ("alert_template", "row_template"):
            if getattr(endpoint, option) and getattr(endpoint, option + "_file"):
                dashed = option.replace("_", "-")
                raise source.error(
                    f"[[httppost]] must specify only one of {dashed} and {dashed}-file",
                    source.table_line("httppost", index),
                )
        endpoints.append(endpoint)
    return endpoints


def _basic_auth(source: _Source, values: dict[str, Any], index: int) -> BasicAuth:
    line, column = source.key_position("httppost", "basic-auth", index)
    unknown = set(values) - {"username", "password"}
    if unknown:
        raise source.error(
            f"unknown key {sorted(unknown)[0]!r} in [[httppost]] basic-auth",
            line,
            column,
            expected="username, password",
        )
    username, password = values.get("username", ""), values.get("password", "")
    if (
        not isinstance(username, str)
        or not isinstance(password, str)
        or not username
        or not password
    ):
        raise source.error(
            'basic-auth must set both "username" and "password" (strings)', line, column
        )
    return BasicAuth(username, password)


def _alert(source: _Source, values: dict[str, Any]) -> AlertConfig:
    fields = _decode(source, "alert", values, _ALERT_KEYS)
    length = fields.get("topic_buffer_length", DEFAULT_TOPIC_BUFFER_LENGTH)
    fields["topic_buffer_length"] = max(length, MIN_TOPIC_BUFFER_LENGTH)
    return AlertConfig(**fields)


def apply_environment(config: KapacitorConfig, environ: Mapping[str, str]) -> KapacitorConfig:
    """Apply ``KAPACITOR_VICTOROPS_*`` / ``KAPACITOR_HOSTNAME`` / ``KAPACITOR_ALERT_*`` overrides."""
    from dataclasses import replace

    victorops_changes: dict[str, Any] = {}
    for key, (name, kind) in _VICTOROPS_KEYS.items():
        variable = "KAPACITOR_VICTOROPS_" + key.upper().replace("-", "_")
        if variable in environ:
            victorops_changes[name] = _env_value(variable, environ[variable], kind)
    alert_changes: dict[str, Any] = {}
    for key, (name, kind) in _ALERT_KEYS.items():
        variable = "KAPACITOR_ALERT_" + key.upper().replace("-", "_")
        if variable in environ:
            alert_changes[name] = _env_value(variable, environ[variable], kind)
    changes: dict[str, Any] = {}
    if victorops_changes:
        victorops = replace(config.victorops, **victorops_changes)
        if not victorops.url:
            raise ConfigError("KAPACITOR_VICTOROPS_URL: url cannot be empty")
        changes["victorops"] = victorops
    if alert_changes:
        alert = replace(config.alert, **alert_changes)
        changes["alert"] = replace(
            alert, topic_buffer_length=max(alert.topic_buffer_length, MIN_TOPIC_BUFFER_LENGTH)
        )
    if "KAPACITOR_HOSTNAME" in environ:
        changes["hostname"] = environ["KAPACITOR_HOSTNAME"]
    return replace(config, **changes) if changes else config


def _env_value(variable: str, raw: str, kind: type) -> object:
    """Parse an environment override as Go's strconv would."""
    if kind is bool:
        if raw in TRUE_TEXTS:
            return True
        if raw in FALSE_TEXTS:
            return False
        raise ConfigError(
            f"environment variable {variable} must be a boolean, not {raw!r}",
            expected="true or false",
        )
    if kind is int:
        try:
            return int(raw, 10)
        except ValueError:
            raise ConfigError(
                f"environment variable {variable} must be an integer, not {raw!r}"
            ) from None
    return raw


def default_config(environ: Mapping[str, str] | None = None) -> KapacitorConfig:
    """The configuration Kapacitor uses when no file is given: defaults plus ``KAPACITOR_*``."""
    return apply_environment(KapacitorConfig(), os.environ if environ is None else environ)
