"""Inputs: files, gzip, stdin, streams, several inputs in order, and Kapacitor .srpl recordings."""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import pytest

from tickmini.errors import LineProtocolError
from tickmini.io import read_inputs, read_points, sources

LINES = "cpu,host=a v=1 1\ncpu,host=b v=2 2\n"


def summary(reader) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(p.name, p.tags, p.fields, p.time, p.database, p.retention_policy) for p in reader]


def test_plain_file_and_gzip_file_read_the_same(tmp_path: Path) -> None:
    plain = tmp_path / "data.lp"
    plain.write_text(LINES)
    packed = tmp_path / "data.lp.gz"
    packed.write_bytes(gzip.compress(LINES.encode()))
    sneaky = tmp_path / "gzip-without-suffix.lp"
    sneaky.write_bytes(gzip.compress(LINES.encode()))
    expected = summary(read_points(plain, dbrp="db.rp"))
    assert len(expected) == 2 and expected[0][4:] == ("db", "rp")
    assert summary(read_points(str(packed), dbrp="db.rp")) == expected
    assert summary(read_points(sneaky, dbrp="db.rp")) == expected


def test_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.lp.gz"
    path.write_bytes(gzip.compress(b"cpu v=1 1\ncpu v=oops 2\n"))
    reader = read_points(path)
    assert len(list(reader)) == 1
    assert reader.errors[0].render().startswith(f"{path}:2:7: error: invalid boolean")


def test_stdin_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"cpu v=1 1\r\ncpu v=2 2\r\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    reader = read_points("-")
    assert [p.fields["v"] for p in reader] == [1.0, 2.0]
    assert not fake.closed  # stdin is not closed by the reader


def test_gzip_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(gzip.compress(LINES.encode())), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    assert len(list(read_points("-"))) == 2


def test_text_and_binary_streams() -> None:
    assert len(list(read_points(io.StringIO(LINES)))) == 2
    assert len(list(read_points(io.BytesIO(LINES.encode())))) == 2
    assert len(list(read_points(io.BytesIO(gzip.compress(LINES.encode()))))) == 2


def test_no_trailing_newline_and_blocks_larger_than_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "BLOCK_CHARS", 64)  # lines straddle many reads
    text = "".join(f"cpu,host=h{i} v={i} {i}\n" for i in range(200)) + 'cpu s="a\nb" 999'
    path = tmp_path / "x.lp"
    path.write_text(text)
    reader = read_points(path)
    got = list(reader)
    assert [p.time for p in got] == [*range(200), 999]
    assert got[-1].fields == {"s": "a\nb"}
    assert reader.stats.lines == 202


def test_a_line_too_long_is_rejected_without_buffering_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "BLOCK_CHARS", 1000)
    monkeypatch.setattr(sources, "MAX_LINE_CHARS", 5000)
    path = tmp_path / "long.lp"
    path.write_text('cpu v=1 1\ncpu s="' + "x" * 20000 + '" 2\ncpu v=3 3\n')
    reader = read_points(path)
    assert [p.time for p in reader] == [1, 3]
    assert [(e.line, e.message) for e in reader.errors] == [(2, "line too long")]


def test_several_inputs_in_order_with_shared_stats(tmp_path: Path) -> None:
    first = tmp_path / "a.lp"
    first.write_text("cpu v=1 1\nbad\n")
    second = tmp_path / "b.lp.gz"
    second.write_bytes(gzip.compress(b"cpu v=2 2\n"))
    recording = tmp_path / "c.srpl"
    recording.write_text("mydb\nmyrp\ncpu v=3 3\n")
    reader = read_inputs([first, second, recording], dbrp="db.rp")
    assert [(p.time, p.database, p.retention_policy) for p in reader] == [
        (1, "db", "rp"),
        (2, "db", "rp"),
        (3, "mydb", "myrp"),
    ]
    assert (reader.stats.points, reader.stats.lines, reader.stats.rejected) == (3, 6, 1)
    assert reader.errors[0].file == str(first)


