"""Hypothesis strategies for timeline's values, events and whole logs, for property tests.

Every strategy shrinks towards small, plain values: the first zone of the list (UTC), instants
near 2015-09-30, short ids, exact times, empty tuples and the fewest events. Zones come from a
curated list of odd ones (half-hour and 45-minute offsets, southern-hemisphere and 30-minute DST,
Damascus, the +14 line) unless the thorough profile is active (`TIMELINE_HYPOTHESIS_PROFILE=
thorough`), which draws from every IANA zone.

Each strategy is built once: calling a function again with the same arguments returns the same
strategy object, cheaply, and no strategy keeps state from one draw to the next.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import types
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar, Union, cast, get_args, get_origin

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

_F = TypeVar("_F", bound=Callable[..., Any])


def _built_once(builder: _F) -> _F:
    """Cache `builder` by its arguments, so the same call returns the same strategy.

    Strategies compare by identity, so a strategy argument keys the cache by the object. The
    cache is bounded for suites that build strategies in a loop.
    """
    return cast("_F", functools.lru_cache(maxsize=1024)(builder))


def _thorough() -> bool:
    return os.environ.get("TIMELINE_HYPOTHESIS_PROFILE", "fast") == "thorough"


_CURATED: Final = st.sampled_from(CURATED_ZONES)
_EVERY_ZONE: Final = st.just("UTC") | st.timezone_keys(allow_prefix=False)


def zones() -> st.SearchStrategy[str]:
    """Generate IANA zone names; shrinks towards "UTC"."""
    return _EVERY_ZONE if _thorough() else _CURATED


_TRICKY: Final = st.sampled_from(TRICKY_INSTANTS).map(
    lambda spec: pendulum.instance(spec[1].replace(fold=spec[2]), tz=spec[0])
)


@st.composite
def _local_instants(draw: st.DrawFn, zone: st.SearchStrategy[str]) -> pendulum.DateTime:
    tz = pendulum.timezone(draw(zone))
    local = draw(st.datetimes(_MIN, _MAX, timezones=st.just(tz), allow_imaginary=False))
    return pendulum.instance(local, tz=tz)


@_built_once
def _instants(zone: st.SearchStrategy[str]) -> st.SearchStrategy[pendulum.DateTime]:
    return st.one_of(_local_instants(zone), _TRICKY)


def instants(zone: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[pendulum.DateTime]:
    """Generate aware pendulum datetimes in named zones, never in a DST gap.

    Shrinks towards 1990-01-01 in UTC; DST folds and gap edges are drawn often.
    """
    return _instants(zone if zone is not None else zones())


@_built_once
def _durations(max_hours: int) -> st.SearchStrategy[pendulum.Duration]:
    return st.integers(0, max_hours * 3600).map(lambda s: pendulum.duration(seconds=s))


def durations(max_hours: int = 72) -> st.SearchStrategy[pendulum.Duration]:
    """Generate fixed-length durations from zero to `max_hours`; shrinks towards zero."""
    return _durations(max_hours)


_QUALIFIERS: Final = st.sampled_from(Qualifier)
_PHRASES: Final = st.none() | st.sampled_from(
    ("on Wednesday", "an hour before", "as early as October 1")
)
_PERIODS: Final = st.sampled_from([p for p in Precision if p is not Precision.INSTANT])
_OFFSETS: Final = st.integers(-72 * 3600, 72 * 3600).map(lambda s: pendulum.duration(seconds=s))


@st.composite
def _intervals(draw: st.DrawFn, moments: st.SearchStrategy[pendulum.DateTime]) -> When:
    start = draw(moments)
    length = draw(_durations(24 * 10))
    end = (start + length).in_timezone(start.timezone)  # type: ignore[arg-type]
    return When.between(start, end, qualifier=draw(_QUALIFIERS), phrase=draw(_PHRASES))


@st.composite
def _day_intervals(draw: st.DrawFn, zone: st.SearchStrategy[str]) -> When:
    zone_name = draw(zone)
    first = draw(st.dates(_MIN.date(), _MAX.date()))
    last = first + dt.timedelta(days=draw(st.integers(0, 40)))
    return When.between(first, last, tz=zone_name, qualifier=draw(_QUALIFIERS))


@_built_once
def _whens(
    anchors: st.SearchStrategy[str] | None, zone: st.SearchStrategy[str]
) -> st.SearchStrategy[When]:
    moments = _instants(zone)
    options = [
        st.builds(When.exact, moments, qualifier=_QUALIFIERS, phrase=_PHRASES),
        st.builds(When.within, moments, _PERIODS, qualifier=_QUALIFIERS, phrase=_PHRASES),
        _intervals(moments),
        _day_intervals(zone),
        st.builds(When.about, moments, _durations(12), phrase=_PHRASES),
    ]
    if anchors is not None:
        options.append(
            st.builds(
                When.relative,
                to=anchors,
                offset=_OFFSETS,
                margin=st.none() | _durations(6),
                phrase=_PHRASES,
            )
        )
        options.append(
            st.builds(When.later_that_day, to=anchors, after=_durations(30), phrase=_PHRASES)
        )
    return st.one_of(options)


def whens(
    *, anchors: st.SearchStrategy[str] | None = None, zone: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[When]:
    """Generate every kind of `When`; relative ones only when `anchors` gives event ids.

    Shrinks towards an exact instant with no qualifier or phrase.
    """
    return _whens(anchors, zone if zone is not None else zones())


@_built_once
def _ids(prefix: str) -> st.SearchStrategy[str]:
    return st.text("0123456789abcdef", min_size=1, max_size=6).map(lambda s: f"{prefix}-{s}")


def ids(prefix: str = "e") -> st.SearchStrategy[str]:
    """Generate short valid ids such as ``e-3a``; shrinks towards ``e-0``."""
    return _ids(prefix)


_ACTOR_POOL: Final = (
    Actor(id="russia", name="Russia", kind=ActorKind.STATE),
    Actor(id="us", name="United States", kind=ActorKind.STATE),
    Actor(id="france", name="France", kind=ActorKind.STATE),
    Actor(id="nato", name="NATO", kind=ActorKind.ALLIANCE),
    Actor(id="lavrov", name="Sergei Lavrov", kind=ActorKind.PERSON, speaks_for="russia"),
    Actor(id="kerry", name="John Kerry", kind=ActorKind.PERSON, speaks_for="us"),
    # Speakers who give their principal's name: a name that holds only until the principal
    # names itself, and the only name of one that never does ("syria").
    Actor(
        id="zakharova",
        name="Maria Zakharova",
        kind=ActorKind.PERSON,
        speaks_for="russia",
        principal_name="Russian Federation",
    ),
    Actor(
        id="jaafari",
        name="Bashar Jaafari",
        kind=ActorKind.PERSON,
        speaks_for="syria",
        principal_name="Syria",
    ),
)

_ACTORS: Final = st.sampled_from(_ACTOR_POOL) | st.builds(
    Actor,
    id=ids("actor"),
    name=st.text(min_size=1, max_size=12).filter(str.strip),
    kind=st.sampled_from(ActorKind),
    speaks_for=st.none() | st.sampled_from(("russia", "us")),
    role=st.none() | st.just("spokesperson"),
).flatmap(
    lambda actor: (
        st.just(actor)
        if actor.speaks_for is None
        else st.builds(
            attrs.evolve,
            st.just(actor),
            principal_name=st.none() | st.sampled_from(("Russia", "USA")),
        )
    )
)


def actors() -> st.SearchStrategy[Actor]:
    """Generate actors: a small fixed cast (so stances collide) or fresh ones; shrinks to Russia."""
    return _ACTORS


_SOURCES: Final = st.builds(
    Source,
    name=st.sampled_from(("New York Times", "Russian defence ministry", "activists", "NATO")),
    kind=st.sampled_from(SourceKind),
    quote=st.none() | st.text(max_size=40),
    url=st.none() | st.just("https://example.org/report"),
    actor=st.none() | st.sampled_from(("russia", "us")),
)


def sources() -> st.SearchStrategy[Source]:
    """Generate sources, optionally quoted; shrinks towards an unquoted source."""
    return _SOURCES


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
_PROPOSITIONS: Final = st.sampled_from(_PROPOSITION_POOL)


def propositions() -> st.SearchStrategy[Proposition]:
    """Generate propositions from a small pool, so actors often disagree; shrinks to the first."""
    return _PROPOSITIONS


_STANCES: Final = st.builds(StanceOn, proposition=_PROPOSITIONS, stance=st.sampled_from(_SAID))


def stances() -> st.SearchStrategy[StanceOn]:
    """Generate a stance on a proposition; shrinks towards supporting the first proposition."""
    return _STANCES


_COUNTS: Final = st.integers(0, 10_000)
_QUANTITIES: Final = st.one_of(
    _COUNTS.map(Quantity.exactly),
    _COUNTS.map(Quantity.about),
    _COUNTS.map(Quantity.at_least),
    _COUNTS.map(Quantity.at_most),
    st.tuples(_COUNTS, _COUNTS).map(lambda pair: Quantity.between(min(pair), max(pair))),
)


def quantities() -> st.SearchStrategy[Quantity]:
    """Generate counts of every qualifier; shrinks towards exactly 0."""
    return _QUANTITIES


_FIGURES: Final = st.builds(
    Figure,
    name=st.sampled_from(("evacuated", "homes without power", "arrested")),
    quantity=_QUANTITIES,
)


def figures() -> st.SearchStrategy[Figure]:
    """Generate named counts ("about 300 evacuated"); shrinks towards exactly 0, first name."""
    return _FIGURES


_CODES: Final = st.none() | st.builds(
    Codes,
    cameo=st.none() | st.from_regex(r"\A[0-9]{2,4}\Z"),
    plover=st.none() | st.sampled_from(("ASSAULT", "CONSULT", "ACCUSE")),
    acled=st.none() | st.sampled_from(sorted(ACLED_EVENT_TYPES)),
)


def codes() -> st.SearchStrategy[Codes | None]:
    """Generate optional CAMEO / PLOVER / ACLED codes; shrinks towards None."""
    return _CODES


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


@st.composite
def _build_places(draw: st.DrawFn) -> Place:
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


_PLACES: Final = _build_places()


def places() -> st.SearchStrategy[Place]:
    """Generate places: a name from a small pool, with or without coordinates and codes.

    Shrinks towards a bare name (the first of the pool) without coordinates.
    """
    return _PLACES


# -- events ----------------------------------------------------------------------------------


@_built_once
def _common(
    event_id: st.SearchStrategy[str],
    anchors: st.SearchStrategy[str] | None,
    zone: st.SearchStrategy[str],
) -> Mapping[str, st.SearchStrategy[Any]]:
    """Return the strategies for the fields every event has."""
    return types.MappingProxyType(
        {
            "id": event_id,
            "occurred": _whens(anchors, zone),
            "reported": _whens(anchors, zone),
            "sources": _small_tuples(_SOURCES, 2),
            "codes": _CODES,
            "summary": st.none() | st.text(max_size=30),
        }
    )


_TALKS: Final = ids("talks")
_Fields = Callable[[st.SearchStrategy[str | None], st.SearchStrategy[When]], dict[str, Any]]

# The own fields of each built-in report type, given the strategies for an optional reference
# to another event and for a time in the drawn zone. A type without an entry (a new built-in
# one, or a user's) has its fields inferred from its annotations, as `events_of` documents.
_REPORT_FIELDS: Final[dict[type[Event], _Fields]] = {
    StrikeReported: lambda ref, when: {
        "actor": _ACTORS,
        "places": _small_tuples(_PLACES),
        "missions": st.none() | _QUANTITIES,
        "targets": _small_tuples(st.sampled_from(("ISIS", "arms depots", "US-backed rebels"))),
        "region": st.none() | st.just("Homs"),
    },
    IncidentReported: lambda ref, when: {
        "kind": st.sampled_from(("chemical plant fire", "power outage", "protest", "flood")),
        "actors": _small_tuples(_ACTORS, 2),
        "places": _small_tuples(_PLACES),
        "figures": _small_tuples(_FIGURES, 2),
    },
    CasualtiesReported: lambda ref, when: {
        "killed": _QUANTITIES,
        "injured": st.none() | _QUANTITIES,
        "among": st.none() | st.just("civilians"),
        "places": _small_tuples(_PLACES),
        "cause": ref,
        "detail": st.none() | st.just("a number of them children"),
    },
    StatementMade: lambda ref, when: {
        "speaker": _ACTORS,
        "quote": st.none() | st.text(max_size=60),
        "stances": _small_tuples(_STANCES),
        "audience": st.none() | st.just("French lawmakers"),
        "medium": st.none() | st.just("TV address"),
    },
    TalksAnnounced: lambda ref, when: {
        "talks": _TALKS,
        "parties": st.lists(_ACTORS, min_size=1, max_size=3).map(tuple),
        "topic": st.just("avoiding clashes in Syria"),
        "scheduled": st.none() | when,
        "announced_by": _small_tuples(_ACTORS, 2),
    },
    TalksHeld: lambda ref, when: {
        "talks": _TALKS,
        "parties": _small_tuples(_ACTORS),
        "outcome": st.none() | st.just("agreed to keep talking"),
    },
    TalksCancelled: lambda ref, when: {
        "talks": _TALKS,
        "reason": st.none() | st.just("postponed"),
    },
    NotificationGiven: lambda ref, when: {
        "notifier": _ACTORS,
        "recipient": _ACTORS,
        "about": ref,
        "lead_time": st.none() | _durations(72),
        "content": st.none() | st.just("strikes imminent"),
    },
}

# A replacement is drawn with this id, then given its target's (a drawn value).
_PLACEHOLDER_ID: Final = st.just("e-0")
_TYPO: Final = st.none() | st.just("typo")
_FALSE: Final = st.none() | st.just("false")
_TAKEN_BACK: Final = st.none() | st.just("we take that back")
_PREMATURE: Final = st.none() | st.just("premature")


@_built_once
def _replacements(zone: st.SearchStrategy[str]) -> st.SearchStrategy[Event]:
    """Return reports of every built-in type to stand in for a corrected one.

    Their times are absolute: a replacement anchored to its own id would be circular.
    """
    return st.one_of(
        [
            _events_of(report, _PLACEHOLDER_ID, None, _ids("e"), zone)
            for report in sorted(_REPORT_FIELDS, key=_name)
        ]
    )


@st.composite
def _corrections(
    draw: st.DrawFn,
    ref: st.SearchStrategy[str],
    common: st.SearchStrategy[dict[str, Any]],
    replacements: st.SearchStrategy[Event],
) -> Correction:
    target = draw(ref)
    fields = draw(common)
    if fields["id"] == target:
        fields["id"] = target + "-fix"
    return Correction(
        corrects=target,
        replacement=attrs.evolve(draw(replacements), id=target),
        reason=draw(_TYPO),
        **fields,
    )


@st.composite
def _retractions(
    draw: st.DrawFn, ref: st.SearchStrategy[str], common: st.SearchStrategy[dict[str, Any]]
) -> Retraction:
    target = draw(ref)
    fields = draw(common)
    if fields["id"] == target:
        fields["id"] = target + "-retract"
    return Retraction(retracts=target, reason=draw(_FALSE), **fields)


@st.composite
def _withdrawals(
    draw: st.DrawFn, ref: st.SearchStrategy[str], common: st.SearchStrategy[dict[str, Any]]
) -> Withdrawal:
    target = draw(ref)
    fields = draw(common)
    if fields["id"] == target:
        fields["id"] = target + "-withdrawn"
    return Withdrawal(
        withdraws=target,
        speaker=draw(_ACTORS),
        quote=draw(_TAKEN_BACK),
        reason=draw(_PREMATURE),
        **fields,
    )


@_built_once
def _events_of(
    cls: type[Event],
    event_id: st.SearchStrategy[str],
    anchors: st.SearchStrategy[str] | None,
    ref: st.SearchStrategy[str],
    zone: st.SearchStrategy[str],
) -> st.SearchStrategy[Event]:
    common = _common(event_id, anchors, zone)
    if cls is Correction:
        return _corrections(ref, st.fixed_dictionaries(dict(common)), _replacements(zone))
    if cls is Retraction:
        return _retractions(ref, st.fixed_dictionaries(dict(common)))
    if cls is Withdrawal:
        return _withdrawals(ref, st.fixed_dictionaries(dict(common)))
    fields = _REPORT_FIELDS.get(cls)
    if fields is not None:
        return st.builds(cls, **common, **fields(st.none() | ref, _whens(None, zone)))
    _register_value_strategies()
    own = {
        field.name: _field_values(field.type)
        for field in attrs.fields(attrs.resolve_types(cls))
        if field.name not in common
    }
    return st.builds(cls, **common, **own)


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
    return _events_of(  # type: ignore[return-value]
        cls,
        event_id if event_id is not None else _ids("e"),
        anchors,
        refs if refs is not None else _ids("e"),
        zones(),
    )


@_built_once
def _events(
    chosen: tuple[type[Event], ...],
    anchors: st.SearchStrategy[str] | None,
    ref: st.SearchStrategy[str],
    zone: st.SearchStrategy[str],
) -> st.SearchStrategy[Event]:
    return st.one_of([_events_of(cls, _ids("e"), anchors, ref, zone) for cls in chosen])


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
    return _events(chosen, anchors, refs if refs is not None else _ids("e"), zones())


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


@functools.cache
def _register_value_strategies() -> None:
    """Tell `st.from_type` about the library's values, once per process, on first use."""
    st.register_type_strategy(When, whens())
    st.register_type_strategy(Actor, _ACTORS)
    st.register_type_strategy(Source, _SOURCES)
    st.register_type_strategy(Quantity, _QUANTITIES)
    st.register_type_strategy(Figure, _FIGURES)
    st.register_type_strategy(Place, _PLACES)
    st.register_type_strategy(Proposition, _PROPOSITIONS)
    st.register_type_strategy(StanceOn, _STANCES)
    st.register_type_strategy(pendulum.DateTime, instants())
    st.register_type_strategy(pendulum.Duration, _durations(72))


