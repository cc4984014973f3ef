"""Hostile arguments, and the public calls that take them, for the hostile-argument tests.

Each call puts one hostile value into one argument of a public function or constructor and
gives every other argument a valid value, so a call either works or raises because of that
value. The calls are grouped by what they exercise (`MODEL`, `QUERIES`, `LOG`, `OUTPUT`);
each takes the hostile value and a `Context` (the seeded log, a scratch log and a few valid
values to build with).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import warnings
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import attrs
import pendulum
from hypothesis import strategies as st

from timeline.anchors import Anchor, read_anchors
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
    UnknownEvent,
    Withdrawal,
)
from timeline.importers import import_file
from timeline.interop import export_records, import_text, read_events
from timeline.log import EventLog
from timeline.model import (
    Actor,
    ActorKind,
    BoundingBox,
    Codes,
    Figure,
    Place,
    Proposition,
    Quantity,
    Source,
    Stance,
    StanceOn,
)
from timeline.projections import TimeMachine
from timeline.projections.diff import diff
from timeline.projections.filters import make_filter
from timeline.projections.situation import positions, situation
from timeline.render import render_html, render_png
from timeline.story import story
from timeline.when import DayPart, Precision, Qualifier, When, WhenKind

_UTC = pendulum.timezone("UTC")
_INSTANT = pendulum.datetime(2015, 9, 30, 10, tz="Asia/Damascus")
_NAIVE = dt.datetime(2015, 9, 30, 10)
_DAY = dt.date(2015, 9, 30)
_WHEN = When.exact(_INSTANT)
_HOUR = dt.timedelta(hours=1)
_HEX = "0" * 64
_KEY = b"k" * 16


class _BadRepr:
    """An object whose repr fails: an error message must not need it."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class _BadZone(dt.tzinfo):
    """A tzinfo that cannot say its offset."""

    def utcoffset(self, when: dt.datetime | None) -> dt.timedelta:
        raise RuntimeError("no offset")


_NAMED: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    10**6,
    2**63,
    -(2**63) - 1,
    2**70,
    10**400,
    -(10**400),
    10**5000,
    1.5,
    -0.0,
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    "",
    " ",
    "\ud800",
    "a\udfffb",
    "a\x00b",
    "x" * 300,
    "x" * 6_000,
    "1" * 5_000,
    "é" * 3_000,
    "Mars/Olympus",
    "../../../../etc/passwd",
    "Europe/Kiev",
    "+25:00",
    "+03:00",
    "UTC",
    "now",
    "today",
    "2015-09-30",
    "2015-09-30T10:00:00",
    "2015-09-30T10:00:00+03:00",
    "2015-09-30T10:00[Asia/Damascus]",
    "99999-01-01",
    "2015-09-30/..",
    "%d %s {0}",
    "strike_reported",
    "russia",
    "jsonl",
    "cloudevents",
    "timelinejs",
    b"",
    b"k" * 16,
    b"\xff" * 40,
    bytearray(b"k" * 16),
    [],
    ["russia"],
    [10**400],
    {},
    {"a": "b"},
    {"\ud800": "x"},
    {1: 2},
    (),
    ("\ud800",),
    (1.0, 2.0, 3.0, 4.0),
    (-91, 0, 0, 0),
    object(),
    _BadRepr(),
    print,
    lambda *_args, **_kwargs: None,
    dt.timedelta(0),
    dt.timedelta(days=1),
    dt.timedelta(days=-1),
    dt.timedelta.max,
    dt.timedelta.min,
    pendulum.duration(months=1),
    _NAIVE,
    _INSTANT,
    dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    dt.datetime.max.replace(tzinfo=dt.UTC),
    _DAY,
    dt.date.max,
    dt.time(10),
    _WHEN,
    When.relative(to="e-1", offset=_HOUR),
    Decimal("NaN"),
    Decimal("1e400"),
    Fraction(1, 3),
    complex(1, 1),
    ActorKind.STATE,
    Stance.WITHDRAWN,
    Precision.DAY,
    Qualifier.APPROXIMATE,
    DayPart.MORNING,
    _UTC,
    dt.timezone(dt.timedelta(hours=23, minutes=59)),
    _BadZone(),
    Path("/dev/full"),
    Path("x" * 5_000),
    Actor(id="a", name="A"),
    Place(name="Homs"),
    Quantity.exactly(3),
    Anchor("seeded", 1, _HEX),
]


