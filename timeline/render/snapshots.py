"""Precomputed projections at every event boundary, so a page only has to pick one.

The boundaries are the distinct earliest and latest instants of every event's occurred and
reported times (relative times resolved). For each pair (``at``, ``known_at``) of boundaries
the situation and the positions are computed with a `TimeMachine` and unstructured with the
library's converter, or, for the HTML page, read out in words by `PanelWords`: the lines of
the situation panel and of the proposition cards, every event as `timeline.labels` reads it
and every time as `timeline.when_text` says it, so the page's script only places the text.
Identical snapshots are stored once, and identical objects inside them (each strike, section,
line...) are stored once in a pool and referred to as ``{"$ref": n}``, which keeps a page
small even though every snapshot repeats them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import orjson
import pendulum

from timeline import _checks
from timeline.errors import UnresolvedTimeError
from timeline.events import Event, event_type_of
from timeline.interop.base import place
from timeline.labels import label, withdrawal_sentence
from timeline.log import EventLog, open_log
from timeline.model import Actor, Stance
from timeline.projections import Fact, Positions, Query, Situation, TimeMachine
from timeline.projections.knowledge import Knowledge, micros
from timeline.projections.positions import Position, StanceRecord
from timeline.projections.situation import Dispute, Talks, TalksStatus
from timeline.render.layout import Layout, format_instant, layout
from timeline.render.revisions import Revision, Revisions, revision_tag, revisions
from timeline.serialization import converter
from timeline.withdrawals import withdrawn, withdraws

__all__ = [
    "DEFAULT_MAX_BOUNDARIES",
    "SUMMARY_BOUNDARIES",
    "PanelWords",
    "Snapshots",
    "Steps",
    "Track",
    "automatic_boundaries",
    "boundaries",
    "panel",
    "proposition_lines",
    "run_text",
    "situation_lines",
    "snapshots",
    "summaries",
    "type_words",
]

DEFAULT_MAX_BOUNDARIES: Final = 40
"""The most boundaries the controls step through, for a small log."""
SUMMARY_BOUNDARIES: Final = 24
"""The boundaries the controls step through when only counts are precomputed."""
# Full snapshots cost about (boundaries squared) x (events); this keeps a page to seconds.
_WORK: Final = 50_000
_REF: Final = "$ref"

Track = Callable[[Sequence[Any], str], Iterable[Any]]
"""Wraps the steps of a long computation with a description, to show progress."""


def _tracked(track: Track | None, items: Sequence[Any], description: str) -> Iterable[Any]:
    """Return what `track` makes of `items`, which must be something to iterate over."""
    if track is None:
        return items
    return _checks.iterable(track(items, description), "what track returns")


class Steps:
    """Reports the named steps of a rendering through a `Track`, as each one ends."""

    def __init__(self, track: Track | None, names: Sequence[str], description: str) -> None:
        self._steps = iter(_tracked(track, names, description))
        next(self._steps, None)  # the track shows the first step as begun

    def done(self) -> None:
        """Mark the current step done."""
        next(self._steps, None)


def automatic_boundaries(events: int) -> int:
    """Return how many boundaries full snapshots of `events` events step through by default."""
    return max(8, min(DEFAULT_MAX_BOUNDARIES, math.isqrt(_WORK // max(1, events))))


@attrs.frozen
class _Counted:
    """A projection listing the ids of the events that count (for greying out the others)."""

    def initial(self) -> tuple[str, ...]:
        """Return no events."""
        return ()

    def apply(self, state: tuple[str, ...], fact: Fact) -> tuple[str, ...]:
        """Add the fact's event id."""
        return (*state, fact.id)

    def finish(self, state: tuple[str, ...], query: Query) -> dict[str, list[str]]:
        """Return the counted and the uncertain ids."""
        return {"counted": sorted(state), "uncertain": sorted(query.uncertain)}


_COUNTED: Final = _Counted()


