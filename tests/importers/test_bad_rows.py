"""Bad rows name their line and column, and never leave the log half-changed."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import timeline
from timeline.errors import BadRowError, FileAccessError, UnsupportedFormatError
from timeline.importers import import_file

DATA = Path(__file__).parent / "data"


def _broken(tmp_path: Path, name: str, line: int, column: int, value: str) -> Path:
    """Copy a fixture with one field of one line replaced."""
    lines = (DATA / name).read_text().splitlines()
    fields = lines[line - 1].split("\t")
    fields[column] = value
    lines[line - 1] = "\t".join(fields)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("column", "value", "name", "says"),
    [
        (1, "2015-09-30", "Day", "YYYYMMDD"),
        (2, "201509", "MonthYear", "does not agree"),
        (26, "19x", "EventCode", "CAMEO code"),
        (28, "18", "EventRootCode", "root"),
        (30, "-11", "GoldsteinScale", "outside -10 to 10"),
        (34, "bad", "AvgTone", "not a number"),
        (56, "95.5", "ActionGeo_Lat", "between -90 and 90"),
        (51, "7", "ActionGeo_Type", "geographic type"),
        (59, "2015", "DATEADDED", "YYYYMMDDHHMMSS"),
        (0, "x1", "GlobalEventID", "digits"),
    ],
)
def test_a_bad_gdelt_event_names_line_and_column(
    tmp_path: Path, column: int, value: str, name: str, says: str
) -> None:
    """A bad field stops the import with its line and column, and nothing is stored."""
    path = _broken(tmp_path, "gdelt_events.tsv", 3, column, value)
    log = timeline.open("memory://")
    with pytest.raises(BadRowError, match=f"line 3: column {name}: .*{says}") as caught:
        import_file(log, path, "gdelt-events")
    assert (caught.value.line, caught.value.column) == (3, name)
    assert len(log) == 0


def test_a_short_row_is_bad(tmp_path: Path) -> None:
    """A row without the 61 columns is refused."""
    path = tmp_path / "short.tsv"
    lines = (DATA / "gdelt_events.tsv").read_text().splitlines()
    path.write_text("\n".join([lines[0], "1\t2\t3", *lines[1:]]) + "\n")
    with pytest.raises(BadRowError, match=r"line 2: .*expected 61 tab-separated columns, found 3"):
        import_file(timeline.open("memory://"), path, "gdelt-events")


def test_skip_bad_reports_the_rows_and_imports_the_rest(tmp_path: Path) -> None:
    """With skip_bad, the bad rows are listed in the summary and the good ones stored."""
    path = _broken(tmp_path, "gdelt_events.tsv", 3, 1, "20151340")
    log = timeline.open("memory://")
    summary = import_file(log, path, "gdelt-events", skip_bad=True)
    assert [(b.line, b.column) for b in summary.bad] == [(3, "Day")]
    assert (summary.rows, summary.added, len(log)) == (7, 6, 6)
    assert "1 bad rows skipped (lines 3)" in str(summary)


def test_a_mention_of_an_unknown_event_is_bad_when_strict() -> None:
    """With strict, mentions of events not in the timeline are refused: nothing is written."""
    log = timeline.open("memory://")
    with pytest.raises(BadRowError, match=r"line 1: column GlobalEventID: .*not in the timeline"):
        import_file(log, DATA / "gdelt_mentions.tsv", "gdelt-mentions", strict=True)
    assert len(log) == 0


def test_mentions_of_unknown_events_are_summarised() -> None:
    """Mentions of events not in the timeline are counted by mention and event, not stored."""
    log = timeline.open("memory://")
    summary = import_file(log, DATA / "gdelt_mentions.tsv", "gdelt-mentions")
    assert len(log) == 0
    assert summary.bad == ()
    lines = (DATA / "gdelt_mentions.tsv").read_text().splitlines()
    events = len({line.split("\t")[0] for line in lines if line.strip()})
    assert f"{summary.rows} mentions of {events} events not in this timeline" in str(summary)


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [
        ("event_date", "2015-13-45", "not a date"),
        ("time_precision", "4", "1 (day), 2 (week) or 3 (month)"),
        ("geo_precision", "0", "1, 2 or 3"),
        ("event_type", "Skirmish", "not an ACLED event type"),
        ("fatalities", "-2", "negative"),
        ("latitude", "north", "not a number"),
        ("timestamp", "", "is empty"),
        ("year", "2014", "does not agree"),
    ],
)
def test_a_bad_acled_row_names_line_and_column(
    tmp_path: Path, column: str, value: str, says: str
) -> None:
    """A bad ACLED field stops the import with its line and column; nothing is stored."""
    import csv  # noqa: PLC0415 - only here

    with (DATA / "acled.csv").open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    rows[1][column] = value
    path = tmp_path / "acled.csv"
    with path.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    log = timeline.open("memory://")
    with pytest.raises(BadRowError, match=f"line 3: column {column}: .*{re.escape(says)}"):
        import_file(log, path, "acled")
    assert len(log) == 0


def test_an_acled_file_without_a_codebook_column_is_bad(tmp_path: Path) -> None:
    """A header missing a column names it, at line 1."""
    text = (DATA / "acled.csv").read_text().replace("fatalities", "deaths", 1)
    path = tmp_path / "acled.csv"
    path.write_text(text)
    with pytest.raises(BadRowError, match="line 1: column fatalities"):
        import_file(timeline.open("memory://"), path, "acled")


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    """An unknown format and an unreadable file raise clear errors."""
    log = timeline.open("memory://")
    with pytest.raises(UnsupportedFormatError, match="gdelt-events, gdelt-mentions, acled"):
        import_file(log, DATA / "acled.csv", "ucdp")
    with pytest.raises(FileAccessError, match="cannot read"):
        import_file(log, tmp_path / "missing.tsv", "gdelt-events")


def test_not_utf8_is_bad(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 name their line."""
    path = tmp_path / "latin1.tsv"
    path.write_bytes((DATA / "gdelt_events.tsv").read_bytes() + b"caf\xe9\n")
    with pytest.raises(BadRowError, match=r"line 8: .*not UTF-8"):
        import_file(timeline.open("memory://"), path, "gdelt-events")


