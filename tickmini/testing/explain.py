"""Why did the alert node do that? Its observations of the case, made readable.

The harness observes every alert node while a case runs (``Task.observe_alerts``), so an
explanation shows the point or batch the node handled, each level and reset lambda with the
result it actually gave (stateful functions included), the level transition and why no event
was sent when none was. An expected event that never came is explained by what the alert nodes
did with the points and batches at its time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tickmini.alerting.event import AlertEvent
from tickmini.errors import EvaluationError
from tickmini.io import lp_format
from tickmini.runtime.alert import AlertObservation, LambdaResult
from tickmini.testing.harness import LEVEL_PROPERTIES, RuleUnderTest
from tickmini.testing.results import Explanation, LambdaValue, Section
from tickmini.values import Batch, Point

MAX_SHOWN = 5  # observations per missing event, points per batch


def explain_events(
    rule: RuleUnderTest,
    events: Sequence[AlertEvent],
    observations: Sequence[AlertObservation],
    indices: Iterable[int],
) -> dict[int, Explanation]:
    """Explanations of the events at ``indices`` (those the report shows)."""
    sent_by = {id(o.event): o for o in observations if o.sent and o.event is not None}
    out: dict[int, Explanation] = {}
    for index in sorted(indices):
        observation = sent_by.get(id(events[index]))
        if observation is not None:
            out[index] = explain_observation(rule, observation)
    return out


def explain_missing(
    rule: RuleUnderTest,
    points: Sequence[Point],
    observations: Sequence[AlertObservation],
    sections: Sequence[Section],
) -> dict[int, list[Explanation]]:
    """For each expected event that did not happen (by its line): what the alert nodes did at
    its time, else the input points of that time (which then never reached an alert node)."""
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
            when = expected.values["time"]
            tags = expected.values.get("tags")
            wanted = tags if isinstance(tags, dict) else {}
            seen = [
                o
                for o in observations
                if _has_time(o.item, when) and _has_tags(o.item.tags, wanted)
            ]
            if seen:
                out[expected.line] = [explain_observation(rule, o) for o in seen[:MAX_SHOWN]]
                continue
            inputs = [p for p in points if p.time == when and _has_tags(p.tags, wanted)]
            note = "no alert node handled a point or batch at this time"
            explanations = [Explanation(format_point(p), p.time, note=note) for p in inputs]
            if explanations:
                out[expected.line] = explanations[:MAX_SHOWN]
    return out


def explain_observation(rule: RuleUnderTest, observation: AlertObservation) -> Explanation:
    """One observation as the report shows it."""
    item = observation.item
    is_batch = isinstance(item, Batch)
    if is_batch:
        index_of = {id(p): i for i, p in enumerate(item.points)}
        shown = [format_point(p) for p in item.points[:MAX_SHOWN]]
        if len(item.points) > MAX_SHOWN:
            shown.append(f"... and {len(item.points) - MAX_SHOWN} more points")
        text = "\n".join(shown) if shown else "(no points)"
    else:
        index_of = {}
        text = format_point(item)
    lambdas = [
        _lambda_value(rule, observation.node, result, index_of)
        for result in observation.evaluations
    ]
    outcome = "sent" if observation.sent else f"not sent: {observation.reason}"
    return Explanation(
        text,
        item.time,
        lambdas,
        node=observation.node,
        group=observation.group,
        transition=f"{observation.previous_level.name} -> {observation.level.name}",
        outcome=outcome,
        batch=is_batch,
    )


def _lambda_value(
    rule: RuleUnderTest, node: str, result: LambdaResult, index_of: dict[int, int]
) -> LambdaValue:
    label = LEVEL_PROPERTIES[result.level] + ("Reset" if result.reset else "")
    source = rule.lambda_sources.get((node, result.level, result.reset), "lambda")
    if isinstance(result.result, EvaluationError):
        value = f"error: {result.result.message}"
    else:
        value = "true" if result.result else "false"
    index = index_of.get(id(result.point))
    on = f"point {index + 1}" if index is not None else ""
    return LambdaValue(label, source, value, on)


def _has_time(item: Point | Batch, when: object) -> bool:
    if item.time == when:
        return True
    return isinstance(item, Batch) and any(p.time == when for p in item.points)


def _has_tags(tags: dict[str, str], wanted: dict[str, object]) -> bool:
    return all(tags.get(k) == v for k, v in wanted.items())


def format_point(point: Point) -> str:
    """The point as a line of line protocol (for reports): fields sorted by key."""
    return lp_format.format_point(point, sort_fields=True)
