"""Hypothesis strategies for timeline's values, events and whole logs, for property tests.

Every strategy shrinks towards small, plain values: the first zone of the list (UTC), instants
near 2015-09-30, short ids, exact times, empty tuples and the fewest events. Zones come from a
curated list of odd ones (half-hour and 45-minute offsets, southern-hemisphere and 30-minute DST,
Damascus, the +14 line) unless the thorough profile is active (`TIMELINE_HYPOTHESIS_PROFILE=
thorough`), which draws from every IANA zone.
"""

from __future__ import annotations

import datetime as dt
import os
import types
from typing import Any, Final, TypeVar, Union, get_args, get_origin

import attrs
import pendulum
from hypothesis import strategies as st

from timeline.events import (
    CasualtiesReported,
    Correction,
    Event,
    IncidentReported,
    NotificationGiven,
    Retraction,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    Withdrawal,
    event_types,
)
from timeline.model import (
    ACLED_EVENT_TYPES,
    Actor,
    ActorKind,
    Codes,
    Figure,
    Place,
    PlacePrecision,
    Proposition,
    PropositionKind,
    Quantity,
    Source,
    SourceKind,
    Stance,
    StanceOn,
)
from timeline.when import Precision, Qualifier, When

__all__ = [
    "CURATED_ZONES",
    "TRICKY_INSTANTS",
    "actors",
    "codes",
    "durations",
    "event_logs",
    "events",
    "events_of",
    "figures",
    "foreign_events",
    "ids",
    "instants",
    "places",
    "propositions",
    "quantities",
    "revised_logs",
    "sources",
    "stances",
    "user_event_types",
    "whens",
    "zones",
]

E = TypeVar("E", bound=Event)

CURATED_ZONES: Final = (
    "UTC",
    "Asia/Damascus",
    "America/New_York",
    "Europe/Moscow",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "America/St_Johns",
)
"""Zones with odd offsets and DST rules, drawn from in the fast profile."""

TRICKY_INSTANTS: Final = (
    # The second 01:30 of New York's fall-back hour (fold=1).
    ("America/New_York", dt.datetime(2015, 11, 1, 1, 30), 1),
    # Just after Damascus springs forward at midnight (00:00-01:00 does not exist).
    ("Asia/Damascus", dt.datetime(2015, 3, 27, 1, 0), 0),
    # Lord Howe's half-hour DST fold.
    ("Australia/Lord_Howe", dt.datetime(2015, 4, 5, 1, 45), 1),
    # Chatham's +13:45 summer time.
    ("Pacific/Chatham", dt.datetime(2015, 9, 27, 3, 45), 0),
)
"""Wall times at DST gaps and folds, as (zone, local time, fold), always included in draws."""

_MIN: Final = dt.datetime(1990, 1, 1)
_MAX: Final = dt.datetime(2040, 12, 31)
_SAID: Final = tuple(s for s in Stance if s is not Stance.WITHDRAWN)
"""The stances a statement can express (a withdrawal, not a statement, takes one back)."""


def _thorough() -> bool:
    return os.environ.get("TIMELINE_HYPOTHESIS_PROFILE", "fast") == "thorough"


def zones() -> st.SearchStrategy[str]:
    """Generate IANA zone names; shrinks towards "UTC"."""
    if _thorough():
        return st.just("UTC") | st.timezone_keys(allow_prefix=False)
    return st.sampled_from(CURATED_ZONES)


def _tricky() -> st.SearchStrategy[pendulum.DateTime]:
    return st.sampled_from(TRICKY_INSTANTS).map(
        lambda spec: pendulum.instance(spec[1].replace(fold=spec[2]), tz=spec[0])
    )


