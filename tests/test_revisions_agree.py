"""Revisions agree: every view states, strikes through and corrects what the situation does.

A log's corrections and retractions (each naming one to three events, retractions naming
revisions too) are asked about at times drawn from the log's own boundaries. The situation
counts some reports (with their corrections in place) and lists the ones whose standing
hangs on a revision only possibly known; the story, the page's data (the chart's marks and
the story it embeds), the PNG's marks, the console, TimelineJS and the tables must say the
same: no withdrawn report stated as fact, no report struck through that the situation
counts, every correction in place.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import attrs
import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from timeline.console import make_console, situation_view
from timeline.errors import TimelineError
from timeline.events import CasualtiesReported, Correction, Event, Retraction
from timeline.interop.timelinejs import to_timelinejs
from timeline.labels import label
from timeline.model import Quantity
from timeline.projections import situation
from timeline.projections.base import facts
from timeline.render.html import story_runs
from timeline.render.layout import layout
from timeline.revisions import acts
from timeline.story import Story, StoryEntry, story, story_view
from timeline.tables import table_rows
from timeline.testing.strategies import revised_logs
from timeline.when import When
from timeline.withdrawals import withdrawer, withdraws


def _capital(text: str) -> str:
    """Return `text` as a sentence of the story starts: with a capital letter."""
    return text[:1].upper() + text[1:]


_DOUBTS = {
    "retracted": "possibly retracted",
    "corrected": "possibly corrected",
    "unrevised": "revision possibly withdrawn",
}


@attrs.frozen
class Case:
    """A log and a query: valid time, knowledge time, viewer."""

    events: list[Event]
    at: pendulum.DateTime | None
    known_at: pendulum.DateTime | None
    known_by: str | None


def _boundaries(events: list[Event]) -> list[pendulum.DateTime]:
    """Return the instants where a query's answer may change: every absolute time's ends."""
    found = []
    for event in events:
        for when in (event.occurred, event.reported):
            try:
                found.extend((when.earliest, when.latest))
            except TimelineError:  # a relative time: its anchor's ends are drawn instead
                continue
    return found


_LOGS = revised_logs(max_size=8)  # built once: building the strategy costs more than a draw


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """Draw a log with revisions and a query at its own boundaries (or at no limit)."""
    events = draw(_LOGS)
    times = st.none() | st.sampled_from(_boundaries(events))
    # Just as a revision begins to be known, it is possibly known: drawn often.
    revised = _boundaries([e for e in events if isinstance(e, Correction | Retraction)])
    known = times | st.sampled_from(revised) if revised else times
    return Case(events, draw(times), draw(known), draw(st.sampled_from((None, "us", "russia"))))


def _counted(case: Case, *, at: Any = "case") -> set[str]:
    """Return the ids of the events the situation counts for the case (or another `at`)."""
    when = case.at if at == "case" else at
    state = situation(case.events, at=when, known_at=case.known_at, known_by=case.known_by)
    return {event_id for ids in state.counted().values() for event_id in ids}


def _reports(case: Case) -> list[Event]:
    return [e for e in case.events if not isinstance(e, Correction | Retraction)]


def _dependents(case: Case, roots: set[str]) -> set[str]:
    """Return `roots` and every event whose times anchor, directly or not, to one of them."""
    found = set(roots)
    grew = True
    while grew:
        grew = False
        for event in case.events:
            anchors = {w.anchor for w in (event.occurred, event.reported) if w.anchor}
            if event.id not in found and anchors & found:
                found.add(event.id)
                grew = True
    return found


def _corrected(case: Case, event: Event) -> bool:
    """Whether `event`, as a projection folds it, is a correction's replacement."""
    return not any(event is report for report in _reports(case))


def _stated(entry: StoryEntry) -> bool:
    """Whether a reader takes the entry as fact: not struck through, not possibly withdrawn."""
    return not entry.retracted and "possibly retracted" not in entry.marks


def _told(case: Case) -> Story:
    return story(case.events, at=case.at, known_at=case.known_at, known_by=case.known_by)


