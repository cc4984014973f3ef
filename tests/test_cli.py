"""The timeline command: queries, verify, import and export, and one-line errors on bad input."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import orjson
import pendulum
import pytest

from timeline.cli import REPLAYING, main, parse_time
from timeline.errors import InvalidTimeError
from timeline.log import open_log

from .examples._paths import DATASET, ROOT
from .interop.test_cloudevents import validate as validate_cloudevent
from .interop.test_timelinejs import validate as validate_timelinejs

NAME = "sept30"


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Print as to a pipe, 140 columns wide, whatever terminal the tests run in."""
    monkeypatch.setenv("COLUMNS", "140")


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", str(DATASET), "--store", url, "--timeline", NAME]) == 0
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(code: int, err: str) -> None:
    assert code == 2
    assert err.count("\n") == 1, err
    assert err.startswith("timeline: error: ")
    assert "Traceback" not in err


# -- times -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-09-30T12:00+03:00", pendulum.datetime(2015, 9, 30, 9, tz="UTC")),
        ("2015-09-30T12:00[Asia/Damascus]", pendulum.datetime(2015, 9, 30, 9, tz="UTC")),
        ("2015-09-30T12:00:00+03:00[Asia/Damascus]", pendulum.datetime(2015, 9, 30, 9, tz="UTC")),
        ("2015-09-30T12:00Z", pendulum.datetime(2015, 9, 30, 12, tz="UTC")),
        ("2015-09-30T12:00", pendulum.datetime(2015, 9, 30, 12, tz="UTC")),
        ("2015-09-30", pendulum.datetime(2015, 9, 30, 23, 59, 59, 999999, tz="UTC")),
    ],
)
def test_times_are_read_in_every_documented_form(text: str, expected: pendulum.DateTime) -> None:
    """Offsets, zone names, UTC and bare EDTF dates all name the documented instant."""
    assert parse_time(text) == expected


def test_bare_times_are_read_in_the_given_zone() -> None:
    """A date-time without a zone is local time in --tz, and keeps that zone's name."""
    instant = parse_time("2015-09-30T12:00", tz="America/New_York")
    assert instant == pendulum.datetime(2015, 9, 30, 16, tz="UTC")
    assert instant.timezone_name == "America/New_York"


@pytest.mark.parametrize(
    "text", ["yesterday", "2015-13-01", "2015-09-30T25:00", "2015-09-30T1[Mars/Base]"]
)
def test_bad_times_raise_invalid_time_error(text: str) -> None:
    """Text that is no time raises InvalidTimeError, a TimelineError."""
    with pytest.raises(InvalidTimeError):
        parse_time(text)


# -- queries ---------------------------------------------------------------------------------


