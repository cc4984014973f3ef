"""ACLED: the CSV export, with the columns of the ACLED codebook (`COLUMNS`).

The first line is the header; columns are found by name, so their order does not matter and
extra columns are ignored. A row becomes two events:

- the report, id ``acled-<event_id_cnty>``: a `StrikeReported` by ``actor1`` for the
  sub-event types "Air/drone strike" and "Shelling/artillery/missile attack" (targets:
  ``actor2`` and its associated actors), else an `IncidentReported` whose kind is the
  sub-event type and whose actors are ``actor1``, ``assoc_actor_1``, ``actor2`` and
  ``assoc_actor_2``; each actor's role keeps which column it came from, its ``inter`` code
  and the ``interaction`` code. `Codes.acled` is ``event_type``.
- a `CasualtiesReported`, id ``acled-<event_id_cnty>.fatalities``, killed exactly
  ``fatalities`` (ACLED gives a count for every event, 0 included), caused by the report.

Times: ``event_date`` with ``time_precision`` is ``occurred``, in UTC: 1, that day; 2, the
week around it (ACLED codes the middle of the week it knows); 3, its month (ACLED codes the
middle of the month). ``timestamp`` (when ACLED published this version of the row, Unix
seconds) is ``reported``, knowledge time: it is when the row, as it reads, became known from
its source, which is what ``known_at=`` asks about. System time stays the log's own: when this
log stored it.

Place: ``location`` with ``iso`` (the ISO 3166-1 numeric country code), ``admin1``-``admin3``,
``latitude``/``longitude`` and ``geo_precision`` (1 a town, 2 a part of a region near a town,
3 a larger region: town, region, region). ``source`` (separated by ``;``) gives the `Source`s;
``notes`` the summary, followed by the other codes (``disorder_type``, ``sub_event_type``,
``civilian_targeting``, ``region``, ``country``, ``source_scale``, ``tags``) in brackets.

ACLED updates rows in place (same ``event_id_cnty``, a new ``timestamp``). A row whose id is
in the timeline with other content becomes a `Correction`, reported at the new timestamp,
id ``acled-<event_id_cnty>.t<timestamp>``: queries known before it see the old version.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, Final

import pendulum

from timeline.errors import BadRowError, InvalidValueError
from timeline.events import CasualtiesReported, Correction, Event, IncidentReported, StrikeReported
from timeline.importers._fields import Fields, slug
from timeline.importers.base import LogIndex, Rows
from timeline.model import (
    ACLED_EVENT_TYPES,
    Actor,
    ActorKind,
    Codes,
    Place,
    PlacePrecision,
    Quantity,
    Source,
    SourceKind,
)
from timeline.when import Precision, When

__all__ = ["COLUMNS", "FORMAT", "AcledMapper", "acled_rows", "event_id"]

FORMAT: Final = "acled"
COLUMNS: Final = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
"""The columns of an ACLED export (the codebook since March 2023), in ACLED's order."""

_OPTIONAL: Final = frozenset({"disorder_type", "civilian_targeting", "tags"})
_STRIKES: Final = frozenset({"Air/drone strike", "Shelling/artillery/missile attack"})
_GEO: Final = {1: PlacePrecision.TOWN, 2: PlacePrecision.REGION, 3: PlacePrecision.REGION}
_INTER_KINDS: Final = {
    "1": ActorKind.MILITARY,
    "2": ActorKind.ARMED_GROUP,
    "3": ActorKind.ARMED_GROUP,
    "4": ActorKind.ARMED_GROUP,
    "5": ActorKind.CIVIL_SOCIETY,
    "6": ActorKind.CIVIL_SOCIETY,
    "7": ActorKind.CIVIL_SOCIETY,
    "8": ActorKind.OTHER,
    "State forces": ActorKind.MILITARY,
    "Rebel group": ActorKind.ARMED_GROUP,
    "Political militia": ActorKind.ARMED_GROUP,
    "Identity militia": ActorKind.ARMED_GROUP,
    "Rioters": ActorKind.CIVIL_SOCIETY,
    "Protesters": ActorKind.CIVIL_SOCIETY,
    "Civilians": ActorKind.CIVIL_SOCIETY,
    "External/Other forces": ActorKind.OTHER,
}
_DATE_FORMATS: Final = ("%Y-%m-%d", "%d %B %Y", "%d-%m-%Y", "%d/%m/%Y")