def _withdrawn_everywhere(case: Case) -> set[str]:
    """Return the reports the situation counts at no valid time, as known at the case's time."""
    return {e.id for e in _reports(case)} - _counted(case, at=None)


@settings(max_examples=40)
@given(case=cases())
def test_the_story_states_what_the_situation_counts(case: Case) -> None:
    """The story states as fact exactly the reports the situation counts, corrected as it is."""
    state = situation(case.events, at=case.at, known_at=case.known_at, known_by=case.known_by)
    counted = {i for ids in state.counted().values() for i in ids}
    entries = {entry.id: entry for entry in _told(case).entries}
    placed = {i for i, entry in entries.items() if entry.occurred is not None}
    assert {i for i in placed if _stated(entries[i])} == counted
    folded, _ = facts(case.events, case.at, case.known_at, case.known_by)
    for fact in folded:
        if withdraws(type(fact.event)):
            # A withdrawal is told with what it took back, not by the ids its label names.
            name = withdrawer(fact.event).name
            assert entries[fact.id].text.startswith(_capital(f"{name} withdrew "))
            continue
        assert entries[fact.id].text.startswith(_capital(label(fact.event).rstrip(".").rstrip()))
        assert ("corrected" in entries[fact.id].marks) == _corrected(case, fact.event)
    for report in state.general:
        assert entries[report.id].text.startswith(_capital(report.label.rstrip(".").rstrip()))


@settings(max_examples=40)
@given(case=cases())
def test_the_story_strikes_through_only_what_the_situation_withdrew(case: Case) -> None:
    """A struck-through report would count but for a retraction; every such report is struck."""
    entries = _told(case).entries
    struck = {entry.id for entry in entries if entry.retracted}
    # The page tells the same story, struck through where the story is.
    assert {entry.id for entry in entries if story_runs(entry)[0][0] == "struck"} == struck
    everywhere = situation(case.events, known_at=case.known_at, known_by=case.known_by)
    doubted = {mark.event for mark in everywhere.possibly_revised}
    reports_only = Case(_reports(case), case.at, case.known_at, case.known_by)
    would_count = _counted(reports_only)
    assert struck <= would_count - _counted(case) - doubted
    withdrawn = _withdrawn_everywhere(case)
    assert struck <= withdrawn
    # A correction may move a report, or what its times are relative to, out of reach.
    moved = _dependents(
        case, {t for e in case.events if isinstance(e, Correction) for t in e.targets}
    )
    unresolved = {item.event for item in everywhere.unresolved}
    assert (would_count & withdrawn) - moved - doubted - unresolved <= struck


@settings(max_examples=40)
@given(case=cases())
def test_the_story_marks_what_the_situation_says_may_be_revised(case: Case) -> None:
    """Each told report whose standing is in doubt carries the situation's doubts, no other."""
    state = situation(case.events, at=case.at, known_at=case.known_at, known_by=case.known_by)
    doubts: dict[str, set[str]] = {}
    for mark in state.possibly_revised:
        doubts.setdefault(mark.event, set()).add(_DOUBTS[mark.effect])
    counted = {i for ids in state.counted().values() for i in ids}
    told = _told(case)
    stream = io.StringIO()
    Console(file=stream, width=400, no_color=True).print(story_view(told))
    for entry in told.entries:
        assert set(entry.marks) & set(_DOUBTS.values()) == doubts.get(entry.id, set())
        assert all(f"[{words}]" in stream.getvalue() for words in doubts.get(entry.id, ()))
    assert counted & doubts.keys() <= {entry.id for entry in told.entries}


