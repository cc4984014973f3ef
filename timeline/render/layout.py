"""The picture both renderers draw: lanes per actor, marks placed in time, propositions, ticks.

A mark is one event: its occurred time resolved against its anchor (`When.resolve`), drawn
as a bar from earliest to latest; it sits in the lane of the actor it is about, and for a
person or body that speaks for another actor (`Actor.speaks_for`), in the lane of that
principal, labelled with the speaker. Talks announced by several principals sit in one joint
lane ("Russia & United States"). Marks that overlap in time are stacked in rows of their lane.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Final

import attrs
import pendulum

from timeline.errors import UnresolvedTimeError
from timeline.events import (
    Event,
    StatementMade,
    StrikeReported,
    event_type_of,
)
from timeline.interop.base import place
from timeline.model import Proposition, Source, Stance
from timeline.render.labels import actors_in, label, lane_of
from timeline.when import Qualifier, When, zone_name

__all__ = ["Lane", "Layout", "Mark", "PropositionInfo", "Tick", "layout"]

# Marks narrower than this share of the axis still need room for their label when rows are
# packed, so that labels of neighbouring point events do not overprint each other.
_MIN_LABEL_SHARE: Final = 0.22


@attrs.frozen
class Mark:
    """One event as drawn: where, from when to when, and what it says."""

    id: str
    type: str
    lane: str
    row: int
    start: pendulum.DateTime
    end: pendulum.DateTime
    reported_start: pendulum.DateTime | None
    reported_end: pendulum.DateTime | None
    label: str
    speaker: str | None
    summary: str | None
    quote: str | None
    when_text: str
    reported_text: str
    sources: tuple[Source, ...]
    stances: tuple[tuple[str, Stance], ...]
    vague: bool
    placed: bool


@attrs.frozen
class Lane:
    """A row band for one actor (or a joint group of actors)."""

    id: str
    name: str
    rows: int


@attrs.frozen
class PropositionInfo:
    """A proposition with its short label (P1, P2...) and who takes which stance on it."""

    id: str
    short: str
    text: str
    kind: str
    stances: tuple[tuple[str, Stance], ...]

    @property
    def disputed(self) -> bool:
        """Whether some actor supports it while another disputes or opposes it."""
        kinds = {stance for _, stance in self.stances}
        return Stance.SUPPORTS in kinds and bool(kinds & {Stance.DISPUTES, Stance.OPPOSES})


@attrs.frozen
class Tick:
    """A labelled gridline on the time axis."""

    at: pendulum.DateTime
    label: str
    major: bool


@attrs.frozen
class Layout:
    """Everything a renderer needs to draw a timeline."""

    zone: str
    start: pendulum.DateTime
    end: pendulum.DateTime
    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...]
    propositions: tuple[PropositionInfo, ...]
    ticks: tuple[Tick, ...]
    names: Mapping[str, str]


def format_instant(instant: dt.datetime, zone: str) -> str:
    """Return an instant as "Wed 30 Sep 2015 14:00 EEST" in `zone`."""
    local = pendulum.instance(instant).in_timezone(zone)
    return f"{local.strftime('%a %d %b %Y %H:%M')} {local.tzname()}"


def describe(when: When, zone: str) -> str:
    """Return a time as a reader wants it: its bounds in `zone`, the source's words, EDTF."""
    first, last = when.earliest, when.latest
    text = format_instant(first, zone)
    if last != first:
        text += f" to {format_instant(last, zone)}"
    extras = []
    if when.phrase:
        extras.append(f"“{when.phrase}”")
    with contextlib.suppress(UnresolvedTimeError):  # placed times are never relative
        extras.append(f"EDTF {when.to_edtf(lossy=True)}")
    if when.qualifier is not Qualifier.NONE:
        extras.append("uncertain" if "?" in when.qualifier.value else "approximate")
    return text + (f" ({'; '.join(extras)})" if extras else "")


def _fallback_name(actor_id: str) -> str:
    text = actor_id.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def _names(events: Iterable[Event], extra: Mapping[str, str]) -> dict[str, str]:
    names: dict[str, str] = {}
    source_names: dict[str, str] = {}
    for event in events:
        for actor in actors_in(event):
            names.setdefault(actor.id, actor.name)
        for source in event.sources:
            if source.actor is not None:
                source_names.setdefault(source.actor, source.name)
    for actor_id, name in source_names.items():
        names.setdefault(actor_id, name)
    names.update(extra)
    return names


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return " & ".join(names)
    return ", ".join(names[:-1]) + " & " + names[-1]


