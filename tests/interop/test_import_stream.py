"""Streaming imports: any length, atomic batches, and a re-run that adds only what is missing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from benchmarks import data
from timeline.errors import InteropError, LimitExceededError, UnsupportedFormatError
from timeline.interop import export_records, import_stream
from timeline.log import open_log
from timeline.serialization import dump_jsonl
from timeline.stores.base import MAX_BATCH_EVENTS


def jsonl(count: int) -> bytes:
    text = io.StringIO()
    dump_jsonl(data.events(count), text)
    return text.getvalue().encode()


def test_a_file_longer_than_a_batch_is_imported_whole(tmp_path: Path) -> None:
    """More events than the store's batch limit are imported, in batches, in file order."""
    document = jsonl(MAX_BATCH_EVENTS + 7)
    seen: list[tuple[int, int]] = []
    with open_log(f"sqlite:///{tmp_path / 'x.db'}") as log:
        done = import_stream(
            log, io.BytesIO(document), "jsonl", progress=lambda n, b: seen.append((n, b))
        )
        assert (done.read, done.added, done.already_there) == (MAX_BATCH_EVENTS + 7, 10_007, 0)
        assert [r.event.id for r in log.read(after=MAX_BATCH_EVENTS)] == [
            f"e-{i}" for i in range(MAX_BATCH_EVENTS, MAX_BATCH_EVENTS + 7)
        ]
        assert log.verify() == MAX_BATCH_EVENTS + 7
    assert seen[-1] == (MAX_BATCH_EVENTS + 7, len(document))
    assert seen == sorted(seen)


def test_a_rerun_after_a_bad_line_adds_only_what_is_missing() -> None:
    """Batches before a bad line are kept; the fixed file's re-run adds only the rest."""
    lines = jsonl(25).splitlines(keepends=True)
    broken = b"".join([*lines[:12], b"{oops\n", *lines[12:]])
    log = open_log()
    with pytest.raises(InteropError, match="line 13"):
        import_stream(log, io.BytesIO(broken), "jsonl", batch=5)
    assert len(log) == 10  # two whole batches; the third failed whole
    done = import_stream(log, io.BytesIO(b"".join(lines)), "jsonl", batch=5)
    assert (done.read, done.added, done.already_there) == (25, 15, 10)
    assert [r.event.id for r in log.read()] == [f"e-{i}" for i in range(25)]
    again = import_stream(log, io.BytesIO(b"".join(lines)), "jsonl", batch=5)
    assert (again.added, len(log)) == (0, 25)


def test_cloudevents_are_imported_in_batches() -> None:
    """A CloudEvents document is parsed whole and appended in batches."""
    source = open_log()
    source.append(*data.events(30))
    text = io.StringIO()
    export_records(source.read(), text, "cloudevents")
    log = open_log()
    done = import_stream(log, io.BytesIO(text.getvalue().encode()), "cloudevents", batch=7)
    assert (done.read, done.added) == (30, 30)
    assert [r.event.id for r in log.read()] == [r.event.id for r in source.read()]


def test_export_only_and_unknown_formats_are_refused() -> None:
    """TimelineJS and unknown formats raise UnsupportedFormatError and store nothing."""
    log = open_log()
    for fmt in ("timelinejs", "xml"):
        with pytest.raises(UnsupportedFormatError):
            import_stream(log, io.BytesIO(jsonl(3)), fmt)
    assert len(log) == 0


def test_a_batch_over_the_store_limit_is_refused() -> None:
    """The store's batch limit stays a protection: a bigger `batch` raises and stores nothing."""
    log = open_log()
    with pytest.raises(LimitExceededError):
        import_stream(log, io.BytesIO(jsonl(MAX_BATCH_EVENTS + 1)), "jsonl", batch=20_000)
    assert len(log) == 0


def test_a_leading_byte_order_mark_is_skipped_when_streaming() -> None:
    """A streamed JSON Lines file that starts with a byte order mark imports like one without."""
    log = open_log()
    done = import_stream(log, io.BytesIO(b"\xef\xbb\xbf" + jsonl(7)), "jsonl", batch=3)
    assert (done.read, done.added) == (7, 7)
    assert [r.event.id for r in log.read()] == [f"e-{i}" for i in range(7)]
