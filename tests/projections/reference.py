"""A slow, plainly written model of the time rules, written from docs/explanation.

It answers one query by scanning every event, as the explanation pages state the rules
(clocks.md, time.md, uncertain-times.md, corrections.md): no checkpoints, no caches, no
bisection, no shared code with `timeline.projections` beyond `When.resolve` (the one rule for
placing a relative time against its anchor). Instants are compared as naive UTC datetimes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from timeline import (
    Actor,
    Correction,
    Event,
    NotificationGiven,
    Retraction,
    Stance,
    StatementMade,
    When,
    WhenKind,
    Withdrawal,
)

Revision = Correction | Retraction
FIXPOINT_ROUNDS = 8


def utc(instant: dt.datetime) -> dt.datetime:
    """Return an aware instant as a naive UTC datetime (which compares plainly)."""
    return dt.datetime.astimezone(instant, dt.UTC).replace(tzinfo=None)


@attrs.frozen
class Answer:
    """What counts for one query, in fold order, with the marks the answer carries."""

    facts: tuple[tuple[Event, When], ...]
    uncertain: frozenset[str]
    unresolved: frozenset[tuple[str, str]]
    possibly_revised: frozenset[tuple[str, str, str]]


def _occurred(event_id: str, pool: Mapping[str, Event], path: tuple[str, ...] = ()) -> When | str:
    """Place an event's occurred time among `pool`, or name the anchor that is missing."""
    event = pool.get(event_id)
    if event is None or event_id in path:
        return event_id
    when = event.occurred
    if not when.is_relative:
        return when
    assert when.anchor is not None
    anchor = _occurred(when.anchor, pool, (*path, event_id))
    return anchor if isinstance(anchor, str) else when.resolve(anchor)


def _time(when: When, pool: Mapping[str, Event]) -> When | str:
    """Place any time: a relative one against its anchor's occurred time."""
    if not when.is_relative:
        return when
    assert when.anchor is not None
    anchor = _occurred(when.anchor, pool)
    return anchor if isinstance(anchor, str) else when.resolve(anchor)


def _is(actor: Actor, who: str) -> bool:
    return who in (actor.id, actor.speaks_for)


def _actors(value: object) -> list[Actor]:
    """Return every `Actor` a field holds, alone or in a tuple (not inside nested events)."""
    if isinstance(value, Actor):
        return [value]
    if isinstance(value, tuple):
        return [actor for item in value for actor in _actors(item)]
    return []


def _took_part(event: Event, who: str) -> bool:
    # Whoever the report names in a field of its own took part: every actor, any type.
    people = [a for f in attrs.fields(type(event)) for a in _actors(getattr(event, f.name))]
    return any(_is(actor, who) for actor in people)


def _notices(about: str, pool: Mapping[str, Event], known_by: str | None) -> list[When]:
    """Return the occurred times of the notifications to the viewer about `about`."""
    if known_by is None:
        return []
    found = []
    for event in pool.values():
        if (
            isinstance(event, NotificationGiven)
            and event.about == about
            and _is(event.recipient, known_by)
        ):
            when = _occurred(event.id, pool)
            if not isinstance(when, str):
                found.append(when)
    return found


def _over(when: When, latest: dt.datetime) -> dt.datetime:
    """Return when a time is surely over: a day, month or year ends 1 µs before `latest`."""
    return latest - dt.timedelta(microseconds=1) if when.kind is WhenKind.PERIOD else latest


def _window(routes: list[When], begun: When | None) -> tuple[dt.datetime, dt.datetime]:
    """Return the knowledge window: the first route's bounds, never before `begun` began."""
    since = min(utc(w.earliest) for w in routes)
    surely = min(utc(w.latest) for w in routes)
    if begun is not None:
        since, surely = max(since, utc(begun.earliest)), max(surely, utc(begun.earliest))
    return since, surely


