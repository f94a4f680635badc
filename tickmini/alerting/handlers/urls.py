"""Go's ``path.Join`` and ``url.URL.String`` path escaping, for the VictorOps URL.

Kapacitor builds the VictorOps address as ``u.Path = path.Join(u.Path, apiKey, routingKey)``
and sends ``u.String()``; these helpers reproduce that byte for byte.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

from tickmini.errors import DeliveryError

# Bytes Go leaves unescaped in a URL path (net/url shouldEscape with encodePath).
_PATH_SAFE = frozenset(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~$&+,/:;=@"
)


def go_clean(path: str) -> str:
    """Go ``path.Clean``: drop empty and ``.`` elements, resolve ``..``, no trailing slash."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def go_path_join(*elements: str) -> str:
    """Go ``path.Join``: join the non-empty elements with ``/`` and clean; all empty → ``""``."""
    present = [e for e in elements if e]
    if not present:
        return ""
    return go_clean("/".join(present))


def go_escape_path(path: str) -> str:
    """Percent-escape a path as Go's ``url.URL.EscapedPath`` does (upper-case hex)."""
    out = []
    for byte in path.encode("utf-8"):
        if byte in _PATH_SAFE:
            out.append(chr(byte))
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def victorops_url(base_url: str, api_key: str, routing_key: str) -> str:
    """``base_url`` with ``api_key`` and ``routing_key`` joined onto its path, as Kapacitor does."""
    return _joined_url(base_url, api_key, routing_key)


def masked_victorops_url(base_url: str, routing_key: str, mask: str) -> str:
    """The same URL with ``mask`` where the API key goes (safe to print)."""
    return _joined_url(base_url, mask, routing_key, escape_first=False)


def _joined_url(base_url: str, api_key: str, routing_key: str, escape_first: bool = True) -> str:
    try:
        parts = urlsplit(base_url)
    except ValueError as err:
        raise DeliveryError(f"invalid VictorOps URL: {err}") from None
    path = go_path_join(unquote(parts.path), api_key, routing_key)
    escaped = go_escape_path(path)
    if not escape_first:
        # The mask is not a real path element: keep it readable.
        escaped = escaped.replace(go_escape_path(api_key), api_key)
    if parts.netloc and escaped and not escaped.startswith("/"):
        escaped = "/" + escaped
    return urlunsplit((parts.scheme, parts.netloc, escaped, parts.query, parts.fragment))
