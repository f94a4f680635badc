"""Fixtures and helpers of the workflow tests (not a conftest.py: test folders here import
``conftest`` by name, so a second one would shadow theirs). Test modules bind the fixtures
with ``seed_dir = helpers.seed_dir``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tickmini.cli.main import main

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
VICTOROPS_PATH = "/integrations/generic/20131114/alert"
SEED_FILES = ("cpu_alert.tick", "victorops_cpu_handler.yaml", "cpu.lp", "kapacitor.conf")


def conf_for(directory: Path, url: str) -> Path:
    """The seed's kapacitor.conf with ``[victorops] url`` pointed at ``url``."""
    text = (SAMPLES / "kapacitor.conf").read_text(encoding="utf-8")
    default = "https://alert.victorops.com/integrations/generic/20131114/alert"
    assert default in text
    path = directory / "kapacitor.conf"
    path.write_text(text.replace(default, url), encoding="utf-8")
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def seed_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path`` holding ``samples/`` (the seed's files) and a fresh ``TICKMINI_HOME``;
    the working directory, so the seed's relative paths work verbatim."""
    (tmp_path / "samples").mkdir()
    for name in SEED_FILES:
        shutil.copy(SAMPLES / name, tmp_path / "samples" / name)
    monkeypatch.setenv("TICKMINI_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def tickmini(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``tickmini ARGS...`` in-process; the command line is split on spaces."""

    def run(command: str, *extra: str) -> Result:
        args = command.split()
        assert args[0] == "tickmini"
        code = main([*args[1:], *extra])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run