@settings(max_examples=40)
@given(case=cases())
def test_the_marks_the_page_and_the_png_draw_agree_with_the_situation(case: Case) -> None:
    """Chart marks: struck where withdrawn at every valid time, corrected as counted, doubts."""
    picture = layout(case.events, known_at=case.known_at, known_by=case.known_by)
    marks = {mark.id: mark for mark in picture.marks}
    everywhere = _counted(case, at=None)
    state = situation(case.events, known_at=case.known_at, known_by=case.known_by)
    doubts: dict[str, set[str]] = {}
    for possible in state.possibly_revised:
        doubts.setdefault(possible.event, set()).add(_DOUBTS[possible.effect])
    for event_id, mark in marks.items():
        assert set(mark.doubts) == doubts.get(event_id, set())
        if mark.revision == "retracted":
            assert event_id not in everywhere
            assert event_id not in doubts
    folded, _ = facts(case.events, None, case.known_at, case.known_by)
    for fact in folded:
        mark = marks[fact.id]
        assert mark.revision != "retracted"
        if _corrected(case, fact.event):
            assert mark.revision == "corrected"
            assert mark.revised_label == label(fact.event)
        else:
            assert mark.revised_label is None
    told = _told(attrs.evolve(case, at=None))
    for entry in told.entries:
        assert entry.retracted == (marks[entry.id].revision == "retracted")


@settings(max_examples=40)
@given(case=cases())
def test_the_console_shows_what_the_situation_counts_and_doubts(case: Case) -> None:
    """The console's tables name each counted report, and list each possible revision."""
    state = situation(case.events, at=case.at, known_at=case.known_at, known_by=case.known_by)
    stream = io.StringIO()
    make_console(stream, color=False).print(situation_view(state))
    text = stream.getvalue()
    for item in (*state.strikes, *state.casualties, *state.statements, *state.general):
        assert re.search(rf"\b{re.escape(item.id)}\b", text)
    shown = re.findall(r"possibly revised: event '([^']+)' may have been (\w+) by", text)
    assert sorted(shown) == sorted((m.event, m.effect) for m in state.possibly_revised)


@settings(max_examples=40)
@given(case=cases())
def test_the_tables_hold_what_the_situation_counts(case: Case) -> None:
    """One row per counted report, and a corrected report's row is its correction's."""
    rows = table_rows(case.events, at=case.at, known_at=case.known_at, known_by=case.known_by)
    assert {row["id"] for row in rows} == _counted(case)
    folded, _ = facts(case.events, case.at, case.known_at, case.known_by)
    summaries = {fact.id: fact.event.summary for fact in folded}
    assert {row["id"]: row["summary"] for row in rows} == summaries


_STRUCK = re.compile(r"^(?:[?≈] )?✗ <s>")


@settings(max_examples=40)
@given(events=_LOGS)
def test_timelinejs_states_what_the_situation_counts(events: list[Event]) -> None:
    """Slides state as fact exactly the reports the situation counts; withdrawn ones struck."""
    case = Case(events, None, None, None)
    reports = {e.id for e in _reports(case)}
    slides = {
        slide["unique_id"]: slide["text"]["headline"]
        for slide in to_timelinejs(events, title="t")["events"]
        if slide["unique_id"] in reports
    }
    stated = {i for i, headline in slides.items() if not _STRUCK.match(headline)}
    assert stated == _counted(case)
    assert slides.keys() - stated <= _withdrawn_everywhere(case)
    folded, _ = facts(events)
    for fact in folded:
        assert html.escape(label(fact.event), quote=True) in slides[fact.id]


def test_a_revision_acts_on_every_event_it_names_in_order() -> None:
    """A retraction withdraws each event it names; a correction replaces each with its own."""
    when = When.on("2023-03-14", tz="UTC")
    killed = CasualtiesReported(
        id="killed", occurred=when, reported=when, killed=Quantity.exactly(3)
    )
    hurt = CasualtiesReported(id="hurt", occurred=when, reported=when, injured=Quantity.exactly(9))
    withdrawn = Retraction(
        id="deleted", occurred=when, reported=when, retracts="killed", also_retracts=("hurt",)
    )
    fixed = Correction(
        id="fixed",
        occurred=when,
        reported=when,
        corrects="killed",
        replacement=attrs.evolve(killed, killed=Quantity.exactly(2)),
        more_replacements=(attrs.evolve(hurt, injured=Quantity.exactly(7)),),
    )
    assert [(a.target, a.kind) for a in acts(withdrawn)] == [
        ("killed", "retracted"),
        ("hurt", "retracted"),
    ]
    assert [(a.target, a.replacement) for a in acts(fixed)] == [
        ("killed", fixed.replacement),
        ("hurt", fixed.more_replacements[0]),
    ]
    assert acts(killed) == ()