def test_missing_file_is_reported_or_raised(tmp_path: Path) -> None:
    good = tmp_path / "good.lp"
    good.write_text("cpu v=1 1\n")
    missing = tmp_path / "missing.lp"
    reader = read_inputs([missing, good])
    assert len(list(reader)) == 1
    (err,) = reader.errors
    assert err.file == str(missing) and err.message.startswith("cannot open input")
    with pytest.raises(LineProtocolError):
        list(read_inputs([missing, good], strict=True))


def test_corrupt_gzip_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "cut.lp.gz"
    path.write_bytes(gzip.compress(LINES.encode() * 50)[:-20])
    reader = read_points(path)
    list(reader)
    assert reader.stats.rejected == 1
    assert reader.errors[0].message.startswith("cannot read input")


# -- .srpl -----------------------------------------------------------------------------------


SRPL = "dbname\nrpname\ncpu,type=idle,host=serverA value=97.1 0000000001\nother\nautogen\nmem free=5i 2\n"


def test_srpl_points_keep_their_database_and_retention_policy(tmp_path: Path) -> None:
    path = tmp_path / "TestStream.srpl"
    path.write_text(SRPL)
    got = summary(read_points(path, precision="s", dbrp="ignored.rp"))
    assert got == [
        (
            "cpu",
            {"host": "serverA", "type": "idle"},
            {"value": 97.1},
            1_000_000_000,
            "dbname",
            "rpname",
        ),
        ("mem", {}, {"free": 5}, 2_000_000_000, "other", "autogen"),
    ]


def test_srpl_gzip_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "rec.srpl.gz"
    path.write_bytes(gzip.compress(SRPL.replace("\n", "\r\n").encode()))
    got = summary(read_points(path, precision="s"))
    assert [(g[4], g[5]) for g in got] == [("dbname", "rpname"), ("other", "autogen")]


def test_srpl_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.srpl"
    path.write_text("db\nrp\ncpu v=1\ndb\nrp\ncpu v=x 2\ndb\nrp\ncpu v=3 3\ndb\n")
    reader = read_points(path)
    assert [p.time for p in reader] == [3]
    assert [(e.line, e.message) for e in reader.errors] == [
        (3, "missing timestamp"),
        (6, "invalid boolean"),
        (10, "invalid replay file format, expected another line"),
    ]


def test_an_unclosed_string_is_cut_off_at_the_logical_line_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tickmini.io import lineprotocol

    monkeypatch.setattr(lineprotocol, "MAX_LOGICAL_LINE", 100)
    text = 'cpu s="never closed\n' + "".join(f"cpu v={i} {i}\n" for i in range(40))
    reader = read_points(io.StringIO(text))
    got = list(reader)
    (err,) = reader.errors
    assert (err.line, err.message) == (1, "unbalanced quotes")
    assert got and all(p.fields["v"] == p.time for p in got)  # lines after the cut are read
    assert reader.stats.lines == 41


def test_stdin_points_arrive_while_the_writer_is_still_writing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os
    import threading

    read_fd, write_fd = os.pipe()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(os.fdopen(read_fd, "rb")))
    writer = os.fdopen(write_fd, "wb")
    writer.write(b"cpu v=1 1\n")
    writer.flush()
    reader = read_points("-")
    first = next(reader)  # would block forever if the reader waited for a full block
    assert first.fields == {"v": 1.0}
    closer = threading.Timer(0.05, lambda: (writer.write(b"cpu v=2 2\n"), writer.close()))
    closer.start()
    assert [p.time for p in reader] == [2]
    closer.join()


def test_a_stream_named_like_a_recording_is_read_as_srpl() -> None:
    stream = io.BytesIO(SRPL.encode())
    stream.name = "wrapped.srpl"  # type: ignore[attr-defined]
    got = summary(read_points(stream, precision="s"))
    assert [(g[4], g[5]) for g in got] == [("dbname", "rpname"), ("other", "autogen")]