# -- whole logs ------------------------------------------------------------------------------


@attrs.define
class _LogIds:
    """The ids of the log being drawn: the next event's, and the earlier ones it may name.

    One is drawn per example (`st.shared`) and filled by that example's own draws, so each
    example is a pure function of its choices and shrinks normally. It is mutable (not frozen)
    because the log's builder advances it while the event strategies, built once, read it.
    """

    current: str = "e0"
    earlier: tuple[str, ...] = ()


_LOG_IDS: Final = st.shared(st.builds(_LogIds), key="timeline.testing.strategies.log-ids")
_CURRENT_ID: Final = _LOG_IDS.map(lambda ids: ids.current)
# An index rather than a sample, so that it shrinks towards the first earlier event.
_EARLIER_ID: Final = st.tuples(_LOG_IDS, st.integers(0, 2**16)).map(
    lambda pair: pair[0].earlier[pair[1] % len(pair[0].earlier)]
)
_MISSING_ID: Final = st.just("e-missing")


@st.composite
def _logs(
    draw: st.DrawFn,
    sizes: st.SearchStrategy[int],
    first: Mapping[type[Event], st.SearchStrategy[Event]],
    later: Mapping[type[Event], st.SearchStrategy[Event]],
) -> list[Event]:
    log_ids = draw(_LOG_IDS)
    log_ids.earlier = ()
    first_kinds = st.sampled_from(tuple(first))
    later_kinds = st.sampled_from(tuple(later))
    log: list[Event] = []
    for index in range(draw(sizes)):
        log_ids.current = f"e{index}"
        pool, kinds = (later, later_kinds) if log_ids.earlier else (first, first_kinds)
        event = draw(pool[draw(kinds)])
        log.append(event)
        if not isinstance(event, Correction | Retraction):
            log_ids.earlier = (*log_ids.earlier, event.id)
    return log


