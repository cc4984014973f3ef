"""How an import reads its file: the spooled single mapping of GDELT Events, the caches.

GDELT Events rows are mapped and encoded once, kept in a temporary spool, and appended from
there; the other formats map their rows again in the writing pass. Both must store exactly
what mapping each row and appending its events stores, in batches smaller than the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline import caches
from timeline.importers import base, import_file
from timeline.importers.gdelt import EventsMapper
from timeline.log import EventLog

DATA = Path(__file__).parent / "data"


@pytest.fixture
def caches_on() -> Iterator[None]:
    """Run a test of the caches with the caches on, even in the caches-off run."""
    was = caches.enabled()
    caches.enable()
    yield
    if not was:
        caches.disable()


def _many_rows(tmp_path: Path, copies: int, *, bad_line: int | None = None) -> Path:
    """Return the fixture's rows repeated with new event ids, one row spoilt if asked."""
    rows = (DATA / "gdelt_events.tsv").read_text().splitlines()
    lines = []
    for copy in range(copies):
        for row in rows:
            fields = row.split("\t")
            fields[0] = str(700_000_000 + len(lines))
            fields[60] = f"{fields[60]}?copy={copy}"
            lines.append("\t".join(fields))
    if bad_line is not None:
        fields = lines[bad_line - 1].split("\t")
        fields[30] = "11"  # GoldsteinScale out of range
        lines[bad_line - 1] = "\t".join(fields)
    path = tmp_path / "events.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _stored(log: EventLog) -> list[tuple[Any, ...]]:
    return [(r.position, r.event_id, r.type, r.schema_version, r.payload) for r in log.read()]


def _reference(path: Path, skip: set[int]) -> list[tuple[Any, ...]]:
    """Map each row and append its events one row at a time: the obvious import."""
    log = timeline.open("memory://")
    mapper = EventsMapper()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if number not in skip:
            log.append(*mapper.map(number, line.split("\t")))
    return _stored(log)


@pytest.mark.parametrize("bad_line", [None, 9])
def test_the_spooled_import_stores_what_the_obvious_import_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad_line: int | None
) -> None:
    """Over several spool chunks and batches, with and without a skipped row."""
    monkeypatch.setattr(base, "BATCH", 4)
    path = _many_rows(tmp_path, 5, bad_line=bad_line)
    log = timeline.open(f"sqlite:///{tmp_path / 'store.db'}")
    tracked: list[int] = []

    def track(items: Any, total: int) -> Any:
        tracked.append(total)
        for item in items:
            tracked.append(-1)
            yield item

    summary = import_file(log, path, "gdelt-events", skip_bad=True, track=track)
    skipped = {bad_line} if bad_line else set()
    assert [b.line for b in summary.bad] == sorted(skipped)
    assert (summary.rows, summary.events, summary.added) == (35, 35 - len(skipped), len(log))
    # The bar follows the checking pass (the file's lines), then the writing pass.
    good = 35 - len(skipped)
    assert tracked == [35] + [-1] * 35 + [good] + [-1] * good
    assert _stored(log) == _reference(path, skipped)
    again = import_file(log, path, "gdelt-events", skip_bad=True)
    assert (again.added, again.already_there) == (0, 35 - len(skipped))
    assert log.verify() == len(log)


def test_a_bad_row_after_many_stops_the_spooled_import_before_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spool holds the checked rows; a bad row at the end still leaves the log as it was."""
    monkeypatch.setattr(base, "BATCH", 4)
    path = _many_rows(tmp_path, 5, bad_line=35)
    log = timeline.open("memory://")
    with pytest.raises(timeline.errors.BadRowError, match="line 35: column GoldsteinScale"):
        import_file(log, path, "gdelt-events")
    assert len(log) == 0


@pytest.mark.usefixtures("caches_on")
def test_the_caches_change_no_imported_byte(tmp_path: Path) -> None:
    """Rows that share dates, codes, actors and places store what they store uncached."""
    path = _many_rows(tmp_path, 3)
    cached = timeline.open("memory://")
    import_file(cached, path, "gdelt-events")
    with caches.disabled():
        uncached = timeline.open("memory://")
        import_file(uncached, path, "gdelt-events")
    assert _stored(cached) == _stored(uncached)


@pytest.mark.usefixtures("caches_on")
def test_rows_with_huge_fields_do_not_pin_memory_in_the_shared_parts(tmp_path: Path) -> None:
    """Each shared part counts its raw text against the cache's byte bound."""
    rows = (DATA / "gdelt_events.tsv").read_text().splitlines()
    fields = rows[0].split("\t")
    lines = []
    for n in range(120):
        fields[0] = str(800_000_000 + n)
        fields[6] = f"{n} " + "x" * 150_000  # Actor1Name, a different one in each row
        lines.append("\t".join(fields))
    path = tmp_path / "huge.tsv"
    path.write_text("\n".join(lines) + "\n")
    summary = import_file(timeline.open("memory://"), path, "gdelt-events")
    assert summary.added == 120
    (info,) = [i for i in caches.stats() if i.name == "gdelt row parts"]
    assert info.max_bytes is not None
    assert 3 * 150_000 <= info.bytes <= info.max_bytes


def test_a_temporary_folder_that_fails_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a usable temporary folder the import stops with FileAccessError, log unchanged."""
    import tempfile  # noqa: PLC0415 - only this test

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    log = timeline.open("memory://")
    with pytest.raises(timeline.errors.FileAccessError, match="temporary file"):
        import_file(log, DATA / "gdelt_events.tsv", "gdelt-events")
    assert len(log) == 0