def test_situation_prints_the_strikes_and_the_dispute(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`situation` prints strikes, casualties and open disputes as tables, without ANSI codes."""
    code, out, _ = run(
        capsys, "situation", "--store", store, "--timeline", NAME, "--at", "2015-10-01"
    )
    assert code == 0
    assert "about 20" in out
    assert "at least 36" in out
    assert "Open disputes" in out
    assert "\x1b[" not in out


def test_perspective_changes_what_is_known(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Before publication the public knows nothing while the US knows of the strikes."""
    args = ("situation", "--store", store, "--timeline", NAME, "--tz", "Asia/Damascus")
    moment = ("--at", "2015-09-30T12:00", "--known-at", "2015-09-30T12:00")
    _, public, _ = run(capsys, *args, *moment)
    _, us, _ = run(capsys, *args, *moment, "--known-by", "us")
    assert "Nothing that had happened by this time had been reported yet." in public
    assert "strikes-ru-mod" in us
    assert "1 hour before" in us


def test_positions_and_diff(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`positions` shows stances; `diff` lists what appeared between two times."""
    code, out, _ = run(capsys, "positions", "--store", store, "--timeline", NAME)
    assert code == 0
    assert "disputes" in out
    assert "Sergei Lavrov" in out
    code, out, _ = run(
        capsys, "diff", "--store", store, "--timeline", NAME,
        "--from", "2015-09-29T22:00[Asia/Damascus]", "--to", "2015-10-02",
    )  # fmt: skip
    assert code == 0
    assert "+ strike strikes-ru-mod" in out
    assert "+ notification us-informed" in out


def test_replay_prints_each_moment_and_the_changes(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`replay` with two --at prints two situations, then what changed between them."""
    code, out, err = run(
        capsys, "replay", "--store", store, "--timeline", NAME,
        "--at", "2015-09-29T22:00[Asia/Damascus]", "--at", "2015-10-01",
    )  # fmt: skip
    assert code == 0
    assert out.count("Situation at ") == 2
    assert "Situation: what changed from 2015-09-29 22:00 +03:00" in out
    assert "replaying 22 events" in err


@pytest.mark.parametrize("enabled", [True, False])
def test_the_commands_leave_the_collector_as_they_found_it(
    store: str, capsys: pytest.CaptureFixture[str], enabled: bool
) -> None:
    """Each command, the replaying ones that pause the collector too, ends with it as it was.

    Also after a command that fails.
    """
    was = gc.isenabled()
    gc.enable() if enabled else gc.disable()
    try:
        for command in sorted(REPLAYING):
            times = ("--from", "2015-09-30", "--to", "2015-10-01") if command == "diff" else ()
            assert run(capsys, command, "--store", store, "--timeline", NAME, *times)[0] == 0
            assert gc.isenabled() is enabled
        assert run(capsys, "situation", "--store", store, "--at", "yesterday")[0] == 2
        assert gc.isenabled() is enabled
        assert run(capsys, "verify", "--store", store, "--timeline", NAME)[0] == 0
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_verify_reports_the_records(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`verify` walks the chain and says how many records it checked."""
    code, out, _ = run(capsys, "verify", "--store", store, "--timeline", NAME)
    assert code == 0
    assert "verified 22 records" in out


def test_store_defaults_to_the_environment(
    store: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --store, TIMELINE_STORE names the store."""
    monkeypatch.setenv("TIMELINE_STORE", store)
    code, out, _ = run(capsys, "verify", "--timeline", NAME)
    assert code == 0
    assert store in out


# -- import and export -----------------------------------------------------------------------


def test_timelinejs_export_is_valid(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`export --format timelinejs` prints a TimelineJS document with a slide per event."""
    code, out, _ = run(
        capsys, "export", "--store", store, "--timeline", NAME, "--format", "timelinejs",
        "--title", "Syria, 30 September - 1 October 2015",
    )  # fmt: skip
    assert code == 0
    document = orjson.loads(out)
    validate_timelinejs(document)
    assert len(document["events"]) == 22
    assert {"Russian air force", "United States", "Russia"} <= {
        slide["group"] for slide in document["events"]
    }


def test_cloudevents_export_is_valid(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`export --format cloudevents` prints CloudEvents that satisfy the spec's rules."""
    code, out, _ = run(
        capsys, "export", "--store", store, "--timeline", NAME, "--format", "cloudevents"
    )
    assert code == 0
    cloudevents = orjson.loads(out)
    assert len(cloudevents) == 22
    for cloudevent in cloudevents:
        validate_cloudevent(cloudevent)


@pytest.mark.parametrize("fmt", ["jsonl", "cloudevents"])
def test_export_then_import_gives_an_identical_log(
    store: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A timeline exported to a file and imported elsewhere holds the same events in order."""
    path = tmp_path / f"export.{fmt}"
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    args = ("--format", fmt)
    assert (
        run(capsys, "export", "--store", store, "--timeline", NAME, "-o", str(path), *args)[0] == 0
    )
    assert run(capsys, "import", str(path), "--store", copy, "--timeline", "copy", *args)[0] == 0
    with open_log(store, name=NAME) as original, open_log(copy, name="copy") as imported:
        assert [r.payload for r in imported.read()] == [r.payload for r in original.read()]


def test_importing_twice_adds_nothing(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A second import of the same file reports every event as already there."""
    code, _, err = run(capsys, "import", str(DATASET), "--store", store, "--timeline", NAME)
    assert code == 0
    assert "(0 new, 22 already there)" in err


# -- bad input -------------------------------------------------------------------------------


def test_bad_date_is_a_one_line_error(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A date that cannot be read exits 2 with one line on stderr."""
    code, _, err = run(capsys, "situation", "--store", store, "--timeline", NAME, "--at", "noonish")
    one_line_error(code, err)
    assert "noonish" in err


def test_unknown_zone_is_a_one_line_error(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --tz exits 2 with one line on stderr."""
    code, _, err = run(
        capsys,
        "situation",
        "--store",
        store,
        "--timeline",
        NAME,
        "--at",
        "2015-09-30",
        "--tz",
        "Mars/Base",
    )
    one_line_error(code, err)


def test_verify_of_a_missing_store_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Verifying a store file that does not exist exits 2 and creates no file."""
    missing = tmp_path / "missing.db"
    code, _, err = run(capsys, "verify", "--store", f"sqlite:///{missing}")
    one_line_error(code, err)
    assert "does not exist" in err
    assert not missing.exists()


def test_unknown_timeline(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Reading a timeline the store lacks exits 2 and names the timelines it holds."""
    code, _, err = run(capsys, "verify", "--store", store, "--timeline", "nope")
    one_line_error(code, err)
    assert "'sept30'" in err


def test_unknown_format(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --format exits 2 with one line on stderr (argparse's error, shortened)."""
    code, _, err = run(capsys, "export", "--store", store, "--timeline", NAME, "--format", "xml")
    assert code == 2
    assert err.count("\n") == 1
    assert "invalid choice: 'xml'" in err


def test_timelinejs_cannot_be_imported(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """TimelineJS is export-only: importing it is refused at the command line."""
    code, _, err = run(capsys, "import", str(DATASET), "--store", store, "--format", "timelinejs")
    assert code == 2
    assert err.count("\n") == 1


def test_missing_import_file(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Importing a file that does not exist exits 2 with one line naming it."""
    code, _, err = run(capsys, "import", str(tmp_path / "nope.jsonl"), "--store", store)
    one_line_error(code, err)
    assert "nope.jsonl" in err


def test_malformed_import_changes_nothing(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file with one bad line imports nothing and names the line."""
    lines = DATASET.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join([*lines[:5], "{oops\n", *lines[5:]]), encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad), "--store", store, "--timeline", "fresh")
    one_line_error(code, err)
    assert "line 6" in err
    with open_log(store, name="fresh") as log:
        assert len(log) == 0


def test_the_module_runs_as_a_command(tmp_path: Path) -> None:
    """`python -m timeline.cli` exits with the status main returns, errors on one line."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "timeline.cli",
            "verify",
            "--store",
            f"sqlite:///{tmp_path / 'x.db'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1


def test_a_bounding_box_finds_gdelt_talks_by_their_coordinates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--bbox` around Switzerland finds the GDELT negotiation held there, and only it."""
    url = f"sqlite:///{tmp_path / 'gdelt.db'}"
    events = ROOT / "tests" / "importers" / "data" / "gdelt_events.tsv"
    assert main(["import", str(events), "--store", url, "--format", "gdelt-events", "-q"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "situation", "--store", url, "--bbox", "45,5,48,11")
    assert code == 0
    assert "gdelt-talks-20151001-" in out  # the talks of event 482000002, code 046
    assert "Switzerland" in out
    assert "gdelt-482000001" not in out
    code, out, _ = run(capsys, "export", "--store", url, "--bbox", "45,5,48,11")
    assert code == 0
    assert [orjson.loads(line)["id"] for line in out.splitlines()] == ["gdelt-482000002"]
