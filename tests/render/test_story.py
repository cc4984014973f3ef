"""The story view: every report in order, by day, with its marks and when it became known."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline import CasualtiesReported, Quantity, QueryError, Retraction, When
from timeline import open as open_timeline
from timeline.console import make_console
from timeline.render.layout import layout
from timeline.story import story, story_view

from .story import dataset, revised
from .story import story as twelve


def _capital(text: str) -> str:
    """Return `text` as a sentence of the story starts: with a capital letter."""
    return text[:1].upper() + text[1:]


def test_the_story_tells_every_report_once_in_fold_order() -> None:
    """Each report of the 2015 dataset appears once, ordered by earliest time, then id."""
    events = dataset()
    told = story(events)
    ids = [entry.id for entry in told.entries]
    assert sorted(ids) == sorted(event.id for event in events)
    starts = [entry.occurred for entry in told.entries]
    assert starts == sorted(starts)  # type: ignore[type-var]


def test_days_are_told_in_the_zone_of_the_first_event() -> None:
    """The 2015 story starts on Tuesday 29 September, in Damascus, named by its city."""
    told = story(dataset())
    assert told.zone == "Asia/Damascus"
    assert [day.heading for day in told.days][:2] == [
        "Tuesday 29 September 2015",
        "Wednesday 30 September 2015",
    ]
    assert "Times in Damascus" in str(told)
    assert "EEST" not in str(told)


def test_sentences_are_the_labels_of_the_events() -> None:
    """Every entry's text starts with its event's label, as the chart shows it."""
    marks = {m.id: m.label for m in layout(dataset()).marks}
    for entry in story(dataset()).entries:
        assert entry.text.startswith(_capital(marks[entry.id].rstrip(".")))


def test_a_correction_says_from_what_to_what_and_since_when() -> None:
    """The injured figure reads 19, revised from at least 12, known from 18:00."""
    entry = {e.id: e for e in story(revised()).entries}["injured"]
    assert "corrected" in entry.marks
    assert entry.text.startswith("19 injured")
    assert entry.revision == "Injured revised from at least 12 to 19, known from 18:00"


def test_a_retracted_report_is_still_told_struck_through() -> None:
    """The retracted Hama strike stays in the story, marked, with when it was withdrawn."""
    entry = {e.id: e for e in story(revised()).entries}["strike-hama"]
    assert entry.retracted
    assert entry.line().startswith("13:00  ~~Strikes")
    assert "known from Thu 1 Oct 09:00" in (entry.revision or "")
    assert [e.id for e in story(revised()).entries] == ["strike-homs", "injured", "strike-hama"]


def test_a_retraction_only_possibly_known_marks_the_report_without_striking_it() -> None:
    """Known in its afternoon window, a retraction may or may not be known: the story says so."""
    day = When.on("2015-10-02", tz="UTC")
    afternoon = When.during("2015-10-02", "afternoon", tz="UTC")
    report = CasualtiesReported(id="killed", occurred=day, reported=day, killed=Quantity.exactly(3))
    withdrawn = Retraction(id="gone", occurred=afternoon, reported=afternoon, retracts="killed")
    told = story([report, withdrawn], known_at="2015-10-02T15:00Z")
    (entry,) = told.entries
    assert entry.marks == ("possibly retracted",)
    assert not entry.retracted
    assert (entry.revision or "").startswith("Possibly retracted")
    stream = io.StringIO()
    make_console(stream, color=False).print(story_view(told))
    assert "[possibly retracted]" in stream.getvalue()
    (later,) = story([report, withdrawn], known_at="2015-10-02T20:00Z").entries
    assert later.retracted


def test_disputed_claims_are_marked() -> None:
    """Kerry disputes what the Russian ministry asserts: both statements are marked."""
    entries = {e.id: e for e in story(twelve()).entries}
    assert "disputed" in entries["kerry"].marks
    assert "disputed" in entries["mod"].marks
    assert "disputed" not in entries["lavrov"].marks


def test_known_by_says_whose_view_and_when_it_knew_earlier() -> None:
    """The US was told of the strikes an hour before they began, long before the public."""
    public = {e.id: e for e in story(twelve()).entries}
    us = story(twelve(), known_by="us")
    assert us.heading.endswith("as United States knew it")
    strikes = {e.id: e for e in us.entries}["strikes"]
    # Told an hour before the strikes, but a report is never known before what it reports
    # began: the US learnt of them between the start of 30 September (Damascus) and 23:00,
    # and the public on 1 October (UTC): from 4 hours to 2 days later.
    assert strikes.known == (
        "Made public Thu 1 Oct. United States knew between 4 hours and 2 days earlier "
        "(learning it between 00:00 and 23:00)."
    )
    assert "knew" not in public["strikes"].known


def test_a_bad_viewer_is_a_query_error() -> None:
    """known_by must be an actor id or an Actor."""
    with pytest.raises(QueryError):
        story(twelve(), known_by="")


def _story_command(
    tmp_path: Path, timeline_name: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Store the revised story and run `timeline story` on it through the entry point."""
    url = f"sqlite:///{tmp_path / 'story.db'}"
    with open_timeline(url, name="revised") as log:
        log.append(*revised())
    timeline = Path(sys.executable).with_name("timeline")
    return subprocess.run(
        [str(timeline), "story", "--store", url, "--timeline", timeline_name, *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        # The package under test, where the entry point's own install is another checkout.
        env={
            "COLUMNS": "200",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        },
    )


def test_the_story_command_prints_the_story(tmp_path: Path) -> None:
    """`timeline story` through the installed entry point prints days and sentences."""
    result = _story_command(tmp_path, "revised")
    assert result.returncode == 0, result.stderr
    assert "Wednesday 30 September 2015" in result.stdout
    assert "Injured revised from at least 12 to 19" in result.stdout
    assert "[retracted]" in result.stdout


def test_the_story_command_tells_what_was_known_then(tmp_path: Path) -> None:
    """With --known-at before the retraction, the Hama strike is told as fact, not struck."""
    result = _story_command(tmp_path, "revised", "--known-at", "2015-10-01T08:00+03:00")
    assert result.returncode == 0, result.stderr
    assert "[retracted]" not in result.stdout
    assert "Strikes" in result.stdout
    assert "Injured revised from at least 12 to 19" in result.stdout


def test_the_story_command_of_a_missing_timeline_exits_2(tmp_path: Path) -> None:
    """A timeline the store does not hold is one line on stderr and exit status 2."""
    result = _story_command(tmp_path, "nope")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
