"""The installed `timeline` command, run as a user runs it: a subprocess, real SQLite files.

Results printed with ``--json`` are parsed back and compared with what the Python API returns
for the same question, through the same converter.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import orjson
import pendulum
import pytest

import timeline
from benchmarks import data
from timeline.cli import parse_time
from timeline.log import open_log
from timeline.projections import diff, positions, situation
from timeline.serialization import dump_jsonl, unstructure

from ._command import TIMELINE, run
from .examples._paths import DATASET, ROOT

NAME = "sept30"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Import the dataset once with the command, into a folder each test copies."""
    folder = tmp_path_factory.mktemp("imported")
    url = f"sqlite:///{folder / 'cli.db'}"
    run("import", str(DATASET), "--store", url, "--timeline", NAME, "--tz", "Asia/Damascus")
    return folder


@pytest.fixture
def store(imported: Path, tmp_path: Path) -> str:
    """Return a store of its own for each test: a copy of the imported file (and journal)."""
    for path in imported.iterdir():
        shutil.copy2(path, tmp_path / path.name)
    return f"sqlite:///{tmp_path / 'cli.db'}"


def where(store: str) -> tuple[str, ...]:
    return ("--store", store, "--timeline", NAME)


# -- conventions -----------------------------------------------------------------------------


def test_version() -> None:
    """`timeline --version` prints the library's version and exits 0."""
    result = run("--version")
    assert timeline.__version__ in result.stdout