@attrs.frozen
class _InForce:
    """A projection listing the event in force of each fact that counts, by id.

    The event in force is a correction's replacement once the correction is known.
    """

    def initial(self) -> tuple[Event, ...]:
        """Return no events."""
        return ()

    def apply(self, state: tuple[Event, ...], fact: Fact) -> tuple[Event, ...]:
        """Add the fact's event in force."""
        return (*state, fact.event)

    def finish(
        self, state: tuple[Event, ...], query: Query
    ) -> tuple[dict[str, Event], tuple[str, ...]]:
        """Return the events in force by id, and the uncertain ids."""
        return {event.id: event for event in state}, tuple(sorted(query.uncertain))


_IN_FORCE: Final = _InForce()

# -- the words of the panel ------------------------------------------------------------------
# A line of the page is a list of runs: a plain string, or [class, text] for a styled span, or
# [class, text, url] for a link. The page's script appends them in order and adds nothing.

Run = str | list[str]


def run_text(runs: Iterable[Run]) -> str:
    """Return the text a line of runs reads as."""
    return "".join(run if isinstance(run, str) else run[1] for run in runs)


def _item(ref: str | None, runs: list[Run], lines: Sequence[list[Run]] = ()) -> dict[str, Any]:
    return {"ref": ref, "runs": runs, "lines": list(lines)}


def _section(title: str, items: Sequence[dict[str, Any]], empty: str) -> dict[str, Any]:
    return {"title": f"{title} ({len(items):,})", "items": list(items), "empty": empty}


def type_words(name: str) -> str:
    """Return an event type's registered name in words ("strike_reported": "Strike reported")."""
    words = name.rsplit(".", 1)[-1].replace("_", " ")
    return words[:1].upper() + words[1:]


def _names(actors: Iterable[Actor]) -> str:
    return ", ".join(actor.name for actor in actors)


_AGAINST: Final = frozenset({Stance.DISPUTES, Stance.OPPOSES})
_SIDES: Final = (
    ("✓ supports: ", "for", frozenset({Stance.SUPPORTS})),
    ("✗ disputes or opposes: ", "against", _AGAINST),
    ("○ other: ", "", frozenset(Stance) - _AGAINST - {Stance.SUPPORTS, Stance.WITHDRAWN}),
    ("↺ withdrew what it said: ", "", frozenset({Stance.WITHDRAWN})),
)


