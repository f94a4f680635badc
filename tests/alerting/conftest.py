"""Fixtures for the alerting tests: events, services, and (temporarily) an alert encoder."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tickmini.alerting.delivery import RetryPolicy
from tickmini.alerting.event import AlertEvent, Level, Row
from tickmini.alerting.services import Services
from tickmini.config import KapacitorConfig, VictorOpsConfig

CONFORMANCE = Path(__file__).parent.parent / "conformance" / "alerting"

# Tiny timeouts and backoffs: tests exercise retries without waiting.
FAST_POLICY = RetryPolicy(
    connect_timeout=0.5,
    read_timeout=0.3,
    initial_backoff=0.001,
    max_backoff=0.005,
    max_elapsed=2.0,
    max_attempts=6,
)


def make_event(
    id: str = "kapacitor/cpu/serverA",
    message: str = "kapacitor/cpu/serverA is CRITICAL",
    level: Level = Level.CRITICAL,
    time: int = 31536010_000_000_000,
    series: list[Row] | None = None,
    **kw: object,
) -> AlertEvent:
    if series is None:
        series = [Row("cpu", {"host": "serverA"}, ["time", "count"], [[time, 10]])]
    values = dict(
        id=id,
        message=message,
        details="",
        time=time,
        duration=0,
        level=level,
        name="cpu",
        task_name="task",
        group="host=serverA",
        tags={"host": "serverA"},
        fields={"count": 10},
        series=series,
    )
    values.update(kw)
    return AlertEvent(**values)  # type: ignore[arg-type]


@pytest.fixture
def event_factory() -> Callable[..., AlertEvent]:
    return make_event


def victorops_config(url: str, **kw: object) -> KapacitorConfig:
    settings: dict[str, object] = dict(
        enabled=True, url=url, api_key="api_key", routing_key="routing_key"
    )
    settings.update(kw)
    return KapacitorConfig(victorops=VictorOpsConfig(**settings))  # type: ignore[arg-type]


@pytest.fixture
def make_services(tmp_path: Path) -> Iterator[Callable[..., Services]]:
    """Services that send, with a dead letter in ``tmp_path`` and captured stderr."""
    created: list[Services] = []

    def factory(config: KapacitorConfig, **kw: object) -> Services:
        options: dict[str, object] = dict(
            send=True,
            dead_letter=tmp_path / "dead.jsonl",
            policy=FAST_POLICY,
            stderr=io.StringIO(),
            stdout=io.StringIO(),
        )
        options.update(kw)
        services = Services.create(config, **options)  # type: ignore[arg-type]
        created.append(services)
        return services

    yield factory
    for services in created:
        services.close()
