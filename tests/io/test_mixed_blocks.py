"""Blocks mixing measurements (a Telegraf batch) are read one measurement at a time by the block
parser, with the points put back in line order; lines of a part it does not answer are read one
by one. Whatever the path, points, errors (with their FILE:LINE:COL, in line order) and counts are
those of reading every line on its own."""

from __future__ import annotations

import io

import pytest

from tickmini.errors import LineProtocolError
from tickmini.io import read_points, sources
from tickmini.io.lineprotocol import PointReader

T = 1_700_000_000_000_000_000
BATCH = [
    f"cpu,cpu=cpu-total,host=a usage_idle=91.5,usage_user=3.25 {T}",
    f"cpu,cpu=cpu0,host=a usage_idle=88.125,usage_user=7.5 {T}",
    f"mem,host=a used=5i,free=11i,used_percent=31.25 {T}",
    f"disk,device=sda1,host=a free=100i,used_percent=9.5 {T}",
    f"system,host=a load1=0.5,n_cpus=2i {T}",
    f"cpu,cpu=cpu1,host=a usage_idle=85.0,usage_user=9.0 {T}",
]
ODD = [
    f"net,host=a bytes_recv=1i {T}",
    "net,host=a bytes_sent=oops 5",  # a bad line
    "# a comment",
    f"net,host=a bytes_recv=2i {T + 1}",
    f"net,host=a err_in=0i {T + 2}",  # another field set: the part is read line by line
]


def read(text: str, *, one_line_blocks: bool, strict: bool = False):
    """Points (as tuples), rendered errors and counts; one-line blocks take the line path."""
    with pytest.MonkeyPatch.context() as patch:
        if one_line_blocks:
            patch.setattr(sources, "BLOCK_CHARS", 1)
        reader = read_points(io.StringIO(text), dbrp="db.rp", strict=strict)
        points = []
        error = None
        try:
            for point in reader:
                points.append((point.name, point.tags, point.fields, point.time))
        except LineProtocolError as err:
            error = err.render()
    stats = reader.stats
    return points, [e.render() for e in stats.errors], stats.points, stats.lines, error


@pytest.mark.parametrize("odd_at", [0, 3, 6])
def test_a_mixed_block_reads_as_every_line_alone(odd_at: int, monkeypatch) -> None:
    lines = BATCH[:odd_at] + ODD + BATCH[odd_at:]
    text = "".join(line + "\n" for line in lines * 3)
    answered = []
    original = PointReader._by_measurement

    def spy(self, *args):
        result = original(self, *args)
        answered.append(result is not None)
        return result

    monkeypatch.setattr(PointReader, "_by_measurement", spy)
    mixed = read(text, one_line_blocks=False)
    monkeypatch.setattr(PointReader, "_by_measurement", original)
    alone = read(text, one_line_blocks=True)
    assert answered == [True]  # the whole input is one block, read by measurement
    assert mixed == alone
    points, errors, count, lines_read, _ = mixed
    assert count == len(points) == 3 * (len(BATCH) + 3) and lines_read == 3 * len(lines)
    assert [e.split(":")[1] for e in errors] == [
        str(odd_at + 2 + k * len(lines)) for k in range(3)
    ]  # in line order, at their lines


def test_strict_reads_a_mixed_block_with_a_bad_line_line_by_line() -> None:
    text = "".join(line + "\n" for line in BATCH + ODD + BATCH)
    mixed = read(text, one_line_blocks=False, strict=True)
    alone = read(text, one_line_blocks=True, strict=True)
    assert mixed == alone
    points, _, _, _, error = mixed
    assert error is not None and ":8:" in error
    assert len(points) == len(BATCH) + 1  # the points before the bad line went through


def test_a_clean_mixed_batch_is_answered_in_line_order() -> None:
    text = "".join(line + "\n" for line in BATCH * 40)
    mixed = read(text, one_line_blocks=False)
    assert mixed == read(text, one_line_blocks=True)
    assert [p[0] for p in mixed[0][:6]] == ["cpu", "cpu", "mem", "disk", "system", "cpu"]
