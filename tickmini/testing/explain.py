"""Why did the alert node do that? The point behind an event and each level lambda's value.

For an actual event the point is the one the alert node saw (its name, tags and fields are in
the event). For an expected event that never came, the input points at the expected time are
shown, with the lambdas' values when the alert node sees input points directly (no window or
eval in between).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tickmini.alerting.event import AlertEvent
from tickmini.io import lp_format
from tickmini.testing.harness import RuleUnderTest
from tickmini.testing.model import RuleCase
from tickmini.testing.results import Explanation, LambdaValue, Section
from tickmini.values import Point


def explain_events(
    rule: RuleUnderTest, events: Sequence[AlertEvent], indices: Iterable[int]
) -> dict[int, Explanation]:
    """Explanations of the events at ``indices`` (those the report shows)."""
    out: dict[int, Explanation] = {}
    for index in sorted(indices):
        event = events[index]
        point = Point(
            name=event.name,
            tags=dict(event.tags),
            fields=dict(event.fields),
            time=event.time,
            group_id=event.group,
        )
        out[index] = Explanation(
            format_point(point), event.time, _lambda_values(rule, point), rule.probe_note
        )
    return out


def explain_missing(
    rule: RuleUnderTest, case: RuleCase, points: Sequence[Point], sections: Sequence[Section]
) -> dict[int, list[Explanation]]:
    out: dict[int, list[Explanation]] = {}
    for section in sections:
        if section.kind != "alerts":
            continue
        for pairing in section.pairings:
            expected = pairing.expected
            if (
                expected is None
                or pairing.actual_index is not None
                or "time" not in expected.values
            ):
                continue
            want_tags = expected.values.get("tags")
            found = [
                p
                for p in points
                if p.time == expected.values["time"]
                and (
                    not isinstance(want_tags, dict)
                    or all(p.tags.get(k) == v for k, v in want_tags.items())
                )
            ]
            explanations = []
            for point in found[:5]:
                if rule.alert_sees_input:
                    explanations.append(
                        Explanation(format_point(point), point.time, _lambda_values(rule, point))
                    )
                else:
                    note = (
                        "the alert node sees the output of "
                        + rule.upstream_label
                        + ", not input points"
                    )
                    explanations.append(Explanation(format_point(point), point.time, note=note))
            if explanations:
                out[expected.line] = explanations
    return out


def _lambda_values(rule: RuleUnderTest, point: Point) -> list[LambdaValue]:
    values = []
    for probe in rule.probes:
        values.append(LambdaValue(probe.label, probe.source, probe.value_on(point)))
    return values


def format_point(point: Point) -> str:
    """The point as a line of line protocol (for reports): fields sorted by key."""
    return lp_format.format_point(point, sort_fields=True)
