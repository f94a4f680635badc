"""The built wheel works on its own: installed into a fresh virtual environment, ``tickmini
check`` finds the grammar inside the package (not in a source checkout) and accepts the samples.

The wheel is built with ``pip wheel`` (without build isolation when hatchling is importable,
else with it, which needs the package index). Runtime dependencies (lark, google-re2) are taken
from the running environment through a ``.pth`` file, so no network is needed to install.
Skipped only when a wheel or a virtual environment cannot be made here at all.
"""

from __future__ import annotations

import importlib.util
import os
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.tick"))


def _build_wheel(out: Path) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", str(out), "-q"]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    wheels = sorted(out.glob("tickmini-*.whl"))
    if result.returncode != 0 or not wheels:
        pytest.skip(f"cannot build the wheel here: {result.stderr.strip()[-500:]}")
    return wheels[0]


def _fresh_venv(where: Path) -> Path:
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(where)
    except (OSError, subprocess.CalledProcessError) as err:
        pytest.skip(f"cannot create a virtual environment: {err}")
    python = where / ("Scripts" if os.name == "nt" else "bin") / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Dependencies come from the running environment, after the venv's own packages.
    ours = {
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
        *site.getsitepackages(),
    }
    (Path(purelib) / "zz_running_env.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python


def test_wheel_ships_the_grammar_and_checks_the_samples(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "tickmini/grammars/tickscript.lark" in names
    assert "tickmini/syntax/parser.py" in names

    python = _fresh_venv(tmp_path / "venv")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        timeout=300,
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": ""}
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import tickmini, importlib.resources as r; print(tickmini.__file__); "
            "print((r.files('tickmini') / 'grammars' / 'tickscript.lark').is_file())",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    ).stdout.split("\n")
    assert Path(where[0]).resolve().is_relative_to((tmp_path / "venv").resolve())
    assert where[1] == "True"

    tickmini = python.parent / "tickmini"
    for _ in range(2):  # a cold start (builds the Lark cache), then a warm one
        result = subprocess.run(
            [str(tickmini), "check", *map(str, SAMPLES)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.count(": ok") == len(SAMPLES)

    broken = tmp_path / "broken.tick"
    broken.write_text("stream\n    |from(\n")
    result = subprocess.run(
        [str(tickmini), "check", str(broken)], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert result.returncode == 1
    assert f"{broken}:3:1: error: unexpected end of script" in result.stderr
