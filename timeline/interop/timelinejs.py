"""Knight Lab TimelineJS JSON, for publishing a timeline on a web page (export only).

TimelineJS has no time zones: it reads the wall time of a date in the reader's browser zone.
So every time is converted to one display zone (given, or the zone most of the events were
given in), and the title slide and every slide say which. Each event becomes a slide:

- ``start_date`` and ``end_date`` as TimelineJS reads dates, only as precise as the time (a
  day has no hour); TimelineJS shows them itself. A calendar period or interval ends where
  it really ends (the first day, month or year after it, shown as its last one), so a
  two-day window is drawn two days long and a month as a month; a day is drawn as a point;
- ``text``: the headline is the event's one-line label, marked ``≈`` when the time is
  approximate or given or take a margin and ``?`` when it is uncertain; the text says the
  time in words (with the reporter's own phrase, "Wednesday"), the details, and the
  sources, with their quotes and links;
- ``media``: the first source's URL, where one exists;
- ``group``: the names of the principals the event is about (Lavrov's statement is
  Russia's: `timeline.description`), so TimelineJS draws one row per principal; ``unique_id``
  the event id.

The headline and the details name every participant, place and figure of the event, as its
label, its table row and the console do.

All text is escaped by construction: the slide HTML is built from parts, and each piece of
user text is escaped exactly once, so no report can put a tag on the page.

TimelineJS keeps dates and prose, not the events themselves, so it cannot be read back:
`read_timelinejs` raises `UnsupportedFormatError`.
"""

from __future__ import annotations

import collections
import html
import urllib.parse
from collections.abc import Iterable, Iterator
from typing import IO, Any, Final

import orjson
import pendulum

from timeline.description import describe
from timeline.errors import UnsupportedFormatError
from timeline.events import Event
from timeline.interop.base import placed_times
from timeline.labels import reading
from timeline.model import Source
from timeline.render.revisions import Revisions, revisions, tell
from timeline.when import Bound, Precision, Qualifier, When, WhenKind

__all__ = [
    "FORMAT",
    "date_object",
    "display_zone",
    "read_timelinejs",
    "to_timelinejs",
    "write_timelinejs",
]

FORMAT = "timelinejs"
_UNITS: Final = ("year", "month", "day", "hour", "minute", "second")
_DEPTH: Final = {
    Precision.YEAR: 1,
    Precision.MONTH: 2,
    Precision.DAY: 3,
    Precision.HOUR: 4,
    Precision.MINUTE: 5,
    Precision.SECOND: 6,
    Precision.INSTANT: 6,
}
# How TimelineJS (English) shows a date of each depth; used only for the shown end of a
# calendar period, whose drawn end is the first instant after it.
_SHOWN: Final = {1: "YYYY", 2: "MMMM YYYY", 3: "MMMM D, YYYY"}
_CALENDAR: Final = (Precision.YEAR, Precision.MONTH, Precision.DAY)


# -- HTML, built from parts ---------------------------------------------------------------


class _Html(str):
    """A piece of markup built here; user text enters only through `_text`."""

    __slots__ = ()


def _text(value: object) -> _Html:
    return _Html(html.escape(str(value), quote=True))


def _element(tag: str, *children: _Html | str, **attributes: str) -> _Html:
    """Return ``<tag attributes>children</tag>``; plain `str` children are escaped."""
    inner = "".join(c if isinstance(c, _Html) else _text(c) for c in children)
    attrs_text = "".join(f' {name}="{_text(value)}"' for name, value in attributes.items())
    return _Html(f"<{tag}{attrs_text}>{inner}</{tag}>")


def _safe_url(url: str | None) -> str | None:
    """Return `url` when it is a web address (http or https), else None."""
    if not url:
        return None
    scheme = urllib.parse.urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


# -- dates --------------------------------------------------------------------------------


def date_object(instant: Any, precision: Precision, display: str | None = None) -> dict[str, Any]:
    """Return a TimelineJS date object for `instant`, down to `precision`, as it reads."""
    depth = _DEPTH[precision]
    date: dict[str, Any] = {unit: getattr(instant, unit) for unit in _UNITS[:depth]}
    if display:
        date["display_date"] = display
    return date


def display_zone(whens: Iterable[When]) -> str:
    """Return the zone most of `whens` were given in (the first such, on a tie); UTC if none."""
    counts = collections.Counter(w.zone for w in whens)
    return counts.most_common(1)[0][0] if counts else "UTC"


