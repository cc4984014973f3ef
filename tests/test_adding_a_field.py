"""Adding an optional field to an event type leaves stored logs as they are.

Each test gives a type a new optional field for itself alone: it defines the new class and
registers it under the type's name (`event_type` replaces a class of the same name), and the
`registry` fixture puts the original classes back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import orjson
import pytest

import timeline
from timeline import Actor, Event, Place, When, caches, event_type, events
from timeline.cli import main
from timeline.log import open_log
from timeline.model import as_places
from timeline.serialization import decode, dump_jsonl, encode

from .examples._paths import DATASET
from .test_golden_records import GOLDEN, load_golden

DAY = When.on("2015-09-30", tz="Asia/Damascus")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let a test re-register event types; the registry is restored and caches emptied after."""
    monkeypatch.setattr(events, "_by_name", dict(events._by_name))
    monkeypatch.setattr(events, "_by_class", dict(events._by_class))
    yield
    caches.clear()


def _register_as(name: str, version: int, cls: type[Event], qualname: str) -> type[Event]:
    # `event_type` replaces a registered class only by one of the same qualified name.
    cls.__qualname__ = qualname
    return event_type(name, version=version)(cls)


def strike_with_a_weapon() -> type[Event]:
    """Register, in place of the built-in `StrikeReported`, one with a `weapon` field."""

    @attrs.frozen(kw_only=True)
    class StrikeReported(timeline.StrikeReported):
        weapon: str | None = attrs.field(default=None)

    return _register_as("strike_reported", 2, StrikeReported, "StrikeReported")


def _import(capsys: pytest.CaptureFixture[str], path: Path, url: str) -> dict[str, object]:
    assert main(["import", str(path), "--store", url, "--json", "--quiet"]) == 0
    result: dict[str, object] = orjson.loads(capsys.readouterr().out)
    return result


def _verify(url: str) -> int:
    with open_log(url) as log:
        return log.verify()


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("written_by", ["this release", "the release that wrote every field"])
def test_a_new_optional_field_of_a_built_in_type_reimports_the_2015_dataset_as_no_ops(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, written_by: str
) -> None:
    """After StrikeReported gains `weapon`, importing the 2015 file again adds nothing."""
    url = f"sqlite:///{tmp_path / 'before.db'}"
    if written_by == "this release":
        assert _import(capsys, DATASET, url)["added"] == 22
    else:
        with open_log(url) as log:
            load_golden(log, GOLDEN / "sept30_oct1_2015_every_field.jsonl")
    with open_log(url) as log:
        stored = [(r.type, r.payload) for r in log.read()]
        head = (log.version, log.head_hash)

    armed = strike_with_a_weapon()
    result = _import(capsys, DATASET, url)
    assert (result["added"], result["already_there"]) == (0, 22)
    assert _verify(url) == 22
    with open_log(url) as log:
        assert (log.version, log.head_hash) == head
        strikes = [r.event for r in log.read() if r.type == "strike_reported"]
    assert strikes
    assert all(type(s) is armed and s.weapon is None for s in strikes)  # type: ignore[attr-defined]
    if written_by == "this release":  # the new field, unset, changes no byte
        assert [encode(s) for s in strikes] == [p for t, p in stored if t == "strike_reported"]


@pytest.mark.usefixtures("registry")
def test_a_new_optional_field_of_a_user_type_reimports_as_no_ops(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A user's type gains an optional field: its earlier events import again as no-ops."""

    @attrs.frozen(kw_only=True)
    class CeasefireDeclared(Event):
        parties: tuple[Actor, ...]

    _register_as("adding.ceasefire_declared", 1, CeasefireDeclared, "CeasefireDeclared")
    russia = Actor(id="russia", name="Russia")
    before = [
        CeasefireDeclared(id=f"c-{n}", occurred=DAY, reported=DAY, parties=(russia,))
        for n in range(3)
    ]
    exported = tmp_path / "ceasefires.jsonl"
    with exported.open("w", encoding="utf-8") as out:
        dump_jsonl(before, out)
    url = f"sqlite:///{tmp_path / 'before.db'}"
    assert _import(capsys, exported, url)["added"] == 3

    @attrs.frozen(kw_only=True)
    class CeasefireDeclaredWithTerms(Event):
        parties: tuple[Actor, ...]
        terms: str | None = None

    later = _register_as(
        "adding.ceasefire_declared", 1, CeasefireDeclaredWithTerms, "CeasefireDeclared"
    )
    result = _import(capsys, exported, url)
    assert (result["added"], result["already_there"]) == (0, 3)
    with open_log(url) as log:
        assert log.verify() == 3
        again = log.append(
            *(later(id=e.id, occurred=DAY, reported=DAY, parties=(russia,)) for e in before)
        )
        assert [r.position for r in again] == [1, 2, 3]
        with pytest.raises(timeline.DuplicateEventError, match="'c-0'"):
            log.append(later(id="c-0", occurred=DAY, reported=DAY, parties=(russia,), terms="x"))
        assert log.verify() == 3


@pytest.mark.usefixtures("registry")
def test_a_new_tuple_field_defaulting_to_empty_changes_no_stored_byte() -> None:
    """A `places` field added with the default ``()`` leaves every existing event's bytes."""
    held = timeline.TalksHeld(id="held", occurred=DAY, reported=DAY, talks="t", outcome="none")
    before = encode(held)

    @attrs.frozen(kw_only=True)
    class TalksHeld(timeline.TalksHeld):
        places: tuple[Place, ...] = attrs.field(default=(), converter=as_places)

    with_places = _register_as("talks_held", 1, TalksHeld, "TalksHeld")
    same_talks = with_places(id="held", occurred=DAY, reported=DAY, talks="t", outcome="none")
    assert encode(same_talks) == before
    assert decode(before) == same_talks
    placed = attrs.evolve(same_talks, places=["Geneva"])
    assert orjson.loads(encode(placed))["places"] == [{"name": "Geneva"}]
