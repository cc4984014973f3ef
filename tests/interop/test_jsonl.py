"""JSON Lines export and import: lossless, ordered, atomic, with line numbers in errors."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from timeline.events import Event
from timeline.interop import InteropError, export_records, import_text, read_events
from timeline.interop.jsonl import read_jsonl, write_jsonl
from timeline.log import EventLog, open_log
from timeline.testing.strategies import event_logs

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _export(log: EventLog) -> str:
    stream = io.StringIO()
    export_records(log.read(), stream, "jsonl")
    return stream.getvalue()


@FAST
@given(event_logs())
def test_write_then_read_gives_the_same_events(events: list[Event]) -> None:
    """Events written as JSON Lines read back equal, in the same order."""
    stream = io.StringIO()
    assert write_jsonl(events, stream) == len(events)
    assert read_jsonl(io.StringIO(stream.getvalue())) == events


@FAST
@given(event_logs())
def test_export_then_import_gives_an_identical_log(events: list[Event]) -> None:
    """A log exported and imported into an empty timeline holds the same events in order."""
    with open_log() as source, open_log() as target:
        if events:
            source.append(*events)
        import_text(target, _export(source), "jsonl")
        assert [r.event for r in target.read()] == [r.event for r in source.read()]
        assert [r.event_id for r in target.read()] == [r.event_id for r in source.read()]
        assert [r.payload for r in target.read()] == [r.payload for r in source.read()]


def test_dataset_round_trips_through_a_log(dataset_log: EventLog, dataset: list[Event]) -> None:
    """The dataset exported from a log is the dataset file, event for event."""
    assert read_events(_export(dataset_log), "jsonl") == dataset


def test_importing_twice_stores_nothing_new(dataset_log: EventLog) -> None:
    """Re-importing an export into the log it came from leaves the log unchanged."""
    before = len(dataset_log)
    import_text(dataset_log, _export(dataset_log), "jsonl")
    assert len(dataset_log) == before


def test_a_bad_line_names_its_number_and_imports_nothing(dataset_log: EventLog) -> None:
    """A malformed third line fails the import with its line number; the log is unchanged."""
    lines = _export(dataset_log).splitlines()
    text = "\n".join([*lines[:2], '{"type": "strike_reported", "v": 1}', *lines[2:]])
    with open_log() as target:
        with pytest.raises(InteropError, match=r"^jsonl line 3: ") as info:
            import_text(target, text, "jsonl")
        assert info.value.index == 3
        assert len(target) == 0


def test_malformed_json_is_an_interop_error() -> None:
    """A line that is not JSON raises InteropError, not a decoder exception."""
    with pytest.raises(InteropError, match="line 1"):
        read_jsonl(["{not json\n"])


def _dataset_bytes() -> bytes:
    from ..examples._paths import DATASET  # noqa: PLC0415

    return DATASET.read_bytes()


@pytest.mark.parametrize("mode", ["text file", "binary file", "list of bytes", "list of str"])
def test_a_leading_byte_order_mark_is_skipped(mode: str, tmp_path: Path) -> None:
    """A file that starts with a UTF-8 byte order mark reads like one without it."""
    data = _dataset_bytes()
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + data)
    with path.open("rb") as binary, path.open(encoding="utf-8") as text:
        source: Any = {
            "text file": text,
            "binary file": binary,
            "list of bytes": path.read_bytes().split(b"\n"),
            "list of str": path.read_text(encoding="utf-8").split("\n"),
        }[mode]
        assert read_jsonl(source) == read_jsonl(data.split(b"\n"))


@pytest.mark.parametrize("mode", ["text file", "binary file", "list of bytes"])
def test_invalid_utf8_names_its_line_in_every_read_mode(mode: str, tmp_path: Path) -> None:
    """Bytes that are not UTF-8 on line 3 are reported as line 3, however the file is read."""
    lines = _dataset_bytes().split(b"\n")
    lines[2] = lines[2][:10] + b"\xff\xfe" + lines[2][10:]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(lines))
    with path.open("rb") as binary, path.open(encoding="utf-8") as text:
        source: Any = {"text file": text, "binary file": binary, "list of bytes": lines}[mode]
        with pytest.raises(InteropError, match=r"^jsonl line 3: ") as info:
            read_jsonl(source)
    assert info.value.index == 3