class PanelWords:
    """The words of a page's situation panel and proposition cards, at any moment.

    Made once per page from its events and its `Layout` (zone, names, propositions);
    `state` reads one moment out as JSON-ready lines. Every report reads as its label
    (`timeline.labels.label`), whatever its type; every time as `timeline.when_text` says it.
    """

    def __init__(
        self, events: Iterable[Event], picture: Layout, known_by: str | None = None
    ) -> None:
        events = list(events)
        self._events = {event.id: event for event in events}
        self._viewer = known_by
        self._zone = picture.zone
        self._names = picture.names
        self._total = picture.events or len(events)
        self._propositions = tuple((p.id, p.short, p.text) for p in picture.propositions)
        self._short = {p.id: p.short for p in picture.propositions}
        self._revised: dict[dt.datetime, Revisions] = {}

    def state(
        self,
        situation: Situation,
        positions: Positions,
        in_force: Mapping[str, Event],
        known_at: dt.datetime,
    ) -> dict[str, Any]:
        """Return the panel at one moment: what counts, the lines of each section and card.

        ``revised`` gives, for each report a revision in force at `known_at` revises (as the
        projections answer for this viewer), whether it is struck through, what it now reads
        and the revision's words, and for each statement a withdrawal in the situation took
        back, the tag "withdrawn": the chart's marks show exactly that at this moment.
        """
        disputed = sorted({d.proposition.id for d in situation.disputes})
        uncertain = set(situation.uncertain)
        revised = self._revisions(known_at)
        marks: dict[str, list[Any]] = {
            event_id: [
                revised.withdrawn(event_id),
                label(revision.replacement) if revision.replacement is not None else None,
                revision_tag(revision),
            ]
            for event_id, revision in revised.revised.items()
        }
        # A statement its speaker took back by this moment was said: not struck, but tagged.
        for statement in situation.statements:
            for target in statement.withdraws:
                marks.setdefault(target, [False, None, "withdrawn"])
        return {
            "counted": sorted(in_force),
            "uncertain": sorted(uncertain),
            "disputed": disputed,
            "revised": dict(sorted(marks.items())),
            "moment": f"{len(in_force):,} of {self._total:,} events count at this moment.",
            "sections": self._sections(situation, in_force, uncertain, known_at),
            "propositions": self._cards(positions, set(disputed)),
        }

    def _sections(
        self,
        s: Situation,
        in_force: Mapping[str, Event],
        uncertain: set[str],
        known_at: dt.datetime,
    ) -> list[dict[str, Any]]:
        def rows(items: Iterable[Any]) -> list[dict[str, Any]]:
            return [self._row(item.id, in_force, uncertain, known_at) for item in items]

        found = [
            _section("Strikes", rows(s.strikes), "No strike counts yet."),
            _section("Casualties", rows(s.casualties), "No casualty figure counts yet."),
        ]
        retracted = self._retracted(known_at)
        if retracted:
            found.append(_section("Retracted", retracted, ""))
        rank = {pid: i for i, (pid, _, _) in enumerate(self._propositions)}
        disputes = sorted(s.disputes, key=lambda d: rank.get(d.proposition.id, len(rank)))
        found += [
            _section("Talks", [self._talks(t) for t in s.talks], "No talks announced yet."),
            _section("Notifications", rows(s.notifications), "No notification counts yet."),
            _section("Open disputes", [self._dispute(d) for d in disputes], "No open dispute."),
            _section("Statements", rows(s.statements), "No statement without a stance yet."),
            _section("Other reports", rows(s.general), "No other report yet."),
        ]
        found += [
            _section(added.name, [_item(None, [line]) for line in added.lines], "Nothing yet.")
            for added in s.sections
        ]
        return found

    def _revisions(self, known_at: dt.datetime) -> Revisions:
        # The grid asks each knowledge time once per valid time: answer it once.
        found = self._revised.get(known_at)
        if found is None:
            found = revisions(self._events.values(), known_at=known_at, known_by=self._viewer)
            self._revised[known_at] = found
        return found

    def _known_revision(self, event_id: str, known_at: dt.datetime) -> Revision | None:
        revision = self._revisions(known_at).get(event_id)
        if revision is None or revision.known is None:
            return None
        return revision

    def _row(
        self,
        event_id: str,
        in_force: Mapping[str, Event],
        uncertain: set[str],
        known_at: dt.datetime,
    ) -> dict[str, Any]:
        event = in_force.get(event_id) or self._events.get(event_id)
        text = label(event) if event is not None else event_id
        if event is not None and withdraws(type(event)):
            said = {
                target: (statement, None)
                for target in withdrawn(event)
                if (statement := in_force.get(target) or self._events.get(target)) is not None
            }
            text = withdrawal_sentence(event, said)
        runs: list[Run] = [text]
        sources = _names_of_sources(event)
        if sources and f"(per {sources})" not in text:
            runs.append(["sub", f" — per {sources}"])
        if event_id in uncertain:
            runs += [" ", ["tag uncertain", "uncertain"]]
        revision = self._known_revision(event_id, known_at)
        if revision is not None and revision.known is not None:
            known = format_instant(revision.known, self._zone)
            runs += [" ", ["tag revised", f"{revision.text} (known {known})"]]
        return _item(event_id, runs)

    def _retracted(self, known_at: dt.datetime) -> list[dict[str, Any]]:
        found = []
        revised = self._revisions(known_at)
        for event_id, event in self._events.items():
            revision = revised.get(event_id)
            if revision is None or not revised.withdrawn(event_id) or revision.known is None:
                continue
            known = format_instant(revision.known, self._zone)
            runs: list[Run] = [["struck", label(event)], ["sub", f" — retracted, known {known}"]]
            found.append(_item(event_id, runs))
        return found

    def _talks(self, talks: Talks) -> dict[str, Any]:
        status = "tag open" if talks.status is TalksStatus.OPEN else "tag"
        runs: list[Run] = [[status, talks.status.value], " ", talks.topic or talks.talks]
        if talks.parties:
            runs.append(f", between {_names(talks.parties)}")
        lines: list[list[Run]] = []
        if talks.announced_by:
            lines.append([["sub", f"announced by {_names(talks.announced_by)}"]])
        if talks.scheduled is not None:
            lines.append([["sub", f"scheduled {talks.scheduled.describe(phrase=True)}"]])
        if talks.outcome:
            lines.append([["sub", talks.outcome]])
        return _item(talks.announcement or talks.talks, runs, lines)

    def _who(self, record: StanceRecord | Position) -> str:
        if isinstance(record, Position):
            name = record.name
        else:
            name = record.actor_name or self._names.get(record.actor, record.actor)
        speaker = record.speaker
        return name if speaker.id == record.actor else f"{name} ({speaker.name})"

    def _dispute(self, dispute: Dispute) -> dict[str, Any]:
        short = self._short.get(dispute.proposition.id)
        runs: list[Run] = [["b", f"{short} "]] if short else []
        runs.append(dispute.proposition.text)
        lines: list[list[Run]] = [
            [["for", "✓ asserted by "], ", ".join(map(self._who, dispute.asserted_by))],
            [["against", "✗ disputed by "], ", ".join(map(self._who, dispute.disputed_by))],
        ]
        return _item(None, runs, lines)

    def _cards(self, positions: Positions, disputed: set[str]) -> list[dict[str, Any]]:
        held: dict[str, list[Position]] = {}
        for position in positions.positions:
            held.setdefault(position.proposition.id, []).append(position)
        cards = []
        for pid, short, text in self._propositions:
            runs: list[Run] = [["b", f"{short} "], text]
            if pid in disputed:
                runs += [" ", ["tag dispute", "disputed"]]
            lines: list[list[Run]] = []
            for title, style, stances in _SIDES:
                who = [self._who(p) for p in held.get(pid, ()) if p.stance in stances]
                if who:
                    lines.append([[style, title], ", ".join(who)])
            cards.append(_item(pid, runs, lines or [[["empty", "no stance counts yet"]]]))
        return cards