def hostile_values() -> st.SearchStrategy[Any]:
    """Generate hostile arguments: wrong types, huge and odd numbers, odd texts and zones.

    Shrinks towards the named values (None first), then generated numbers and texts.
    """
    return st.one_of(
        st.sampled_from(_NAMED),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.binary(max_size=8),
        st.lists(st.sampled_from(_NAMED[:40]), max_size=3),
        st.dictionaries(st.text(max_size=4), st.sampled_from(_NAMED[:40]), max_size=2),
    )


_NOWHERE: Final = Path("no-such-folder-for-timeline-tests")


def confined(value: Any) -> Any:
    """Return a hostile path that cannot reach outside the test's folder, else `value` as is.

    The tests may run as root: ``"../../../../etc/passwd"`` given to a writer would overwrite
    the real file. An absolute path or one that climbs out goes under a folder that does not
    exist (the writer fails as it would on any missing folder); ``/dev/full`` stays itself.
    """
    if isinstance(value, str | os.PathLike) and not isinstance(value, bytes):
        try:
            text = os.fspath(value)
        except TypeError:
            return value
        if isinstance(text, str) and text != "/dev/full":
            parts = Path(text).parts
            if Path(text).is_absolute() or ".." in parts:
                return _NOWHERE / text.lstrip("/")
    return value


@attrs.define
class Context:
    """What the calls work on: the seeded log (which must not change) and a scratch log."""

    seeded: EventLog
    scratch: EventLog
    count: int = 0

    def store(self, event: Event) -> None:
        """Append `event` to the scratch log: an accepted value must be storable too."""
        self.scratch.append(event)

    def next_id(self) -> str:
        """Return a fresh event id."""
        self.count += 1
        return f"h-{self.count}"


Call = Callable[[Any, Context], object]


def _event(ctx: Context, **fields: Any) -> IncidentReported:
    base: dict[str, Any] = {
        "id": ctx.next_id(),
        "occurred": _WHEN,
        "reported": _WHEN,
        "kind": "shelling",
    }
    return IncidentReported(**(base | fields))


def _keeps_actor(actor: Actor, ctx: Context) -> None:
    ctx.store(
        StatementMade(id=ctx.next_id(), occurred=_WHEN, reported=_WHEN, speaker=actor, quote="q")
    )


def _actor(field: str, **more: Any) -> Call:
    def call(value: Any, ctx: Context) -> None:
        _keeps_actor(Actor(**({"id": "a-1", "name": "A"} | more | {field: value})), ctx)

    return call


def _source(field: str) -> Call:
    def call(value: Any, ctx: Context) -> None:
        ctx.store(_event(ctx, sources=(Source(**({"name": "SANA"} | {field: value})),)))

    return call


def _place(field: str, **more: Any) -> Call:
    def call(value: Any, ctx: Context) -> None:
        ctx.store(_event(ctx, places=(Place(**({"name": "Homs"} | more | {field: value})),)))

    return call


def _statement(stance: StanceOn, ctx: Context) -> None:
    speaker = Actor(id="a-1", name="A")
    ctx.store(
        StatementMade(
            id=ctx.next_id(), occurred=_WHEN, reported=_WHEN, speaker=speaker, stances=(stance,)
        )
    )


def _proposition(field: str) -> Call:
    def call(value: Any, ctx: Context) -> None:
        proposition = Proposition(**({"id": "p-1", "text": "It happened"} | {field: value}))
        _statement(StanceOn(proposition, Stance.SUPPORTS), ctx)

    return call


def _quantity(build: Callable[[Any], Quantity]) -> Call:
    def call(value: Any, ctx: Context) -> None:
        quantity = build(value)
        ctx.store(_event(ctx, figures=(Figure("evacuated", quantity),)))

    return call


def _when(build: Callable[[Any], When]) -> Call:
    def call(value: Any, ctx: Context) -> None:
        ctx.store(_event(ctx, occurred=build(value)))

    return call


def _edge(index: int) -> Call:
    def call(value: Any, ctx: Context) -> None:
        edges: list[Any] = [30.0, 30.0, 40.0, 40.0]
        edges[index] = value
        box = BoundingBox(*edges)
        situation(ctx.seeded, bbox=(box.south, box.west, box.north, box.east))

    return call