@_built_once
def _event_logs(
    min_size: int, max_size: int, allowed: tuple[type[Event], ...], zone: st.SearchStrategy[str]
) -> st.SearchStrategy[list[Event]]:
    reports = tuple(t for t in allowed if t not in (Correction, Retraction)) or allowed
    first = {
        cls: _events_of(cls, _CURRENT_ID, None, _MISSING_ID, zone)
        for cls in sorted(reports, key=_name)
    }
    later = {
        cls: _events_of(cls, _CURRENT_ID, _EARLIER_ID, _EARLIER_ID, zone)
        for cls in sorted(allowed, key=_name)
    }
    return _logs(st.integers(min_size, max_size), first, later)


def event_logs(
    *, min_size: int = 0, max_size: int = 20, types: tuple[type[Event], ...] = ()
) -> st.SearchStrategy[list[Event]]:
    """Generate whole valid logs: unique ids, references only to earlier events, no cycles.

    Relative times, corrections, retractions, casualty causes and notifications point at
    events drawn before them, as a real feed would. Shrinks towards fewer, simpler events.
    """
    allowed = types or tuple(entry.cls for entry in event_types())
    return _event_logs(min_size, max_size, allowed, zones())


@st.composite
def _revised(
    draw: st.DrawFn,
    base: st.SearchStrategy[list[Event]],
    max_revisions: int,
    common: st.SearchStrategy[dict[str, Any]],
    replacements: st.SearchStrategy[Event],
) -> list[Event]:
    log = draw(base)
    if not log:
        return log
    log_ids = draw(_LOG_IDS)
    reports = log_ids.earlier = tuple(event.id for event in log)
    revisions: list[str] = []
    for index in range(draw(st.integers(0, max_revisions))):
        log_ids.current = f"r{index}"
        fields = draw(common)
        if draw(st.booleans()):
            first, *more = draw(_named((*reports, *revisions)))
            event: Event = Retraction(
                retracts=first, also_retracts=tuple(more), reason=draw(_FALSE), **fields
            )
        else:
            replaced = [
                attrs.evolve(draw(replacements), id=target) for target in draw(_named(reports))
            ]
            event = Correction(
                corrects=replaced[0].id,
                replacement=replaced[0],
                more_replacements=tuple(replaced[1:]),
                reason=draw(_FALSE),
                **fields,
            )
        log.append(event)
        revisions.append(event.id)
    return log


