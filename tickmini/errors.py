"""The one error family of tickmini.

Every error tickmini raises on purpose derives from :class:`TickminiError`. The CLI catches only
this family; anything else escaping is a bug. Errors that point into a file carry its name, line
and column, and render the same way everywhere (``FILE:LINE:COL: error: MESSAGE``, the source
line, a caret, then what was expected and a hint).
"""

from __future__ import annotations


class TickminiError(Exception):
    """Base of every error tickmini reports to users."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        source_line: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.source_line = source_line
        self.expected = expected
        self.hint = hint

    def __str__(self) -> str:
        return self.render()

    def location(self) -> str:
        """``FILE:LINE:COL`` (as much of it as is known)."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        """The one textual form of an error, used by the CLI and by ``str()``."""
        if self.file is None and self.line is None:
            text = f"error: {self.message}"
        else:
            text = f"{self.location()}: error: {self.message}"
        if self.source_line is not None and self.column is not None:
            shown = self.source_line.rstrip("\r\n").replace("\t", " ")
            text += f"\n    {shown}\n    {' ' * max(self.column - 1, 0)}^"
        if self.expected:
            text += f"\n  expected {self.expected}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class TickscriptSyntaxError(TickminiError):
    """The script text does not parse (Kapacitor's parse stage)."""


class BuildError(TickminiError):
    """The script parses but Kapacitor would refuse the task when it is defined or enabled."""


class EvaluationError(TickminiError):
    """A lambda failed on a point (Kapacitor logs these and treats them per node)."""


class TemplateError(TickminiError):
    """An alert id/message/details template failed to parse or to execute."""


class LineProtocolError(TickminiError):
    """A line of input data is not valid InfluxDB line protocol."""


class ConfigError(TickminiError):
    """A ``kapacitor.conf`` file is malformed or holds unknown keys."""


class HandlerSpecError(TickminiError):
    """A topic handler file (YAML/JSON) is malformed or not accepted by Kapacitor."""


class DeliveryError(TickminiError):
    """An alert could not be delivered to a handler's endpoint."""


class UsageError(TickminiError):
    """The command line was not understood (exit code 2)."""
