"""The ferry story: the story tells knowledge as it was, and agrees with the projections.

At each query time, what the story marks (disputed, withdrawn, corrected) and the figures it
states are what `situation()` and `positions()` say at the same time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest

from timeline import Stance, positions, situation
from timeline.render.html import card_lines, event_cards
from timeline.render.snapshots import panel, proposition_lines
from timeline.story import Story, StoryEntry, story

from ._paths import EXAMPLES, ROOT, load_example, run_python

ferry = load_example("ferry_capsize")
EVENTS = ferry.build_events()
ZONE = ferry.ZONE


def local(hour: int, minute: int = 0, day: int = 6) -> pendulum.DateTime:
    return pendulum.datetime(2024, 6, day, hour, minute, tz=ZONE)


# Valid and knowledge times across the night and the days after, None for "every" / "all".
TIMES = (
    None,
    local(3),
    local(5),
    local(7),
    local(9, 30),
    local(11, 17),
    local(11, 30),
    local(13),
    local(11, day=7),
)


def entries(told: Story) -> dict[str, StoryEntry]:
    return {entry.id: entry for entry in told.entries}


@pytest.mark.parametrize("known_at", TIMES)
@pytest.mark.parametrize("at", TIMES)
def test_the_story_marks_what_the_situation_says(
    at: dt.datetime | None, known_at: dt.datetime | None
) -> None:
    told = entries(story(EVENTS, at=at, known_at=known_at))
    now = situation(EVENTS, at=at, known_at=known_at)
    held = positions(EVENTS, at=at, known_at=known_at)
    # Disputed: exactly the statements whose stance their actor still holds, on a
    # proposition in dispute at the query.
    in_dispute = {d.proposition.id for d in now.disputes}
    sides = {r.statement for d in now.disputes for r in (*d.asserted_by, *d.disputed_by)}
    marked = {i for i, entry in told.items() if "disputed" in entry.marks}
    assert sides <= marked
    for statement in marked:
        event = next(e for e in EVENTS if e.id == statement)
        for stance_on in event.stances:
            assert stance_on.proposition.id in in_dispute
            principal = event.speaker.principal
            assert held.stance(principal, stance_on.proposition.id) is stance_on.stance
    # Withdrawn: exactly the statements a withdrawal in the situation takes back.
    withdrawn = {target for s in now.statements for target in s.withdraws}
    assert {i for i, entry in told.items() if "withdrawn" in entry.marks} == withdrawn
    # The death toll the story states is the one the situation counts.
    for casualties in now.casualties:
        assert told[casualties.id].text.startswith(f"{casualties.killed} killed".capitalize())


def test_a_claim_is_disputed_until_its_speaker_withdraws_it() -> None:
    assert "disputed" in entries(story(EVENTS, at=local(7)))["aegis-load"].marks
    after = entries(story(EVENTS, at=local(13)))
    assert "disputed" not in after["aegis-load"].marks
    assert "disputed" not in after["union-load"].marks
    assert situation(EVENTS, at=local(13)).disputes == ()
    assert after["aegis-load"].revision == "Withdrawn by Nikos Varelas at 11:15"


def test_the_statement_was_made_and_held_until_withdrawn() -> None:
    before, after = positions(EVENTS, at=local(11)), positions(EVENTS, at=local(11, 30))
    assert before.stance("aegis-lines", "ferry-not-overloaded") is Stance.SUPPORTS
    assert after.stance("aegis-lines", "ferry-not-overloaded") is Stance.WITHDRAWN
    told = entries(story(EVENTS))
    assert not told["aegis-load"].retracted  # said, then withdrawn: not struck as false
    assert told["aegis-withdraws"].text.startswith(
        "Nikos Varelas withdrew the statement of 03:30 (“The Kalos Star was carrying"
    )
    assert told["aegis-withdraws"].text.endswith(": the manifest is under review.")


def test_every_correction_in_the_chain_is_told_with_when_it_became_known() -> None:
    toll = entries(story(EVENTS))["toll"]
    assert toll.text.startswith("64 killed")
    assert toll.revision == (
        "Killed revised from about 120 to 85, known from 09:10; "
        "then to 64, known from Fri 7 Jun 10:30"
    )
    morning = entries(story(EVENTS, known_at=local(12)))["toll"]
    assert morning.text.startswith("85 killed")
    assert morning.revision == "Killed revised from about 120 to 85, known from 09:10"
    night = entries(story(EVENTS, known_at=local(5)))["toll"]
    assert night.text.startswith("About 120 killed")
    assert night.revision is None


def test_a_vaguely_known_report_is_told_as_a_window() -> None:
    told = entries(story(EVENTS))
    assert told["distress-log"].known == "Made public between 02:40 and 12:00."
    assert told["capsized"].known == "Made public 02:40."


def test_the_script_tells_the_story_at_three_moments(tmp_path: Path) -> None:
    done = run_python(EXAMPLES / "ferry_capsize.py", "--db", tmp_path / "f.db", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "As known at 07:00 on 6 June" in out
    assert "Killed revised from about 120 to 85, known from 09:10; then to 64" in out
    assert "[withdrawn] Withdrawn by Nikos Varelas at 11:15" in out
    assert "Made public between 02:40 and 12:00." in out


def test_the_page_tags_the_statement_withdrawn_from_the_moment_it_was() -> None:
    before = panel(EVENTS, local(11), local(11))
    after = panel(EVENTS, local(13), local(13))
    assert "aegis-load" not in before["revised"]
    assert after["revised"]["aegis-load"] == [False, None, "withdrawn"]
    assert "↺ withdrew what it said: Aegis Lines (Nikos Varelas)" in proposition_lines(after)
    assert "✓ supports: Aegis Lines (Nikos Varelas)" in proposition_lines(before)


def test_the_event_card_says_when_it_was_known_as_vaguely_as_it_was() -> None:
    lines = card_lines(event_cards(EVENTS)["distress-log"])
    known = lines[lines.index("Known") + 1]
    assert known.startswith("2024-06-06 02:40 +03:00 Europe/Athens to 2024-06-06 12:00")