def test_python_m_timeline_is_the_same_command(store: str) -> None:
    """`python -m timeline` runs the command: same version, same results."""
    module = [sys.executable, "-m", "timeline"]
    version = subprocess.run([*module, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout == run("--version").stdout
    args = ["situation", *where(store), "--json"]
    same = subprocess.run([*module, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    assert orjson.loads(same.stdout) == orjson.loads(run(*args).stdout)


def test_quiet_and_no_color(store: str, tmp_path: Path) -> None:
    """--quiet says nothing on stderr; --no-color and NO_COLOR leave no colour codes."""
    copy = f"sqlite:///{tmp_path / 'quiet.db'}"
    assert run("import", str(DATASET), "--store", copy, "--quiet").stderr == ""
    for extra, env in ((["--no-color"], {}), ([], {"NO_COLOR": "1"})):
        out = run("situation", *where(store), *extra, env={"FORCE_COLOR": "1", **env}).stdout
        assert not re.search(r"\x1b\[[0-9;]*3[0-9]", out)


# -- --json, compared with the Python API -----------------------------------------------------


def test_situation_and_positions_json_equal_the_python_results(store: str) -> None:
    """--json prints exactly what the converter makes of the Python results."""
    at = "2015-09-30T12:00[Asia/Damascus]"
    moment = pendulum.datetime(2015, 9, 30, 12, tz="Asia/Damascus")
    with open_log(store, name=NAME) as log:
        for kind, function in (("situation", situation), ("positions", positions)):
            out = run(kind, *where(store), "--at", at, "--known-by", "us", "--json").stdout
            assert orjson.loads(out) == unstructure(function(log, moment, known_by="us"))


@pytest.mark.parametrize(
    ("options", "filters"),
    [
        (["--type", "strike_reported"], {"types": ["strike_reported"]}),
        (["--type", "strike_reported,casualties_reported"],
         {"types": ["strike_reported", "casualties_reported"]}),
        (["--actor", "russia"], {"actors": ["russia"]}),
        (["--actor", "us", "--actor", "france"], {"actors": ["us", "france"]}),
        (["--place", "rastan"], {"places": ["rastan"]}),
        (["--source", "activists"], {"sources": ["activists"]}),
        (["--proposition", "strikes-targeted-isis"], {"propositions": ["strikes-targeted-isis"]}),
        (["--text", "killed civilians"], {"text": "killed civilians"}),
        (["--limit", "3"], {"limit": 3}),
        (["--actor", "russia", "--limit", "2"], {"actors": ["russia"], "limit": 2}),
    ],
)  # fmt: skip
def test_filters_equal_the_python_api(
    store: str, options: list[str], filters: dict[str, object]
) -> None:
    """Each filter option gives what the same keyword gives the Python projections."""
    with open_log(store, name=NAME) as log:
        for kind, function in (("situation", situation), ("positions", positions)):
            out = run(kind, *where(store), *options, "--json").stdout
            assert orjson.loads(out) == unstructure(function(log, **filters))  # type: ignore[operator]


def test_diff_json_uses_the_display_zone(store: str) -> None:
    """The docs' diff of bare dates, read in the timeline's display zone, lists the strikes."""
    out = orjson.loads(
        run("diff", *where(store), "--from", "2015-09-29", "--to", "2015-10-02", "--json").stdout
    )
    start = parse_time("2015-09-29", tz="Asia/Damascus")
    end = parse_time("2015-10-02", tz="Asia/Damascus")
    with open_log(store, name=NAME) as log:
        expected = diff(situation(log, start), situation(log, end))
    assert out["situation"] == unstructure(expected)
    assert any(change["subject"].startswith("strike ") for change in out["situation"]["added"])
    utc = orjson.loads(
        run(
            "diff", *where(store), "--from", "2015-09-29", "--to", "2015-10-02", "--tz", "UTC",
            "--json",
        ).stdout
    )  # fmt: skip
    assert utc["from"] == unstructure(parse_time("2015-09-29"))
    limited = orjson.loads(
        run(
            "diff", *where(store), "--from", "2015-09-29", "--to", "2015-10-02", "--limit", "2",
            "--json",
        ).stdout
    )  # fmt: skip
    assert limited["situation"]["added"] == out["situation"]["added"][:2]


def test_a_bare_date_means_its_day_is_over(store: str) -> None:
    """`--at 2015-09-30` counts the strikes of that day without marking them uncertain."""
    out = orjson.loads(run("situation", *where(store), "--at", "2015-09-30", "--json").stdout)
    day = {"strikes-activists", "strikes-nyt-wsj", "strikes-ru-mod"}
    assert day <= {strike["id"] for strike in out["strikes"]}
    assert not day & set(out["uncertain"])
    assert "us-campaign" in out["uncertain"]  # 30 September to 1 October: not over yet
    text = run("situation", *where(store), "--at", "2015-09-30").stdout
    assert "strikes-ru-mod (?)" not in text


def test_replay_json_is_json_lines(store: str) -> None:
    """`replay --json` prints one JSON document per moment, then one per change."""
    lines = run(
        "replay", *where(store), "--at", "2015-09-30T12:00", "--at", "2015-10-01", "--json"
    ).stdout.splitlines()
    documents = [orjson.loads(line) for line in lines]
    assert [d["kind"] for d in documents] == ["moment", "moment", "change"]
    with open_log(store, name=NAME) as log:
        noon = parse_time("2015-09-30T12:00", tz="Asia/Damascus")
        assert documents[0]["situation"] == unstructure(situation(log, noon))


def test_verify_import_and_zone_json(store: str, tmp_path: Path) -> None:
    """verify, import and zone print small documents with stable keys."""
    assert orjson.loads(run("verify", *where(store), "--json").stdout) == {
        "timeline": NAME,
        "store": store,
        "ok": True,
        "records": 22,
        "index_rows": 22,
    }
    again = orjson.loads(run("import", str(DATASET), *where(store), "--json").stdout)
    assert again == {
        "timeline": NAME,
        "store": store,
        "read": 22,
        "added": 0,
        "already_there": 22,
    }
    assert orjson.loads(run("zone", *where(store), "--json").stdout)["zone"] == "Asia/Damascus"
    run("zone", *where(store), "--set", "Europe/Paris")
    assert run("zone", *where(store)).stdout.strip() == "Europe/Paris"
    bad = run("zone", *where(store), "--set", "Mars/Base", check=2)
    assert bad.stderr.count("\n") == 1


def test_export_and_render_take_the_filters(store: str, tmp_path: Path) -> None:
    """`export` writes only the matching events; `render` draws only them."""
    out = run("export", *where(store), "--type", "statement_made", "--actor", "russia").stdout
    with open_log(store, name=NAME) as log:
        expected = [
            r.event.id
            for r in log.read()
            if type(r.event).__name__ == "StatementMade" and r.event.speaker.principal == "russia"
        ]
    assert [orjson.loads(line)["id"] for line in out.splitlines()] == expected
    assert len(run("export", *where(store), "--limit", "4").stdout.splitlines()) == 4
    page = tmp_path / "strikes.html"
    drawn = run("render", *where(store), "--html", str(page), "--type", "strike_reported", "--json")
    assert orjson.loads(drawn.stdout) == {"timeline": NAME, "events": 4, "html": str(page)}
    assert page.stat().st_size > 0


# -- bad input -------------------------------------------------------------------------------


def test_unknown_known_by_lists_close_matches(store: str) -> None:
    """An actor the timeline never mentions is an error naming the ones it does."""
    result = run("situation", *where(store), "--known-by", "usa", check=2)
    assert result.stderr.count("\n") == 1
    assert "'usa'" in result.stderr
    assert "did you mean 'us'" in result.stderr
    assert run("positions", *where(store), "--known-by", "nobody", check=2).stdout == ""


@pytest.mark.parametrize(
    "options",
    [["--type", "strike"], ["--limit", "-1"], ["--limit", "many"], ["--text", " "]],
)
def test_bad_filters_are_one_line_errors(store: str, options: list[str]) -> None:
    """A filter that cannot be used exits 2 with one line on stderr."""
    result = run("situation", *where(store), *options, check=2)
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


# -- narrow terminals ------------------------------------------------------------------------


@pytest.mark.parametrize("columns", ["80", "60", "40"])
def test_narrow_terminals_never_split_an_id_or_a_zone(store: str, columns: str) -> None:
    """At COLUMNS=80 (and narrower) every id and zone name is printed whole."""
    out = run("situation", *where(store), "--at", "2015-10-01", env={"COLUMNS": columns}).stdout
    assert max(len(line) for line in out.splitlines()) <= int(columns)
    with open_log(store, name=NAME) as log:
        result = situation(log, parse_time("2015-10-01", tz="Asia/Damascus"))
    ids = [s.id for s in result.strikes] + [c.id for c in result.casualties]
    ids += [n.id for n in result.notifications] + [t.talks for t in result.talks]
    words = set(re.findall(r"[\w\-/\[\]]+", out))
    for event_id in ids:
        assert event_id in words, event_id
    for zone in ("[Asia/Damascus]", "[America/New_York]"):
        assert out.count(zone.split("/")[0] + "/") == out.count(zone)


# -- integrity on read -----------------------------------------------------------------------


def tamper(store: str) -> None:
    """Edit a stored payload behind the store's back: 36 killed becomes 3."""
    path = store.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER events_no_update")
        db.execute(
            "UPDATE events SET payload = CAST(replace(CAST(payload AS TEXT), "
            "'\"low\":36', '\"low\":3') AS BLOB) WHERE event_id = 'casualties-activists'"
        )
    db.close()


@pytest.mark.parametrize("kind", ["situation", "positions", "replay", "export"])
def test_a_tampered_store_is_refused(store: str, kind: str) -> None:
    """Reading commands check the chain by default and refuse a broken one (exit 1)."""
    tamper(store)
    result = run(kind, *where(store), check=1)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "does not hold" in result.stderr
    assert "position" in result.stderr
    assert run("verify", *where(store), check=1).stdout == ""
    read_anyway = run(kind, *where(store), "--no-verify").stdout
    if kind == "situation":
        assert "at least 3 " in read_anyway or "at least 3\n" in read_anyway


def test_diff_and_render_refuse_a_tampered_store(store: str, tmp_path: Path) -> None:
    """`diff` and `render` check the chain too."""
    tamper(store)
    run("diff", *where(store), "--from", "2015-09-29", "--to", "2015-10-02", check=1)
    run("render", *where(store), "--html", str(tmp_path / "x.html"), check=1)
    assert not (tmp_path / "x.html").exists()


# -- any size --------------------------------------------------------------------------------

PEAK_RSS_LIMIT_MB = 400
"""Generous: a 200,000-event import peaks near 180 MB; holding the file would need far more."""

MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(f'peak-rss-kb {peak}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def measured(*argv: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run the command under a small parent that reports its peak RSS in kB."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, TIMELINE, *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    match = re.search(r"peak-rss-kb (\d+)", result.stderr)
    assert match is not None
    return result, int(match.group(1))


@pytest.mark.slow
def test_a_200000_event_file_imports_in_one_command(tmp_path: Path) -> None:
    """200,000 events (20 times the batch limit) import at once in bounded memory; again: 0."""
    count = 200_000
    path = tmp_path / "200k.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        dump_jsonl(data.events(count), stream)
    url = f"sqlite:///{tmp_path / 'big.db'}"
    first, peak_kb = measured("import", str(path), "--store", url, "--json")
    assert orjson.loads(first.stdout)["added"] == count
    print(f"import of {count} events ({path.stat().st_size} bytes): peak RSS {peak_kb // 1024} MB")
    assert peak_kb < PEAK_RSS_LIMIT_MB * 1024
    again = run("import", str(path), "--store", url, "--json")
    assert orjson.loads(again.stdout) == {
        "timeline": "default",
        "store": url,
        "read": count,
        "added": 0,
        "already_there": count,
    }
    with open_log(url) as log:
        assert log.verify() == count


# -- big sections -----------------------------------------------------------------------------


def test_tables_show_the_latest_rows_and_say_how_many_are_left_out(tmp_path: Path) -> None:
    """--rows N keeps the latest N rows of a section and says so; --rows 0 and --json keep all."""
    url = f"sqlite:///{tmp_path / 'many.db'}"
    events = list(data.events(400))
    with open_log(url) as log:
        log.append(*events)
    expected = situation(events)
    strikes = [strike.id for strike in expected.strikes]
    assert len(strikes) > 5
    shown = run("situation", "--store", url, "--rows", "5").stdout
    assert all(re.search(rf"\b{re.escape(i)}\b", shown) for i in strikes[-5:])
    assert not re.search(rf"\b{re.escape(strikes[0])}\b", shown.split("Casualties")[0])
    assert f"({len(strikes) - 5:,} earlier rows of Strikes not shown)" in shown
    every = run("situation", "--store", url, "--rows", "0").stdout
    assert "earlier rows" not in every
    assert all(re.search(rf"\b{re.escape(i)}\b", every) for i in strikes)
    as_json = orjson.loads(run("situation", "--store", url, "--json", "--rows", "1").stdout)
    assert [s["id"] for s in as_json["strikes"]] == strikes
    assert run("situation", "--store", url, "--rows", "-1", check=2).stderr.count("\n") <= 3
