"""Review finding (fixed): a mixed-measurement block with a bad line reports the error before the
block's earlier points reach the consumer (PointReader._by_measurement parses the whole block
first). Reading each line alone, and the reader before 32f5469, interleave them in line order,
so `tickmini run` with a |log() node now prints a rejected line's error above the log lines of
the points that precede it in the input."""

from __future__ import annotations

import io

from tickmini.io.lineprotocol import read_points

TEXT = "cpu v=1 1\nmem v=2 2\ncpu v=bad 3\ncpu v=4 4\nmem v=5 5\n"


def _events(text: str) -> list[str]:
    events: list[str] = []
    reader = read_points(
        io.StringIO(text), on_error=lambda err: events.append(f"error line {err.line}")
    )
    for point in reader:
        events.append(f"point {point.name} {point.time}")
    return events


def test_single_measurement_block_interleaves_errors_with_points() -> None:
    # The control: one measurement, the block goes line by line, errors arrive in place.
    text = "cpu v=1 1\ncpu v=2 2\ncpu v=bad 3\ncpu v=4 4\n"
    assert _events(text) == ["point cpu 1", "point cpu 2", "error line 3", "point cpu 4"]


def test_mixed_block_interleaves_errors_with_points() -> None:
    assert _events(TEXT) == [
        "point cpu 1",
        "point mem 2",
        "error line 3",
        "point cpu 4",
        "point mem 5",
    ]