def _known_revisions(
    revisions: list[Revision],
    pool: Mapping[str, Event],
    known_at: dt.datetime | None,
    known_by: str | None,
    *,
    absolute_only: bool,
) -> tuple[frozenset[str], dict[str, tuple[dt.datetime, dt.datetime]]]:
    windows = {}
    for revision in revisions:
        if absolute_only and revision.reported.is_relative:
            continue
        reported = _time(revision.reported, pool)
        if isinstance(reported, str):
            continue
        occurred = _time(revision.occurred, pool)
        window = _window(
            [reported, *_notices(revision.id, pool, known_by)],
            None if isinstance(occurred, str) else occurred,
        )
        if known_at is None or window[0] <= known_at:
            windows[revision.id] = window
    withdrawn = {
        target
        for revision in revisions
        if revision.id in windows and isinstance(revision, Retraction)
        for target in revision.targets
    }
    return frozenset(set(windows) - withdrawn), windows


def _effective(
    reports: dict[str, Event], revisions: list[Revision], in_force: frozenset[str]
) -> tuple[dict[str, Event], dict[str, Correction]]:
    everything = {**reports, **{r.id: r for r in revisions}}
    retracted = {
        target
        for r in revisions
        if r.id in in_force and isinstance(r, Retraction)
        for target in r.targets
    }
    winners: dict[str, tuple[tuple[dt.datetime, str], Correction]] = {}
    for r in revisions:
        if r.id not in in_force or not isinstance(r, Correction):
            continue
        reported = _time(r.reported, everything)
        rank = (dt.datetime.min if isinstance(reported, str) else utc(reported.earliest), r.id)
        for target in r.targets:
            if target not in retracted and (target not in winners or rank > winners[target][0]):
                winners[target] = (rank, r)
    effective = {i: e for i, e in reports.items() if i not in retracted}
    for target, (_, correction) in winners.items():
        effective[target] = correction.replacement
    return effective, {t: c for t, (_, c) in winners.items()}


def _facts(  # noqa: PLR0917 - the parts of one query, named
    reports: dict[str, Event],
    effective: dict[str, Event],
    corrected: dict[str, Correction],
    pool: Mapping[str, Event],
    at_: dt.datetime | None,
    known: dt.datetime | None,
    known_by: str | None,
) -> tuple[
    list[tuple[tuple[dt.datetime, dt.datetime, str], Event, When]], set[str], set[tuple[str, str]]
]:
    """Return the facts that count (sortable), the uncertain ones, and the unresolved."""
    rows = []
    uncertain = set()
    unresolved = set()
    for event_id, event in effective.items():
        occurred = _occurred(event_id, pool)
        if isinstance(occurred, str):
            unresolved.add((event_id, occurred))
            continue
        reported = _time(event.reported, pool)
        if isinstance(reported, str):
            unresolved.add((event_id, reported))
            continue
        routes = [reported, *_notices(event_id, pool, known_by)]
        correction = corrected.get(event_id)
        if correction is not None:
            routes += _notices(correction.id, pool, known_by)
            for version in (reports[event_id], correction):
                placed = _time(version.reported, pool)
                if not isinstance(placed, str):
                    routes.append(placed)
        if known_by is not None and _took_part(event, known_by):
            routes.append(occurred)
        since, surely = _window(routes, occurred)
        first, last = utc(occurred.earliest), utc(occurred.latest)
        if (at_ is None or first <= at_) and (known is None or since <= known):
            rows.append(((first, utc(reported.earliest), event_id), event, occurred))
            # A calendar period is surely over at its last instant, just before `latest`.
            if (at_ is not None and _over(occurred, last) > at_) or (
                known is not None and _over(reported, surely) > known
            ):
                uncertain.add(event_id)

    return rows, uncertain, unresolved