def _codes(field: str) -> Call:
    def call(value: Any, ctx: Context) -> None:
        ctx.store(_event(ctx, codes=Codes(**{field: value})))

    return call


_ACTOR = Actor(id="a-1", name="A")
_OTHER = Actor(id="a-2", name="B")
_PROPOSITION = Proposition(id="p-1", text="It happened")


def _valid_fields(cls: type[Event], ctx: Context) -> dict[str, Any]:
    """Return valid keyword arguments for a built-in event class."""
    base: dict[str, Any] = {"id": ctx.next_id(), "occurred": _WHEN, "reported": _WHEN}
    more: dict[type[Event], dict[str, Any]] = {
        StrikeReported: {"actor": _ACTOR, "targets": ("ISIS",)},
        IncidentReported: {"kind": "shelling"},
        CasualtiesReported: {"killed": Quantity.at_least(3)},
        StatementMade: {"speaker": _ACTOR, "stances": (StanceOn(_PROPOSITION, Stance.SUPPORTS),)},
        TalksAnnounced: {"talks": "t-1", "parties": (_ACTOR, _OTHER), "topic": "truce"},
        TalksHeld: {"talks": "t-1", "parties": (_ACTOR, _OTHER)},
        TalksCancelled: {"talks": "t-1"},
        NotificationGiven: {"notifier": _ACTOR, "recipient": _OTHER, "about": "e-1"},
        Correction: {
            "corrects": "e-1",
            "replacement": IncidentReported(
                id="e-1", occurred=_WHEN, reported=_WHEN, kind="shelling"
            ),
        },
        Retraction: {"retracts": "e-1"},
        Withdrawal: {"withdraws": "e-1", "speaker": _ACTOR},
        UnknownEvent: {
            "type_name": "ceasefire_declared",
            "version": 1,
            "payload": b"{}",
            "note": "unknown type",
        },
    }
    return base | more[cls]


_EVENT_CLASSES = [
    StrikeReported,
    IncidentReported,
    CasualtiesReported,
    StatementMade,
    TalksAnnounced,
    TalksHeld,
    TalksCancelled,
    NotificationGiven,
    Correction,
    Retraction,
    Withdrawal,
    UnknownEvent,
]


def _event_field(cls: type[Event], field: str) -> Call:
    def call(value: Any, ctx: Context) -> None:
        event = cls(**(_valid_fields(cls, ctx) | {field: value}))
        if cls is not UnknownEvent:  # its payload is stored as given, and not checked here
            ctx.store(event)

    return call


def _event_calls() -> dict[str, Call]:
    calls: dict[str, Call] = {}
    for cls in _EVENT_CLASSES:
        for field in attrs.fields(cls):
            if field.init:
                calls[f"{cls.__name__}({field.name}=)"] = _event_field(cls, field.name)
    return calls


