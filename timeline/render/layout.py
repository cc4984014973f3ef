"""The picture both renderers draw: lanes per actor, marks placed in time, propositions, ticks.

A mark is one event: its occurred time resolved against its anchor (`When.resolve`), drawn
as a bar from earliest to latest; it sits in the lane of the actor it is about, and for a
person or body that speaks for another actor (`Actor.speaks_for`), in the lane of that
principal, labelled with the speaker. Talks announced by several principals sit in one joint
lane ("Russia & United States"). Marks that overlap in time are stacked in rows of their lane.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

import attrs
import pendulum

from timeline.errors import UnresolvedTimeError
from timeline.events import (
    CasualtiesReported,
    Correction,
    Event,
    NotificationGiven,
    Retraction,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    event_type_of,
)
from timeline.interop.base import place
from timeline.model import Actor, Proposition, Source, Stance
from timeline.when import Qualifier, When, zone_name

__all__ = ["Lane", "Layout", "Mark", "PropositionInfo", "Tick", "layout"]

_OTHER_LANE: Final = "other"
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
    try:
        extras.append(f"EDTF {when.to_edtf()}")
    except UnresolvedTimeError:  # pragma: no cover - placed times are never relative
        pass
    if when.qualifier is not Qualifier.NONE:
        extras.append("uncertain" if "?" in when.qualifier.value else "approximate")
    return text + (f" ({'; '.join(extras)})" if extras else "")


def _actors(value: object) -> Iterator[Actor]:
    # Walk every attrs field, so that user event types with actors get names and lanes too.
    if isinstance(value, Actor):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _actors(item)
    elif attrs.has(type(value)) and not isinstance(value, When):
        for field in attrs.fields(type(value)):
            yield from _actors(getattr(value, field.name))


def _fallback_name(actor_id: str) -> str:
    text = actor_id.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def _names(events: Iterable[Event], extra: Mapping[str, str]) -> dict[str, str]:
    names: dict[str, str] = {}
    source_names: dict[str, str] = {}
    for event in events:
        for actor in _actors(event):
            names.setdefault(actor.id, actor.name)
        for source in event.sources:
            if source.actor is not None:
                source_names.setdefault(source.actor, source.name)
    for actor_id, name in source_names.items():
        names.setdefault(actor_id, name)
    names.update(extra)
    return names


def _lane_of(event: Event) -> tuple[str, ...]:
    """Return the principal actor ids whose lane holds `event` (several: a joint lane)."""
    if isinstance(event, StrikeReported):
        return (event.actor.principal,)
    if isinstance(event, StatementMade):
        return (event.speaker.principal,)
    if isinstance(event, NotificationGiven):
        return (event.notifier.principal,)
    if isinstance(event, TalksAnnounced | TalksHeld):
        people = event.announced_by if isinstance(event, TalksAnnounced) else ()
        principals = dict.fromkeys(a.principal for a in (*people, *event.parties))
        return tuple(principals)
    if isinstance(event, Correction):
        return _lane_of(event.replacement)
    for source in event.sources:
        if source.actor is not None:
            return (source.actor,)
    actors = list(_actors(event))
    return (actors[0].principal,) if actors else (_OTHER_LANE,)


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return " & ".join(names)
    return ", ".join(names[:-1]) + " & " + names[-1]


def _source_names(sources: tuple[Source, ...]) -> str:
    return ", ".join(source.name for source in sources)


def _label(event: Event) -> str:
    if isinstance(event, StrikeReported):
        parts = ["Strikes"]
        if event.missions is not None:
            parts.append(f"{event.missions} missions")
        if event.places:
            parts.append("hit " + ", ".join(event.places))
        if event.targets:
            parts.append("targets " + ", ".join(event.targets))
        text = " · ".join(parts)
        if event.sources:
            text += f" (per {_source_names(event.sources)})"
        return text
    if isinstance(event, CasualtiesReported):
        parts = []
        if event.killed is not None:
            parts.append(f"{event.killed} killed")
        if event.injured is not None:
            parts.append(f"{event.injured} injured")
        text = ", ".join(parts).capitalize()
        if event.among:
            text += f" among {event.among}"
        if event.places:
            text += f" in {', '.join(event.places)}"
        return text
    if isinstance(event, StatementMade):
        speaker = event.speaker.name
        if event.quote:
            return f"{speaker}: “{event.quote}”"
        return event.summary or f"{speaker}: statement"
    if isinstance(event, TalksAnnounced):
        text = f"Talks announced: {event.topic}"
        if event.scheduled is not None:
            scheduled = event.scheduled
            day = pendulum.instance(scheduled.earliest).in_timezone(scheduled.zone)
            mark = "?" if scheduled.qualifier is not Qualifier.NONE else ""
            text += f", scheduled {day.strftime('%d %b')}{mark}"
        return text
    if isinstance(event, TalksHeld):
        return "Talks held" + (f": {event.outcome}" if event.outcome else "")
    if isinstance(event, TalksCancelled):
        return "Talks cancelled" + (f": {event.reason}" if event.reason else "")
    if isinstance(event, NotificationGiven):
        text = f"{event.notifier.name} told {event.recipient.name}"
        if event.content:
            text += f" of {event.content}"
        if event.lead_time is not None:
            text += f", {event.lead_time.in_words()} ahead"
        return text
    if isinstance(event, Correction):
        return f"Correction of {event.corrects}" + (f": {event.reason}" if event.reason else "")
    if isinstance(event, Retraction):
        return f"Retraction of {event.retracts}" + (f": {event.reason}" if event.reason else "")
    return event.summary or event_type_of(event).name.replace("_", " ").capitalize()


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
        cursor = cursor.add(seconds=int(step.total_seconds())) if step < pendulum.duration(
            days=1
        ) else cursor.add(days=step.days)
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
    by_id = {event.id: event for event in events}
    actor_names = _names(events, names or {})
    placed: list[tuple[Event, When]] = []
    unplaced: list[Event] = []
    for event in events:
        try:
            placed.append((event, place(event.occurred, by_id)))
        except UnresolvedTimeError:
            unplaced.append(event)
    zone = tz or _display_zone(placed)

    def reported_of(event: Event) -> When | None:
        try:
            return place(event.reported, by_id)
        except UnresolvedTimeError:
            return None

    instants = [w.earliest for _, w in placed] + [w.latest for _, w in placed]
    instants += [w.earliest for e in events if (w := reported_of(e)) is not None]
    instants += [w.latest for e in events if (w := reported_of(e)) is not None]
    if instants:
        first, last = min(instants), max(instants)
    else:
        first = last = pendulum.datetime(1970, 1, 1, tz="UTC")
    if last - first < pendulum.duration(hours=1):
        last = first + pendulum.duration(hours=1)
    pad = (last - first) * 0.02
    start = pendulum.instance(first - pad).in_timezone(zone)
    end = pendulum.instance(last + pad).in_timezone(zone)
    span = (end - start).total_seconds()

    lane_keys: dict[str, tuple[str, ...]] = {}
    lane_first: dict[str, tuple[pendulum.DateTime, int]] = {}
    pending: list[tuple[Event, When | None, str]] = []
    for event, when in [*placed, *((e, None) for e in unplaced)]:
        key = _lane_of(event)
        lane_id = "+".join(key)
        lane_keys[lane_id] = key
        pending.append((event, when, lane_id))
        anchor = when.earliest if when is not None else end
        seen = lane_first.get(lane_id)
        lane_first[lane_id] = (min(seen[0], anchor) if seen else anchor, (seen[1] if seen else 0) + 1)

    marks_by_lane: dict[str, list[tuple[float, float, str]]] = {k: [] for k in lane_keys}
    raw: dict[str, tuple[Event, When | None, str]] = {}
    for event, when, lane_id in pending:
        raw[event.id] = (event, when, lane_id)
        if when is None:
            reported = reported_of(event)
            a = b = (reported.earliest - start).total_seconds() / span if reported else 1.0
        else:
            a = (when.earliest - start).total_seconds() / span
            b = (when.latest - start).total_seconds() / span
        marks_by_lane[lane_id].append((a, max(b, a + _MIN_LABEL_SHARE), event.id))
    rows_of: dict[str, int] = {}
    lane_rows: dict[str, int] = {}
    for lane_id, items in marks_by_lane.items():
        packed = _pack(items)
        rows_of.update(packed)
        lane_rows[lane_id] = max(packed.values()) + 1

    # Lanes that hold strikes come first (what happened), then by first event and size.
    striking = Counter(lane for event, _, lane in pending if isinstance(event, StrikeReported))
    order = sorted(
        lane_first, key=lambda k: (-striking[k], lane_first[k][0], -lane_first[k][1], k)
    )
    for key in lane_keys.values():
        for actor_id in key:
            actor_names.setdefault(actor_id, _fallback_name(actor_id))
    lanes = tuple(
        Lane(k, _join([actor_names.get(a) or _fallback_name(a) for a in lane_keys[k]]), lane_rows[k])
        for k in order
    )
    lane_names = {k: [actor_names.get(a) or _fallback_name(a) for a in lane_keys[k]] for k in order}

    marks = []
    for event in events:
        _, when, lane_id = raw[event.id]
        reported = reported_of(event)
        if when is None:
            anchor = reported.earliest if reported is not None else end
            m_start = m_end = pendulum.instance(anchor)
            when_text = f"not placed: its time is relative to {event.occurred.anchor!r}, missing"
        else:
            m_start, m_end = when.earliest, when.latest
            when_text = describe(when, zone)
        marks.append(
            Mark(
                id=event.id,
                type=event_type_of(event).name,
                lane=lane_id,
                row=rows_of[event.id],
                start=m_start,
                end=m_end,
                reported_start=reported.earliest if reported else None,
                reported_end=reported.latest if reported else None,
                label=_label(event),
                speaker=_speaker(event, lane_names[lane_id]),
                summary=event.summary,
                quote=getattr(event, "quote", None),
                when_text=when_text,
                reported_text=describe(reported, zone) if reported else "not placed",
                sources=event.sources,
                stances=_stances(event),
                vague=when is None or when.qualifier is not Qualifier.NONE,
                placed=when is not None,
            )
        )

    propositions = _propositions(events)
    order_of = {pid: i for i, pid in enumerate(propositions)}
    first_seen: dict[str, pendulum.DateTime] = {}
    held: dict[str, dict[str, Stance]] = {pid: {} for pid in propositions}
    for mark in sorted(marks, key=lambda m: (m.start, m.id)):
        for pid, stance in mark.stances:
            first_seen.setdefault(pid, mark.start)
            principal = lane_keys[mark.lane][0]
            held[pid][principal] = stance
    ranked = sorted(propositions, key=lambda p: (first_seen[p], order_of[p]))
    infos = tuple(
        PropositionInfo(
            pid,
            f"P{i}",
            propositions[pid].text,
            propositions[pid].kind.value,
            tuple(sorted(held[pid].items())),
        )
        for i, pid in enumerate(ranked, start=1)
    )
    return Layout(
        zone=zone,
        start=start,
        end=end,
        lanes=lanes,
        marks=tuple(marks),
        propositions=infos,
        ticks=_ticks(start, end, zone),
        names=actor_names,
    )

