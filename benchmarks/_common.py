"""What every benchmark reports besides its own numbers, written once: the machine it ran on,
the peak RSS of this process, and a wall + CPU stopwatch.

Benchmarks run as ``python benchmarks/x.py``, so this folder is on ``sys.path`` and
``from _common import ...`` works from each of them.
"""

from __future__ import annotations

import os
import platform
import resource
import time
from types import TracebackType


def cpu_model() -> str:
    """The CPU model name from ``/proc/cpuinfo`` (else what ``platform`` knows)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine() -> str:
    """``AMD EPYC (2 cpus), python 3.11.9``: what a reader needs to compare numbers."""
    return f"{cpu_model()} ({os.cpu_count()} cpus), python {platform.python_version()}"


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Stopwatch:
    """Wall (``perf_counter``) and CPU (``process_time``) seconds of a ``with`` block.

    CPU time is the steadier figure on a shared machine; wall time includes waiting.
    """

    wall: float = 0.0
    cpu: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._wall_start = time.perf_counter()
        self._cpu_start = time.process_time()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.wall = time.perf_counter() - self._wall_start
        self.cpu = time.process_time() - self._cpu_start