MODEL: dict[str, Call] = {
    "Actor(id=)": _actor("id"),
    "Actor(name=)": _actor("name"),
    "Actor(kind=)": _actor("kind"),
    "Actor(speaks_for=)": _actor("speaks_for"),
    "Actor(role=)": _actor("role"),
    "Actor(principal_name=)": _actor("principal_name", speaks_for="a-9"),
    "Source(name=)": _source("name"),
    "Source(kind=)": _source("kind"),
    "Source(quote=)": _source("quote"),
    "Source(url=)": _source("url"),
    "Source(actor=)": _source("actor"),
    "Proposition(id=)": _proposition("id"),
    "Proposition(text=)": _proposition("text"),
    "Proposition(kind=)": _proposition("kind"),
    "StanceOn(proposition=)": lambda v, ctx: _statement(StanceOn(v, Stance.SUPPORTS), ctx),
    "StanceOn(stance=)": lambda v, ctx: _statement(StanceOn(_PROPOSITION, v), ctx),
    "Quantity.exactly": _quantity(Quantity.exactly),
    "Quantity.about": _quantity(Quantity.about),
    "Quantity.at_least": _quantity(Quantity.at_least),
    "Quantity.at_most": _quantity(Quantity.at_most),
    "Quantity.between(low)": _quantity(lambda v: Quantity.between(v, 10)),
    "Quantity.between(high)": _quantity(lambda v: Quantity.between(0, v)),
    "Quantity(kind=)": _quantity(lambda v: Quantity(v, 1, 1)),
    "Figure(name=)": lambda v, ctx: ctx.store(
        _event(ctx, figures=(Figure(v, Quantity.exactly(1)),))
    ),
    "Figure(quantity=)": lambda v, ctx: ctx.store(_event(ctx, figures=(Figure("hurt", v),))),
    "Place(name=)": _place("name"),
    "Place(country=)": _place("country"),
    "Place(admin=)": _place("admin"),
    "Place(latitude=)": _place("latitude", longitude=36.7),
    "Place(longitude=)": _place("longitude", latitude=34.7),
    "Place(geonames=)": _place("geonames"),
    "Place(gdelt_feature=)": _place("gdelt_feature"),
    "Place(precision=)": _place("precision"),
    "BoundingBox(south)": _edge(0),
    "BoundingBox(west)": _edge(1),
    "BoundingBox(north)": _edge(2),
    "BoundingBox(east)": _edge(3),
    "Codes(cameo=)": _codes("cameo"),
    "Codes(plover=)": _codes("plover"),
    "Codes(acled=)": _codes("acled"),
    "When.exact": _when(When.exact),
    "When.exact(tz=)": _when(lambda v: When.exact(_NAIVE, tz=v)),
    "When.exact(qualifier=)": _when(lambda v: When.exact(_INSTANT, qualifier=v)),
    "When.exact(phrase=)": _when(lambda v: When.exact(_INSTANT, phrase=v)),
    "When.within(precision)": _when(lambda v: When.within(_INSTANT, v)),
    "When.within(instant)": _when(lambda v: When.within(v, Precision.DAY)),
    "When.on(day)": _when(lambda v: When.on(v, tz="UTC")),
    "When.on(tz=)": _when(lambda v: When.on(_DAY, tz=v)),
    "When.between(start)": _when(lambda v: When.between(v, _INSTANT)),
    "When.between(end)": _when(lambda v: When.between(_INSTANT, v)),
    "When.between(tz=)": _when(lambda v: When.between(_DAY, _DAY, tz=v)),
    "When.about(margin)": _when(lambda v: When.about(_INSTANT, v)),
    "When.about(instant)": _when(lambda v: When.about(v, _HOUR)),
    "When.relative(to=)": _when(lambda v: When.relative(to=v, offset=_HOUR)),
    "When.relative(offset=)": _when(lambda v: When.relative(to="e-1", offset=v)),
    "When.relative(margin=)": _when(lambda v: When.relative(to="e-1", offset=_HOUR, margin=v)),
    "When.later_that_day(to=)": _when(lambda v: When.later_that_day(to=v)),
    "When.later_that_day(after=)": _when(lambda v: When.later_that_day(to="e-1", after=v)),
    "When.during(day)": _when(lambda v: When.during(v, "morning", tz="UTC")),
    "When.during(part)": _when(lambda v: When.during(_DAY, v, tz="UTC")),
    "When.during(tz=)": _when(lambda v: When.during(_DAY, "morning", tz=v)),
    "When.from_edtf(text)": _when(lambda v: When.from_edtf(v, tz="UTC")),
    "When.from_edtf(tz=)": _when(lambda v: When.from_edtf("2015-09", tz=v)),
    "When.since": _when(When.since),
    "When.in_timezone": _when(_WHEN.in_timezone),
    "When.describe(zone)": lambda v, _ctx: _WHEN.describe(v),
    "When(kind=)": _when(lambda v: When(v, start=_INSTANT)),
    "When(precision=)": _when(lambda v: When(WhenKind.PERIOD, start=_INSTANT, precision=v)),
    "When(season=)": _when(lambda v: When(WhenKind.EXACT, start=_INSTANT, season=v)),
    **_event_calls(),
}
"""Each public constructor of the model, each `When` builder, each field of each event."""


def _query(function: Callable[..., Any], argument: str) -> Call:
    return lambda v, ctx: function(ctx.seeded, **{argument: v})


def _keyword(function: Callable[..., Any], argument: str) -> Call:
    return lambda v, _ctx: function(**{argument: v})


