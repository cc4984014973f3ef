"""Tables for analysts: one row per event that counts, for pandas, polars and DuckDB.

`table_rows(log, at=..., known_at=..., known_by=...)` returns the rows as plain dicts, in the
projections' fold order; `to_arrow` returns them as a `pyarrow.Table` (install the
``newstimeline[tables]`` extra), which pandas (``table.to_pandas()``), polars
(``polars.from_arrow(table)``) and DuckDB read directly. `write_csv` and `write_parquet`
write them to files. The rows are exactly the facts a projection sees for the same query:
corrections applied, retractions honoured, relative times resolved.

Columns (`COLUMNS`): ``id``, ``type`` (the registered name); ``occurred_earliest``,
``occurred_latest``, ``reported_earliest``, ``reported_latest`` (instants in UTC; a calendar
period's latest is its exclusive end); ``occurred_uncertain`` (its occurred time may fall
after ``at``) and ``known_uncertain`` (it may have become known after ``known_at``);
``principal`` (the first principal the event is about: `timeline.description`), ``actors`` and
``actor_ids``; ``place`` (the first place's name), ``places``, ``latitude``, ``longitude``
(of the first place with coordinates), ``country``, ``place_precision``; ``figures`` (each
as it reads: "at least 36 killed", "about 20 missions"); ``cameo``, ``plover``, ``acled``;
``sources``, ``source_urls``; ``summary``. Actors, places and figures are those of the
event's description (`timeline.description`), for a user's types as for the built-in ones.
List columns are lists in Arrow and Parquet and ``; ``-joined text in CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any, Final

from timeline.description import describe
from timeline.errors import MissingDependencyError
from timeline.events import Event, event_type_of
from timeline.log import EventLog
from timeline.model import Actor, Codes, Place
from timeline.projections.base import Query, facts
from timeline.projections.knowledge import Fact, micros

if TYPE_CHECKING:
    import pyarrow

__all__ = ["COLUMNS", "table_rows", "to_arrow", "write_csv", "write_parquet"]

Row = dict[str, Any]

COLUMNS: Final = (
    "id",
    "type",
    "occurred_earliest",
    "occurred_latest",
    "reported_earliest",
    "reported_latest",
    "occurred_uncertain",
    "known_uncertain",
    "principal",
    "actors",
    "actor_ids",
    "place",
    "places",
    "latitude",
    "longitude",
    "country",
    "place_precision",
    "figures",
    "cameo",
    "plover",
    "acled",
    "sources",
    "source_urls",
    "summary",
)
"""The columns of a table, in order."""

_LISTS: Final = frozenset({"actors", "actor_ids", "places", "figures", "sources", "source_urls"})
_TIMES: Final = frozenset(
    {"occurred_earliest", "occurred_latest", "reported_earliest", "reported_latest"}
)
_FLAGS: Final = frozenset({"occurred_uncertain", "known_uncertain"})
_FLOATS: Final = frozenset({"latitude", "longitude"})


def _utc(instant: dt.datetime) -> dt.datetime:
    return dt.datetime.fromtimestamp(0, dt.UTC) + dt.timedelta(microseconds=micros(instant))


def _times(fact: Fact, query: Query) -> Row:
    at_us = None if query.at is None else micros(query.at)
    known_us = None if query.known_at is None else micros(query.known_at)
    return {
        "occurred_earliest": _utc(fact.occurred.earliest),
        "occurred_latest": _utc(fact.occurred.latest),
        "reported_earliest": _utc(fact.reported.earliest),
        "reported_latest": _utc(fact.reported.latest),
        "occurred_uncertain": at_us is not None and fact.latest_us > at_us,
        "known_uncertain": known_us is not None and fact.known_surely_us > known_us,
    }


def _where(places: tuple[Place, ...]) -> Row:
    located = next((p for p in places if p.coordinates is not None), None)
    first = places[0] if places else None
    precision = first.precision if first is not None else None
    return {
        "place": first.name if first else None,
        "places": [p.name for p in places],
        "latitude": located.latitude if located else None,
        "longitude": located.longitude if located else None,
        "country": first.country if first else None,
        "place_precision": precision.value if precision is not None else None,
    }


def _codes(codes: Codes | None) -> Row:
    if codes is None:
        return dict.fromkeys(("cameo", "plover", "acled"))
    return {"cameo": codes.cameo, "plover": codes.plover, "acled": codes.acled}


def _row(fact: Fact, query: Query) -> Row:
    event = fact.event
    description = describe(event)
    actors = description.actors(event)
    principals = description.principals(event)
    row: Row = {"id": event.id, "type": event_type_of(event).name, **_times(fact, query)}
    row["principal"] = principals[0] if principals else None
    row["actors"] = [a.name for a in actors]
    row["actor_ids"] = [a.id for a in actors]
    row.update(_where(description.places(event)))
    row["figures"] = [str(figure) for figure in description.figures(event)]
    row.update(_codes(event.codes))
    row["sources"] = [s.name for s in event.sources]
    row["source_urls"] = [s.url for s in event.sources if s.url]
    row["summary"] = event.summary
    return {name: row[name] for name in COLUMNS}


def table_rows(
    log: EventLog | Iterable[Event],
    *,
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    known_by: str | Actor | None = None,
) -> list[Row]:
    """Return one row (a dict keyed by `COLUMNS`) per event that counts for the query.

    Raises:
        InvalidTimeError: `at` or `known_at` is naive or not a datetime.
        QueryError: `known_by` or `log` is not usable.
    """
    counted, query = facts(log, at, known_at, known_by)
    return [_row(fact, query) for fact in counted]


def _pyarrow() -> Any:
    try:
        import pyarrow  # noqa: PLC0415 - an optional dependency, imported when used
    except ImportError as exc:
        msg = "tables need pyarrow: pip install 'newstimeline[tables]'"
        raise MissingDependencyError(msg) from exc
    return pyarrow


def _schema(pa: Any) -> Any:
    def kind(name: str) -> Any:
        if name in _LISTS:
            return pa.list_(pa.string())
        if name in _TIMES:
            return pa.timestamp("us", tz="UTC")
        if name in _FLAGS:
            return pa.bool_()
        if name in _FLOATS:
            return pa.float64()
        return pa.string()

    return pa.schema([(name, kind(name)) for name in COLUMNS])


def to_arrow(
    log: EventLog | Iterable[Event],
    *,
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    known_by: str | Actor | None = None,
) -> pyarrow.Table:
    """Return the events that count for the query as a `pyarrow.Table`, one row each.

    Raises:
        MissingDependencyError: pyarrow is not installed.
        InvalidTimeError: `at` or `known_at` is naive or not a datetime.
        QueryError: `known_by` or `log` is not usable.
    """
    pa = _pyarrow()
    rows = table_rows(log, at=at, known_at=known_at, known_by=known_by)
    columns = {name: [row[name] for row in rows] for name in COLUMNS}
    table: pyarrow.Table = pa.table(columns, schema=_schema(pa))
    return table


def _cell(value: object) -> object:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if value is None:
        return ""
    return value


_FORMULA_LEADS: Final = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """Return a text cell a spreadsheet would run as a formula with a quote before it."""
    if isinstance(value, str) and value.startswith(_FORMULA_LEADS):
        return "'" + value
    return value


def write_csv(rows: Iterable[Row], stream: IO[str], *, formulas: bool = False) -> int:
    """Write rows as CSV (RFC 4180) with a header (`COLUMNS`); return how many were written.

    A spreadsheet opening the file runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return as a formula (``=HYPERLINK(...)``, ``=cmd|...``), and reports'
    words come from anyone. So each such text cell is written with a ``'`` before it, as
    OWASP advises ("CSV injection"); numbers are written as they are. `formulas` true writes
    every cell exactly as it is, for a program that reads the file as data.
    """
    # Lines end in CRLF (RFC 4180), so a cell holding a lone carriage return is quoted too.
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        cells = [_cell(row[name]) for name in COLUMNS]
        writer.writerow(cells if formulas else [_inert(cell) for cell in cells])
        count += 1
    return count


def write_parquet(
    log: EventLog | Iterable[Event],
    path: str | os.PathLike[str],
    *,
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    known_by: str | Actor | None = None,
) -> int:
    """Write the table of the query to a Parquet file; return how many rows were written.

    Raises:
        MissingDependencyError: pyarrow is not installed.
    """
    table = to_arrow(log, at=at, known_at=known_at, known_by=known_by)
    parquet: Callable[..., None] = __import__(
        "pyarrow.parquet", fromlist=["write_table"]
    ).write_table
    parquet(table, os.fspath(path))
    return int(table.num_rows)
