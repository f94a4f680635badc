"""``tickmini test``: unit tests for alert rules, and the same checks from Python.

Public API (imported lazily): :class:`AlertRule`, :func:`assert_test_file`,
:class:`RuleTestFailed`, :func:`load_test_file`, :func:`run_file`. See docs/testing.md.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "AlertRule": "tickmini.testing.pytest_helper",
    "assert_test_file": "tickmini.testing.pytest_helper",
    "RuleTestFailed": "tickmini.testing.pytest_helper",
    "RuleTestError": "tickmini.testing.errors",
    "load_test_file": "tickmini.testing.loader",
    "run_file": "tickmini.testing.runner",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tickmini.testing' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