def _speaker(event: Event, lane_names: list[str]) -> str | None:
    if isinstance(event, StatementMade):
        name = event.speaker.name
        return None if name in lane_names else name
    return None


def _stances(event: Event) -> tuple[tuple[str, Stance], ...]:
    if isinstance(event, StatementMade):
        return tuple((s.proposition.id, s.stance) for s in event.stances)
    return ()


def _propositions(events: Iterable[Event]) -> dict[str, Proposition]:
    found: dict[str, Proposition] = {}
    for event in events:
        if isinstance(event, StatementMade):
            for stance_on in event.stances:
                found.setdefault(stance_on.proposition.id, stance_on.proposition)
    return found


def _display_zone(placed: list[tuple[Event, When]]) -> str:
    if not placed:
        return "UTC"
    # The story is told in the zone where it starts: the zone of the earliest event.
    earliest = min(placed, key=lambda item: (item[1].earliest, item[0].id))
    return zone_name(earliest[1].earliest)


_STEPS: Final = (
    pendulum.duration(hours=1),
    pendulum.duration(hours=3),
    pendulum.duration(hours=6),
    pendulum.duration(hours=12),
    pendulum.duration(days=1),
    pendulum.duration(days=7),
    pendulum.duration(days=30),
    pendulum.duration(days=365),
)


