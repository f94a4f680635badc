"""The parsed form of a ``tickmini test`` file: plain dataclasses, no behaviour.

Expected values are already normalised when they get here: times and durations are integer
nanoseconds, levels are their names, so comparing is a plain equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tickmini.testing.series import Sample, SeriesKey
from tickmini.testing.yamldoc import Path, YamlDoc

LEVELS = ("OK", "INFO", "WARNING", "CRITICAL")


@dataclass(slots=True)
class Expected:
    """One expected alert event or handler request: the keys the author chose to check."""

    values: dict[str, object]
    path: Path
    line: int


@dataclass(slots=True)
class Expectations:
    """What a case checks; a part left as None is not checked at all."""

    alerts: list[Expected] | None = None
    requests: list[Expected] | None = None
    http_out: dict[str, object] | None = None
    counts: dict[str, int] | None = None
    path: Path = ()


@dataclass(slots=True)
class InputSeries:
    key: SeriesKey
    samples: list[Sample]
    line: int


@dataclass(slots=True)
class InlineData:
    """Line protocol written in the test file (``input``) or in a file next to it."""

    text: str
    source: str  # the file the lines are in, for error messages
    first_line: int  # line of ``text``'s first line in ``source``
    precision: str
    indent: int = 0  # columns YAML removed from each line of a block scalar
    file_lines: list[str] | None = None  # the lines of ``source`` (for error source lines)


@dataclass(slots=True)
class RuleCase:
    """One test case: its input data and what must come out."""

    name: str
    index: int
    line: int
    start: int
    interval: int
    database: str | None
    retention_policy: str | None
    series: list[InputSeries] = field(default_factory=list)
    data: list[InlineData] = field(default_factory=list)
    expect: Expectations = field(default_factory=Expectations)
    path: Path = ()


@dataclass(slots=True)
class RuleTestFile:
    """A whole test file: the rule under test, its environment, and the cases."""

    path: str
    script_path: str | None
    script_text: str
    script_line: int  # where inline script text starts in the test file (1 for a script file)
    script_indent: int  # columns YAML removed from inline script lines (0 for a script file)
    task_name: str
    database: str | None
    retention_policy: str | None
    config_path: str | None
    handler_paths: list[str]
    cases: list[RuleCase]
    doc: YamlDoc
