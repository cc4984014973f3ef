"""Times and zones on the installed command: every form a time option takes, the display zone."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pendulum
import pytest

from timeline.interop.jsonl import read_jsonl
from timeline.log import open_log
from timeline.serialization import parse_instant

from ._command import run
from .examples._paths import DATASET

NAME = "sept30-oct1-2015"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Import the 2015 example once, with no zone given, into a folder each test copies."""
    folder = tmp_path_factory.mktemp("times")
    run("import", str(DATASET), "--store", f"sqlite:///{folder / 'cli.db'}", "--timeline", NAME)
    return folder


@pytest.fixture
def store(imported: Path, tmp_path: Path) -> str:
    for path in imported.iterdir():
        shutil.copy2(path, tmp_path / path.name)
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def zoneless(tmp_path: Path) -> str:
    """Return a store holding the example, written by the library: no display zone is set."""
    url = f"sqlite:///{tmp_path / 'zoneless.db'}"
    with open_log(url, name=NAME) as log:
        log.append(*read_jsonl(DATASET.read_text(encoding="utf-8").split("\n")))
    return url


def at_of(store: str, *options: str) -> pendulum.DateTime:
    """Return the valid time `situation --json` says it answered for."""
    out = run("situation", "--store", store, "--timeline", NAME, "--json", *options).stdout
    return parse_instant(orjson.loads(out)["at"])


def one_line_error(result: object, *words: str) -> None:
    assert result.returncode == 2  # type: ignore[attr-defined]
    err: str = result.stderr  # type: ignore[attr-defined]
    assert err.count("\n") == 1, err
    assert err.startswith("timeline: error: ")
    for word in words:
        assert word in err


def test_import_sets_the_display_zone_of_the_earliest_event(store: str) -> None:
    """Importing the 2015 example, with no zone given, makes Damascus the display zone."""
    assert run("zone", "--store", store, "--timeline", NAME).stdout.strip() == "Asia/Damascus"


def test_import_says_which_display_zone_it_chose(tmp_path: Path) -> None:
    """The import names the display zone it set, and --tz sets another."""
    url = f"sqlite:///{tmp_path / 'zones.db'}"
    first = run("import", str(DATASET), "--store", url, "--timeline", "a").stderr
    assert "display zone of 'a' to Asia/Damascus" in first
    run("import", str(DATASET), "--store", url, "--timeline", "b", "--tz", "Europe/Moscow")
    assert run("zone", "--store", url, "--timeline", "b").stdout.strip() == "Europe/Moscow"


def test_an_import_keeps_a_display_zone_already_set(store: str) -> None:
    """A second import into a timeline with a display zone leaves that zone alone."""
    run("zone", "--store", store, "--timeline", NAME, "--set", "America/New_York")
    err = run("import", str(DATASET), "--store", store, "--timeline", NAME).stderr
    assert "display zone" not in err
    assert run("zone", "--store", store, "--timeline", NAME).stdout.strip() == "America/New_York"


def test_bare_dates_count_the_whole_day_in_the_display_zone(store: str) -> None:
    """A diff --from 2015-09-29 --to 2015-10-02 shows the strikes and the 36 deaths."""
    result = run("diff", "--store", store, "--timeline", NAME, "--from", "2015-09-29",
                 "--to", "2015-10-02")  # fmt: skip
    assert "strikes-ru-mod" in result.stdout
    assert "at least 36 killed" in result.stdout
    assert "UTC" not in result.stderr


def test_a_bare_date_read_in_utc_says_so_once(zoneless: str) -> None:
    """Without a display zone or --tz, bare times are read in UTC and a note says so once."""
    result = run("diff", "--store", zoneless, "--timeline", NAME, "--from", "2015-09-29",
                 "--to", "2015-10-02", "--known-at", "2015-10-03")  # fmt: skip
    notes = [line for line in result.stderr.splitlines() if "read in UTC" in line]
    assert len(notes) == 1
    assert "--tz" in notes[0]
    assert "2015-09-29 23:59:59 +00:00 UTC" in result.stdout
    quiet = run("situation", "--store", zoneless, "--timeline", NAME, "--at", "2015-09-30", "-q")
    assert quiet.stderr == ""


def test_times_with_their_own_zone_need_no_note(zoneless: str) -> None:
    """A time that names its zone, or --tz, reads the same without any note."""
    for options in (["--at", "2015-09-30T12:00+03:00"], ["--at", "2015-09-30", "--tz", "UTC"]):
        result = run("situation", "--store", zoneless, "--timeline", NAME, *options)
        assert "read in UTC" not in result.stderr