def _names_of_sources(event: Event | None) -> str:
    return "" if event is None else ", ".join(source.name for source in event.sources)


def _lines(items: Iterable[Mapping[str, Any]]) -> list[str]:
    found = []
    for item in items:
        found.append(run_text(item["runs"]))
        found.extend(run_text(line) for line in item["lines"])
    return found


def situation_lines(state: Mapping[str, Any]) -> list[str]:
    """Return the situation panel of a state (`PanelWords.state`) as the lines a reader sees."""
    found = [state["note"]] if state.get("note") else []
    for section in state["sections"]:
        found.append(section["title"])
        if not section["items"] and section["empty"]:
            found.append(section["empty"])
        found.extend(_lines(section["items"]))
    return found


def proposition_lines(state: Mapping[str, Any]) -> list[str]:
    """Return the proposition cards of a state (`PanelWords.state`) as the lines a reader sees."""
    return _lines(state.get("propositions", ()))


def boundaries(events: Iterable[Event]) -> list[pendulum.DateTime]:
    """Return the distinct earliest and latest instants of all occurred and reported times."""
    events = list(events)
    by_id = {event.id: event for event in events}
    found: dict[int, pendulum.DateTime] = {}
    for event in events:
        for when in (event.occurred, event.reported):
            try:
                placed = place(when, by_id)
            except UnresolvedTimeError:
                continue
            for instant in (placed.earliest, placed.latest):
                found.setdefault(round(instant.timestamp() * 1000), instant)
    return [found[key].in_timezone("UTC") for key in sorted(found)]


