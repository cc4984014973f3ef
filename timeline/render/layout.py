"""The picture both renderers draw: lanes per actor, marks placed in time, propositions, ticks.

A mark is one event: its occurred time resolved against its anchor (`When.resolve`), drawn
as a bar from earliest to latest; it sits in the lane of the actor it is about, and for a
person or body that speaks for another actor (`Actor.speaks_for`), in the lane of that
principal, labelled with the speaker. Talks announced by several principals sit in one joint
lane ("Russia & United States"). Marks whose bars or labels would meet are stacked in rows of
their lane, and each label is given its room on the axis (`timeline.render._placement`): both
renderers draw that arrangement, so no label overprints another.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Final

import attrs
import pendulum

from timeline import _checks, when_text
from timeline._checks import zone as timezone
from timeline.description import describe as description_of
from timeline.errors import UnresolvedTimeError
from timeline.events import Event, StrikeReported, event_type_of
from timeline.interop.base import place
from timeline.model import Proposition, Source, Stance
from timeline.render._placement import Placement, Span
from timeline.render._placement import place as place_labels
from timeline.render.labels import actors_in, label, lane_of
from timeline.render.revisions import Revisions, revisions, tell
from timeline.when import Qualifier, When, zone_name

__all__ = [
    "DEFAULT_AXIS_CHARS",
    "DEFAULT_MAX_LANES",
    "DEFAULT_MAX_MARKS",
    "MAX_TITLE_CHARS",
    "OTHERS_LANE",
    "Density",
    "Lane",
    "Layout",
    "Mark",
    "Placement",
    "PropositionInfo",
    "Tick",
    "check_view",
    "format_instant",
    "is_disputed",
    "layout",
    "zone_label",
]

DEFAULT_MAX_MARKS: Final = 1000
"""Up to this many events, each is drawn as a mark; beyond, they are counted per time bin."""
DEFAULT_MAX_LANES: Final = 40
"""Lanes drawn at most; the events of the actors beyond share one last lane."""
OTHERS_LANE: Final = "*others*"
_BINS: Final = 120

DEFAULT_AXIS_CHARS: Final = 100.0
"""Characters of an average width that fit across the axis, unless a renderer says."""

MAX_TITLE_CHARS: Final = 1_000
"""The longest title a view takes."""
_MAX_COUNT_ARGUMENT: Final = 10_000_000


def check_view(
    *,
    title: object = None,
    tz: object = None,
    names: object = None,
    max_marks: object = DEFAULT_MAX_MARKS,
    max_lanes: object = DEFAULT_MAX_LANES,
    track: object = None,
) -> str | None:
    """Check the arguments every view takes (`render_html`, `render_png`); return `tz`'s name.

    A `tz` given as a tzinfo is returned as the name of its zone.

    Raises:
        InvalidValueError: naming the argument that is wrong (`InvalidTimeError` for `tz`).
    """
    if title is not None:
        _checks.text(title, "title", max_chars=MAX_TITLE_CHARS)
    if names is not None:
        _checks.text_mapping(names, "names")
    _checks.integer(max_marks, "max_marks", low=0, high=_MAX_COUNT_ARGUMENT)
    _checks.integer(max_lanes, "max_lanes", low=1, high=_MAX_COUNT_ARGUMENT)
    if track is not None:
        _checks.function(track, "track")
    return None if tz is None else _checks.zone(tz, "tz").name


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
    known_start: pendulum.DateTime | None = None
    revision: str | None = None  # "corrected" or "retracted" (surely known)
    revision_text: str | None = None
    revision_known: pendulum.DateTime | None = None
    revised_label: str | None = None
    doubts: tuple[str, ...] = ()  # "possibly retracted": a revision only possibly known
    place: Placement | None = None  # its bar and label's room on the axis, and its row

    @property
    def chars(self) -> int:
        """Return how many characters its longest label takes, badges and revision included."""
        words = max(len(self.label), len(self.revised_label or ""))
        if self.revision is not None or self.doubts:
            # The PNG adds what became of it and when that was known; the page, a tag.
            words += len(self.revision_text or "") + len(", ".join(self.doubts)) + 26
        return words + 5 * len(self.stances)


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
        return is_disputed(stance for _, stance in self.stances)


def is_disputed(stances: Iterable[Stance]) -> bool:
    """Return whether stances on one proposition hold both support and dispute or opposition."""
    kinds = set(stances)
    return Stance.SUPPORTS in kinds and bool(kinds & {Stance.DISPUTES, Stance.OPPOSES})


@attrs.frozen
class Tick:
    """A labelled gridline on the time axis."""

    at: pendulum.DateTime
    label: str
    major: bool


@attrs.frozen
class Density:
    """Events counted per lane and time bin: how a log too big to draw event by event is shown.

    ``edges`` are the bins' bounds (one more than the bins); ``counts[lane]`` the number of
    events starting in each bin; ``types[lane]`` the number of events of each type.
    """

    edges: tuple[pendulum.DateTime, ...]
    counts: Mapping[str, tuple[int, ...]]
    types: Mapping[str, Mapping[str, int]]


@attrs.frozen
class Layout:
    """Everything a renderer needs to draw a timeline.

    With more events than the renderer draws one by one, ``marks`` is empty and ``density``
    counts them per lane and time bin instead; ``events`` is always the number of events.
    """

    zone: str
    start: pendulum.DateTime
    end: pendulum.DateTime
    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...]
    propositions: tuple[PropositionInfo, ...]
    ticks: tuple[Tick, ...]
    names: Mapping[str, str]
    density: Density | None = None
    events: int = 0


def zone_label(zone: str) -> str:
    """Return a zone as a reader knows it: "Damascus" for Asia/Damascus, "UTC" for UTC."""
    place = zone.rsplit("/", 1)[-1].replace("_", " ")
    return place or zone


def format_instant(instant: dt.datetime, zone: str) -> str:
    """Return an instant as every output shows it (`timeline.when_text`), in `zone`."""
    return when_text.describe_instant(instant, zone)


def describe(when: When, zone: str) -> str:
    """Return a time as a reader wants it: in words in `zone` (`When.describe`), then EDTF."""
    text = when.describe(zone)
    with contextlib.suppress(UnresolvedTimeError):  # placed times are never relative
        text += f" (EDTF {when.to_edtf(lossy=True)})"
    return text


def _fallback_name(actor_id: str) -> str:
    text = actor_id.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def _names(events: Iterable[Event], extra: Mapping[str, str]) -> dict[str, str]:
    names: dict[str, str] = {}
    source_names: dict[str, str] = {}
    for event in events:
        for actor in actors_in(event):
            names.setdefault(actor.id, actor.name)
            if actor.speaks_for is not None and actor.principal_name is not None:
                source_names.setdefault(actor.speaks_for, actor.principal_name)
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


def _speaker(event: Event, lane: tuple[str, ...]) -> str | None:
    """Return who speaks or acts for the lane's principals, when not the principal itself."""
    names = [
        p.actor.name
        for p in description_of(event).participants(event)
        if p.lead and p.actor.speaks_for is not None and p.actor.id not in lane
    ]
    return ", ".join(dict.fromkeys(names)) or None