NOON = pendulum.datetime(2015, 9, 30, 12, tz="Asia/Damascus")
END_OF_DAY = pendulum.datetime(2015, 9, 30, 23, 59, 59, 999999, tz="Asia/Damascus")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--at", "2015-09-30T12:00+03:00"], NOON),
        (["--at", "2015-09-30T12:00[Asia/Damascus]"], NOON),
        (["--at", "2015-09-30T12:00 Asia/Damascus"], NOON),
        (["--at", "2015-09-30T12:00 +03:00"], NOON),
        (["--at", "2015-09-30T09:00Z"], NOON),
        (["--at", "2015-09-30T12:00"], NOON),
        (["--at", "2015-09-30 12:00"], NOON),
        (["--at", "2015-09-30T12:00", "--tz", "+03:00"], NOON),
        (["--at", "2015-09-30T05:00", "--tz", "America/New_York"], NOON),
        (["--at", "2015-09-30"], END_OF_DAY),
        (["--at", "2015-09-30 Asia/Damascus"], END_OF_DAY),
        (["--at", "2015-09-30[Asia/Damascus]"], END_OF_DAY),
        (["--at", "2015-09-30 +03:00"], END_OF_DAY),
        (["--at", "2015-09-30", "--tz", "+03:00"], END_OF_DAY),
        (["--at", "2015-09-28/2015-09-30"], END_OF_DAY),
        (["--at", "2015"], pendulum.datetime(2015, 12, 31, 23, 59, 59, 999999, tz="Asia/Damascus")),
    ],
)
def test_each_time_form_names_its_instant(
    store: str, options: list[str], expected: pendulum.DateTime
) -> None:
    """Offsets, zone names (bracketed or after a space), --tz and bare dates all work."""
    assert at_of(store, *options) == expected


def test_now_and_today(store: str) -> None:
    """--at now is the current instant; --at today the last instant of today, in the zone."""
    before = pendulum.now("UTC")
    now = at_of(store, "--at", "now")
    assert before <= now <= pendulum.now("UTC")
    today = at_of(store, "--at", "today")
    assert today.timezone_name == "Asia/Damascus"
    assert today == pendulum.now("Asia/Damascus").end_of("day").replace(microsecond=999999)
    assert at_of(store, "--at", "today UTC").timezone_name == "UTC"


@pytest.mark.parametrize("option", ["--known-at", "--at"])
def test_every_time_option_takes_every_form(store: str, option: str) -> None:
    """--known-at, --from, --to and replay's --at read the same forms as --at."""
    where = ("--store", store, "--timeline", NAME)
    for text in ("now", "today", "2015-09-30T12:00 Asia/Damascus", "2015-10-01 +03:00"):
        run("replay", *where, option, text, "--json")
        run("diff", *where, "--from", text, "--to", "now", "--known-at", text)
        run("story", *where, "--at", text, "--known-at", text)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--at", "yesterday"], "'yesterday'"),
        (["--at", "2015-09-30T12:00 Mars/Base"], "Mars/Base"),
        (["--tz", "Mars/Base", "--at", "2015-09-30"], "Mars/Base"),
        (["--tz", "+25:00", "--at", "2015-09-30"], "+25:00"),
        (["--known-at", "2015-13-01"], "2015-13-01"),
    ],
)
def test_bad_times_are_one_line_naming_them(store: str, options: list[str], named: str) -> None:
    """A time or zone the command cannot read exits 2 with one line naming it."""
    result = run("situation", "--store", store, "--timeline", NAME, *options, check=None)
    one_line_error(result, named)


@pytest.mark.parametrize("command", ["story", "import"])
def test_zone_is_a_deprecated_spelling_of_tz(store: str, tmp_path: Path, command: str) -> None:
    """The old --zone of story and import still works, like --tz, with a one-line note."""
    if command == "story":
        where = ("story", "--store", store, "--timeline", NAME)
        old, new = run(*where, "--zone", "UTC"), run(*where, "--tz", "UTC")
        assert old.stdout == new.stdout
        assert "Times in UTC" in new.stdout
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
        old = run("import", str(DATASET), "--store", url, "--zone", "Europe/Paris")
        assert run("zone", "--store", url).stdout.strip() == "Europe/Paris"
    notes = [line for line in old.stderr.splitlines() if "is deprecated" in line]
    assert notes == ["timeline: note: --zone is deprecated; use --tz"]
    assert "--zone" not in run(command, "--help").stdout


def test_story_json_holds_what_the_story_tells(store: str) -> None:
    """The story as JSON gives the zone, the days and each entry's sentence the text shows."""
    where = ("story", "--store", store, "--timeline", NAME)
    told = orjson.loads(run(*where, "--json").stdout)
    text = run(*where).stdout
    assert told["zone"] == "Asia/Damascus"
    assert [day["day"] for day in told["days"]] == ["2015-09-29", "2015-09-30"]
    for day in told["days"]:
        assert day["heading"] in text
        for entry in day["entries"]:
            assert entry["text"].split()[0] in text
            parse_instant(entry["occurred"])