def _thin(instants: list[pendulum.DateTime], limit: int) -> list[pendulum.DateTime]:
    if len(instants) <= limit:
        return instants
    # Keep the first and the last, and evenly spaced ones between.
    step = (len(instants) - 1) / (limit - 1)
    return [instants[round(i * step)] for i in range(limit)]


class _Pool:
    """Interns JSON objects: equal list items get one slot and are referred to by index.

    Only the objects listed in a state (a strike, a section of the panel, a line...) are
    pooled, and the objects listed inside them: they are what repeats from one snapshot to
    the next, and one ``orjson.dumps`` of each is far cheaper than walking every value.
    """

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._index: dict[bytes, int] = {}

    def intern(self, value: Any) -> Any:
        if isinstance(value, list):
            return [
                self._slot(self.intern(item)) if isinstance(item, dict) else item for item in value
            ]
        if isinstance(value, dict):
            return {key: self.intern(item) for key, item in value.items()}
        return value

    def _slot(self, value: dict[str, Any]) -> dict[str, int]:
        key = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        slot = self._index.get(key)
        if slot is None:
            slot = self._index[key] = len(self.items)
            self.items.append(value)
        return {_REF: slot}


class _States:
    """Equal states stored once: `add` returns the slot of a state equal to the one given."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._seen: dict[bytes, int] = {}

    def add(self, state: Any) -> int:
        key = orjson.dumps(state)
        slot = self._seen.get(key)
        if slot is None:
            slot = self._seen[key] = len(self.items)
            self.items.append(state)
        return slot


@attrs.frozen
class Snapshots:
    """The precomputed projections: ``grid[i][j]`` indexes ``states`` for at_i, known_j."""

    instants: tuple[pendulum.DateTime, ...]
    grid: tuple[tuple[int, ...], ...]
    states: tuple[Any, ...]
    pool: tuple[Any, ...]
    thinned: bool
    summary: bool = False


def _as_log(events: Sequence[Event]) -> EventLog:
    log = open_log("memory://")
    if events:
        log.append(*events)
    return log


def snapshots(
    log: EventLog | Iterable[Event],
    *,
    known_by: str | Actor | None = None,
    max_boundaries: int | None = None,
    track: Track | None = None,
    words: PanelWords | None = None,
) -> Snapshots:
    """Return the situation and positions at every pair of boundaries (at most `max_boundaries`).

    With more boundaries than `max_boundaries` (default: 40 for a small log, fewer as it
    grows, see `automatic_boundaries`), evenly spaced ones are kept (first and last always),
    and `Snapshots.thinned` says so. `track` wraps the rows computed, to show progress. With
    `words`, each snapshot is the panel in words (`PanelWords.state`) instead of the
    unstructured projections.
    """
    if isinstance(log, EventLog):
        events = [record.event for record in log.read()]
        source = log
    else:
        events = list(log)
        source = _as_log(events)
    found = boundaries(events)
    limit = max_boundaries if max_boundaries is not None else automatic_boundaries(len(events))
    instants = _thin(found, max(2, limit))
    # One lane per knowledge time of the grid: storing them all would cost more than it saves.
    machine = TimeMachine(source)
    pool = _Pool()
    states = _States()
    grid: list[tuple[int, ...]] = []
    for at in _tracked(track, instants, "Precomputing situations"):
        row = [
            states.add(pool.intern(_state(machine, at, known_at, known_by, words)))
            for known_at in instants
        ]
        grid.append(tuple(row))
    return Snapshots(
        tuple(instants),
        tuple(grid),
        tuple(states.items),
        tuple(pool.items),
        len(instants) < len(found),
    )


def summaries(
    events: Iterable[Event],
    *,
    known_by: str | Actor | None = None,
    max_boundaries: int = SUMMARY_BOUNDARIES,
    track: Track | None = None,
) -> Snapshots:
    """Return, at every pair of boundaries, how many events of each type count: for big logs.

    The same rules as the projections decide what counts (`timeline.projections.knowledge`);
    only the counts are kept, in words (``"Strike reported: 1,204"``), so a page of 200,000
    events stays a few megabytes.
    """
    events = list(events)
    viewer = known_by.id if isinstance(known_by, Actor) else known_by
    found = boundaries(events)
    instants = _thin(found, max(2, max_boundaries))
    at_us = [micros(at) for at in instants]
    knowledge = Knowledge()
    knowledge.add(events)
    columns: list[list[dict[str, Any]]] = []
    for known_at in _tracked(track, instants, "Counting what is known"):
        known_us = micros(known_at)
        view = knowledge.view(known_us, viewer)
        counts: dict[str, int] = {}
        column = []
        index = 0
        for limit in at_us:
            while index < len(view.facts) and view.facts[index].key[0] <= limit:
                fact = view.facts[index]
                if fact.known_since_us <= known_us:
                    name = event_type_of(fact.event).name
                    counts[name] = counts.get(name, 0) + 1
                index += 1
            column.append(_summary(counts, len(events)))
        columns.append(column)
    states = _States()
    grid = [
        tuple(states.add(columns[j][i]) for j in range(len(instants))) for i in range(len(instants))
    ]
    return Snapshots(
        tuple(instants),
        tuple(grid),
        tuple(states.items),
        (),
        len(instants) < len(found),
        summary=True,
    )


_TOO_BIG: Final = (
    "This log is too big to list event by event: the chart counts events per lane and time,"
    " and the panel counts what counts. Filter the log (by time, actor or type) for every detail."
)


def _summary(counts: Mapping[str, int], events: int) -> dict[str, Any]:
    """Return the panel of a big log at one moment: how many events of each type count."""
    total = sum(counts.values())
    items = [_item(None, [f"{type_words(name)}: {n:,}"]) for name, n in sorted(counts.items())]
    return {
        "total": total,
        "moment": f"{total:,} of {events:,} events count at this moment.",
        "note": _TOO_BIG,
        "sections": [_section("Events that count, by type", items, "No event counts yet.")],
    }


def _state(
    machine: TimeMachine,
    at: dt.datetime,
    known_at: dt.datetime,
    known_by: str | Actor | None,
    words: PanelWords | None = None,
) -> dict[str, Any]:
    situation = machine.situation(at, known_at, known_by)
    positions = machine.positions(at, known_at, known_by)
    if words is not None:
        in_force, _ = machine.project(_IN_FORCE, at, known_at, known_by)
        return words.state(situation, positions, in_force, known_at)
    counted = machine.project(_COUNTED, at, known_at, known_by)
    # The query times are the grid's coordinates: dropping them lets equal states share a slot.
    drop = ("at", "known_at", "known_by")
    data_situation = {k: v for k, v in converter.unstructure(situation).items() if k not in drop}
    data_positions = {k: v for k, v in converter.unstructure(positions).items() if k not in drop}
    return {"situation": data_situation, "positions": data_positions, **counted}


def panel(
    events: Iterable[Event],
    at: dt.datetime,
    known_at: dt.datetime,
    *,
    known_by: str | Actor | None = None,
    tz: str | None = None,
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the page's panel in words at one moment, as the page for `events` shows it.

    The same words the page embeds for that moment (`PanelWords.state`) when it draws the
    log event by event (up to ``max_marks`` events), computed from scratch: read them with
    `situation_lines` and `proposition_lines`.
    """
    events = list(events)
    viewer = known_by.id if isinstance(known_by, Actor) else known_by
    picture = layout(events, tz=tz, names=names, known_by=viewer)
    machine = TimeMachine(_as_log(events))
    return _state(machine, at, known_at, viewer, PanelWords(events, picture))