def _stances(event: Event) -> tuple[tuple[str, Stance], ...]:
    return tuple((s.proposition.id, s.stance) for s in description_of(event).stances(event))


def _propositions(events: Iterable[Event]) -> dict[str, Proposition]:
    found: dict[str, Proposition] = {}
    for event in events:
        for stance_on in description_of(event).stances(event):
            found.setdefault(stance_on.proposition.id, stance_on.proposition)
    return found


def _display_zone(placed: list[tuple[Event, When]]) -> str:
    if not placed:
        return "UTC"
    # The story is told in the zone where it starts: the zone of the earliest event.
    earliest = min(placed, key=lambda item: (item[1].earliest.timestamp(), item[0].id))
    return zone_name(earliest[1].earliest)


_STEPS: Final = (
    pendulum.duration(hours=1),
    pendulum.duration(hours=3),
    pendulum.duration(hours=6),
    pendulum.duration(hours=12),
    pendulum.duration(days=1),
    pendulum.duration(days=7),
    pendulum.duration(days=30),
    pendulum.duration(days=91),
    pendulum.duration(days=365),
)


def _ticks(start: pendulum.DateTime, end: pendulum.DateTime, zone: str) -> tuple[Tick, ...]:
    span = end - start
    step = next((s for s in _STEPS if span / s <= 8), _STEPS[-1])
    local = start.in_timezone(timezone(zone, "tz"))
    if step >= pendulum.duration(days=1):
        cursor = local.start_of("day")
    else:
        hours = int(step.total_seconds() // 3600)
        cursor = local.start_of("day").add(hours=(local.hour // hours) * hours)
    ticks = []
    while cursor <= end:
        if cursor >= start:
            major = cursor.hour == 0 and cursor.minute == 0
            if step >= pendulum.duration(days=30):
                label = cursor.strftime("%d %b %Y")  # months apart: the year matters
            else:
                label = cursor.strftime("%a %d %b") if major else cursor.strftime("%H:%M")
            ticks.append(Tick(cursor, label, major))
        cursor = (
            cursor.add(seconds=int(step.total_seconds()))
            if step < pendulum.duration(days=1)
            else cursor.add(days=step.days)
        )
    return tuple(ticks)


_Bounds = tuple[pendulum.DateTime, pendulum.DateTime]


def _bounds(when: When | None) -> _Bounds | None:
    return (when.earliest, when.latest) if when is not None else None


@attrs.frozen
class _Placed:
    """An event with its times placed (None: its anchor is missing) and its lane.

    The bounds are computed once: a `When`'s `latest` does calendar arithmetic on each call.
    """

    event: Event
    occurred: When | None
    reported: When | None
    lane: tuple[str, ...]
    occurred_bounds: _Bounds | None = None
    reported_bounds: _Bounds | None = None

    @property
    def lane_id(self) -> str:
        return "+".join(self.lane)

    def span(self, fallback: pendulum.DateTime) -> _Bounds:
        """Return where the mark is drawn: its occurred bounds, else its reported time."""
        if self.occurred_bounds is not None:
            return self.occurred_bounds
        at = self.reported_bounds[0] if self.reported_bounds is not None else fallback
        return at, at


def _place_all(events: list[Event]) -> list[_Placed]:
    by_id = {event.id: event for event in events}

    def placed(when: When) -> When | None:
        try:
            return place(when, by_id)
        except UnresolvedTimeError:
            return None

    items = []
    for event in events:
        occurred, reported = placed(event.occurred), placed(event.reported)
        items.append(
            _Placed(event, occurred, reported, lane_of(event), _bounds(occurred), _bounds(reported))
        )
    return items


def _axis(items: list[_Placed], zone: str) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    instants = [
        instant
        for item in items
        for bounds in (item.occurred_bounds, item.reported_bounds)
        if bounds is not None
        for instant in bounds
    ]
    by_time = lambda instant: instant.timestamp()  # noqa: E731 - pendulum compares slowly
    first = min(instants, key=by_time, default=pendulum.datetime(1970, 1, 1, tz="UTC"))
    last = max(instants, key=by_time, default=first)
    last = max(last, first + pendulum.duration(hours=1))
    pad = (last - first) * 0.02
    return (
        pendulum.instance(first - pad).in_timezone(timezone(zone, "tz")),
        pendulum.instance(last + pad).in_timezone(timezone(zone, "tz")),
    )


def _rows(
    marks: list[Mark], start: pendulum.DateTime, end: pendulum.DateTime, axis_chars: float
) -> tuple[list[Mark], dict[str, int]]:
    """Return the marks placed in rows of their lanes (`_placement.place`), and rows per lane."""
    span = (end - start).total_seconds()
    origin = start.timestamp()
    by_lane: dict[str, list[Span]] = {}
    for mark in marks:
        # Timestamps, not pendulum subtraction: an Interval per event is slow on big logs.
        a = (mark.start.timestamp() - origin) / span
        b = (mark.end.timestamp() - origin) / span
        by_lane.setdefault(mark.lane, []).append(Span(mark.id, a, b, mark.chars))
    placed: dict[str, Placement] = {}
    counts: dict[str, int] = {}
    for lane_id, spans in by_lane.items():
        found, counts[lane_id] = place_labels(spans, axis_chars)
        placed.update(found)
    return [
        attrs.evolve(mark, row=placed[mark.id].row, place=placed[mark.id]) for mark in marks
    ], counts


def _lane_order(items: list[_Placed], end: pendulum.DateTime) -> list[str]:
    first: dict[str, pendulum.DateTime] = {}
    size: Counter[str] = Counter()
    strikes: Counter[str] = Counter()
    for item in items:
        lane_id = item.lane_id
        start = item.span(end)[0]
        first[lane_id] = min(first.get(lane_id, start), start)
        size[lane_id] += 1
        strikes[lane_id] += isinstance(item.event, StrikeReported)
    # What happened comes first: lanes with the most strikes, then by first event and size.
    return sorted(first, key=lambda k: (-strikes[k], first[k], -size[k], k))


def _merge_lanes(
    items: list[_Placed],
    order: list[str],
    max_lanes: int,
    names: dict[str, str],
    end: pendulum.DateTime,
) -> tuple[list[_Placed], list[str]]:
    """Keep the first `max_lanes - 1` lanes; put the events of the others in one lane."""
    if len(order) <= max_lanes:
        return items, order
    kept = set(order[: max_lanes - 1])
    names[OTHERS_LANE] = f"{len(order) - len(kept):,} other actors"
    merged = [
        item if item.lane_id in kept else attrs.evolve(item, lane=(OTHERS_LANE,)) for item in items
    ]
    return merged, [*order[: max_lanes - 1], OTHERS_LANE]


def _lanes(
    items: list[_Placed], order: list[str], counts: Mapping[str, int], names: Mapping[str, str]
) -> tuple[Lane, ...]:
    keys = {item.lane_id: item.lane for item in items}
    return tuple(Lane(k, _join([names[a] for a in keys[k]]), counts.get(k, 1)) for k in order)


def _density(
    items: list[_Placed], start: pendulum.DateTime, end: pendulum.DateTime, bins: int
) -> Density:
    span = (end - start).total_seconds()
    origin = start.timestamp()
    counts: dict[str, list[int]] = {}
    types: dict[str, Counter[str]] = {}
    for item in items:
        first, _ = item.span(end)
        share = (first.timestamp() - origin) / span
        index = min(bins - 1, max(0, int(share * bins)))
        lane = counts.setdefault(item.lane_id, [0] * bins)
        lane[index] += 1
        types.setdefault(item.lane_id, Counter())[event_type_of(item.event).name] += 1
    step = span / bins
    edges = tuple(start.add(seconds=round(i * step)) for i in range(bins + 1))
    return Density(
        edges,
        {lane: tuple(row) for lane, row in counts.items()},
        {lane: dict(kinds.most_common()) for lane, kinds in types.items()},
    )


def _mark(
    item: _Placed,
    zone: str,
    end: pendulum.DateTime,
    *,
    revised: Revisions,
    known: Mapping[str, pendulum.DateTime],
) -> Mark:
    event, occurred, reported = item.event, item.occurred, item.reported
    revision = revised.get(event.id)
    shown = revised.shown(event)
    start, stop = item.span(end)
    if occurred is None:
        when_text = f"not placed: its time is relative to {event.occurred.anchor!r}, missing"
    else:
        when_text = describe(occurred, zone)
    speaker = _speaker(event, item.lane)
    return Mark(
        id=event.id,
        type=event_type_of(event).name,
        lane=item.lane_id,
        row=0,
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
        known_start=known.get(event.id, reported.earliest if reported else None),
        revision=(
            revision.kind
            if revision is not None
            and (revision.kind != "retracted" or revised.withdrawn(event.id))
            else None
        ),
        revision_text=revision.text if revision is not None else None,
        revision_known=revision.known if revision is not None else None,
        revised_label=label(shown) if shown is not event else None,
        doubts=revised.doubts.get(event.id, ()),
    )


def _known_since(
    events: list[Event], revised: Revisions, viewer: str
) -> dict[str, pendulum.DateTime]:
    """Return when `viewer` knew of each report it is told (retracted ones included)."""
    return {
        told.event.id: pendulum.from_timestamp(told.since / 1_000_000, tz="UTC")
        for told in tell(events, revised, None, None, viewer)
        if told.since is not None
    }


def _proposition_infos(items: list[_Placed], end: pendulum.DateTime) -> tuple[PropositionInfo, ...]:
    found = _propositions(item.event for item in items)
    appearance = {pid: i for i, pid in enumerate(found)}
    first_seen: dict[str, pendulum.DateTime] = {}
    held: dict[str, dict[str, Stance]] = {pid: {} for pid in found}
    speaking = [item for item in items if _stances(item.event)]
    for item in sorted(speaking, key=lambda it: (it.span(end)[0].timestamp(), it.event.id)):
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
    max_marks: int = DEFAULT_MAX_MARKS,
    max_lanes: int = DEFAULT_MAX_LANES,
    known_by: str | None = None,
    known_at: dt.datetime | None = None,
    axis_chars: float = DEFAULT_AXIS_CHARS,
) -> Layout:
    """Return the lanes, marks, propositions and ticks for `events`.

    `tz` is the zone times are shown in (default: the zone of the earliest event); `names`
    maps actor ids to display names, over the names the events give. With more than
    `max_marks` events, `Layout.density` counts them instead of one mark each; with more than
    `max_lanes` lanes, the actors with fewest events share the last lane. With `known_by`,
    each mark's `known_start` is when that actor knew of the event. Each mark says what
    became of its report as the projections answer for `known_at` and `known_by`
    (`timeline.render.revisions`; default: everything ever known): corrected, retracted, or
    possibly either. `axis_chars` is how many characters of an average width fit across the
    axis as the renderer draws it: each mark's `place` gives its row and its label's room
    for that width (`timeline.render._placement`).
    """
    events = list(events)
    revised = revisions(events, known_at=known_at, known_by=known_by)
    items = _place_all(events)
    zone = tz or _display_zone([(i.event, i.occurred) for i in items if i.occurred is not None])
    start, end = _axis(items, zone)
    actor_names = _names(events, names or {})
    for item in items:
        for actor_id in item.lane:
            actor_names.setdefault(actor_id, _fallback_name(actor_id))
    items, order = _merge_lanes(items, _lane_order(items, end), max(2, max_lanes), actor_names, end)
    common = {
        "zone": zone,
        "start": start,
        "end": end,
        "propositions": _proposition_infos(items, end),
        "ticks": _ticks(start, end, zone),
        "names": actor_names,
        "events": len(events),
    }
    if len(items) > max_marks:
        return Layout(
            lanes=_lanes(items, order, {}, actor_names),
            marks=(),
            density=_density(items, start, end, _BINS),
            **common,  # type: ignore[arg-type]
        )
    known = {}
    if known_by is not None:
        # When the viewer knew each report: of everything ever known, whatever `known_at` is.
        final = revised if known_at is None else revisions(events, known_by=known_by)
        known = _known_since(events, final, known_by)
    marks, counts = _rows(
        [_mark(item, zone, end, revised=revised, known=known) for item in items],
        start,
        end,
        axis_chars,
    )
    return Layout(
        lanes=_lanes(items, order, counts, actor_names),
        marks=tuple(marks),
        **common,  # type: ignore[arg-type]
    )