def _machine(method: str, argument: str) -> Call:
    def call(value: Any, ctx: Context) -> None:
        getattr(TimeMachine(ctx.seeded), method)(**{argument: value})

    return call


def _persist(value: Any, ctx: Context) -> None:
    """``persist=`` is deprecated and does nothing: True warns, which is not the point here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        TimeMachine(ctx.seeded, persist=value)


_FILTERS = ["types", "actors", "places", "sources", "propositions", "text", "bbox", "limit"]


QUERIES: dict[str, Call] = {
    **{f"situation({a}=)": _query(situation, a) for a in ["at", "known_at", "known_by", "tz"]},
    **{f"situation({f}=)": _query(situation, f) for f in _FILTERS},
    "situation(sections=)": _query(situation, "sections"),
    "situation(log)": lambda v, _ctx: situation(v),
    **{f"positions({a}=)": _query(positions, a) for a in ["at", "known_at", "known_by", "tz"]},
    **{f"positions({f}=)": _query(positions, f) for f in _FILTERS},
    "positions(log)": lambda v, _ctx: positions(v),
    **{
        f"story({a}=)": _query(story, a)
        for a in ["at", "known_at", "known_by", "tz", "names", "title"]
    },
    "story(log)": lambda v, _ctx: story(v),
    "diff(before)": lambda v, ctx: diff(v, situation(ctx.seeded)),
    "diff(after)": lambda v, ctx: diff(positions(ctx.seeded), v),
    **{f"make_filter({f}=)": _keyword(make_filter, f) for f in _FILTERS},
    "make_filter(unknown)": lambda v, _ctx: make_filter(**{f"x_{type(v).__name__}": v}),
    "TimeMachine(every=)": lambda v, ctx: TimeMachine(ctx.seeded, every=v),
    "TimeMachine(persist=)": _persist,
    "TimeMachine(log)": lambda v, _ctx: TimeMachine(v),
    **{
        f"TimeMachine.situation({a}=)": _machine("situation", a)
        for a in ["at", "known_at", "known_by", "tz", "actors", "limit"]
    },
    **{
        f"TimeMachine.positions({a}=)": _machine("positions", a)
        for a in ["at", "known_at", "known_by", "tz", "propositions"]
    },
}
"""The query functions, each argument and each filter."""


def _follow(**arguments: Any) -> Call:
    def call(value: Any, ctx: Context) -> None:
        wanted = {k: (value if v is ... else v) for k, v in arguments.items()}
        for _ in ctx.seeded.follow(**wanted):
            pass

    return call


def _setting(value: Any, ctx: Context, *, key: Any = "zone") -> None:
    ctx.scratch.set_setting(key, value)


LOG: dict[str, Call] = {
    "read(after=)": lambda v, ctx: list(ctx.seeded.read(after=v)),
    "read(limit=)": lambda v, ctx: list(ctx.seeded.read(limit=v)),
    "read(until_position=)": lambda v, ctx: list(ctx.seeded.read(until_position=v)),
    "events(after=)": lambda v, ctx: list(ctx.seeded.events(after=v)),
    "events(until_position=)": lambda v, ctx: list(ctx.seeded.events(until_position=v)),
    "follow(after=)": _follow(after=..., idle_timeout=0.001),
    "follow(poll_interval=)": _follow(poll_interval=..., idle_timeout=0.001),
    "follow(idle_timeout=)": lambda v, ctx: ctx.seeded.follow(idle_timeout=v),
    "follow(stop=)": _follow(stop=..., idle_timeout=0.001),
    "follow_batches(limit=)": lambda v, ctx: ctx.seeded.follow_batches(limit=v, idle_timeout=0.001),
    "verify(anchor)": lambda v, ctx: ctx.seeded.verify(v),
    "verify(key=)": lambda v, ctx: ctx.seeded.verify(ctx.seeded.anchor(key=_KEY), key=v),
    "anchor(key=)": lambda v, ctx: ctx.seeded.anchor(key=v),
    "append(event)": lambda v, ctx: ctx.scratch.append(v),
    "append(expected_version=)": lambda v, ctx: ctx.scratch.append(_event(ctx), expected_version=v),
    "setting(key)": lambda v, ctx: ctx.seeded.setting(v),
    "set_setting(key)": lambda v, ctx: _setting("UTC", ctx, key=v),
    "set_setting(value)": _setting,
    "store.timeline_setting(key)": lambda v, ctx: ctx.seeded.store.timeline_setting("seeded", v),
    "store.timeline_setting(timeline)": lambda v, ctx: ctx.seeded.store.timeline_setting(v, "k"),
    "store.set_timeline_setting(key)": lambda v, ctx: ctx.scratch.store.set_timeline_setting(
        "scratch", v, "x"
    ),
    "store.set_timeline_setting(value)": lambda v, ctx: ctx.scratch.store.set_timeline_setting(
        "scratch", "k", v
    ),
    "Anchor(timeline)": lambda v, _ctx: Anchor(v, 1, _HEX).sign(_KEY),
    "Anchor(position)": lambda v, _ctx: Anchor("seeded", v, _HEX).sign(_KEY),
    "Anchor(hash)": lambda v, _ctx: Anchor("seeded", 1, v).sign(_KEY),
    "Anchor(mac=)": lambda v, _ctx: Anchor("seeded", 1, _HEX, v).check_mac(_KEY),
    "Anchor.sign(key)": lambda v, _ctx: Anchor("seeded", 1, _HEX).sign(v),
    "Anchor.check_mac(key)": lambda v, _ctx: Anchor("seeded", 1, _HEX).check_mac(v),
    "Anchor.from_json": lambda v, _ctx: Anchor.from_json(v),
    "read_anchors": lambda v, _ctx: read_anchors(v),
}
"""The log's reads, follows, verification, settings, and anchors."""