def _named(pool: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)


@_built_once
def _revised_logs(
    min_size: int,
    max_size: int,
    max_revisions: int,
    reports: tuple[type[Event], ...],
    zone: st.SearchStrategy[str],
) -> st.SearchStrategy[list[Event]]:
    return _revised(
        _event_logs(min_size, max_size, reports, zone),
        max_revisions,
        st.fixed_dictionaries(dict(_common(_CURRENT_ID, _EARLIER_ID, zone))),
        _replacements(zone),
    )


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
    return _revised_logs(min_size, max_size, max_revisions, reports, zones())


# -- users' own types ------------------------------------------------------------------------


@functools.cache
def _define_user_types() -> tuple[type[Event], ...]:
    # Defined on first use, not on import, so importing the strategies registers nothing.
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

    return (ReadingTaken, NoticePosted)


@functools.cache
def _user_event_types() -> st.SearchStrategy[type[Event]]:
    return st.sampled_from(_define_user_types())


def user_event_types() -> st.SearchStrategy[type[Event]]:
    """Generate user-defined event types (registered with `@event_type` on first use).

    Give them to `events_of` or to `event_logs(types=...)` beside the built-in types. Shrinks
    towards the first type.
    """
    return _user_event_types()


_JSON_VALUES: Final = st.recursive(
    st.none() | st.booleans() | _JSON_INTEGERS | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
_FOREIGN_NAMES: Final = st.sampled_from(("elsewhere.spill_reported", "other_tool.sighting"))
_FOREIGN_FIELDS: Final = st.dictionaries(st.from_regex(r"\A[a-z][a-z_]{0,8}\Z"), _JSON_VALUES)


@st.composite
def _foreign(draw: st.DrawFn, base: st.SearchStrategy[Event]) -> Event:
    import orjson  # noqa: PLC0415 - only these strategies need it

    from timeline.serialization import unknown_event, unstructure_event  # noqa: PLC0415

    document = {
        key: value
        for key, value in unstructure_event(draw(base)).items()
        if key in ("id", "occurred", "reported", "sources", "summary")
    }
    own = draw(_FOREIGN_FIELDS)
    own = {k: v for k, v in own.items() if k not in document and k not in ("type", "v")}
    document.update(own, type=draw(_FOREIGN_NAMES), v=draw(st.integers(1, 3)))
    return unknown_event(orjson.dumps(document, option=orjson.OPT_SORT_KEYS))


@_built_once
def _foreign_events(
    event_id: st.SearchStrategy[str], zone: st.SearchStrategy[str]
) -> st.SearchStrategy[Event]:
    return _foreign(_events_of(StrikeReported, event_id, None, _ids("e"), zone))


def foreign_events(*, event_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Event]:
    """Generate events of types no loaded module defines, as a store without them reads them.

    Each is a `timeline.UnknownEvent` holding the stored JSON of an event of another
    program's type (its own fields, any JSON). Shrinks towards one plain field.
    """
    return _foreign_events(event_id if event_id is not None else _ids("e"), zones())