def _marks(
    reports: dict[str, Event],
    revisions: list[Revision],
    in_force: frozenset[str],
    windows: dict[str, tuple[dt.datetime, dt.datetime]],
    known: dt.datetime,
) -> set[tuple[str, str, str]]:
    """Return the marks of events whose standing hangs on a revision only possibly known."""
    marks = set()
    by_id = {r.id: r for r in revisions}
    surely_gone = {
        target
        for r in revisions
        if r.id in in_force and isinstance(r, Retraction) and windows[r.id][1] <= known
        for target in r.targets
    }
    for r in revisions:
        if r.id not in in_force or windows[r.id][1] <= known:
            continue
        for target in r.targets:
            if target in reports:
                effect = "retracted" if isinstance(r, Retraction) else "corrected"
                marks.add((target, r.id, effect))
            elif target in windows:
                marks.update(
                    (event_id, r.id, "unrevised")
                    for event_id in by_id[target].targets
                    if event_id in reports
                )
    return {m for m in marks if m[0] not in surely_gone}


def answer(
    events: list[Event],
    at: dt.datetime | None,
    known_at: dt.datetime | None,
    known_by: str | None,
) -> Answer:
    """Answer one query by the documented rules, scanning every event."""
    at_ = None if at is None else utc(at)
    known = None if known_at is None else utc(known_at)
    reports = {e.id: e for e in events if not isinstance(e, Correction | Retraction)}
    revisions = [e for e in events if isinstance(e, Correction | Retraction)]

    # Revisions in force: first those with absolute report times, then settle the rest.
    in_force, windows = _known_revisions(
        revisions,
        {**reports, **{r.id: r for r in revisions}},
        known,
        known_by,
        absolute_only=True,
    )
    for _ in range(FIXPOINT_ROUNDS):
        effective, _corrected = _effective(reports, revisions, in_force)
        pool = {**effective, **{r.id: r for r in revisions}}
        again, windows = _known_revisions(revisions, pool, known, known_by, absolute_only=False)
        if again == in_force:
            break
        in_force = again
    effective, corrected = _effective(reports, revisions, in_force)
    pool = {**effective, **{r.id: r for r in revisions}}

    rows, uncertain, unresolved = _facts(reports, effective, corrected, pool, at_, known, known_by)
    marks = set() if known is None else _marks(reports, revisions, in_force, windows, known)
    rows.sort(key=lambda row: row[0])
    return Answer(
        tuple((event, occurred) for _, event, occurred in rows),
        frozenset(uncertain),
        frozenset(unresolved),
        frozenset(marks),
    )


def stances(answer: Answer) -> dict[tuple[str, str], tuple[Stance, str]]:
    """Each actor's stance on each proposition after the facts that count, and what set it.

    As docs/explanation/withdrawals.md says: a statement sets the stance of its speaker's
    principal on each proposition it names. A withdrawal takes a statement back, whichever
    of the two is folded first (the first withdrawal of a statement counts); the position
    then goes back to the stance of the latest statement not taken back, or to
    `Stance.WITHDRAWN` if none is left, and the withdrawal is what set it.
    """
    records: dict[tuple[str, str], list[tuple[str, str, Stance | None]]] = {}
    taken_by: dict[str, str] = {}
    for event, _ in answer.facts:
        if isinstance(event, StatementMade):
            principal = event.speaker.speaks_for or event.speaker.id
            for stance_on in event.stances:
                key = (principal, stance_on.proposition.id)
                records.setdefault(key, []).append((event.id, event.id, stance_on.stance))
                if event.id in taken_by:
                    records[key].append((taken_by[event.id], event.id, None))
        elif isinstance(event, Withdrawal):
            for target in event.targets:
                if target in taken_by:
                    continue
                taken_by[target] = event.id
                for held in records.values():
                    if any(said == target and stance for _, said, stance in held):
                        held.append((event.id, target, None))
    found = {}
    for key, held in records.items():
        taken = {said for _, said, stance in held if stance is None}
        left = [stance for _, said, stance in held if stance is not None and said not in taken]
        found[key] = (left[-1] if left else Stance.WITHDRAWN, held[-1][0])
    return found
