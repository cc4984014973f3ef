"""Which reports count for a query, and when: the one place for the rules of the three clocks.

A query asks "what was true at valid time ``at``, as known at knowledge time ``known_at``, by
``known_by``". Every projection sees the log through these rules, applied here and nowhere else.

The rules are stated in full in the explanation pages (clocks, uncertain times,
corrections); in short:

**The uncertainty rule.** A time is an interval ``[earliest, latest]`` (for a calendar period
such as ``When.on(day)``, `latest` is the exclusive end: midnight of the next day). An event
counts at ``at=T`` when its earliest occurred time is at or before T; the result marks it
*uncertain* at T when its latest occurred time is after T. The same rule decides knowledge,
with the event's knowledge window in place of its occurred time. ``None`` means "no limit".

**Knowledge and perspective.** The public knows an event from its ``reported`` time. An actor
(``known_by=``) knows it from the earliest of: its public report; the ``occurred`` time of a
`NotificationGiven` about it whose recipient is that actor or speaks for it; and the event's own
``occurred`` time when the actor (or an actor speaking for it) took part in it. Each route is
a window; the earliest wins at both ends. **Nothing is known before it began**: both ends of
the window are moved up to the earliest occurred time where they fall before it.

**Corrections and retractions** are known by the same rule (their own occurred time, when it
can be placed, bounds their window from below) and are in force from the start of that
window. What each revision does to each event it names is read by `timeline.revisions.acts`
and nowhere else. A `Retraction` in force withdraws its `targets` at every valid time, with any
correction of them; a `Correction` puts its ``replacement`` in place of its target, the one
reported latest winning. A retraction of a revision withdraws that revision (one level).
Every event whose standing hangs on a revision in force but not surely known at ``known_at``
is marked with a `PossibleRevision`, unless a surely known retraction withdraws it anyway.
`Knowledge.standing` gives all this for a query: the one answer every view shows.

**Relative times** are placed by `timeline.relative` against the anchor event's placed
``occurred`` time, following chains; anchors are looked up among the reports that count for
the query and the revisions. An event whose anchor is missing (not in the log, retracted, or
part of a cycle) is left out and listed as `Unresolved`. Revisions with relative times are
settled together with the set in force: first those with absolute report times, then
repeating until nothing changes (at most eight rounds).

**Order.** Facts are folded in valid-time order: earliest occurred time, then earliest
reported time, then event id; never append order. The same set of events therefore gives the
same answer whatever order it was appended in.
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import attrgetter, itemgetter
from typing import Final

import attrs

from timeline._building import builder
from timeline.description import describe
from timeline.events import Correction, Event, NotificationGiven, Retraction
from timeline.model import Actor
from timeline.relative import Placer
from timeline.revisions import RETRACTED, REVISION_TYPES, Act, acts
from timeline.when import Precision, When, WhenKind, exact_timedelta, zone_name

__all__ = [
    "Fact",
    "Knowledge",
    "PossibleRevision",
    "Standing",
    "Unresolved",
    "View",
    "micros",
    "participants",
    "time_bounds",
]

Key = tuple[int, int, str]
Revision = Correction | Retraction

_FIXPOINT_ROUNDS: Final = 8


@attrs.frozen
class Unresolved:
    """An event left out because its time is relative to an event that is not there."""

    event: str
    anchor: str

    def __str__(self) -> str:
        return f"event {self.event!r} is relative to {self.anchor!r}, which is not in the log"


@attrs.frozen(order=True)
class PossibleRevision:
    """An event whose standing hangs on a revision only possibly known at the query's known_at.

    Attributes:
        event: the id of the event.
        revision: the id of the revision, known at the earliest but not surely by known_at.
        effect: what the revision does if it is known: ``"retracted"`` (the event may have
            been withdrawn: it is left out of the answer), ``"corrected"`` (its correction may
            stand in for it: the answer shows the correction), or ``"unrevised"`` (a
            revision of the event may have been withdrawn: the answer shows it withdrawn).
    """

    event: str
    revision: str
    effect: str

    def __str__(self) -> str:
        return f"event {self.event!r} may have been {self.effect} by {self.revision!r}"


@attrs.frozen
class Standing:
    """What the revisions in force at a query do: the one answer every view asks.

    Attributes:
        retracted: each withdrawn report's id, with the id of a retraction in force that
            withdraws it (the one reported first).
        corrected: each corrected report's id, with the correction whose replacement stands
            in for it (the one reported latest).
        chains: each corrected report's id, with every correction in force for it, in the
            order they were reported (the last is the one in `corrected`).
        known_since: for each revision in force, the instant (UTC microseconds) from which
            the viewer may have known it.
        possibly_revised: the events whose standing hangs on a revision only possibly known
            at the query's known_at (as `Query.possibly_revised`).
    """

    retracted: Mapping[str, str]
    corrected: Mapping[str, Act]
    known_since: Mapping[str, int]
    possibly_revised: tuple[PossibleRevision, ...]
    chains: Mapping[str, tuple[Act, ...]] = attrs.field(factory=dict)


@attrs.frozen
class Fact:
    """One report as a query sees it: the event in force, its resolved times, when it was known.

    Attributes:
        event: the event in force (a correction's replacement, if one is known).
        occurred: the resolved valid time.
        reported: the resolved public knowledge time.
        key: the sort key (occurred earliest, reported earliest, id), instants in UTC
            microseconds.
        latest_us: the latest occurred instant, in UTC microseconds.
        known_since_us: the earliest instant the viewer may have known the event.
        known_surely_us: the instant from which the viewer surely knew it.
    """

    event: Event
    occurred: When
    reported: When
    key: Key
    latest_us: int
    known_since_us: int
    known_surely_us: int

    @property
    def id(self) -> str:
        """The event's id."""
        return self.event.id

    def same_as(self, other: Fact) -> bool:
        """Whether `other` would fold exactly like this fact (cheap: identity of the event)."""
        return (
            self.event is other.event
            and self.key == other.key
            and self.latest_us == other.latest_us
            and self.known_since_us == other.known_since_us
            and self.known_surely_us == other.known_surely_us
            # Mostly the very same objects; equality of `When`s compares formatted instants.
            and (self.occurred is other.occurred or self.occurred == other.occurred)
            and (self.reported is other.reported or self.reported == other.reported)
        )


# ``_fact(event, occurred, reported, key, latest_us, known_since_us, known_surely_us)``: a
# view makes one fact per report, of values it resolved itself, so it skips attrs'
# `__init__` (`timeline._building`); the object is the same.
_fact: Final[Callable[[Event, When, When, Key, int, int, int], Fact]] = builder(Fact)


def participants(event: Event) -> tuple[Actor, ...]:
    """Return the actors who took part in `event` and so knew of it when it occurred."""
    return describe(event).taking_part(event)


def _is(actor: Actor, who: str) -> bool:
    return who in (actor.id, actor.speaks_for)


_Time = tuple[When, int, int]  # a resolved time with its bounds in microseconds


_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND: Final = dt.timedelta(microseconds=1)
_subtract = dt.datetime.__sub__  # the standard library's exact, fast aware subtraction


def micros(instant: dt.datetime) -> int:
    """Return an aware instant as integer microseconds since the Unix epoch (UTC)."""
    # pendulum's own subtraction builds an Interval, some ten times slower.
    return _subtract(instant, _EPOCH) // _MICROSECOND


def ends_before(when: When) -> int:
    """Return 1 when `when` ends just before its `latest` instant (a calendar period), else 0.

    The one rule by which a day, month or year is surely over at its last instant (the
    instant a bare date names as a query time): the uncertain marks of every answer use it.
    """
    return 1 if when.kind is WhenKind.PERIOD else 0


def _bounds(when: When) -> _Time:
    kind, start = when.kind, when.start
    if start is None or kind is WhenKind.RELATIVE:
        return when, micros(when.earliest), micros(when.latest)  # raises: no bounds yet
    first = micros(start)
    if kind is WhenKind.EXACT:
        return when, first, first
    if kind is WhenKind.INTERVAL:
        assert when.end is not None
        return when, first, micros(when.end)
    if kind is WhenKind.ABOUT:
        # "About" bounds are start -/+ margin in elapsed time (see `When.earliest`).
        assert when.margin is not None
        margin = exact_timedelta(when.margin) // _MICROSECOND
        return when, first - margin, first + margin
    # A calendar period ends on the local calendar (a day may last 23 or 25 hours). Many
    # reports share a day: its end depends only on the start instant, zone and precision.
    key = (first, zone_name(start), when.precision)
    last = _PERIOD_ENDS.get(key)
    if last is None:
        if len(_PERIOD_ENDS) >= _PERIOD_ENDS_SIZE:
            _PERIOD_ENDS.clear()
        last = _PERIOD_ENDS[key] = micros(when.latest)
    return when, first, last


def time_bounds(when: When) -> tuple[int, int]:
    """Return the earliest and latest instants of an absolute time, in UTC microseconds.

    The bounds the rules of this module compare (`latest` of a calendar period is the first
    instant after it); the index keeps the same (`timeline.indexing`).
    """
    _, first, last = _bounds(when)
    return first, last


_PERIOD_ENDS: dict[tuple[int, str, Precision], int] = {}
_PERIOD_ENDS_SIZE: Final = 4096


class _Resolver(Placer[_Time]):
    """Places times (see `timeline.relative`) as `When`s with their bounds in microseconds."""

    def __init__(self, lookup: Callable[[str], Event | None], cache: dict[int, _Time]) -> None:
        super().__init__(lookup)
        self._cache = cache  # absolute times, by id() of the When, shared across views

    def absolute(self, when: When) -> _Time:
        key = id(when)
        hit = self._cache.get(key)
        if hit is None or hit[0] is not when:
            hit = self._cache[key] = _bounds(when)
        return hit

    def place(self, when: When, anchor: _Time) -> _Time:
        return _bounds(when.resolve(anchor[0]))


_BLOCK: Final = 256
"""Facts per block of the interval maxima that a long window of uncertain facts skips by."""

_WIDE: Final = 4 * _BLOCK
"""A window of more facts than this is looked at block by block, skipping closed blocks."""


def _block_maxima(values: list[int]) -> list[int]:
    return [max(values[i : i + _BLOCK]) for i in range(0, len(values), _BLOCK)]


def _open_slices(
    start: int, stop: int, maxima: Callable[[], list[int]], bound: int
) -> Iterator[tuple[int, int]]:
    """Yield the slices of ``[start, stop)`` whose blocks hold a value above `bound`.

    A short window is one slice, looked at whole; a long one (a time as wide as a year
    makes the window a year of facts) goes block by block, by the block maxima `maxima()`
    returns (computed once per view, on first use).
    """
    if stop - start <= _WIDE:
        yield start, stop
        return
    highest = maxima()
    for block in range(start // _BLOCK, (stop - 1) // _BLOCK + 1):
        if highest[block] > bound:
            yield max(start, block * _BLOCK), min(stop, (block + 1) * _BLOCK)


@attrs.frozen
class View:
    """The facts that count for one set of revisions in force and one viewer, in fold order."""

    facts: list[Fact]
    keys: list[Key]
    known: list[int]
    unresolved: tuple[Unresolved, ...]
    max_occurred_width: int
    max_known_width: int

    @functools.cached_property
    def by_id(self) -> dict[str, Fact]:
        """Every fact by its event's id: made on first use (a one-shot replay needs none)."""
        return dict(zip(map(_id_of_key, self.keys), self.facts, strict=True))  # ids end keys

    @functools.cached_property
    def by_known(self) -> list[tuple[int, str]]:
        """(known since, id) of every fact, sorted: sorted on first use, by a known_at query."""
        return sorted((fact.known_since_us, fact.event.id) for fact in self.facts)

    def cut(self, at_us: int | None) -> int:
        """Return how many facts have their earliest occurred time at or before `at_us`."""
        return len(self.keys) if at_us is None else bisect_left(self.keys, (at_us + 1,))

    @functools.cached_property
    def _occurred_maxima(self) -> list[int]:
        """Per block of facts in fold order, the latest end of their occurred intervals."""
        return _block_maxima([f.latest_us - ends_before(f.occurred) for f in self.facts])

    @functools.cached_property
    def _known_maxima(self) -> list[int]:
        """Per block of `by_known`, the latest instant by which its facts are surely known."""
        by_id = self.by_id
        return _block_maxima(
            [
                by_id[event_id].known_surely_us - ends_before(by_id[event_id].reported)
                for _, event_id in self.by_known
            ]
        )

    def uncertain(self, at_us: int | None, known_at_us: int | None) -> frozenset[str]:
        """Return the ids of the facts that count but are uncertain at `at_us` / `known_at_us`.

        The facts that may still be open lie between `at_us` minus the widest interval and
        `at_us`; where one wide time makes that window long, only the blocks of facts whose
        latest end is after `at_us` are looked at.
        """
        found: set[str] = set()
        facts = self.facts
        if at_us is not None:
            stop = self.cut(at_us)
            start = bisect_left(self.keys, (at_us - self.max_occurred_width,))
            for first, last in _open_slices(start, stop, lambda: self._occurred_maxima, at_us):
                for fact in facts[first:last]:
                    # A calendar period ends just before its `latest` instant, so it is surely
                    # over at the last instant of its day (the instant a bare date names).
                    if fact.latest_us > at_us + ends_before(fact.occurred) and (
                        known_at_us is None or fact.known_since_us <= known_at_us
                    ):
                        found.add(fact.event.id)
        if known_at_us is not None:
            start = bisect_left(self.by_known, (known_at_us - self.max_known_width,))
            stop = bisect_left(self.by_known, (known_at_us + 1,))
            by_id = self.by_id
            for first, last in _open_slices(start, stop, lambda: self._known_maxima, known_at_us):
                for _, event_id in self.by_known[first:last]:
                    fact = by_id[event_id]
                    if fact.known_surely_us > known_at_us + ends_before(fact.reported) and (
                        at_us is None or fact.key[0] <= at_us
                    ):
                        found.add(event_id)
        return frozenset(found)

    def first_change(self, newer: View) -> Key | None:
        """Return the smallest sort key at which `newer` folds differently, or None."""
        if newer is self:
            return None
        lowest: Key | None = None
        old, new = self.by_id, newer.by_id
        for event_id, fact in old.items():
            other = new.get(event_id)
            if other is None or not fact.same_as(other):
                lowest = fact.key if lowest is None else min(lowest, fact.key)
                if other is not None:
                    lowest = min(lowest, other.key)
        for event_id, fact in new.items():
            if event_id not in old:
                lowest = fact.key if lowest is None else min(lowest, fact.key)
        return lowest


class Knowledge:
    """Every event read so far, and the views built from them (cached by revisions and viewer)."""

    def __init__(self) -> None:
        self.reports: dict[str, Event] = {}
        self.revisions: dict[str, Revision] = {}
        self.acts: dict[str, tuple[Act, ...]] = {}  # what each revision does, read once
        self.generation = 0
        self._times: dict[int, _Time] = {}
        self._views: dict[tuple[frozenset[str], str | None], View] = {}
        self._previous: dict[tuple[frozenset[str], str | None], View] = {}

    def add(self, events: Iterable[Event]) -> int:
        """Add events (an id seen before is ignored); return how many were new."""
        added = 0
        reports, revisions = self.reports, self.revisions
        for event in events:
            event_id = event.id
            if event_id in reports or event_id in revisions:
                continue
            if isinstance(event, REVISION_TYPES):
                revisions[event_id] = event
                self.acts[event_id] = acts(event)
            else:
                reports[event_id] = event
            added += 1
        if added:
            self.generation += 1
            self._previous = self._views
            self._views = {}
        return added

    def view(self, known_at_us: int | None, known_by: str | None) -> View:
        """Return the view for a knowledge time and a viewer, building it on first use."""
        return self.settle(known_at_us, known_by)[0]

    def settle(
        self, known_at_us: int | None, known_by: str | None
    ) -> tuple[View, tuple[PossibleRevision, ...]]:
        """Return the view for a query and the revisions only possibly known at `known_at_us`."""
        in_force, windows = self._in_force(known_at_us, known_by)
        key = (in_force, known_by)
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = self._build(in_force, known_by, self._previous.get(key))
        marks = () if known_at_us is None else self._marks(in_force, windows, known_at_us)
        return view, marks

    def standing(self, known_at_us: int | None, known_by: str | None) -> Standing:
        """Return what the revisions in force for a query do to the reports they name."""
        in_force, windows = self._in_force(known_at_us, known_by)
        retracted, corrected, chains = self._acting(in_force)
        marks = () if known_at_us is None else self._marks(in_force, windows, known_at_us)
        reports = self.reports
        return Standing(
            retracted={t: r for t, r in retracted.items() if t in reports},
            corrected={t: act for t, act in corrected.items() if t in reports},
            known_since={r: windows[r][0] for r in in_force},
            possibly_revised=marks,
            chains={t: chain for t, chain in chains.items() if t in corrected and t in reports},
        )

    # -- revisions -------------------------------------------------------------------------

    def _in_force(
        self, known_at_us: int | None, known_by: str | None
    ) -> tuple[frozenset[str], dict[str, tuple[int, int]]]:
        if not self.revisions:
            return frozenset(), {}
        # Start from the revisions whose report times are absolute: they are in force whatever
        # the others do, so a retracted report never anchors the revisions that settle next.
        in_force, windows = self._revisions_known(
            self.reports, known_at_us, known_by, absolute=True
        )
        for _ in range(_FIXPOINT_ROUNDS):
            again, windows = self._revisions_known(
                self._effective(in_force)[0], known_at_us, known_by
            )
            if again == in_force:
                break
            in_force = again
        return in_force, windows

    def _lookup_in(self, effective: Mapping[str, Event]) -> Callable[[str], Event | None]:
        revisions = self.revisions

        def lookup(event_id: str) -> Event | None:
            return effective.get(event_id) or revisions.get(event_id)

        return lookup

    def _revisions_known(
        self,
        reports: Mapping[str, Event],
        known_at_us: int | None,
        known_by: str | None,
        *,
        absolute: bool = False,
    ) -> tuple[frozenset[str], dict[str, tuple[int, int]]]:
        """Return the revisions in force and the knowledge window of each known revision."""
        resolver = _Resolver(self._lookup_in(reports), self._times)
        notices = self._notices(resolver, reports.values(), known_by)
        windows: dict[str, tuple[int, int]] = {}
        for revision_id, revision in self.revisions.items():
            if absolute and revision.reported.is_relative:
                continue
            # Its report time (and the viewer's notices) decide when a revision is known; its
            # occurred time only bounds that from below, when it can be placed.
            reported = resolver.reported(revision)
            if isinstance(reported, str):
                continue
            routes = [reported, *notices.get(revision_id, ())]
            since = min(route[1] for route in routes)
            surely = min(route[2] for route in routes)
            occurred = resolver.time(revision.occurred)
            if not isinstance(occurred, str):
                since, surely = max(since, occurred[1]), max(surely, occurred[1])
            if known_at_us is None or since <= known_at_us:
                windows[revision_id] = (since, surely)
        withdrawn = {
            act.target
            for revision_id in windows
            for act in self.acts[revision_id]
            if act.kind == RETRACTED
        }
        return frozenset(windows.keys() - withdrawn), windows

    def _marks(
        self, in_force: frozenset[str], windows: dict[str, tuple[int, int]], known_at_us: int
    ) -> tuple[PossibleRevision, ...]:
        """Return the marks of the events whose standing hangs on a possibly known revision."""
        reads = self.acts

        def sure(revision_id: str) -> bool:
            return windows[revision_id][1] <= known_at_us

        surely_gone = {
            act.target for r in in_force if sure(r) for act in reads[r] if act.kind == RETRACTED
        }
        marks: set[PossibleRevision] = set()
        for revision_id in in_force:
            if sure(revision_id):
                continue
            for act in reads[revision_id]:
                if act.target in self.reports:
                    marks.add(PossibleRevision(act.target, revision_id, act.kind))
                elif act.target in windows:  # a known revision, withdrawn by this retraction
                    for event_id in (undone.target for undone in reads[act.target]):
                        if event_id in self.reports:
                            marks.add(PossibleRevision(event_id, revision_id, "unrevised"))
        return tuple(sorted(m for m in marks if m.event not in surely_gone))

    def _acting(
        self, in_force: frozenset[str]
    ) -> tuple[dict[str, str], dict[str, Act], dict[str, tuple[Act, ...]]]:
        """Return what the revisions in force do, in the order they were reported.

        Each withdrawn id maps to the retraction reported first; each corrected id (not
        withdrawn) to the act of the correction reported latest, which wins, and to the acts
        of every correction of it, in the order reported.
        """
        resolver = _Resolver(self._lookup_in(self.reports), self._times)

        def rank(revision_id: str) -> tuple[int, str]:
            reported = resolver.reported(self.revisions[revision_id])
            return (reported[1] if not isinstance(reported, str) else -(2**62), revision_id)

        retracted: dict[str, str] = {}
        corrections: list[str] = []
        for revision_id in in_force:
            for act in self.acts[revision_id]:
                if act.kind != RETRACTED:
                    corrections.append(revision_id)
                    break
                earlier = retracted.setdefault(act.target, revision_id)
                if earlier != revision_id and rank(revision_id) < rank(earlier):
                    retracted[act.target] = revision_id  # two withdraw it: the first reported
        corrected: dict[str, Act] = {}
        chains: dict[str, tuple[Act, ...]] = {}
        for revision_id in sorted(corrections, key=rank):
            for act in self.acts[revision_id]:
                if act.target not in retracted:
                    corrected[act.target] = act
                    chains[act.target] = (*chains.get(act.target, ()), act)
        return retracted, corrected, chains

    def _effective(
        self, in_force: frozenset[str]
    ) -> tuple[dict[str, Event], dict[str, Correction]]:
        if not in_force:
            return self.reports, {}  # read, never changed, by the views built from it
        retracted, corrected, _ = self._acting(in_force)
        effective = dict(self.reports)  # copied in C; the few retracted are taken out after
        for target in retracted:
            effective.pop(target, None)
        for target, act in corrected.items():
            assert act.replacement is not None  # a correction's act holds its replacement
            effective[target] = act.replacement
        revisions = self.revisions
        corrections = {
            t: correction
            for t, act in corrected.items()
            if isinstance(correction := revisions[act.revision], Correction)
        }
        return effective, corrections

    def _notices(
        self, resolver: _Resolver, events: Iterable[Event], known_by: str | None
    ) -> dict[str, list[_Time]]:
        notices: dict[str, list[_Time]] = {}
        if known_by is None:
            return notices
        for event in events:
            if (
                isinstance(event, NotificationGiven)
                and event.about is not None
                and _is(event.recipient, known_by)
            ):
                occurred = (
                    resolver.occurred(event.id)
                    if event.occurred.is_relative
                    else resolver.absolute(event.occurred)
                )
                if not isinstance(occurred, str):
                    notices.setdefault(event.about, []).append(occurred)
        return notices

    # -- views -----------------------------------------------------------------------------

    def _build(self, in_force: frozenset[str], known_by: str | None, previous: View | None) -> View:
        effective, corrected = self._effective(in_force)
        resolver = _Resolver(self._lookup_in(effective), self._times)
        notices = self._notices(resolver, effective.values(), known_by)
        old = previous.by_id if previous is not None else {}
        facts: list[Fact] = []
        unresolved: list[Unresolved] = []
        occurred_width = known_width = 0
        # The loop runs once per report: what most reports need is looked up once, here.
        append = facts.append
        cached, absolute, relative = self._times.get, resolver.absolute, WhenKind.RELATIVE
        routed = bool(notices or corrected)

        def known(event: Event, first: int, last: int, since: int, surely: int) -> tuple[int, int]:
            # The viewer's other routes to a report: notices, a correction, taking part.
            if routed:
                for _, n_first, n_last in self._routes(resolver, notices, corrected, event.id):
                    since, surely = min(since, n_first), min(surely, n_last)
            if known_by is not None and any(_is(a, known_by) for a in participants(event)):
                since, surely = min(since, first), min(surely, last)
            return since, surely

        for event_id, event in effective.items():
            occurred_when, reported_when = event.occurred, event.reported
            if occurred_when.kind is relative or reported_when.kind is relative:
                times = resolver.times(event)
                if isinstance(times, str):
                    unresolved.append(Unresolved(event_id, times))
                    continue
                (occurred, first, last), (reported, rep_first, rep_last) = times
            else:
                # Reports share `When`s (a day, the hour of a bulletin): mostly placed already.
                placed = cached(id(occurred_when))
                if placed is None or placed[0] is not occurred_when:
                    placed = absolute(occurred_when)
                occurred, first, last = placed
                placed = cached(id(reported_when))
                if placed is None or placed[0] is not reported_when:
                    placed = absolute(reported_when)
                reported, rep_first, rep_last = placed
            if routed or known_by is not None:
                since, surely = known(event, first, last, rep_first, rep_last)
            else:
                since, surely = rep_first, rep_last
            # A report is never known before what it reports began.
            since = first if since < first else since
            surely = first if surely < first else surely
            fact = _fact(
                event, occurred, reported, (first, rep_first, event_id), last, since, surely
            )
            if old:
                kept = old.get(event_id)
                if kept is not None and kept.same_as(fact):
                    fact = kept
            append(fact)
            width = last - first
            occurred_width = width if width > occurred_width else occurred_width
            width = surely - since
            known_width = width if width > known_width else known_width
        facts.sort(key=_key_of)
        keys = list(map(_key_of, facts))
        return View(
            facts=facts,
            keys=keys,
            known=list(map(_known_since_of, facts)),
            unresolved=tuple(sorted(unresolved, key=lambda u: u.event)),
            max_occurred_width=occurred_width,
            max_known_width=known_width,
        )

    def _routes(
        self,
        resolver: _Resolver,
        notices: dict[str, list[_Time]],
        corrected: dict[str, Correction],
        event_id: str,
    ) -> list[_Time]:
        """Return the ways, besides its report, the viewer may have learnt of `event_id`."""
        routes = list(notices.get(event_id, ()))
        correction = corrected.get(event_id)
        if correction is not None:
            # A corrected report is known from its first version or from the correction.
            routes.extend(notices.get(correction.id, ()))
            for version in (self.reports.get(event_id), correction):
                route = resolver.reported(version) if version is not None else ""
                if not isinstance(route, str):
                    routes.append(route)
        return routes


_key_of: Final = attrgetter("key")
_known_since_of: Final = attrgetter("known_since_us")
_id_of_key: Final = itemgetter(2)
