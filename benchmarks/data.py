"""Deterministic, realistic events for the benchmarks: news of a conflict, in log order.

Events arrive roughly in the order they happen (news unfolds), over about five years. Valid
times are calendar days (half), exact hours (a third) or "about" an hour; knowledge times are
the hour of publication, in the zone of the outlet. The density is fixed (about 23 reports an
hour), so small runs share `When`s as much as big ones do, as in real news.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Iterator
from typing import Final

import attrs
import pendulum

from timeline import (
    Actor,
    ActorKind,
    CasualtiesReported,
    Correction,
    Event,
    IncidentReported,
    NotificationGiven,
    Quantity,
    Retraction,
    Source,
    SourceKind,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksHeld,
    When,
)
from timeline.model import Proposition, Stance, StanceOn

START: Final = pendulum.datetime(2015, 9, 30, tz="UTC")
SPAN_HOURS: Final = 5 * 365 * 24
PER_HOUR: Final = 1_000_000 / SPAN_HOURS  # about 23 reports an hour, whatever the count


def span_hours(count: int) -> int:
    """Return the hours `count` events span: a million span five years, fewer span less."""
    return max(1, round(count / PER_HOUR))


ZONES: Final = ("Asia/Damascus", "Europe/Moscow", "America/New_York", "UTC", "Europe/London")
PLACES: Final = ("Homs", "Hama", "Idlib", "Latakia", "Rastan", "Talbiseh", "Aleppo", "Raqqa")

ACTORS: Final = (
    Actor(id="russia", name="Russia", kind=ActorKind.STATE),
    Actor(id="us", name="United States", kind=ActorKind.STATE),
    Actor(id="syria", name="Syria", kind=ActorKind.STATE),
    Actor(id="lavrov", name="Sergei Lavrov", kind=ActorKind.PERSON, speaks_for="russia"),
    Actor(id="sohr", name="Syrian Observatory for Human Rights", kind=ActorKind.ORGANISATION),
)
SOURCES: Final = (
    Source(name="Russian defence ministry", kind=SourceKind.MILITARY),
    Source(name="Reuters", kind=SourceKind.MEDIA, url="https://www.reuters.com/"),
    Source(name="SANA", kind=SourceKind.MEDIA),
    Source(name="Local activists", kind=SourceKind.ACTIVISTS, quote="the strikes hit homes"),
)
PROPOSITIONS: Final = (
    Proposition(id="strikes-target-isis", text="The strikes targeted ISIS"),
    Proposition(id="assad-must-go", text="Assad should leave office"),
)


class _Whens:
    """Build each distinct `When` once, as a reader of real news would see them repeat."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, str], When] = {}

    def get(self, kind: str, hour: int, zone: str) -> When:
        key = (kind, hour, zone)
        when = self._cache.get(key)
        if when is None:
            instant = START.add(hours=hour).in_timezone(zone)
            if kind == "day":
                when = When.on(instant.date(), tz=zone)
            elif kind == "about":
                when = When.about(instant, dt.timedelta(hours=1))
            else:
                when = When.exact(instant)
            self._cache[key] = when
        return when


def events(count: int, *, seed: int = 8, prefix: str = "e") -> Iterator[Event]:
    """Yield `count` events with ids ``{prefix}-0``, ``{prefix}-1``, ...; same seed, same events."""
    rng = random.Random(seed)
    whens = _Whens()
    step = 1 / PER_HOUR
    for index in range(count):
        # News unfolds: the hour advances with the index, with a little jitter backwards.
        hour = max(0, int(index * step) - rng.randrange(0, 48))
        shape = rng.random()
        kind = "day" if shape < 0.5 else "exact" if shape < 0.85 else "about"
        zone = ZONES[rng.randrange(len(ZONES))]
        occurred = whens.get(kind, hour, zone)
        reported = whens.get("exact", hour + rng.randrange(1, 30), ZONES[index % 2 + 3])
        yield _event(rng, index, prefix, occurred, reported)


