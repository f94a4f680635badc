"""One way to hide secrets (the VictorOps API key, basic-auth passwords) in anything printed.

Every message, URL, dead-letter record and dry-run line goes through :func:`mask_secrets`
before it leaves tickmini.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from tickmini.alerting.handlers.urls import go_escape_path

MASK = "********"


def mask_secrets(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (raw or percent-escaped as in a URL) replaced by ``MASK``."""
    forms: set[str] = set()
    for secret in secrets:
        if secret:
            forms.update({secret, go_escape_path(secret), quote(secret, safe=""), quote(secret)})
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    return text