def instants(zone: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[pendulum.DateTime]:
    """Generate aware pendulum datetimes in named zones, never in a DST gap.

    Shrinks towards 1990-01-01 in UTC; DST folds and gap edges are drawn often.
    """
    zone = zone if zone is not None else zones()

    @st.composite
    def build(draw: st.DrawFn) -> pendulum.DateTime:
        name = draw(zone)
        tz = pendulum.timezone(name)
        local = draw(st.datetimes(_MIN, _MAX, timezones=st.just(tz), allow_imaginary=False))
        return pendulum.instance(local, tz=tz)

    return st.one_of(build(), _tricky())


def durations(max_hours: int = 72) -> st.SearchStrategy[pendulum.Duration]:
    """Generate fixed-length durations from zero to `max_hours`; shrinks towards zero."""
    return st.integers(0, max_hours * 3600).map(lambda s: pendulum.duration(seconds=s))


def _qualifiers() -> st.SearchStrategy[Qualifier]:
    return st.sampled_from(Qualifier)


def _phrases() -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(("on Wednesday", "an hour before", "as early as October 1"))


def whens(
    *, anchors: st.SearchStrategy[str] | None = None, zone: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[When]:
    """Generate every kind of `When`; relative ones only when `anchors` gives event ids.

    Shrinks towards an exact instant with no qualifier or phrase.
    """
    moments = instants(zone)
    exact = st.builds(When.exact, moments, qualifier=_qualifiers(), phrase=_phrases())
    periods = st.builds(
        When.within,
        moments,
        st.sampled_from([p for p in Precision if p is not Precision.INSTANT]),
        qualifier=_qualifiers(),
        phrase=_phrases(),
    )

    @st.composite
    def intervals(draw: st.DrawFn) -> When:
        start = draw(moments)
        length = draw(durations(24 * 10))
        end = (start + length).in_timezone(start.timezone)  # type: ignore[arg-type]
        return When.between(start, end, qualifier=draw(_qualifiers()), phrase=draw(_phrases()))

    @st.composite
    def day_intervals(draw: st.DrawFn) -> When:
        zone_name = draw(zone if zone is not None else zones())
        first = draw(st.dates(_MIN.date(), _MAX.date()))
        last = first + dt.timedelta(days=draw(st.integers(0, 40)))
        return When.between(first, last, tz=zone_name, qualifier=draw(_qualifiers()))

    abouts = st.builds(When.about, moments, durations(12), phrase=_phrases())
    options = [exact, periods, intervals(), day_intervals(), abouts]
    if anchors is not None:
        offsets = st.integers(-72 * 3600, 72 * 3600).map(lambda s: pendulum.duration(seconds=s))
        options.append(
            st.builds(
                When.relative,
                to=anchors,
                offset=offsets,
                margin=st.none() | durations(6),
                phrase=_phrases(),
            )
        )
        options.append(
            st.builds(When.later_that_day, to=anchors, after=durations(30), phrase=_phrases())
        )
    return st.one_of(options)


def ids(prefix: str = "e") -> st.SearchStrategy[str]:
    """Generate short valid ids such as ``e-3a``; shrinks towards ``e-0``."""
    return st.text("0123456789abcdef", min_size=1, max_size=6).map(lambda s: f"{prefix}-{s}")


_ACTOR_POOL: Final = (
    Actor(id="russia", name="Russia", kind=ActorKind.STATE),
    Actor(id="us", name="United States", kind=ActorKind.STATE),
    Actor(id="france", name="France", kind=ActorKind.STATE),
    Actor(id="nato", name="NATO", kind=ActorKind.ALLIANCE),
    Actor(id="lavrov", name="Sergei Lavrov", kind=ActorKind.PERSON, speaks_for="russia"),
    Actor(id="kerry", name="John Kerry", kind=ActorKind.PERSON, speaks_for="us"),
)


def actors() -> st.SearchStrategy[Actor]:
    """Generate actors: a small fixed cast (so stances collide) or fresh ones; shrinks to Russia."""
    fresh = st.builds(
        Actor,
        id=ids("actor"),
        name=st.text(min_size=1, max_size=12).filter(str.strip),
        kind=st.sampled_from(ActorKind),
        speaks_for=st.none() | st.sampled_from(("russia", "us")),
        role=st.none() | st.just("spokesperson"),
    )
    return st.sampled_from(_ACTOR_POOL) | fresh


def sources() -> st.SearchStrategy[Source]:
    """Generate sources, optionally quoted; shrinks towards an unquoted source."""
    return st.builds(
        Source,
        name=st.sampled_from(("New York Times", "Russian defence ministry", "activists", "NATO")),
        kind=st.sampled_from(SourceKind),
        quote=st.none() | st.text(max_size=40),
        url=st.none() | st.just("https://example.org/report"),
        actor=st.none() | st.sampled_from(("russia", "us")),
    )


_PROPOSITION_POOL: Final = (
    Proposition(id="strikes-targeted-isis", text="The 30 September strikes targeted ISIS"),
    Proposition(
        id="assad-should-leave",
        text="Assad should leave office",
        kind=PropositionKind.POLICY,
    ),
    Proposition(
        id="channels-needed",
        text="Channels of communication are needed",
        kind=PropositionKind.POLICY,
    ),
)


def propositions() -> st.SearchStrategy[Proposition]:
    """Generate propositions from a small pool, so actors often disagree; shrinks to the first."""
    return st.sampled_from(_PROPOSITION_POOL)


def stances() -> st.SearchStrategy[StanceOn]:
    """Generate a stance on a proposition; shrinks towards supporting the first proposition."""
    return st.builds(StanceOn, proposition=propositions(), stance=st.sampled_from(_SAID))


def quantities() -> st.SearchStrategy[Quantity]:
    """Generate counts of every qualifier; shrinks towards exactly 0."""
    n = st.integers(0, 10_000)
    return st.one_of(
        n.map(Quantity.exactly),
        n.map(Quantity.about),
        n.map(Quantity.at_least),
        n.map(Quantity.at_most),
        st.tuples(n, n).map(lambda pair: Quantity.between(min(pair), max(pair))),
    )


def figures() -> st.SearchStrategy[Figure]:
    """Generate named counts ("about 300 evacuated"); shrinks towards exactly 0, first name."""
    return st.builds(
        Figure,
        name=st.sampled_from(("evacuated", "homes without power", "arrested")),
        quantity=quantities(),
    )


def codes() -> st.SearchStrategy[Codes | None]:
    """Generate optional CAMEO / PLOVER / ACLED codes; shrinks towards None."""
    return st.none() | st.builds(
        Codes,
        cameo=st.none() | st.from_regex(r"\A[0-9]{2,4}\Z"),
        plover=st.none() | st.sampled_from(("ASSAULT", "CONSULT", "ACCUSE")),
        acled=st.none() | st.sampled_from(sorted(ACLED_EVENT_TYPES)),
    )


def _name(cls: type) -> str:
    return cls.__name__


def _small_tuples(strategy: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[Any]:
    return st.lists(strategy, max_size=max_size).map(tuple)


_PLACE_NAMES: Final = (
    ("Zafaraneh", 34.87, 36.83),
    ("Rastan", 34.93, 36.73),
    ("Talbiseh", 34.84, 36.73),
    ("Homs", 34.73, 36.72),
    ("Hama", 35.13, 36.75),
)


def places() -> st.SearchStrategy[Place]:
    """Generate places: a name from a small pool, with or without coordinates and codes.

    Shrinks towards a bare name (the first of the pool) without coordinates.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Place:
        name, latitude, longitude = draw(st.sampled_from(_PLACE_NAMES))
        if not draw(st.booleans()):
            return Place(name=name)
        return Place(
            name=name,
            country=draw(st.sampled_from(("SY", "760", None))),
            admin=draw(st.sampled_from(((), ("Homs",), ("SY11", "SY1101")))),
            latitude=latitude + draw(st.floats(-0.05, 0.05)),
            longitude=longitude + draw(st.floats(-0.05, 0.05)),
            geonames=draw(st.sampled_from((None, "169577"))),
            gdelt_feature=draw(st.sampled_from((None, "-3167296"))),
            precision=draw(st.none() | st.sampled_from(PlacePrecision)),
        )

    return build()


_PLACES: Final = places()


def _common(
    event_id: st.SearchStrategy[str], anchors: st.SearchStrategy[str] | None
) -> dict[str, st.SearchStrategy[Any]]:
    return {
        "id": event_id,
        "occurred": whens(anchors=anchors),
        "reported": whens(anchors=anchors),
        "sources": _small_tuples(sources(), 2),
        "codes": codes(),
        "summary": st.none() | st.text(max_size=30),
    }


def _reports(
    event_id: st.SearchStrategy[str],
    anchors: st.SearchStrategy[str] | None,
    refs: st.SearchStrategy[str] | None,
    talks: st.SearchStrategy[str],
) -> dict[type[Event], st.SearchStrategy[Event]]:
    ref = refs if refs is not None else ids()
    optional_ref = st.none() | ref
    common = _common(event_id, anchors)
    return {
        StrikeReported: st.builds(
            StrikeReported,
            actor=actors(),
            places=_small_tuples(_PLACES),
            missions=st.none() | quantities(),
            targets=_small_tuples(st.sampled_from(("ISIS", "arms depots", "US-backed rebels"))),
            region=st.none() | st.just("Homs"),
            **common,
        ),
        IncidentReported: st.builds(
            IncidentReported,
            kind=st.sampled_from(("chemical plant fire", "power outage", "protest", "flood")),
            actors=_small_tuples(actors(), 2),
            places=_small_tuples(_PLACES),
            figures=_small_tuples(figures(), 2),
            **common,
        ),
        CasualtiesReported: st.builds(
            CasualtiesReported,
            killed=quantities(),
            injured=st.none() | quantities(),
            among=st.none() | st.just("civilians"),
            places=_small_tuples(_PLACES),
            cause=optional_ref,
            detail=st.none() | st.just("a number of them children"),
            **common,
        ),
        StatementMade: st.builds(
            StatementMade,
            speaker=actors(),
            quote=st.none() | st.text(max_size=60),
            stances=_small_tuples(stances()),
            audience=st.none() | st.just("French lawmakers"),
            medium=st.none() | st.just("TV address"),
            **common,
        ),
        TalksAnnounced: st.builds(
            TalksAnnounced,
            talks=talks,
            parties=st.lists(actors(), min_size=1, max_size=3).map(tuple),
            topic=st.just("avoiding clashes in Syria"),
            scheduled=st.none() | whens(),
            announced_by=_small_tuples(actors(), 2),
            **common,
        ),
        TalksHeld: st.builds(
            TalksHeld,
            talks=talks,
            parties=_small_tuples(actors()),
            outcome=st.none() | st.just("agreed to keep talking"),
            **common,
        ),
        TalksCancelled: st.builds(
            TalksCancelled, talks=talks, reason=st.none() | st.just("postponed"), **common
        ),
        NotificationGiven: st.builds(
            NotificationGiven,
            notifier=actors(),
            recipient=actors(),
            about=optional_ref,
            lead_time=st.none() | durations(),
            content=st.none() | st.just("strikes imminent"),
            **common,
        ),
    }


def events(
    *types: type[Event],
    anchors: st.SearchStrategy[str] | None = None,
    refs: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Event]:
    """Generate events of the built-in `types` (all, by default) and registered user types.

    `anchors` gives ids for relative times and `refs` ids for corrections, retractions and
    other references. Shrinks towards the first type (`StrikeReported`) with minimal fields.
    """
    chosen = types or tuple(entry.cls for entry in event_types())
    return st.one_of([events_of(cls, anchors=anchors, refs=refs) for cls in chosen])


def events_of(
    cls: type[E],
    *,
    event_id: st.SearchStrategy[str] | None = None,
    anchors: st.SearchStrategy[str] | None = None,
    refs: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[E]:
    """Generate events of one type, built-in or user-registered.

    A user type's own fields are inferred from their annotations (`st.from_type`), using
    this module's strategies for `When`, `Actor`, `Quantity` and the other values.
    Shrinks like `events`.
    """
    event_id = event_id if event_id is not None else ids()
    talks = ids("talks")
    builtin = _reports(event_id, anchors, refs, talks)
    if cls in builtin:
        return builtin[cls]  # type: ignore[return-value]
    ref = refs if refs is not None else ids()
    common = st.fixed_dictionaries(_common(event_id, anchors))
    if cls is Correction:
        target_holder = {"id": ""}
        target_id = st.just(None).map(lambda _: target_holder["id"])
        # Absolute times: a replacement anchored to its own id would be circular.
        replacements = st.one_of(
            [events_of(report, event_id=target_id) for report in sorted(builtin, key=_name)]
        )

        @st.composite
        def corrections(draw: st.DrawFn) -> Correction:
            target_holder["id"] = target = draw(ref)
            fields = draw(common)
            if fields["id"] == target:
                fields["id"] = target + "-fix"
            return Correction(
                corrects=target,
                replacement=draw(replacements),
                reason=draw(st.none() | st.just("typo")),
                **fields,
            )

        return corrections()  # type: ignore[return-value]
    if cls is Retraction:

        @st.composite
        def retractions(draw: st.DrawFn) -> Retraction:
            target = draw(ref)
            fields = draw(common)
            if fields["id"] == target:
                fields["id"] = target + "-retract"
            return Retraction(retracts=target, reason=draw(st.none() | st.just("false")), **fields)

        return retractions()  # type: ignore[return-value]
    if cls is Withdrawal:

        @st.composite
        def withdrawals(draw: st.DrawFn) -> Withdrawal:
            target = draw(ref)
            fields = draw(common)
            if fields["id"] == target:
                fields["id"] = target + "-withdrawn"
            return Withdrawal(
                withdraws=target,
                speaker=draw(actors()),
                quote=draw(st.none() | st.just("we take that back")),
                reason=draw(st.none() | st.just("premature")),
                **fields,
            )

        return withdrawals()  # type: ignore[return-value]
    _register_value_strategies()
    own = {
        field.name: _field_values(field.type)
        for field in attrs.fields(attrs.resolve_types(cls))
        if field.name not in _common(event_id, anchors)
    }
    return st.builds(cls, **_common(event_id, anchors), **own)


_JSON_INTEGERS: Final = st.integers(-(2**53), 2**53)


def _field_values(annotation: Any) -> st.SearchStrategy[Any]:  # noqa: PLR0911 - one per shape
    """Return values for a field of a user's type that JSON carries and reads back equal.

    Whole numbers stay within what JSON readers everywhere agree on (IEEE doubles), floats
    are finite, at any depth: inside optionals, unions, tuples, lists, sets and dicts.
    """
    if annotation is int:
        return _JSON_INTEGERS
    if annotation is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        return st.one_of([_field_values(arg) for arg in args])
    if origin is tuple and args:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(_field_values(args[0]), max_size=3).map(tuple)
        return st.tuples(*(_field_values(arg) for arg in args))
    if origin in (list, frozenset, set) and args:
        return st.lists(_field_values(args[0]), max_size=3).map(origin)
    if origin is dict and len(args) == 2:
        return st.dictionaries(_field_values(args[0]), _field_values(args[1]), max_size=3)
    return st.from_type(annotation)


_registered = False


def _register_value_strategies() -> None:
    global _registered  # noqa: PLW0603 - register once per process, on first use
    if _registered:
        return
    _registered = True
    st.register_type_strategy(When, whens())
    st.register_type_strategy(Actor, actors())
    st.register_type_strategy(Source, sources())
    st.register_type_strategy(Quantity, quantities())
    st.register_type_strategy(Figure, figures())
    st.register_type_strategy(Place, places())
    st.register_type_strategy(Proposition, propositions())
    st.register_type_strategy(StanceOn, stances())
    st.register_type_strategy(pendulum.DateTime, instants())
    st.register_type_strategy(pendulum.Duration, durations())


def event_logs(
    *, min_size: int = 0, max_size: int = 20, types: tuple[type[Event], ...] = ()
) -> st.SearchStrategy[list[Event]]:
    """Generate whole valid logs: unique ids, references only to earlier events, no cycles.

    Relative times, corrections, retractions, casualty causes and notifications point at
    events drawn before them, as a real feed would. Shrinks towards fewer, simpler events.
    """
    allowed = types or tuple(entry.cls for entry in event_types())
    reports = tuple(t for t in allowed if t not in (Correction, Retraction)) or allowed
    # Strategies are built once here, not per draw (building them dominates the cost). The
    # ids they refer to are read from `state` at draw time: `state` is only ever filled by
    # earlier draws of the same example, so every example is still a pure function of its
    # choices and shrinks normally (anchor index 0 is the first earlier event).
    state: dict[str, Any] = {"id": "", "earlier": []}
    current_id = st.just(None).map(lambda _: state["id"])
    earlier = st.integers(0, 2**16).map(lambda k: state["earlier"][k % len(state["earlier"])])
    first = {cls: events_of(cls, event_id=current_id, refs=st.just("e-missing")) for cls in reports}
    later = {
        cls: events_of(cls, event_id=current_id, anchors=earlier, refs=earlier) for cls in allowed
    }

    @st.composite
    def build(draw: st.DrawFn) -> list[Event]:
        size = draw(st.integers(min_size, max_size))
        log: list[Event] = []
        state["earlier"] = []
        for index in range(size):
            state["id"] = f"e{index}"
            pool = later if state["earlier"] else first
            cls = draw(st.sampled_from(sorted(pool, key=_name)))
            event = draw(pool[cls])
            log.append(event)
            if not isinstance(event, Correction | Retraction):
                state["earlier"] = [*state["earlier"], event.id]
        return log

    return build()


def revised_logs(
    *, min_size: int = 1, max_size: int = 10, max_revisions: int = 4
) -> st.SearchStrategy[list[Event]]:
    """Generate logs of reports followed by revisions that may each name several events.

    The reports are an `event_logs` log without revisions; then up to `max_revisions`
    corrections and retractions, each naming one to three earlier events: a correction
    replaces reports (each replacement keeps its report's id), a retraction withdraws
    reports or earlier revisions. Revision times may be relative to the reports. Shrinks
    towards fewer revisions, each naming one report.
    """
    reports = tuple(
        entry.cls for entry in event_types() if entry.cls not in (Correction, Retraction)
    )
    base = event_logs(min_size=min_size, max_size=max_size, types=reports)
    # As in `event_logs`: strategies built once, reading ids from `state` at draw time.
    state: dict[str, Any] = {"id": "", "reports": []}
    current_id = st.just(None).map(lambda _: state["id"])
    anchors = st.integers(0, 2**16).map(lambda k: state["reports"][k % len(state["reports"])])
    fields = st.fixed_dictionaries(_common(current_id, anchors))
    builtin = _reports(current_id, None, None, ids("talks"))
    # Absolute times: a replacement anchored to its own id would be circular.
    replacement = st.one_of([builtin[cls] for cls in sorted(builtin, key=_name)])
    reasons = st.none() | st.just("false")

    def named(pool: list[str]) -> st.SearchStrategy[list[str]]:
        return st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)

    @st.composite
    def build(draw: st.DrawFn) -> list[Event]:
        log = draw(base)
        state["reports"] = [event.id for event in log]
        if not log:
            return log
        revisions: list[str] = []
        for index in range(draw(st.integers(0, max_revisions))):
            state["id"] = f"r{index}"
            common = draw(fields)
            if draw(st.booleans()):
                first, *more = draw(named([*state["reports"], *revisions]))
                event: Event = Retraction(
                    retracts=first, also_retracts=tuple(more), reason=draw(reasons), **common
                )
            else:
                replacements = []
                for target in draw(named(state["reports"])):
                    state["id"] = target
                    replacements.append(draw(replacement))
                event = Correction(
                    corrects=replacements[0].id,
                    replacement=replacements[0],
                    more_replacements=tuple(replacements[1:]),
                    reason=draw(reasons),
                    **common,
                )
            log.append(event)
            revisions.append(event.id)
        return log

    return build()


# -- users' own types ------------------------------------------------------------------------

_user_types: list[type[Event]] = []


def _define_user_types() -> list[type[Event]]:
    # Defined on first use, not on import, so importing the strategies registers nothing.
    if not _user_types:
        from timeline.events import event_type  # noqa: PLC0415 - see above

        @event_type("timeline_testing.reading_taken", version=1)
        @attrs.frozen(kw_only=True)
        class ReadingTaken(Event):
            """A user's type: a measurement, with an actor and an optional count."""

            station: str
            value: int
            taken_by: Actor | None = None
            count: Quantity | None = None

        @event_type("timeline_testing.notice_posted", version=1)
        @attrs.frozen(kw_only=True)
        class NoticePosted(Event):
            """A user's type: a notice with several actors and a free text."""

            text: str
            posted_by: tuple[Actor, ...] = ()

        _user_types.extend((ReadingTaken, NoticePosted))
    return _user_types


def user_event_types() -> st.SearchStrategy[type[Event]]:
    """Generate user-defined event types (registered with `@event_type` on first use).

    Give them to `events_of` or to `event_logs(types=...)` beside the built-in types. Shrinks
    towards the first type.
    """
    return st.sampled_from(_define_user_types())


def foreign_events(*, event_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Event]:
    """Generate events of types no loaded module defines, as a store without them reads them.

    Each is a `timeline.UnknownEvent` holding the stored JSON of an event of another
    program's type (its own fields, any JSON). Shrinks towards one plain field.
    """
    import orjson  # noqa: PLC0415 - only these strategies need it

    from timeline.serialization import unknown_event, unstructure_event  # noqa: PLC0415

    json_values = st.recursive(
        st.none() | st.booleans() | _JSON_INTEGERS | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=5,
    )
    base = events_of(StrikeReported, event_id=event_id if event_id is not None else ids())

    @st.composite
    def build(draw: st.DrawFn) -> Event:
        document = {
            key: value
            for key, value in unstructure_event(draw(base)).items()
            if key in ("id", "occurred", "reported", "sources", "summary")
        }
        own = draw(st.dictionaries(st.from_regex(r"\A[a-z][a-z_]{0,8}\Z"), json_values))
        own = {k: v for k, v in own.items() if k not in document and k not in ("type", "v")}
        name = draw(st.sampled_from(("elsewhere.spill_reported", "other_tool.sighting")))
        document.update(own, type=name, v=draw(st.integers(1, 3)))
        return unknown_event(orjson.dumps(document, option=orjson.OPT_SORT_KEYS))

    return build()
