"""Varied benchmark events as JSON Lines that ``timeline import FILE --format jsonl`` reads.

    PYTHONPATH=. python -m benchmarks.varied --events 1000000 --out varied.jsonl

Unlike `benchmarks.data`, whose times repeat, every event here has times of its own. News
arrives over five years (2019 to 2023): the n-th report is published at the n-th step of that
span, with a few minutes of jitter, and tells of something that happened a random delay
before (a minute to a month, most within a day):

- valid times in about forty IANA zones: exact instants at random minutes and seconds,
  calendar days, hours and months, intervals, parts of a day, "about X, give or take a
  margin", and a few times relative to an earlier event ("two hours before the strikes",
  "later that day");
- knowledge times: the instant of publication, in the outlet's zone;
- strikes, casualty reports (tied to a strike or not), incidents, statements with stances on
  propositions, withdrawals of statements, notifications from one actor to another (about an
  earlier event, some ahead of time), talks announced then held or cancelled, and evacuation
  orders (`benchmarks.varied_types`, a plugin type);
- corrections, some of events corrected before (chains), some of several events at once, and
  retractions, of reports and of corrections, some of several events;
- thousands of actors, places and sources, a few of them in most reports, most rarely.

The generator streams: it holds a bounded window of recent events (to correct, retract,
withdraw or anchor on) and nothing else, so ten million events take the memory a thousand
do. The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
import orjson
import pendulum

from benchmarks.varied_types import EvacuationOrdered
from timeline import (
    Actor,
    ActorKind,
    CasualtiesReported,
    Correction,
    Event,
    Figure,
    IncidentReported,
    NotificationGiven,
    Place,
    Quantity,
    Retraction,
    Source,
    SourceKind,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    When,
    Withdrawal,
)
from timeline.model import Proposition, PropositionKind, Stance, StanceOn
from timeline.serialization import encode
from timeline.when import DayPart, Precision

__all__ = ["GENERATOR", "START", "Summary", "events", "write_varied"]

GENERATOR: Final = 1
"""The version of what `events` yields: caches of generated files name it."""

START: Final = pendulum.datetime(2019, 1, 1, tz="UTC")
SPAN_SECONDS: Final = 5 * 365 * 86_400
T = TypeVar("T")

WINDOW: Final = 2_000
"""How many recent events the generator remembers to revise, withdraw or anchor on."""

ZONES: Final = (
    "UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Kyiv", "Europe/Moscow",
    "Europe/Istanbul", "Europe/Madrid", "Europe/Warsaw", "Europe/Athens", "Asia/Damascus",
    "Asia/Beirut", "Asia/Jerusalem", "Asia/Baghdad", "Asia/Tehran", "Asia/Riyadh", "Asia/Dubai",
    "Asia/Kabul", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka",
    "Asia/Yangon", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Asia/Manila",
    "Australia/Sydney", "Australia/Adelaide", "Pacific/Auckland", "Africa/Cairo",
    "Africa/Lagos", "Africa/Nairobi", "Africa/Johannesburg", "Africa/Khartoum",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Sao_Paulo", "America/Bogota", "America/Mexico_City", "America/St_Johns",
)  # fmt: skip

_SYLLABLES: Final = (
    "ka", "ri", "mo", "sa", "lu", "te", "na", "vo", "di", "ze", "ha", "qu", "bel", "dor", "an",
    "is", "or", "um", "ta", "fi", "ro", "ga", "ne", "ul", "esh", "mar", "kin", "sol", "tav",
)  # fmt: skip
_TARGETS: Final = ("depot", "bridge", "checkpoint", "convoy", "airfield", "radar", "port")
_INCIDENTS: Final = ("shelling", "fire", "flood", "power outage", "protest", "raid", "blast")
_AMONG: Final = ("civilians", "soldiers", "fighters", "children", "aid workers", None)
_TOPICS: Final = ("ceasefire", "prisoner exchange", "humanitarian corridor", "deconfliction")
_OUTCOMES: Final = ("no agreement", "a truce for 72 hours", "talks to resume", None)
_QUOTES: Final = (
    "We will not accept this.",
    "The strikes hit only military targets.",
    "Civilians must be protected.",
    "Talks are the only way forward.",
)


def _name(rng: random.Random, words: int) -> str:
    return " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(words)
    )


def _actors(rng: random.Random, count: int) -> tuple[Actor, ...]:
    """Return `count` actors: states, groups and organisations, and people speaking for some."""
    made: list[Actor] = []
    kinds = (ActorKind.STATE, ActorKind.ARMED_GROUP, ActorKind.ORGANISATION, ActorKind.MILITARY)
    for n in range(count):
        if n >= 50 and rng.random() < 0.4:
            principal = made[rng.randrange(min(n, 200))]
            made.append(
                Actor(
                    id=f"actor-{n}",
                    name=_name(rng, 2),
                    kind=ActorKind.PERSON,
                    speaks_for=principal.id,
                    principal_name=principal.name,
                    role=rng.choice(("minister", "spokesperson", "commander", None)),
                )
            )
        else:
            made.append(Actor(id=f"actor-{n}", name=_name(rng, 1), kind=rng.choice(kinds)))
    return tuple(made)


def _places(rng: random.Random, count: int) -> tuple[Place, ...]:
    return tuple(
        Place(
            name=_name(rng, 1),
            country=f"C{n % 60:02d}",
            admin=(_name(rng, 1),) if n % 3 else (),
            latitude=round(rng.uniform(-40, 60), 4) if n % 4 else None,
            longitude=round(rng.uniform(-80, 140), 4) if n % 4 else None,
        )
        for n in range(count)
    )


def _sources(rng: random.Random, count: int) -> tuple[Source, ...]:
    kinds = tuple(SourceKind)
    return tuple(
        Source(
            name=f"{_name(rng, 2)} {n}",
            kind=kinds[n % len(kinds)],
            url=f"https://news{n}.example/" if n % 2 else None,
        )
        for n in range(count)
    )


@attrs.frozen
class Summary:
    """What a generated file holds: counts per type and the span of its times."""

    events: int
    types: dict[str, int]
    first_valid: str
    last_valid: str
    first_known: str
    last_known: str
    relative: int


class _Generator:
    """The state of one stream: the pools, the recent window and the pending talks."""

    def __init__(self, seed: int) -> None:
        pools = random.Random(seed * 7919 + 1)
        self.actors = _actors(pools, 4_000)
        self.places = _places(pools, 3_000)
        self.sources = _sources(pools, 2_000)
        self.propositions = tuple(
            Proposition(
                id=f"prop-{n}",
                text=f"{_name(pools, 2)} is to blame ({n})",
                kind=PropositionKind.POLICY if n % 5 == 0 else PropositionKind.CLAIM,
            )
            for n in range(300)
        )
        self.rng = random.Random(seed)
        self.reports: OrderedDict[str, Event] = OrderedDict()  # id: its latest version
        self.corrected: deque[str] = deque(maxlen=200)
        self.corrections: deque[str] = deque(maxlen=200)
        self.statements: deque[StatementMade] = deque(maxlen=500)
        self.strikes: deque[str] = deque(maxlen=200)
        self.anchors: deque[tuple[str, float]] = deque(maxlen=WINDOW)  # absolute occurred
        self.talks: deque[tuple[str, tuple[Actor, ...]]] = deque(maxlen=300)

    def index(self, size: int) -> int:
        """Return an index below `size`, the first ones far more often (a long tail)."""
        return int(size * self.rng.random() ** 2.5)

    def pick(self, pool: tuple[T, ...]) -> T:
        """Return an item of `pool`, the first ones far more often."""
        return pool[self.index(len(pool))]

    def few(self, pool: tuple[T, ...], most: int) -> tuple[T, ...]:
        """Return one to `most` different items of `pool`, in the pool's order."""
        chosen = sorted({self.index(len(pool)) for _ in range(self.rng.randint(1, most))})
        return tuple(pool[n] for n in chosen)

    def occurred(self, event_id: str, now: float) -> tuple[When, float | None]:
        """Return a valid time before `now` (seconds) and its instant, None when relative."""
        rng = self.rng
        zone = rng.choice(ZONES)
        shape = rng.random()
        if shape < 0.03 and self.anchors:
            anchor, at = self.anchors[rng.randrange(len(self.anchors))]
            if rng.random() < 0.3:
                return When.later_that_day(to=anchor, phrase="later that day"), None
            hours = rng.randint(1, 12)
            before = rng.random() < 0.7 or at + hours * 3600 > now
            offset = dt.timedelta(hours=-hours if before else hours)
            margin = dt.timedelta(minutes=30) if rng.random() < 0.3 else None
            return When.relative(to=anchor, offset=offset, margin=margin), None
        # A delay from a minute to a month, most within a day.
        delay = math.exp(rng.uniform(math.log(60), math.log(30 * 86_400)) * rng.random() ** 0.3)
        at = float(int(now - delay))
        instant = pendulum.from_timestamp(at, tz=zone)
        if shape < 0.36:
            when = When.exact(instant)
        elif shape < 0.58:
            when = When.on(instant.date(), tz=zone)
        elif shape < 0.62:
            when = When.within(instant, Precision.HOUR)
        elif shape < 0.66:
            when = When.within(instant, Precision.MONTH)
        elif shape < 0.78:
            span = dt.timedelta(minutes=rng.randint(10, 3 * 24 * 60))
            when = When.between(instant - span, instant)
        elif shape < 0.82:
            part = DayPart(("night", "morning", "afternoon", "evening")[instant.hour // 6])
            when = When.during(instant.date(), part, tz=zone)
        else:
            margin = dt.timedelta(minutes=rng.choice((5, 15, 30, 60, 180, 720, 2880)))
            when = When.about(instant, margin)
        self.anchors.append((event_id, at))
        return when, at

    def reported(self, now: float, source: int) -> When:
        zone = ZONES[source % len(ZONES)]
        return When.exact(pendulum.from_timestamp(float(int(now)), tz=zone))

    def quantity(self, low: int, high: int) -> Quantity:
        rng = self.rng
        n = rng.randint(low, high)
        shape = rng.random()
        if shape < 0.3:
            return Quantity.exactly(n)
        if shape < 0.55:
            return Quantity.about(n)
        if shape < 0.8:
            return Quantity.at_least(n)
        if shape < 0.9:
            return Quantity.at_most(n)
        return Quantity.between(n, n + rng.randint(1, 20))

    def event(self, index: int, now: float) -> Event:
        """Return the report published at `now`, the `index`-th of the stream."""
        rng = self.rng
        draw = rng.random()
        revising = len(self.reports) > 50
        if draw < 0.06 and revising:
            return self.correction(index, now)
        if draw < 0.08 and revising:
            return self.retraction(index, now)
        if draw < 0.095 and self.statements:
            return self.withdrawal(index, now)
        if draw < 0.115 and self.talks:
            return self.talks_outcome(index, now)
        event_id = f"ev-{index}"
        occurred, _ = self.occurred(event_id, now)
        outlet = self.index(len(self.sources))
        sources = (self.sources[outlet], *self.few(self.sources, 2)[: rng.randint(0, 2)])
        common: dict[str, Any] = {
            "id": event_id,
            "occurred": occurred,
            "reported": self.reported(now, outlet),
            "sources": tuple(dict.fromkeys(sources)),
            "summary": f"report {index}" if rng.random() < 0.2 else None,
        }
        for below, make in self.makers:
            if draw < below:
                return make(common)
        return self.evacuation(common)

    @property
    def makers(self) -> tuple[tuple[float, Callable[[dict[str, Any]], Event]], ...]:
        """The reports other than revisions, each below its bound of the draw."""
        return (
            (0.38, self.strike),
            (0.60, self.casualties),
            (0.76, self.statement),
            (0.82, self.incident),
            (0.88, self.notification),
            (0.91, self.talks_announced),
        )

    def strike(self, common: dict[str, Any]) -> Event:
        rng = self.rng
        event = StrikeReported(
            **common,
            actor=None if rng.random() < 0.05 else self.pick(self.actors),
            places=self.few(self.places, 3),
            missions=self.quantity(1, 60) if rng.random() < 0.7 else None,
            targets=tuple(rng.sample(_TARGETS, rng.randint(0, 2))),
        )
        self.strikes.append(event.id)
        self.remember(event)
        return event

    def casualties(self, common: dict[str, Any]) -> Event:
        rng = self.rng
        event = CasualtiesReported(
            **common,
            killed=self.quantity(0, 200),
            injured=self.quantity(0, 400) if rng.random() < 0.5 else None,
            among=rng.choice(_AMONG),
            places=self.few(self.places, 2),
            cause=rng.choice(self.strikes) if self.strikes and rng.random() < 0.5 else None,
        )
        self.remember(event)
        return event

    def statement(self, common: dict[str, Any]) -> Event:
        rng = self.rng
        stances = tuple(
            StanceOn(p, rng.choice((Stance.SUPPORTS, Stance.OPPOSES, Stance.DISPUTES)))
            for p in self.few(self.propositions, 3)
        )
        event = StatementMade(
            **common, speaker=self.pick(self.actors), quote=rng.choice(_QUOTES), stances=stances
        )
        self.statements.append(event)
        return event

    def incident(self, common: dict[str, Any]) -> Event:
        rng = self.rng
        evacuated = (Figure("evacuated", self.quantity(10, 5000)),)
        event = IncidentReported(
            **common,
            kind=rng.choice(_INCIDENTS),
            actors=self.few(self.actors, 2) if rng.random() < 0.6 else (),
            places=self.few(self.places, 2),
            figures=evacuated if rng.random() < 0.4 else (),
        )
        self.remember(event)
        return event

    def notification(self, common: dict[str, Any]) -> Event:
        rng = self.rng
        notifier, recipient = self.pick(self.actors), self.pick(self.actors)
        if notifier == recipient:
            recipient = self.actors[(self.actors.index(notifier) + 1) % len(self.actors)]
        recent = list(islice(reversed(self.reports), 20)) if rng.random() < 0.6 else []
        ahead = dt.timedelta(minutes=rng.randint(5, 240)) if rng.random() < 0.3 else None
        return NotificationGiven(
            **common,
            notifier=notifier,
            recipient=recipient,
            about=rng.choice(recent) if recent else None,
            lead_time=ahead,
        )

    def talks_announced(self, common: dict[str, Any]) -> Event:
        parties = self.few(self.actors, 4)
        talks = f"talks-{common['id']}"
        self.talks.append((talks, parties))
        topic = self.rng.choice(_TOPICS)
        return TalksAnnounced(**common, talks=talks, parties=parties, topic=topic)

    def evacuation(self, common: dict[str, Any]) -> Event:
        rng = self.rng
        event = EvacuationOrdered(
            **common,
            authority=self.pick(self.actors),
            places=self.few(self.places, 4),
            people=self.quantity(50, 20_000) if rng.random() < 0.8 else None,
        )
        self.remember(event)
        return event

    def remember(self, event: Event) -> None:
        self.reports[event.id] = event
        self.reports.move_to_end(event.id)
        while len(self.reports) > WINDOW:
            self.reports.popitem(last=False)

    def target(self) -> Event:
        """Return a recent report to revise: often one corrected before (a chain)."""
        rng = self.rng
        if self.corrected and rng.random() < 0.3:
            event_id = rng.choice(self.corrected)
            if event_id in self.reports:
                return self.reports[event_id]
        ids = list(self.reports)
        return self.reports[ids[-1 - int(len(ids) * rng.random() ** 2)]]

    def revised(self, old: Event, index: int) -> Event:
        rng = self.rng
        if isinstance(old, CasualtiesReported):
            return attrs.evolve(old, killed=self.quantity(0, 250), summary=f"revised {index}")
        if isinstance(old, StrikeReported):
            return attrs.evolve(old, missions=self.quantity(1, 80), actor=self.pick(self.actors))
        if isinstance(old, EvacuationOrdered):
            return attrs.evolve(old, people=self.quantity(50, 30_000))
        return attrs.evolve(old, summary=f"revised {index}: {rng.choice(_INCIDENTS)}")

    def correction(self, index: int, now: float) -> Correction:
        rng = self.rng
        old = self.target()
        more: list[Event] = []
        if rng.random() < 0.1:
            for _ in range(rng.randint(1, 2)):
                other = self.target()
                if other.id != old.id and other.id not in {e.id for e in more}:
                    more.append(self.revised(other, index))
        replacement = self.revised(old, index)
        event_id = f"corr-{index}"
        correction = Correction(
            id=event_id,
            occurred=old.occurred,
            reported=self.reported(now, index),
            sources=self.few(self.sources, 2),
            corrects=old.id,
            replacement=replacement,
            more_replacements=tuple(more),
            reason=rng.choice(("new figures", "wrong place", "misattributed", None)),
        )
        for new in (replacement, *more):
            self.remember(new)
            self.corrected.append(new.id)
        self.corrections.append(event_id)
        return correction

    def retraction(self, index: int, now: float) -> Retraction:
        rng = self.rng
        if self.corrections and rng.random() < 0.1:
            first = rng.choice(self.corrections)
            occurred = self.reported(now, index)
        else:
            old = self.target()
            first, occurred = old.id, old.occurred
        also: tuple[str, ...] = ()
        if rng.random() < 0.15:
            other = self.target().id
            also = (other,) if other != first else ()
        for gone in (first, *also):
            self.reports.pop(gone, None)
        return Retraction(
            id=f"retr-{index}",
            occurred=occurred,
            reported=self.reported(now, index),
            sources=self.few(self.sources, 1),
            retracts=first,
            also_retracts=also,
            reason=rng.choice(("not confirmed", "fabricated", "duplicate", None)),
        )

    def withdrawal(self, index: int, now: float) -> Withdrawal:
        rng = self.rng
        said = self.statements[rng.randrange(len(self.statements))]
        also = tuple(
            s.id
            for s in list(self.statements)[-10:]
            if s.speaker == said.speaker and s.id != said.id
        )[:1]
        event_id = f"wd-{index}"
        occurred, _ = self.occurred(event_id, now)
        return Withdrawal(
            id=event_id,
            occurred=occurred,
            reported=self.reported(now, index),
            withdraws=said.id,
            also_withdraws=also,
            speaker=said.speaker,
            reason=rng.choice(("misquoted", "policy changed", None)),
        )

    def talks_outcome(self, index: int, now: float) -> TalksHeld | TalksCancelled:
        rng = self.rng
        talks, parties = self.talks.popleft()
        event_id = f"talks-{'held' if rng.random() < 0.8 else 'off'}-{index}"
        occurred, _ = self.occurred(event_id, now)
        common: dict[str, Any] = {
            "id": event_id,
            "occurred": occurred,
            "reported": self.reported(now, index),
        }
        if event_id.startswith("talks-held"):
            return TalksHeld(**common, talks=talks, parties=parties, outcome=rng.choice(_OUTCOMES))
        return TalksCancelled(**common, talks=talks, reason="a party withdrew")


def events(count: int, *, seed: int = 1) -> Iterator[Event]:
    """Yield `count` varied events in the order they are published; same seed, same events."""
    generator = _Generator(seed)
    step = SPAN_SECONDS / max(count, 1)
    start = START.timestamp()
    jitter = min(step, 600.0)
    for index in range(count):
        now = start + index * step + generator.rng.random() * jitter
        yield generator.event(index, now)


def write_varied(path: Path, count: int, *, seed: int = 1) -> Summary:
    """Write `count` varied events to `path` as JSON Lines (the library's encoder); summarise."""
    types: dict[str, int] = {}
    first_valid = last_valid = first_known = last_known = None
    relative = 0
    with path.open("wb") as stream:
        for event in events(count, seed=seed):
            stream.write(encode(event) + b"\n")
            name = type(event).__name__
            types[name] = types.get(name, 0) + 1
            known = event.reported.earliest
            if first_known is None or known < first_known:
                first_known = known
            if last_known is None or known > last_known:
                last_known = known
            if event.occurred.is_relative:
                relative += 1
                continue
            earliest, latest = event.occurred.earliest, event.occurred.latest
            if first_valid is None or earliest < first_valid:
                first_valid = earliest
            if last_valid is None or latest > last_valid:
                last_valid = latest
    assert first_valid is not None
    assert last_valid is not None
    assert first_known is not None
    assert last_known is not None
    return Summary(
        count,
        dict(sorted(types.items())),
        first_valid.in_timezone("UTC").isoformat(),
        last_valid.in_timezone("UTC").isoformat(),
        first_known.in_timezone("UTC").isoformat(),
        last_known.in_timezone("UTC").isoformat(),
        relative,
    )


def main(argv: list[str] | None = None) -> None:
    """Write the file; print its summary as one JSON line (with the seconds it took)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = write_varied(args.out, args.events, seed=args.seed)
    figures = {**attrs.asdict(summary), "seconds": time.perf_counter() - started}
    sys.stdout.write(orjson.dumps(figures).decode() + "\n")


if __name__ == "__main__":
    main()
