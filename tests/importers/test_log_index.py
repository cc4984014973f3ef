"""What importers look back at: each stored report as its latest correction has it."""

from __future__ import annotations

from timeline import Actor, Correction, Retraction, StatementMade, When
from timeline.importers import LogIndex

DAY = When.on("2015-09-30", tz="Asia/Damascus")
LATER = When.on("2015-10-01", tz="Asia/Damascus")
RUSSIA = Actor(id="russia", name="Russia")


def _said(event_id: str, quote: str) -> StatementMade:
    return StatementMade(id=event_id, occurred=DAY, reported=DAY, speaker=RUSSIA, quote=quote)


def test_a_correction_of_several_reports_updates_each_of_them() -> None:
    """Each report a correction names reads as its own replacement, not the first one's."""
    a, b = _said("a", "first"), _said("b", "second")
    fixed_a, fixed_b = _said("a", "first, corrected"), _said("b", "second, corrected")
    correction = Correction(
        id="c-1",
        occurred=LATER,
        reported=LATER,
        corrects="a",
        replacement=fixed_a,
        more_replacements=(fixed_b,),
    )
    index = LogIndex([a, b, correction])
    assert index.current("a") == fixed_a
    assert index.current("b") == fixed_b
    assert index.corrections == {"a": [correction], "b": [correction]}
    assert index.replacement(correction, "b") == fixed_b
    assert index.replacement(correction, "elsewhere") is None


def test_a_retraction_is_remembered_as_a_report_of_its_own() -> None:
    """A retraction corrects nothing: the report it withdraws still reads as stored."""
    a = _said("a", "first")
    withdrawn = Retraction(id="r-1", occurred=LATER, reported=LATER, retracts="a")
    index = LogIndex([a, withdrawn])
    assert index.current("a") == a
    assert index.current("r-1") == withdrawn
    assert index.corrections == {}