def _timeline(*args: str) -> subprocess.CompletedProcess[str]:
    # The installed entry point, beside the interpreter running the tests.
    exe = shutil.which("timeline", path=str(Path(sys.executable).parent))
    assert exe is not None
    return subprocess.run([exe, *args], capture_output=True, text=True, check=False, timeout=120)


def test_the_command_line_imports_and_exports_tables(tmp_path: Path) -> None:
    """`timeline import --format ...` reports its summary; `export --format csv` the rows."""
    store = f"sqlite:///{tmp_path / 't.db'}"
    done = _timeline(
        "import", "--store", store, "--format", "gdelt-events", str(DATA / "gdelt_events.tsv")
    )
    assert done.returncode == 0, done.stderr
    assert "7 events (7 new, 0 already there)" in done.stderr
    done = _timeline(
        "import", "--store", store, "--format", "gdelt-mentions", str(DATA / "gdelt_mentions.tsv")
    )
    assert done.returncode == 0, done.stderr
    done = _timeline(
        "export", "--store", store, "--format", "csv", "--known-at", "2015-09-30T18:00Z"
    )
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.startswith("id,type,occurred_earliest,occurred_latest,reported_earliest")
    assert len(rows) == 1
    assert "reuters.com; bbc.co.uk" in rows[0]
    out = tmp_path / "t.parquet"
    done = _timeline("export", "--store", store, "--format", "parquet", "-o", str(out))
    assert done.returncode == 0, done.stderr
    pq = importlib.import_module("pyarrow.parquet")  # the tests extra installs pyarrow
    assert pq.read_table(out).num_rows == 7


def test_the_command_line_reports_a_bad_row_and_skips_it(tmp_path: Path) -> None:
    """A bad row is one line on stderr and exit 2; with --skip-bad it is listed."""
    path = _broken(tmp_path, "gdelt_events.tsv", 2, 1, "yesterday")
    store = f"sqlite:///{tmp_path / 't.db'}"
    done = _timeline("import", "--store", store, "--format", "gdelt-events", str(path))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "timeline: error: gdelt-events line 2: column Day: 'yesterday' is not a YYYYMMDD date"
    ]
    done = _timeline(
        "import", "--store", store, "--format", "gdelt-events", "--skip-bad", str(path)
    )
    assert done.returncode == 0, done.stderr
    assert "1 bad rows skipped (lines 2)" in done.stderr
    assert "skipped: gdelt-events line 2: column Day" in done.stderr
