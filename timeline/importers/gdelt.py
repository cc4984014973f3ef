"""GDELT 2.0: the Events export and the Mentions export, as GDELT's codebooks define them.

Both are tab-separated with no header. An Events row has the 61 columns of the GDELT 2.0
Event Codebook (`EVENT_COLUMNS`); a Mentions row the 16 of the Mentions table
(`MENTION_COLUMNS`).

An event becomes one report, id ``gdelt-<GlobalEventID>``:

- CAMEO root 19 (fight) or 20 (mass violence) with a known Actor1: `StrikeReported` by
  Actor1, its targets Actor2's name; code 046 (engage in negotiation): `TalksHeld` between
  the two actors, the talks named by the day and the actors' codes; everything else:
  `IncidentReported`, its kind the name of its code in `CAMEO_KINDS` (the visits of 042 and
  043, the calls of 041, ...), else of its root in `CAMEO_ROOTS`, its figures the counts of
  mentions, sources and articles. A missing Actor1 reads as the description names a missing
  participant ("unidentified actor").
- ``occurred`` is the day of SQLDATE (``Day``), in UTC; ``reported`` is DATEADDED to its
  15-minute precision: the quarter hour that ends at DATEADDED, in UTC.
- `Codes.cameo` is EventCode; the summary keeps the base and root codes, QuadClass,
  IsRootEvent, the Goldstein scale, AvgTone and the counts.
- The actors keep their CAMEO code (as id, ``cameo:<code>``), name, and, in their role, the
  country, known group, ethnic, religion and type codes and their own geography.
- The action place (ActionGeo_*) is the report's `Place`, whatever its type (talks too):
  full name, country code, ADM1 and ADM2 codes, coordinates, feature id and precision (type
  1 country; 2 and 5 a state or province, so region; 3 and 4 a city, so town).
- SOURCEURL is the report's `Source` (named by its host).

A mention becomes a `Correction` of the event, reported at MentionTimeDate (the quarter hour
ending then), whose replacement is the event with the mentioning outlets up to that time
added to its sources: as of ``known_at=K``, the event's sources are exactly the outlets that
had it by K. The correction's source is the mention (MentionSourceName, MentionIdentifier),
and its reason keeps the other columns. Import each quarter hour's Events file before its
Mentions file, in the order GDELT publishes them: that gives the same answers as importing
every Events file and then every Mentions file. A Mentions file also mentions events of
earlier quarter hours; a mention of an event not in the timeline is counted and summarised
("412 mentions of 380 events not in this timeline"), not stored, unless ``strict`` makes it
a bad row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import urllib.parse
from collections.abc import Callable
from typing import Any, Final

import attrs
import pendulum

from timeline import caches
from timeline.errors import InvalidValueError
from timeline.events import (
    Correction,
    Event,
    IncidentReported,
    StrikeReported,
    TalksHeld,
)
from timeline.importers._fields import Fields, slug
from timeline.importers.base import LogIndex
from timeline.model import (
    Actor,
    ActorKind,
    Codes,
    Figure,
    Place,
    PlacePrecision,
    Quantity,
    Source,
    SourceKind,
)
from timeline.readings import who
from timeline.when import When

__all__ = [
    "CAMEO_KINDS",
    "CAMEO_ROOTS",
    "EVENTS_FORMAT",
    "EVENT_COLUMNS",
    "MENTIONS_FORMAT",
    "MENTION_COLUMNS",
    "EventsMapper",
    "MentionsMapper",
    "event_id",
]

EVENTS_FORMAT: Final = "gdelt-events"
MENTIONS_FORMAT: Final = "gdelt-mentions"

_ACTOR_FIELDS: Final = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO_FIELDS: Final = (
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
)
EVENT_COLUMNS: Final = (
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in _GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in _GEO_FIELDS),
    "DATEADDED",
    "SOURCEURL",
)
"""The 61 columns of a GDELT 2.0 Events row, in order."""

MENTION_COLUMNS: Final = (
    "GlobalEventID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
)
"""The 16 columns of a GDELT 2.0 Mentions row, in order."""

_MENTION_INTEGERS: Final = MENTION_COLUMNS[
    MENTION_COLUMNS.index("SentenceID") : MENTION_COLUMNS.index("MentionDocLen") + 1
]
"""The Mentions columns that hold whole numbers (SentenceID to MentionDocLen)."""

CAMEO_ROOTS: Final = {
    "01": "make public statement",
    "02": "appeal",
    "03": "express intent to cooperate",
    "04": "consult",
    "05": "engage in diplomatic cooperation",
    "06": "engage in material cooperation",
    "07": "provide aid",
    "08": "yield",
    "09": "investigate",
    "10": "demand",
    "11": "disapprove",
    "12": "reject",
    "13": "threaten",
    "14": "protest",
    "15": "exhibit force posture",
    "16": "reduce relations",
    "17": "coerce",
    "18": "assault",
    "19": "fight",
    "20": "use unconventional mass violence",
}
"""The names of the 20 CAMEO root codes."""

CAMEO_KINDS: Final = {
    "040": "consultation",
    "041": "phone call",
    "042": "visit",
    "043": "hosted visit",
    "044": "meeting at a third location",
    "045": "mediation",
}
"""The `IncidentReported` kinds of the CAMEO codes whose root's name would mislead (a visit is
not talks); code 046, engage in negotiation, is `TalksHeld`."""

TALKS_CODE: Final = "046"
"""The CAMEO code read as talks held: engage in negotiation."""

_ACTOR_KEY: Final = (*_ACTOR_FIELDS, "Geo_FullName")
_EVENT_INDEX: Final = {name: i for i, name in enumerate(EVENT_COLUMNS)}
_MENTION_INDEX: Final = {name: i for i, name in enumerate(MENTION_COLUMNS)}
_QUARTER: Final = pendulum.duration(minutes=15)
_PRECISION: Final = {
    1: PlacePrecision.COUNTRY,
    2: PlacePrecision.REGION,
    3: PlacePrecision.TOWN,
    4: PlacePrecision.TOWN,
    5: PlacePrecision.REGION,
}
_KINDS: Final = {
    "GOV": ActorKind.GOVERNMENT,
    "MIL": ActorKind.MILITARY,
    "REB": ActorKind.ARMED_GROUP,
    "INS": ActorKind.ARMED_GROUP,
    "SEP": ActorKind.ARMED_GROUP,
    "UAF": ActorKind.ARMED_GROUP,
    "MED": ActorKind.MEDIA,
    "IGO": ActorKind.ORGANISATION,
    "NGO": ActorKind.ORGANISATION,
    "CVL": ActorKind.CIVIL_SOCIETY,
    "OPP": ActorKind.CIVIL_SOCIETY,
}
_MENTION_TYPES: Final = {
    1: "web",
    2: "citation only",
    3: "CORE",
    4: "DTIC",
    5: "JSTOR",
    6: "non-textual",
}


def event_id(global_event_id: str) -> str:
    """Return the timeline id of a GDELT event."""
    return f"gdelt-{global_event_id}"


def quarter_ending(instant: pendulum.DateTime) -> When:
    """Return the 15 minutes that end at a GDELT update stamp (DATEADDED, MentionTimeDate)."""
    return When.between(instant - _QUARTER, instant)


# GDELT repeats itself: a file holds a few days, 96 update stamps a day, the same places and
# actors again and again. Values are immutable, so rows with equal fields share one.
@caches.memoize(maxsize=4096)
def _quarter_of(text: str) -> When | None:
    try:
        parsed = dt.datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return quarter_ending(pendulum.instance(parsed.replace(tzinfo=dt.UTC), tz="UTC"))


@caches.memoize(maxsize=1024)
def _day_of(text: str) -> tuple[pendulum.Date, When] | None:
    try:
        day = dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None
    date = pendulum.Date(day.year, day.month, day.day)
    return date, When.on(date, tz="UTC")


def _quarter(fields: Fields, column: str) -> When:
    raw = fields.row[fields.columns[column]]
    when = _QUARTERS.get(raw)
    if when is None:
        when = _quarter_of(fields.required(column))
        if when is None:
            fields.stamp(column)  # raises the error naming the column
            raise AssertionError  # pragma: no cover - stamp() raised
        _QUARTERS.put(raw, when, len(raw) + 400)
    return when


# Values built from the raw text of a few columns, shared by the rows that repeat them; a
# miss (or the caches off) runs the same checks and builds the same value afresh. Each entry
# counts about three times its raw text (the key, and the value built from it) against the
# bytes bound, so rows with huge fields cannot pin memory.
_QUARTERS: Final[caches.Memo[str, When]] = caches.Memo(
    "gdelt update stamps", max_entries=4096, max_bytes=4 << 20
)
_SHARED: Final[caches.Memo[tuple[object, ...], tuple[Any, ...]]] = caches.Memo(
    "gdelt row parts", max_entries=16384, max_bytes=32 << 20
)
_KEYS: Final = {
    prefix: operator.itemgetter(*(_EVENT_INDEX[prefix + n] for n in names))
    for prefix, names in (
        ("Actor1", _ACTOR_KEY),
        ("Actor2", _ACTOR_KEY),
        ("Actor1Geo_", _GEO_FIELDS),
        ("Actor2Geo_", _GEO_FIELDS),
        ("ActionGeo_", _GEO_FIELDS),
    )
}
_DATE_KEY: Final = operator.itemgetter(*(_EVENT_INDEX[c] for c in EVENT_COLUMNS[1:5]))
_CODE_KEY: Final = operator.itemgetter(
    *(_EVENT_INDEX[c] for c in ("EventCode", "EventBaseCode", "EventRootCode"))
)


def _part(fields: Fields, prefix: str, build: Callable[[Fields, str], Any]) -> Any:
    raw = _KEYS[prefix](fields.row)
    key = (prefix, raw)
    value = _SHARED.get(key)
    if value is None:
        value = (build(fields, prefix),)
        _SHARED.put(key, value, 3 * sum(map(len, raw)) + 400)
    return value[0]


def _column(fields: Fields, column: str, parse: Callable[[Fields, str], Any]) -> Any:
    raw = fields.row[fields.columns[column]]
    key = (column, raw)
    value = _SHARED.get(key)
    if value is None:
        value = (parse(fields, column),)
        _SHARED.put(key, value, 2 * len(raw) + 200)
    return value[0]


def _actor(fields: Fields, prefix: str) -> Actor | None:
    code = fields.text(f"{prefix}Code")
    name = fields.text(f"{prefix}Name")
    if code is None and name is None:
        return None
    types = [fields.text(f"{prefix}Type{n}Code") for n in (1, 2, 3)]
    kind = next((_KINDS[t] for t in types if t in _KINDS), None)
    country = fields.text(f"{prefix}CountryCode")
    if kind is None:
        kind = ActorKind.STATE if code is not None and code == country else ActorKind.OTHER
    parts = [
        f"{label} {value}"
        for label, value in (
            ("country", country),
            ("known group", fields.text(f"{prefix}KnownGroupCode")),
            ("ethnic", fields.text(f"{prefix}EthnicCode")),
            ("religion", fields.text(f"{prefix}Religion1Code")),
            ("religion", fields.text(f"{prefix}Religion2Code")),
            *(("type", t) for t in types),
        )
        if value is not None
    ]
    geo = fields.text(f"{prefix}Geo_FullName")
    if geo is not None:
        parts.append(f"located {geo}")
    role = f"{prefix.lower()}: " + "; ".join(parts) if parts else prefix.lower()
    try:
        return Actor(
            id=f"cameo:{slug(code or name or '')}", name=name or code or "", kind=kind, role=role
        )
    except InvalidValueError as exc:
        raise fields.fail(f"{prefix}Code", str(exc)) from None


def _place(fields: Fields, prefix: str) -> Place | None:
    kind = fields.integer(f"{prefix}Type")
    name = fields.text(f"{prefix}FullName")
    if not kind or name is None:
        return None
    if kind not in _PRECISION:
        raise fields.fail(f"{prefix}Type", f"{kind} is not a GDELT geographic type (1 to 5)")
    latitude = fields.number(f"{prefix}Lat")
    longitude = fields.number(f"{prefix}Long")
    admin = tuple(
        a for a in (fields.text(f"{prefix}ADM1Code"), fields.text(f"{prefix}ADM2Code")) if a
    )
    try:
        return Place(
            name=name,
            country=fields.text(f"{prefix}CountryCode"),
            admin=admin,
            latitude=latitude,
            longitude=longitude,
            gdelt_feature=fields.text(f"{prefix}FeatureID"),
            precision=_PRECISION[kind],
        )
    except InvalidValueError as exc:
        column = f"{prefix}Lat" if "latitude" in str(exc) else f"{prefix}Long"
        raise fields.fail(column, str(exc)) from None


def _source(url: str | None) -> tuple[Source, ...]:
    if url is None:
        return ()
    rest = url.partition("://")[2]
    host = rest.partition("/")[0].partition("?")[0].rpartition("@")[2].partition(":")[0].lower()
    host = host or urllib.parse.urlsplit(url).hostname or url
    return (Source(name=host.removeprefix("www."), kind=SourceKind.MEDIA, url=url),)


def _check_dates(fields: Fields, day: pendulum.Date) -> None:
    expected = {
        "MonthYear": day.year * 100 + day.month,
        "Year": day.year,
    }
    for column, value in expected.items():
        given = fields.integer(column)
        if given is not None and given != value:
            raise fields.fail(column, f"{given} does not agree with Day {day:%Y%m%d}")
    fraction = fields.number("FractionDate")
    if fraction is not None and int(fraction) != day.year:
        raise fields.fail("FractionDate", f"{fraction} does not agree with Day {day:%Y%m%d}")


def _dates(fields: Fields) -> tuple[pendulum.Date, When]:
    parsed = _day_of(fields.required("Day"))
    if parsed is None:
        fields.day("Day")  # raises the error naming the column
        raise AssertionError  # pragma: no cover - day() raised
    _check_dates(fields, parsed[0])
    return parsed


def _codes(fields: Fields) -> tuple[str, str, str, Codes]:
    code = fields.required("EventCode")
    root = fields.required("EventRootCode")
    base = fields.required("EventBaseCode")
    for column, value in (
        ("EventCode", code),
        ("EventBaseCode", base),
        ("EventRootCode", root),
    ):
        if not (value.isdigit() and 2 <= len(value) <= 4):
            raise fields.fail(column, f"{value!r} is not a CAMEO code")
    if root not in CAMEO_ROOTS or not code.startswith(root):
        raise fields.fail("EventRootCode", f"{root!r} is not the CAMEO root of {code!r}")
    return code, base, root, Codes(cameo=code)


def _quad(fields: Fields, column: str) -> int | None:
    quad = fields.integer(column)
    if quad is not None and not 1 <= quad <= 4:
        raise fields.fail(column, f"{quad} is not a quad class (1 to 4)")
    return quad


def _goldstein(fields: Fields, column: str) -> float | None:
    goldstein = fields.number(column)
    if goldstein is not None and not -10 <= goldstein <= 10:
        raise fields.fail(column, f"{goldstein} is outside -10 to 10")
    return goldstein


_FIGURE_NAMES: Final = {
    "NumMentions": "mentions",
    "NumSources": "sources",
    "NumArticles": "articles",
}


def _count(fields: Fields, column: str) -> tuple[int | None, Figure | None]:
    count = fields.integer(column)
    if count is None or count < 0:  # a negative count is refused once all three are read
        return count, None
    return count, Figure(name=_FIGURE_NAMES[column], quantity=Quantity.exactly(count))


def _integer(fields: Fields, column: str) -> int | None:
    return fields.integer(column)


class EventsMapper:
    """Maps rows of a GDELT 2.0 Events export to reports."""

    def __init__(self, index: LogIndex | None = None) -> None:
        self.index = index

    def map(self, line: int, row: list[str]) -> list[Event]:
        """Return the one report of an Events row."""
        fields = Fields(EVENTS_FORMAT, line, row, _EVENT_INDEX, len(EVENT_COLUMNS))
        gid = row[0].strip()
        if not gid.isdigit():
            gid = fields.required("GlobalEventID")
            raise fields.fail("GlobalEventID", f"{gid!r} is not a GDELT event id (digits)")
        day_key = ("dates", _DATE_KEY(row))
        day, occurred = _SHARED.get(day_key) or _remember(day_key, _dates(fields))
        reported = _quarter(fields, "DATEADDED")
        code_key = ("codes", _CODE_KEY(row))
        code, base, root, codes = _SHARED.get(code_key) or _remember(code_key, _codes(fields))
        quad = _column(fields, "QuadClass", _quad)
        goldstein = _column(fields, "GoldsteinScale", _goldstein)
        tone = fields.number("AvgTone")
        mentions = _column(fields, "NumMentions", _count)
        sources_count = _column(fields, "NumSources", _count)
        articles = _column(fields, "NumArticles", _count)
        counts = {
            "NumMentions": mentions[0],
            "NumSources": sources_count[0],
            "NumArticles": articles[0],
        }
        for name, count in counts.items():
            if count is not None and count < 0:
                raise fields.fail(name, f"{count} is negative")
        is_root = _column(fields, "IsRootEvent", _integer)
        actor1 = _part(fields, "Actor1", _actor)
        actor2 = _part(fields, "Actor2", _actor)
        place = _part(fields, "ActionGeo_", _place)
        _part(fields, "Actor1Geo_", _place)
        _part(fields, "Actor2Geo_", _place)
        sources = _source(row[60].strip() or None)
        summary = _summary(
            actor1, actor2, root, code, base, quad, goldstein, tone, counts, is_root, place
        )
        common: dict[str, Any] = {
            "id": f"gdelt-{gid}",
            "occurred": occurred,
            "reported": reported,
            "sources": sources,
            "codes": codes,
            "summary": summary,
            "places": (place,) if place is not None else (),
        }
        actors = tuple(a for a in (actor1, actor2) if a is not None)
        event: Event
        if root in ("19", "20") and actor1 is not None:
            targets = (actor2.name,) if actor2 is not None else ()
            event = StrikeReported(actor=actor1, targets=targets, **common)
        elif code == TALKS_CODE and actors:
            codes_of = "-".join(sorted(slug(a.id.removeprefix("cameo:")) for a in actors))
            talks = f"gdelt-talks-{day:%Y%m%d}-{codes_of}"[:200]
            event = TalksHeld(talks=talks, parties=actors, **common)
        else:
            figures = tuple(f for _, f in (mentions, sources_count, articles) if f is not None)
            event = IncidentReported(
                kind=CAMEO_KINDS.get(code, CAMEO_ROOTS[root]),
                actors=actors,
                figures=figures,
                **common,
            )
        return [event]


def _remember(key: tuple[str, tuple[str, ...]], value: tuple[Any, ...]) -> tuple[Any, ...]:
    _SHARED.put(key, value, 3 * sum(map(len, key[1])) + 400)
    return value


def _summary(  # noqa: PLR0917 - one value per GDELT column it describes
    actor1: Actor | None,
    actor2: Actor | None,
    root: str,
    code: str,
    base: str,
    quad: int | None,
    goldstein: float | None,
    tone: float | None,
    counts: dict[str, int | None],
    is_root: int | None,
    place: Place | None,
) -> str:
    whom = f" {actor2.name}" if actor2 else ""
    text = f"{who(actor1, 'actor')}: {CAMEO_KINDS.get(code, CAMEO_ROOTS[root])}{whom}"
    if place is not None:
        text += f" in {place.name}"
    facts = [f"CAMEO {code} (base {base}, root {root})"]
    if quad is not None:
        facts.append(f"quad class {quad}")
    if goldstein is not None:
        facts.append(f"Goldstein {goldstein:g}")
    if tone is not None:
        facts.append(f"tone {tone:g}")
    facts.extend(
        f"{value} {column.removeprefix('Num').lower()}"
        for column, value in counts.items()
        if value is not None
    )
    if is_root is not None:
        facts.append("root event" if is_root else "not the root event")
    return f"{text} ({'; '.join(facts)})"


class MentionsMapper:
    """Maps rows of a GDELT 2.0 Mentions export to corrections that add the mentioning outlet."""

    def __init__(self, index: LogIndex, *, strict: bool = False) -> None:
        self.index = index
        self.strict = strict
        self.unmatched = 0
        self.unmatched_events: set[str] = set()

    def notes(self) -> tuple[str, ...]:
        """Say how many mentions were of events not in the timeline (left out)."""
        if not self.unmatched:
            return ()
        return (
            f"{self.unmatched} mentions of {len(self.unmatched_events)} events not in this "
            "timeline (left out; --strict fails on them)",
        )

    def map(self, line: int, row: list[str]) -> list[Event]:
        """Return the correction of a Mentions row (none for an event not in the timeline)."""
        fields = Fields(MENTIONS_FORMAT, line, row, _MENTION_INDEX, len(MENTION_COLUMNS))
        gid = fields.required("GlobalEventID")
        if not gid.isdigit():
            raise fields.fail("GlobalEventID", f"{gid!r} is not a GDELT event id (digits)")
        _quarter(fields, "EventTimeDate")
        mentioned = fields.stamp("MentionTimeDate")
        kind = fields.integer("MentionType")
        if kind is not None and kind not in _MENTION_TYPES:
            raise fields.fail("MentionType", f"{kind} is not a GDELT mention type (1 to 6)")
        name = fields.required("MentionSourceName")
        identifier = fields.required("MentionIdentifier")
        ints = {c: fields.integer(c) for c in _MENTION_INTEGERS}
        confidence = ints["Confidence"]
        if confidence is not None and not 0 <= confidence <= 100:
            raise fields.fail("Confidence", f"{confidence} is not a percentage")
        tone = fields.number("MentionDocTone")
        target = event_id(gid)
        original = self.index.reports.get(target)
        if original is None:
            if self.strict:
                raise fields.fail(
                    "GlobalEventID",
                    f"event {target!r} is not in the timeline (import its events first)",
                )
            self.unmatched += 1
            self.unmatched_events.add(target)
            return []
        url = identifier if kind in (None, 1) else None
        source = Source(
            name=name,
            kind=SourceKind.MEDIA if kind in (None, 1) else SourceKind.OTHER,
            url=url,
            quote=None,
        )
        digest = hashlib.sha1(identifier.encode(), usedforsecurity=False).hexdigest()[:12]
        correction_id = f"{target}.m{mentioned:%Y%m%d%H%M%S}.{digest}"
        reported = quarter_ending(mentioned)
        earlier = [
            (c.reported.latest, c.id, c.sources)
            for c in self.index.corrections.get(target, ())
            if c.id != correction_id and c.reported.latest <= reported.latest
        ]
        earlier.append((reported.latest, correction_id, (source,)))
        outlets = list(original.sources)
        for _, _, mentioned_by in sorted(earlier):
            outlets.extend(s for s in mentioned_by if s not in outlets)
        reason = _reason(kind, identifier, ints, tone, fields)
        correction = Correction(
            id=correction_id,
            occurred=original.occurred,
            reported=reported,
            sources=(source,),
            corrects=target,
            replacement=attrs.evolve(original, sources=tuple(outlets)),
            reason=reason,
        )
        self.index.add(correction)
        return [correction]


def _reason(
    kind: int | None,
    identifier: str,
    ints: dict[str, int | None],
    tone: float | None,
    fields: Fields,
) -> str:
    parts = [f"mentioned ({_MENTION_TYPES.get(kind or 1, 'web')}) in {identifier}"]
    labels: dict[str, Callable[[int], str]] = {
        "SentenceID": lambda v: f"sentence {v}",
        "Actor1CharOffset": lambda v: f"actor 1 at character {v}",
        "Actor2CharOffset": lambda v: f"actor 2 at character {v}",
        "ActionCharOffset": lambda v: f"action at character {v}",
        "InRawText": lambda v: "in the raw text" if v else "not in the raw text",
        "Confidence": lambda v: f"confidence {v}%",
        "MentionDocLen": lambda v: f"{v} characters long",
    }
    parts.extend(labels[c](v) for c, v in ints.items() if v is not None)
    if tone is not None:
        parts.append(f"tone {tone:g}")
    for column in ("MentionDocTranslationInfo", "Extras"):
        value = fields.text(column)
        if value is not None:
            parts.append(f"{column} {value}")
    return "; ".join(parts)