def _html(argument: str) -> Call:
    return lambda v, ctx: render_html(ctx.seeded, io.StringIO(), **{argument: v})


def _export(**arguments: Any) -> Call:
    def call(value: Any, ctx: Context) -> None:
        wanted = {"records": ctx.seeded.read(), "stream": io.StringIO(), "fmt": "cloudevents"}
        wanted |= {k: (value if v is ... else v) for k, v in arguments.items()}
        export_records(**wanted)

    return call


OUTPUT: dict[str, Call] = {
    **{
        f"render_html({a}=)": _html(a)
        for a in [
            "title",
            "tz",
            "names",
            "known_by",
            "max_boundaries",
            "max_marks",
            "max_lanes",
            "track",
        ]
    },
    "render_html(log)": lambda v, _ctx: render_html(v, io.StringIO()),
    "render_html(path_or_stream)": lambda v, ctx: render_html(ctx.seeded, confined(v)),
    "export_records(records)": _export(records=...),
    "export_records(stream)": _export(stream=...),
    "export_records(fmt)": _export(fmt=...),
    "export_records(title=)": _export(fmt="timelinejs", title=...),
    "export_records(source=)": _export(source=...),
    "read_events(text)": lambda v, _ctx: read_events(v, "jsonl"),
    "read_events(fmt)": lambda v, _ctx: read_events("", v),
    "import_text(fmt)": lambda v, ctx: import_text(ctx.scratch, "", v),
    "import_file(path)": lambda v, ctx: import_file(ctx.scratch, confined(v), "acled"),
    "import_file(fmt)": lambda v, ctx: import_file(ctx.scratch, "/dev/null", v),
    "import_file(skip_bad=)": lambda v, ctx: import_file(
        ctx.scratch, "/dev/null", "acled", skip_bad=v
    ),
    "import_file(track=)": lambda v, ctx: import_file(ctx.scratch, "/dev/null", "acled", track=v),
}
"""The views' and the exports' arguments, and the importers' format and text."""


def _png(argument: str) -> Call:
    def call(value: Any, ctx: Context) -> None:
        wanted: dict[str, Any] = {"dpi": 10, argument: value}  # small: a valid call draws
        render_png(ctx.seeded, io.BytesIO(), **wanted)

    return call


PNG: dict[str, Call] = {
    **{
        f"render_png({a}=)": _png(a)
        for a in ["title", "tz", "names", "known_by", "dpi", "max_marks", "max_lanes", "track"]
    },
    "render_png(log)": lambda v, _ctx: render_png(v, io.BytesIO(), dpi=10),
    "render_png(path)": lambda v, ctx: render_png(ctx.seeded, confined(v), dpi=10),
}
"""`render_png`'s arguments (it needs matplotlib, the ``png`` extra)."""