def _on_boundary(instant: pendulum.DateTime, precision: Precision) -> bool:
    fields = (instant.month, instant.day, instant.hour, instant.minute, instant.second)
    wanted = {Precision.YEAR: (1, 1, 0, 0, 0), Precision.MONTH: (instant.month, 1, 0, 0, 0)}
    target = wanted.get(precision, (instant.month, instant.day, 0, 0, 0))
    return fields == target and not instant.microsecond


def _depth_of(when: When, first: pendulum.DateTime, last: pendulum.DateTime) -> Precision:
    """Return how precisely to show `when` in the display zone, where `first` and `last` are."""
    if when.kind in (WhenKind.PERIOD, WhenKind.INTERVAL) and when.precision in _CALENDAR:
        coarse = max(
            when.precision, when.end_precision or when.precision, key=list(Precision).index
        )
        if _on_boundary(first, coarse) and _on_boundary(last, coarse):
            return coarse
        return Precision.MINUTE
    if when.precision in (Precision.HOUR, Precision.MINUTE):
        return Precision.MINUTE
    if when.kind is WhenKind.ABOUT:
        return Precision.MINUTE
    if first.second or last.second:
        return Precision.SECOND
    return Precision.MINUTE


def _dates(when: When, zone: str) -> dict[str, Any]:
    if when.is_open:
        # An open or unknown end has no date to draw: the slide sits at the known end (the
        # text says the rest), so one "since 2011" does not stretch the timeline to 9999.
        first = when.earliest
        if when.start_bound is not Bound.KNOWN:  # the start of the last unit it holds
            first = when.latest
            if when.precision in _CALENDAR:
                first = first.subtract(**{_UNITS[_DEPTH[when.precision] - 1] + "s": 1})
        first = first.in_timezone(zone)
        precision = when.precision if _on_boundary(first, when.precision) else Precision.MINUTE
        return {"start_date": date_object(first, precision)}
    first = when.earliest.in_timezone(zone)
    last = when.latest.in_timezone(zone)
    precision = _depth_of(when, first, last)
    start = date_object(first, precision)
    if when.is_instant:
        return {"start_date": start}
    if precision in _CALENDAR:
        # The drawn end is the first instant after the period; it is shown as its last unit.
        shown = last.subtract(days=1) if precision is Precision.DAY else last.subtract(months=1)
        if precision is Precision.YEAR:
            shown = last.subtract(years=1)
        if date_object(shown, precision) == start and precision is Precision.DAY:
            return {"start_date": start}
        end = date_object(last, precision, shown.format(_SHOWN[_DEPTH[precision]]))
        return {"start_date": start, "end_date": end}
    end = date_object(last, precision)
    return {"start_date": start} if end == start else {"start_date": start, "end_date": end}


def _mark(when: When) -> str:
    if when.qualifier in (Qualifier.UNCERTAIN, Qualifier.UNCERTAIN_APPROXIMATE):
        return "? "
    if when.kind is WhenKind.ABOUT or when.qualifier is Qualifier.APPROXIMATE:
        return "≈ "
    return ""


# -- text ---------------------------------------------------------------------------------


def _details(lines: Iterable[str]) -> Iterator[_Html]:
    for line in lines:
        yield _element("p", line)


def _source(source: Source) -> _Html:
    url = _safe_url(source.url)
    name: _Html | str = _element("a", source.name, href=url) if url else source.name
    parts: list[_Html | str] = ["Source: ", name]
    if source.quote:
        parts += [": ", _element("q", source.quote)]
    return _element("p", *parts)


def _time_line(when: When, zone: str) -> _Html:
    parts: list[_Html | str] = ["When: ", when.describe(zone, phrase=False)]
    if when.phrase:
        parts += [" — ", _element("q", when.phrase)]
    return _element("p", *parts, **{"class": "tl-when"})


def _slide_text(event: Event, details: Iterable[str], when: When, zone: str) -> str:
    parts: list[_Html] = [_time_line(when, zone)]
    if event.summary:
        parts.append(_element("p", event.summary))
    parts += _details(details)
    parts += (_source(source) for source in event.sources)
    parts.append(_element("p", f"Times in {zone}.", **{"class": "tl-zone"}))
    return "".join(parts)


