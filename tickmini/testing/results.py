"""What running a test file produced: per-case outcomes, sections of checks, explanations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tickmini.alerting.event import AlertEvent
from tickmini.errors import TickminiError
from tickmini.testing.compare import Pairing
from tickmini.testing.model import RuleCase
from tickmini.testing.views import normalise_body

if TYPE_CHECKING:
    from tickmini.testing.coverage import Coverage

PASS = "pass"
FAIL = "fail"
ERROR = "error"


@dataclass(slots=True)
class CapturedRequest:
    """A request a handler would have sent (nothing leaves the process during tests).

    ``url`` has secrets (the VictorOps API key) masked; ``body`` is the decoded JSON body, or the
    text when it is not JSON (``body_text`` always holds the exact text).
    """

    kind: str
    handler: str
    url: str
    routing_key: str
    body: object
    body_text: str
    event_index: int | None = None

    def view(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "handler": self.handler,
            "url": self.url,
            "routing_key": self.routing_key,
            "body": normalise_body(self.body),
        }


@dataclass(slots=True)
class LambdaValue:
    """One level or reset lambda as the alert node evaluated it: ``true``, ``false`` or an error."""

    label: str  # crit, warnReset ...
    source: str  # the lambda as written
    value: str
    on: str = ""  # for a batch: which of its points the lambda read ("point 2")


@dataclass(slots=True)
class Explanation:
    """What an alert node did with one point or batch: what it read, its lambdas in the order
    it evaluated them, the level transition and whether an event was sent (else why not)."""

    point: str  # line protocol (a batch: its points, one per line)
    time: int
    lambdas: list[LambdaValue] = field(default_factory=list)
    note: str = ""
    node: str = ""  # the alert node ("alert2"); empty for an input point no node saw
    group: str = ""
    transition: str = ""  # "OK -> CRITICAL"
    outcome: str = ""  # "sent" or "not sent: <reason>"
    batch: bool = False


@dataclass(slots=True)
class Section:
    """One kind of check of a case: ``alerts``, ``requests``, ``http_out`` or ``counts``."""

    kind: str
    pairings: list[Pairing] = field(default_factory=list)
    actual: list[dict[str, object]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(p.ok for p in self.pairings)


@dataclass(slots=True)
class CaseResult:
    case: RuleCase
    status: str
    seconds: float = 0.0
    sections: list[Section] = field(default_factory=list)
    error: TickminiError | None = None
    events: list[AlertEvent] = field(default_factory=list)
    requests: list[CapturedRequest] = field(default_factory=list)
    # Explanations of actual events (by index) and of missing expected ones (by expected line).
    explained_events: dict[int, Explanation] = field(default_factory=dict)
    explained_missing: dict[int, list[Explanation]] = field(default_factory=dict)
    # What the task logged (lambda errors, handler failures), shown when the case fails.
    diagnostics: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FileResult:
    path: str
    cases: list[CaseResult] = field(default_factory=list)
    error: TickminiError | None = None  # the file itself could not be loaded or compiled
    seconds: float = 0.0
    coverage: Coverage | None = None
    warnings: list[str] = field(default_factory=list)  # build warnings of the rule

    @property
    def failed(self) -> int:
        return sum(1 for c in self.cases if c.status == FAIL)

    @property
    def errored(self) -> int:
        return sum(1 for c in self.cases if c.status == ERROR) + (1 if self.error else 0)
