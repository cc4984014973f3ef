"""The situation at a point in time: strikes, casualties, talks, notifications, open disputes."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import Final

import attrs
import pendulum

from timeline.events import (
    CasualtiesReported,
    Event,
    NotificationGiven,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
)
from timeline.log import EventLog
from timeline.model import Actor, Proposition, Quantity, Source, Stance
from timeline.projections.base import Query, project
from timeline.projections.knowledge import Fact, Unresolved
from timeline.projections.persistent import Chain, PMap
from timeline.projections.positions import StanceRecord, Stances
from timeline.when import When

__all__ = [
    "SITUATION",
    "Casualties",
    "Dispute",
    "Notification",
    "Situation",
    "SituationProjection",
    "Strike",
    "Talks",
    "TalksStatus",
    "situation",
]


def _when(when: When) -> str:
    return when.to_edtf(lossy=True)


def _names(actors: Iterable[Actor]) -> str:
    return ", ".join(actor.name for actor in actors)


@attrs.frozen
class Strike:
    """A reported strike: who, when, where, how many missions, what the source says was hit."""

    id: str
    actor: Actor
    occurred: When
    places: tuple[str, ...] = ()
    missions: Quantity | None = None
    targets: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()

    def __str__(self) -> str:
        text = f"by {self.actor.name} at {_when(self.occurred)}"
        if self.places:
            text += f" in {', '.join(self.places)}"
        if self.missions is not None:
            text += f", {self.missions} missions"
        if self.targets:
            text += f", targets {', '.join(self.targets)}"
        return text


@attrs.frozen
class Casualties:
    """A reported casualty figure."""

    id: str
    occurred: When
    killed: Quantity | None = None
    injured: Quantity | None = None
    among: str | None = None
    places: tuple[str, ...] = ()
    cause: str | None = None
    sources: tuple[Source, ...] = ()

    def __str__(self) -> str:
        parts = [
            f"{label} {n}" for label, n in (("killed", self.killed), ("injured", self.injured)) if n
        ]
        text = ", ".join(parts) + (f" among {self.among}" if self.among else "")
        if self.places:
            text += f" in {', '.join(self.places)}"
        return text + (f" (cause {self.cause})" if self.cause else "")


class TalksStatus(enum.Enum):
    """Where announced talks stand."""

    OPEN = "open"
    HELD = "held"
    CANCELLED = "cancelled"


@attrs.frozen
class Talks:
    """Talks: announced (when, by whom, scheduled for when), then held, cancelled or still open.

    Attributes:
        talks: the talks' id, shared by their announcement, holding and cancellation.
        announcement: the id of the latest announcement, if one counts.
        resolution: the id of the `TalksHeld` or `TalksCancelled` event, if one counts.
        outcome: the outcome of held talks, or the reason they were cancelled.
    """

    talks: str
    status: TalksStatus
    topic: str | None = None
    parties: tuple[Actor, ...] = ()
    announced_by: tuple[Actor, ...] = ()
    announcement: str | None = None
    announced: When | None = None
    scheduled: When | None = None
    resolution: str | None = None
    outcome: str | None = None
    sources: tuple[Source, ...] = ()

    @property
    def is_open(self) -> bool:
        """Whether the talks were announced and neither held nor cancelled yet."""
        return self.status is TalksStatus.OPEN

    def __str__(self) -> str:
        text = self.status.value
        if self.topic:
            text += f", on {self.topic}"
        if self.parties:
            text += f", between {_names(self.parties)}"
        if self.scheduled is not None:
            text += f", scheduled {_when(self.scheduled)}"
        return text


@attrs.frozen
class Notification:
    """One actor told another about an event, `lead_time` before it."""

    id: str
    notifier: Actor
    recipient: Actor
    occurred: When
    about: str | None = None
    lead_time: pendulum.Duration | None = None
    content: str | None = None
    sources: tuple[Source, ...] = ()

    def __str__(self) -> str:
        text = f"{self.notifier.name} told {self.recipient.name}"
        if self.about:
            text += f" about {self.about}"
        if self.lead_time is not None:
            text += f", {self.lead_time.in_words()} before"
        return text


@attrs.frozen
class Dispute:
    """An open dispute: a proposition some actors assert and others dispute or oppose.

    Each side lists the stance records (actor, speaker, statement id, sources) behind it.
    """

    proposition: Proposition
    asserted_by: tuple[StanceRecord, ...]
    disputed_by: tuple[StanceRecord, ...]

    def __str__(self) -> str:
        asserted = ", ".join(r.actor for r in self.asserted_by)
        disputed = ", ".join(r.actor for r in self.disputed_by)
        return f"asserted by {asserted}; disputed by {disputed}"


@attrs.frozen
class Situation:
    """The situation as of a valid time, a knowledge time and a viewer.

    Attributes:
        uncertain: ids of events that count but might not have occurred (or been known) by
            `at` (or `known_at`): see `timeline.projections.knowledge`.
        unresolved: events left out because their time is relative to a missing event.
    """

    at: pendulum.DateTime | None
    known_at: pendulum.DateTime | None
    known_by: str | None
    strikes: tuple[Strike, ...] = ()
    casualties: tuple[Casualties, ...] = ()
    talks: tuple[Talks, ...] = ()
    notifications: tuple[Notification, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    uncertain: tuple[str, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()

    @property
    def open_talks(self) -> tuple[Talks, ...]:
        """The talks announced and neither held nor cancelled."""
        return tuple(t for t in self.talks if t.is_open)


@attrs.frozen
class _State:
    strikes: Chain[Strike] = attrs.field(factory=Chain)
    casualties: Chain[Casualties] = attrs.field(factory=Chain)
    notifications: Chain[Notification] = attrs.field(factory=Chain)
    talks: PMap[str, Talks] = attrs.field(factory=PMap)
    stances: Stances = attrs.field(factory=Stances)

    def with_strike(self, strike: Strike) -> _State:
        # Built directly, not with attrs.evolve: strikes are most of a long log.
        return _State(
            self.strikes.append(strike),
            self.casualties,
            self.notifications,
            self.talks,
            self.stances,
        )


def _strike(state: _State, fact: Fact) -> _State:
    e: StrikeReported = fact.event  # type: ignore[assignment]
    strike = Strike(e.id, e.actor, fact.occurred, e.places, e.missions, e.targets, e.sources)
    return state.with_strike(strike)


def _casualties(state: _State, fact: Fact) -> _State:
    e: CasualtiesReported = fact.event  # type: ignore[assignment]
    item = Casualties(
        e.id, fact.occurred, e.killed, e.injured, e.among, e.places, e.cause, e.sources
    )
    return attrs.evolve(state, casualties=state.casualties.append(item))


def _lead_time(e: NotificationGiven) -> pendulum.Duration | None:
    if e.lead_time is not None:
        return e.lead_time
    when = e.occurred
    # "An hour before the strikes": the offset to the event it is about is the lead time.
    if (
        when.is_relative
        and when.anchor == e.about
        and when.offset is not None
        and when.offset < dt.timedelta(0)
    ):
        return -when.offset
    return None


def _notification(state: _State, fact: Fact) -> _State:
    e: NotificationGiven = fact.event  # type: ignore[assignment]
    item = Notification(
        e.id, e.notifier, e.recipient, fact.occurred, e.about, _lead_time(e), e.content, e.sources
    )
    return attrs.evolve(state, notifications=state.notifications.append(item))


def _talks_announced(state: _State, fact: Fact) -> _State:
    e: TalksAnnounced = fact.event  # type: ignore[assignment]
    before = state.talks.get(e.talks) or Talks(e.talks, TalksStatus.OPEN)
    talks = attrs.evolve(
        before,
        topic=e.topic,
        parties=e.parties,
        announced_by=e.announced_by,
        announcement=e.id,
        announced=fact.occurred,
        scheduled=e.scheduled,
        sources=e.sources,
    )
    return attrs.evolve(state, talks=state.talks.set(e.talks, talks))


def _talks_ended(state: _State, fact: Fact) -> _State:
    e: TalksHeld | TalksCancelled = fact.event  # type: ignore[assignment]
    before = state.talks.get(e.talks) or Talks(e.talks, TalksStatus.OPEN)
    if isinstance(e, TalksHeld):
        talks = attrs.evolve(
            before,
            status=TalksStatus.HELD,
            parties=e.parties or before.parties,
            resolution=e.id,
            outcome=e.outcome,
        )
    else:
        talks = attrs.evolve(
            before, status=TalksStatus.CANCELLED, resolution=e.id, outcome=e.reason
        )
    return attrs.evolve(state, talks=state.talks.set(e.talks, talks))


def _statement(state: _State, fact: Fact) -> _State:
    return attrs.evolve(state, stances=state.stances.take(fact))


_HANDLERS: Final[dict[type[Event], Callable[[_State, Fact], _State]]] = {
    StrikeReported: _strike,
    CasualtiesReported: _casualties,
    NotificationGiven: _notification,
    TalksAnnounced: _talks_announced,
    TalksHeld: _talks_ended,
    TalksCancelled: _talks_ended,
    StatementMade: _statement,
}

_ASSERTS: Final = frozenset({Stance.SUPPORTS})
_DISPUTES: Final = frozenset({Stance.DISPUTES, Stance.OPPOSES})


def _disputes(stances: Stances) -> tuple[Dispute, ...]:
    sides: dict[str, tuple[Proposition, list[StanceRecord], list[StanceRecord]]] = {}
    for record, _ in stances.book.values():
        proposition = record.proposition
        entry = sides.setdefault(proposition.id, (proposition, [], []))
        if record.stance in _ASSERTS:
            entry[1].append(record)
        elif record.stance in _DISPUTES:
            entry[2].append(record)
    return tuple(
        Dispute(
            proposition,
            tuple(sorted(asserted, key=lambda r: r.actor)),
            tuple(sorted(disputed, key=lambda r: r.actor)),
        )
        for _, (proposition, asserted, disputed) in sorted(sides.items())
        if asserted and disputed
    )


@attrs.frozen
class SituationProjection:
    """The projection behind `situation`."""

    def initial(self) -> _State:
        """Return the empty situation."""
        return _State()

    def apply(self, state: _State, fact: Fact) -> _State:
        """Add one fact (event types without a handler leave the situation as it is)."""
        handler = _HANDLERS.get(type(fact.event))
        return state if handler is None else handler(state, fact)

    def finish(self, state: _State, query: Query) -> Situation:
        """Return the situation."""
        return Situation(
            query.at,
            query.known_at,
            query.known_by,
            state.strikes.to_tuple(),
            state.casualties.to_tuple(),
            tuple(sorted(state.talks.values(), key=lambda t: t.talks)),
            state.notifications.to_tuple(),
            _disputes(state.stances),
            tuple(sorted(query.uncertain)),
            query.unresolved,
        )


SITUATION = SituationProjection()


def situation(
    log: EventLog | Iterable[Event],
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    known_by: str | Actor | None = None,
) -> Situation:
    """Return the situation as of `at` (valid time), `known_at` (knowledge) and `known_by`.

    `log` is an `EventLog` or any iterable of events; `known_by` an actor id (an actor the log
    never mentions knows what the public knows). See `timeline.projections.knowledge` for the
    rules of the three clocks. For many queries over one log, use a `TimeMachine`.

    Raises:
        InvalidTimeError: `at` or `known_at` is naive or not a datetime.
        QueryError: `known_by` or `log` is not usable.
    """
    return project(log, SITUATION, at, known_at, known_by)