def event_id(event_id_cnty: str) -> str:
    """Return the timeline id of an ACLED event."""
    return f"acled-{slug(event_id_cnty)}"


def acled_rows(lines: Callable[[], Iterator[str]]) -> Rows:
    """Return the data rows of an ACLED CSV export, mapped to `COLUMNS` order by the header.

    Raises:
        BadRowError: the header lacks a codebook column (line 1).
    """

    def read() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(lines())
        header = next(_records(reader), None)
        if header is None:
            return
        names = [name.strip().lstrip("\ufeff").lower() for name in header]
        missing = [c for c in COLUMNS if c not in names and c not in _OPTIONAL]
        if missing:
            msg = f"the header has no column {missing[0]!r} (an ACLED export has {COLUMNS})"
            raise BadRowError(msg, fmt=FORMAT, line=1, column=missing[0])
        where = [names.index(c) if c in names else None for c in COLUMNS]
        last = reader.line_num
        for record in _records(reader):
            line, last = last + 1, reader.line_num
            if not any(field.strip() for field in record):
                continue
            yield (
                line,
                [record[i] if i is not None and i < len(record) else "" for i in where],
            )

    return read


def _records(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """Yield the CSV records, a malformed one (a NUL byte, a field over the limit) as an error."""
    line_num = getattr(reader, "line_num", 0)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = getattr(reader, "line_num", line_num) or 1
            msg = (
                f"{exc} (the csv module's limit is {csv.field_size_limit():,} bytes a field; "
                "the timeline command raises it to a line's limit)"
                if "field larger than field limit" in str(exc)
                else str(exc)
            )
            raise BadRowError(msg, fmt=FORMAT, line=line, column="-") from None
        yield record


_INDEX: Final = {name: i for i, name in enumerate(COLUMNS)}


def _date(fields: Fields) -> dt.date:
    value = fields.required("event_date")
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise fields.fail("event_date", f"{value!r} is not a date (2023-01-15 or 15 January 2023)")


def _occurred(fields: Fields) -> When:
    day = _date(fields)
    year = fields.integer("year")
    if year is not None and year != day.year:
        raise fields.fail("year", f"{year} does not agree with event_date {day}")
    precision = fields.integer("time_precision")
    if precision in (None, 1):
        return When.on(day, tz="UTC")
    if precision == 2:
        return When.between(day - dt.timedelta(days=3), day + dt.timedelta(days=3), tz="UTC")
    if precision == 3:
        start = pendulum.datetime(day.year, day.month, day.day, tz="UTC")
        return When.within(start, Precision.MONTH)
    raise fields.fail("time_precision", f"{precision} is not 1 (day), 2 (week) or 3 (month)")


def _actors(fields: Fields, number: int, interaction: str | None) -> list[Actor]:
    name = fields.text(f"actor{number}")
    inter = fields.text(f"inter{number}")
    actors = []
    if name is not None:
        role = f"actor{number}"
        if inter is not None:
            role += f", inter{number} {inter}"
        if interaction is not None:
            role += f", interaction {interaction}"
        actors.append(
            Actor(
                id=f"acled:{slug(name)}",
                name=name,
                kind=_INTER_KINDS.get(inter or "", ActorKind.OTHER),
                role=role,
            )
        )
    actors.extend(
        Actor(id=f"acled:{slug(other)}", name=other.strip(), role=f"associated with actor{number}")
        for other in (fields.text(f"assoc_actor_{number}") or "").split(";")
        if other.strip()
    )
    return actors


def _place(fields: Fields) -> Place:
    precision = fields.integer("geo_precision")
    if precision is not None and precision not in _GEO:
        raise fields.fail("geo_precision", f"{precision} is not 1, 2 or 3")
    latitude = fields.number("latitude")
    longitude = fields.number("longitude")
    admin = tuple(a for a in (fields.text(f"admin{n}") for n in (1, 2, 3)) if a)
    name = fields.text("location") or (admin[-1] if admin else None) or fields.text("country")
    if name is None:
        raise fields.fail("location", "is empty, and so are the admin regions and the country")
    try:
        return Place(
            name=name,
            country=fields.text("iso"),
            admin=admin,
            latitude=latitude,
            longitude=longitude,
            precision=None if precision is None else _GEO[precision],
        )
    except InvalidValueError as exc:
        column = "latitude" if "latitude" in str(exc) else "longitude"
        raise fields.fail(column, str(exc)) from None


def _summary(fields: Fields) -> str | None:
    notes = fields.text("notes")
    codes = [
        f"{column.replace('_', ' ')}: {value}"
        for column in (
            "disorder_type",
            "sub_event_type",
            "civilian_targeting",
            "region",
            "country",
            "source_scale",
            "tags",
        )
        if (value := fields.text(column)) is not None
    ]
    if not codes:
        return notes
    tail = "[" + "; ".join(codes) + "]"
    return f"{notes} {tail}" if notes else tail


class AcledMapper:
    """Maps rows of an ACLED export to a report and a casualty report, or their corrections."""

    def __init__(self, index: LogIndex) -> None:
        self.index = index

    def map(self, line: int, row: list[str]) -> list[Event]:
        """Return the events of one row (corrections where the row updates a stored one)."""
        fields = Fields(FORMAT, line, row, _INDEX, None)
        acled_id = fields.required("event_id_cnty")
        report_id = event_id(acled_id)
        occurred = _occurred(fields)
        stamp = fields.integer("timestamp")
        if stamp is None:
            raise fields.fail("timestamp", "is empty")
        try:
            published = pendulum.from_timestamp(stamp, tz="UTC")
        except (OverflowError, OSError, ValueError):
            raise fields.fail("timestamp", f"{stamp} is not a Unix time") from None
        reported = When.exact(published)
        event_type = fields.required("event_type")
        if event_type not in ACLED_EVENT_TYPES:
            known = ", ".join(sorted(ACLED_EVENT_TYPES))
            raise fields.fail("event_type", f"{event_type!r} is not an ACLED event type ({known})")
        sub_event = fields.required("sub_event_type")
        fatalities = fields.integer("fatalities")
        if fatalities is not None and fatalities < 0:
            raise fields.fail("fatalities", f"{fatalities} is negative")
        interaction = fields.text("interaction")
        first = _actors(fields, 1, interaction)
        second = _actors(fields, 2, interaction)
        place = _place(fields)
        sources = tuple(
            Source(name=name.strip(), kind=SourceKind.MEDIA)
            for name in (fields.text("source") or "").split(";")
            if name.strip()
        )
        common: dict[str, Any] = {
            "occurred": occurred,
            "reported": reported,
            "sources": sources,
            "codes": Codes(acled=event_type),
            "summary": _summary(fields),
        }
        report: Event
        if sub_event in _STRIKES and fields.text("actor1") is not None:
            report = StrikeReported(
                id=report_id,
                actor=first[0],
                places=(place,),
                targets=tuple(a.name for a in second),
                **common,
            )
        else:
            report = IncidentReported(
                id=report_id,
                kind=sub_event.lower(),
                actors=(*first, *second),
                places=(place,),
                **common,
            )
        events: list[Event] = [report]
        if fatalities is not None:
            events.append(
                CasualtiesReported(
                    id=f"{report_id}.fatalities",
                    killed=Quantity.exactly(fatalities),
                    places=(place,),
                    cause=report_id,
                    **common,
                )
            )
        return [self._revise(event, stamp) for event in events]

    def _revise(self, event: Event, stamp: int) -> Event:
        """Return `event`, or a correction of the stored event of its id when it differs."""
        stored = self.index.reports.get(event.id)
        if stored is None:
            self.index.add(event)
            return event
        if stored == event:
            return stored
        for correction in self.index.corrections.get(event.id, ()):
            if self.index.replacement(correction, event.id) == event:
                return correction
        correction = Correction(
            id=f"{event.id}.t{stamp}",
            occurred=event.occurred,
            reported=event.reported,
            sources=event.sources,
            corrects=event.id,
            replacement=event,
            reason="ACLED updated the row",
        )
        self.index.add(correction)
        return correction