def varied_events(count: int, *, seed: int = 8) -> Iterator[Event]:
    """Yield `count` events: those of `events`, with every other kind of report mixed in.

    About one in twelve is a correction (of a report 30 before it), a retraction (of one 90
    before), a notification (about the report before it, or about nothing), talks announced
    and, 30 reports later, held, or an incident; each comes in log order after what it names.
    """
    recent: deque[Event] = deque(maxlen=100)
    made = 0
    for index, event in enumerate(events(count, seed=seed)):
        recent.append(event)
        for extra in _mixed_in(index, recent):
            if made == count:
                return
            made += 1
            yield extra


def _mixed_in(index: int, recent: deque[Event]) -> Iterator[Event]:
    """Yield the report at `index` (the last of `recent`), then the reports that follow it."""
    now = recent[-1]
    yield now
    if index % 60 == 59:
        old = recent[-31]
        yield Correction(
            id=f"correction-{index}",
            occurred=old.occurred,
            reported=now.reported,
            corrects=old.id,
            replacement=attrs.evolve(old, summary=f"corrected by correction-{index}"),
            reason="new figures",
        )
    if index % 150 == 149:
        old = recent[-91]
        yield Retraction(
            id=f"retraction-{index}",
            occurred=old.occurred,
            reported=now.reported,
            retracts=old.id,
            reason="not confirmed",
        )
    if index % 40 == 3:
        yield NotificationGiven(
            id=f"notification-{index}",
            occurred=now.occurred,
            reported=now.reported,
            notifier=ACTORS[index % 2],
            recipient=ACTORS[(index + 1) % 2],
            about=recent[-2].id if index % 80 == 3 else None,
        )
    if index % 80 == 5:
        yield TalksAnnounced(
            id=f"talks-announced-{index}",
            occurred=now.occurred,
            reported=now.reported,
            talks=f"talks-{index}",
            parties=(ACTORS[0], ACTORS[1]),
            topic="deconfliction",
        )
    if index % 80 == 35:
        yield TalksHeld(
            id=f"talks-held-{index}",
            occurred=now.occurred,
            reported=now.reported,
            talks=f"talks-{index - 30}",
        )
    if index % 60 == 11:
        yield IncidentReported(
            id=f"incident-{index}",
            occurred=now.occurred,
            reported=now.reported,
            sources=(SOURCES[index % 4],),
            kind="shelling",
            places=(PLACES[index % 8],),
        )


def late_events(count: int, *, span: int, seed: int = 88) -> Iterator[Event]:
    """Yield `count` late reports (ids ``late-N``): valid times anywhere in `span` hours."""
    rng = random.Random(seed)
    whens = _Whens()
    last = span + 24
    for index in range(count):
        hour = rng.randrange(span)
        occurred = whens.get("day" if index % 2 else "exact", hour, ZONES[index % len(ZONES)])
        reported = whens.get("exact", last + index, "UTC")
        yield _event(rng, index, "late", occurred, reported)


def _event(rng: random.Random, index: int, prefix: str, occurred: When, reported: When) -> Event:
    event_id = f"{prefix}-{index}"
    sources = (SOURCES[index % 4], SOURCES[(index + 1) % 4])
    choice = index % 3
    if choice == 0:
        return StrikeReported(
            id=event_id,
            occurred=occurred,
            reported=reported,
            sources=sources,
            actor=ACTORS[index % 2],
            places=(PLACES[index % 8], PLACES[(index + 3) % 8]),
            missions=Quantity.about(rng.randrange(1, 40)),
            targets=("ISIS",),
        )
    if choice == 1:
        return CasualtiesReported(
            id=event_id,
            occurred=occurred,
            reported=reported,
            sources=sources,
            killed=Quantity.at_least(rng.randrange(0, 60)),
            among="civilians",
            places=(PLACES[index % 8],),
            cause=f"{prefix}-{index - 1}",
        )
    return StatementMade(
        id=event_id,
        occurred=occurred,
        reported=reported,
        sources=sources[:1],
        speaker=ACTORS[3 + index % 2],
        quote="The strikes targeted ISIS positions and nothing else.",
        stances=(
            StanceOn(PROPOSITIONS[index % 2], Stance.SUPPORTS if index % 4 else Stance.DISPUTES),
        ),
    )