def _revised(event: Event, revised: Revisions, headline: _Html) -> tuple[_Html, list[_Html]]:
    """Return a slide's headline and notes as the projections say the report stands."""
    revision = revised.get(event.id)
    notes = [_element("p", f"{words.capitalize()}.") for words in revised.doubts.get(event.id, ())]
    if revision is None:
        return headline, notes
    notes.append(_element("p", f"{revision.text[:1].upper()}{revision.text[1:]}."))
    if revised.withdrawn(event.id):
        return _Html("✗ " + _element("s", headline)), notes
    return headline, notes


def _media(event: Event) -> dict[str, str] | None:
    for source in event.sources:
        url = _safe_url(source.url)
        if url:
            media = {"url": url, "credit": str(_text(source.name))}
            if source.quote:
                media["caption"] = str(_text(source.quote))
            return media
    return None


# -- groups -------------------------------------------------------------------------------


def _actor_names(events: Iterable[Event]) -> dict[str, str]:
    """Return each actor's name by id; a principal never named itself by the name given for it."""
    names: dict[str, str] = {}
    given: dict[str, str] = {}
    for event in events:
        for actor in describe(event).actors(event):
            names.setdefault(actor.id, actor.name)
            if actor.speaks_for is not None and actor.principal_name is not None:
                given.setdefault(actor.speaks_for, actor.principal_name)
    return given | names


def _group(event: Event, names: dict[str, str]) -> str:
    principals = describe(event).principals(event)
    if not principals:
        return event.sources[0].name if event.sources else "Other"
    return " and ".join(names.get(principal, principal) for principal in principals)


# -- the document -------------------------------------------------------------------------


def to_timelinejs(
    events: Iterable[Event], *, title: str, text: str | None = None, tz: str | None = None
) -> dict[str, Any]:
    """Return `events` as a TimelineJS document, leaving out events that cannot be placed.

    Every time is shown in zone `tz` (default: the zone most events were given in), which
    the title slide states. An event cannot be placed when its time is relative to an event
    that `events` lacks or that a retraction withdrew (the projections leave it out too).
    """
    chosen = list(events)
    # Reports are told as the projections see them: corrections in place, retractions struck.
    revised = revisions(chosen)
    told = {t.event.id: t for t in tell(chosen, revised, None, None, None)}
    times = placed_times(chosen)
    times.update((event_id, t.occurred) for event_id, t in told.items())
    zone = tz or display_zone(w for w in times.values() if w is not None)
    zone = pendulum.timezone(zone).name
    names = _actor_names(chosen)
    slides: list[dict[str, Any]] = []
    for event in chosen:
        when = times.get(event.id)
        if when is None:
            continue
        shown = told[event.id].shown if event.id in told else event
        read = reading(shown)
        headline, notes = _revised(event, revised, _text(read.label))
        slide: dict[str, Any] = _dates(when, zone)
        slide["text"] = {
            "headline": _mark(when) + headline,
            "text": "".join([*notes, _slide_text(shown, read.details, when, zone)]),
        }
        media = _media(event)
        if media is not None:
            slide["media"] = media
        slide["group"] = str(_text(_group(event, names)))
        slide["unique_id"] = event.id
        slides.append(slide)
    intro: list[_Html] = [_element("p", text)] if text else []
    intro.append(_element("p", f"All times are shown in {zone}.", **{"class": "tl-zone"}))
    title_slide: dict[str, Any] = {"text": {"headline": str(_text(title)), "text": "".join(intro)}}
    return {"title": title_slide, "events": slides}


def write_timelinejs(
    events: Iterable[Event],
    stream: IO[str],
    *,
    title: str,
    text: str | None = None,
    tz: str | None = None,
) -> int:
    """Write `events` to `stream` as TimelineJS JSON; return how many slides were written."""
    document = to_timelinejs(events, title=title, text=text, tz=tz)
    stream.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
    stream.write("\n")
    return len(document["events"])


def read_timelinejs(text: str | bytes) -> list[Event]:
    """Refuse to read TimelineJS: it keeps dates and prose, not the events.

    Raises:
        UnsupportedFormatError: always; import the JSON Lines or CloudEvents export instead.
    """
    del text
    msg = (
        "TimelineJS keeps only dates, headlines and prose, not the events, so it cannot be "
        "imported; import a JSON Lines or CloudEvents export instead"
    )
    raise UnsupportedFormatError(msg, fmt=FORMAT)