def _ticks(start: pendulum.DateTime, end: pendulum.DateTime, zone: str) -> tuple[Tick, ...]:
    span = end - start
    step = next((s for s in _STEPS if span / s <= 8), _STEPS[-1])
    local = start.in_timezone(zone)
    if step >= pendulum.duration(days=1):
        cursor = local.start_of("day")
    else:
        hours = int(step.total_seconds() // 3600)
        cursor = local.start_of("day").add(hours=(local.hour // hours) * hours)
    ticks = []
    while cursor <= end:
        if cursor >= start:
            major = cursor.hour == 0 and cursor.minute == 0
            label = cursor.strftime("%a %d %b") if major else cursor.strftime("%H:%M")
            ticks.append(Tick(cursor, label, major))
        cursor = (
            cursor.add(seconds=int(step.total_seconds()))
            if step < pendulum.duration(days=1)
            else cursor.add(days=step.days)
        )
    return tuple(ticks)


def _pack(items: list[tuple[float, float, str]]) -> dict[str, int]:
    """Give each (start, end, id) the lowest row where it overlaps nothing (greedy by start)."""
    rows: list[float] = []
    placed: dict[str, int] = {}
    for first, last, event_id in sorted(items):
        for index, free_from in enumerate(rows):
            if free_from <= first:
                rows[index] = last
                placed[event_id] = index
                break
        else:
            rows.append(last)
            placed[event_id] = len(rows) - 1
    return placed


@attrs.frozen
class _Placed:
    """An event with its times placed (None: its anchor is missing) and its lane."""

    event: Event
    occurred: When | None
    reported: When | None
    lane: tuple[str, ...]

    @property
    def lane_id(self) -> str:
        return "+".join(self.lane)

    def span(self, fallback: pendulum.DateTime) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        """Return where the mark is drawn: its occurred bounds, else its reported time."""
        if self.occurred is not None:
            return self.occurred.earliest, self.occurred.latest
        at = self.reported.earliest if self.reported is not None else fallback
        return at, at


def _place_all(events: list[Event]) -> list[_Placed]:
    by_id = {event.id: event for event in events}

    def placed(when: When) -> When | None:
        try:
            return place(when, by_id)
        except UnresolvedTimeError:
            return None

    return [
        _Placed(event, placed(event.occurred), placed(event.reported), lane_of(event))
        for event in events
    ]


def _axis(items: list[_Placed], zone: str) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    instants = [
        instant
        for item in items
        for when in (item.occurred, item.reported)
        if when is not None
        for instant in (when.earliest, when.latest)
    ]
    first = min(instants, default=pendulum.datetime(1970, 1, 1, tz="UTC"))
    last = max(instants, default=first)
    last = max(last, first + pendulum.duration(hours=1))
    pad = (last - first) * 0.02
    return (
        pendulum.instance(first - pad).in_timezone(zone),
        pendulum.instance(last + pad).in_timezone(zone),
    )


def _rows(
    items: list[_Placed], start: pendulum.DateTime, end: pendulum.DateTime
) -> tuple[dict[str, int], dict[str, int]]:
    """Return each event's row in its lane, and each lane's number of rows."""
    span = (end - start).total_seconds()
    by_lane: dict[str, list[tuple[float, float, str]]] = {}
    for item in items:
        first, last = item.span(end)
        a = (first - start).total_seconds() / span
        b = (last - start).total_seconds() / span
        by_lane.setdefault(item.lane_id, []).append(
            (a, max(b, a + _MIN_LABEL_SHARE), item.event.id)
        )
    rows: dict[str, int] = {}
    counts: dict[str, int] = {}
    for lane_id, spans in by_lane.items():
        packed = _pack(spans)
        rows.update(packed)
        counts[lane_id] = max(packed.values()) + 1
    return rows, counts


def _lanes(
    items: list[_Placed],
    counts: Mapping[str, int],
    names: Mapping[str, str],
    end: pendulum.DateTime,
) -> tuple[Lane, ...]:
    first: dict[str, pendulum.DateTime] = {}
    size: Counter[str] = Counter()
    strikes: Counter[str] = Counter()
    keys: dict[str, tuple[str, ...]] = {}
    for item in items:
        lane_id = item.lane_id
        keys[lane_id] = item.lane
        start = item.span(end)[0]
        first[lane_id] = min(first.get(lane_id, start), start)
        size[lane_id] += 1
        strikes[lane_id] += isinstance(item.event, StrikeReported)
    # What happened comes first: lanes with the most strikes, then by first event and size.
    order = sorted(keys, key=lambda k: (-strikes[k], first[k], -size[k], k))
    return tuple(Lane(k, _join([names[a] for a in keys[k]]), counts[k]) for k in order)


def _mark(item: _Placed, row: int, zone: str, end: pendulum.DateTime) -> Mark:
    event, occurred, reported = item.event, item.occurred, item.reported
    start, stop = item.span(end)
    if occurred is None:
        when_text = f"not placed: its time is relative to {event.occurred.anchor!r}, missing"
    else:
        when_text = describe(occurred, zone)
    speaker = None
    if isinstance(event, StatementMade) and event.speaker.id not in item.lane:
        speaker = event.speaker.name
    return Mark(
        id=event.id,
        type=event_type_of(event).name,
        lane=item.lane_id,
        row=row,
        start=start,
        end=stop,
        reported_start=reported.earliest if reported else None,
        reported_end=reported.latest if reported else None,
        label=label(event),
        speaker=speaker,
        summary=event.summary,
        quote=getattr(event, "quote", None),
        when_text=when_text,
        reported_text=describe(reported, zone) if reported else "not placed",
        sources=event.sources,
        stances=_stances(event),
        vague=occurred is None or occurred.qualifier is not Qualifier.NONE,
        placed=occurred is not None,
    )


def _proposition_infos(items: list[_Placed], end: pendulum.DateTime) -> tuple[PropositionInfo, ...]:
    found = _propositions(item.event for item in items)
    appearance = {pid: i for i, pid in enumerate(found)}
    first_seen: dict[str, pendulum.DateTime] = {}
    held: dict[str, dict[str, Stance]] = {pid: {} for pid in found}
    for item in sorted(items, key=lambda it: (it.span(end)[0], it.event.id)):
        for pid, stance in _stances(item.event):
            first_seen.setdefault(pid, item.span(end)[0])
            held[pid][item.lane[0]] = stance
    ranked = sorted(found, key=lambda pid: (first_seen[pid], appearance[pid]))
    return tuple(
        PropositionInfo(
            pid,
            f"P{number}",
            found[pid].text,
            found[pid].kind.value,
            tuple(sorted(held[pid].items())),
        )
        for number, pid in enumerate(ranked, start=1)
    )


def layout(
    events: Iterable[Event],
    *,
    tz: str | None = None,
    names: Mapping[str, str] | None = None,
) -> Layout:
    """Return the lanes, marks, propositions and ticks for `events`.

    `tz` is the zone times are shown in (default: the zone of the earliest event); `names`
    maps actor ids to display names, over the names the events give.
    """
    events = list(events)
    items = _place_all(events)
    zone = tz or _display_zone([(i.event, i.occurred) for i in items if i.occurred is not None])
    start, end = _axis(items, zone)
    actor_names = _names(events, names or {})
    for item in items:
        for actor_id in item.lane:
            actor_names.setdefault(actor_id, _fallback_name(actor_id))
    rows, counts = _rows(items, start, end)
    return Layout(
        zone=zone,
        start=start,
        end=end,
        lanes=_lanes(items, counts, actor_names, end),
        marks=tuple(_mark(item, rows[item.event.id], zone, end) for item in items),
        propositions=_proposition_infos(items, end),
        ticks=_ticks(start, end, zone),
        names=actor_names,
    )
