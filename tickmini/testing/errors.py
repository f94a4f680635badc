"""The error a malformed ``tickmini test`` file raises (a member of tickmini's one error family)."""

from __future__ import annotations

from tickmini.errors import TickminiError


class RuleTestError(TickminiError):
    """A test file (YAML) is malformed: unknown key, wrong type, bad series notation ...

    Always carries the test file's path and the line and column of the offending key or value.
    """
