"""The bitemporal index: which events a query has to read, asked of the store, not of a replay.

A store keeps, beside each record, an `IndexEntry`: the bounds of the event's valid time
(``occurred``) and of its public report time, whether it revises other events, and the ids of
the events a query must read with it (the targets of a revision, the anchors of a relative
time). `EventLog.append` computes the entry of each event (`entry`) and the store writes it
in the same transaction as the record; `build` indexes the records a store holds without
entries (a store written before the index existed, or by a writer that does not index).

A query at valid time ``at``, knowledge time ``known_at`` and viewer ``known_by`` reads only
the events that may change its answer (`wanted` states the rule; each store runs it as a
query on its own tables, and the memory store in Python). The rules of the three clocks
(`timeline.projections.knowledge`) are then applied to those events alone, so the answer
is the one a replay of the whole log gives; the tests hold both against each other. An event
may change the answer when:

- it is a report whose earliest valid time is at or before both ``at`` and ``known_at``
  (nothing is known before it began), and, for the public, whose report is at or before
  ``known_at`` (an actor may know earlier: a notice, taking part);
- it is a revision whose earliest valid time is at or before ``known_at`` and, for the
  public, whose report is too;
- for a viewer, it is a notification whose earliest valid time is at or before
  ``known_at`` (it may tell of an event that counts at ``at`` after ``at`` itself);
- one of its times is relative (its bounds wait for its anchor), unless the store placed it
  (`placement`: SQLite, once its anchors are in the log and while no revision names them)
  and by its placed times it does not count; or
- an event read names it as a target or an anchor (followed to the end of the chain).

Without an index (a store class of a user's that keeps none, or a read-only store written
before the index existed), a query reads every event, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

from timeline.description import describe
from timeline.events import Correction, Event, NotificationGiven, event_type_of, event_types
from timeline.relative import WhenPlacer
from timeline.stores.base import ANCHOR, NO_LIMIT, REACH_ALWAYS, TARGET, IndexEntry, Placement

if TYPE_CHECKING:
    from timeline.log import EventLog
    from timeline.when import When

__all__ = [
    "ANCHOR",
    "BATCH",
    "NO_LIMIT",
    "TARGET",
    "IndexEntry",
    "IndexingStore",
    "Named",
    "Placement",
    "PlainReportsStore",
    "SortKey",
    "build",
    "check",
    "correction_type",
    "entry",
    "events_for",
    "is_current",
    "notice_types",
    "placement",
    "rebuild",
    "unread_with_hindsight",
    "wanted",
]


BATCH: Final = 5_000
"""Records indexed per transaction by `build` (each batch is committed: a build resumes)."""


@runtime_checkable
class IndexingStore(Protocol):
    """The operations a store with an index adds to `timeline.stores.base.Store`."""

    def index_head(self, timeline: str) -> int | None:
        """Return the last position indexed (None: the store cannot index this timeline)."""
        ...

    def add_index(self, timeline: str, after: int, entries: list[IndexEntry]) -> int:
        """Index the records after position `after`, one entry each, in order.

        Writes only when the timeline's index ends at `after` (another writer may have
        indexed them first); returns the last position indexed afterwards.
        """
        ...

    def index_positions(
        self, timeline: str, at_us: int, known_at_us: int, *, viewer: bool
    ) -> list[int]:
        """Return, in order, the positions of the events `wanted` picks for a query."""
        ...

    def reset_index(self, timeline: str) -> None:
        """Drop the timeline's index (`rebuild` makes it again from the events)."""
        ...

    def index_rows(self, timeline: str, after: int, until: int) -> list[tuple[Any, ...]]:
        """Return the stored rows of positions after `after` up to `until`, one per link.

        Each is ``(position, occurred_lo, occurred_hi, reported_lo, reported_hi, revision,
        linked, role, target)``, in position order (role and target None without links).
        """
        ...

    def read_positions(
        self, timeline: str, positions: list[int]
    ) -> Iterator[tuple[int, str, int, bytes, int]]:
        """Yield ``(position, type, schema_version, payload, recorded_at_us)`` of positions."""
        ...


SortKey = tuple[int, int, str]
"""A fact's place in fold order: earliest occurred, earliest reported (UTC µs), event id."""

Named = tuple[SortKey, int, str]
"""A name a report gives an actor: the report's sort key, the name's rank among the names the
report gives (`IndexEntry.names`), and the name."""


@runtime_checkable
class PlainReportsStore(IndexingStore, Protocol):
    """What a store adds to answer the public's plain reports from its index alone.

    A plain report has absolute times and is named by no link in the log (no revision acts on
    it, no relative time is placed against it): it counts for the public exactly when it began
    by ``at`` and ``known_at`` and was reported by ``known_at``, and it reads as written. The
    situation's sections of one type each (strikes, casualties, notifications) are counted,
    and their items read, from the store; the rest of the answer is folded as before.
    """

    def plain_ready(self, timeline: str) -> bool:
        """Whether this store's index can answer plain reports now."""
        ...

    def plain_positions(
        self, timeline: str, at_us: int, known_at_us: int, types: Sequence[str], *, until: int
    ) -> list[int]:
        """Return, in order, the positions `wanted` picks for the public, less plain `types`.

        Every ``plain_`` method reads the records up to position `until`, and their links
        only: an answer stays that of the log as it stood, whatever is appended since.
        """
        ...

    def plain_count(
        self,
        timeline: str,
        type_name: str,
        at_us: int,
        known_at_us: int,
        *,
        until: int,
        stanceless: bool = False,
        plain: Sequence[str] = (),
    ) -> int:
        """Return how many plain reports of a type count for the public.

        `stanceless`: only those that state no stance (`IndexEntry.stances`). `plain`: the
        question's plain types (a store may answer as plain a report named only as an
        anchor of the reports of those types it answers from its index, and reads none of).
        """
        ...

    def plain_keys(
        self,
        timeline: str,
        type_name: str,
        at_us: int,
        known_at_us: int,
        *,
        after: SortKey | None,
        descending: bool,
        limit: int,
        until: int,
        stanceless: bool = False,
        plain: Sequence[str] = (),
    ) -> list[tuple[SortKey, int]]:
        """Return the next `limit` plain reports' keys and positions past `after`."""
        ...

    def plain_stances(
        self,
        timeline: str,
        type_name: str,
        at_us: int,
        known_at_us: int,
        *,
        until: int,
        plain: Sequence[str] = (),
    ) -> list[tuple[SortKey, int, str, str, str]]:
        """Return ``(key, position, actor, proposition, stance)`` of each stance stated.

        By the plain reports of a type that count for the public, in fold order (and each
        report's in its order): the `IndexEntry.stances` kept, no record read.
        """
        ...

    def plain_talks(
        self,
        timeline: str,
        types: Sequence[str],
        at_us: int,
        known_at_us: int,
        *,
        until: int,
        plain: Sequence[str] = (),
    ) -> list[tuple[SortKey, int, str, str]]:
        """Return ``(key, position, type name, talks id)`` of each plain talks event.

        Of the types `types` (`IndexEntry.talks`), that count for the public, in fold order;
        no record read.
        """
        ...

    def index_talks(self, timeline: str, after: int, until: int) -> dict[int, str] | None:
        """Return the `IndexEntry.talks` stored for positions after `after` up to `until`.

        Only positions that have one; None when this index keeps none.
        """
        ...

    def index_stances(
        self, timeline: str, after: int, until: int
    ) -> dict[int, list[tuple[str, str, str]]] | None:
        """Return the `IndexEntry.stances` stored for positions after `after` up to `until`.

        Only positions that have some, each in order; None when this index keeps none.
        """
        ...

    def plain_open(
        self, timeline: str, types: Sequence[str], at_us: int, known_at_us: int, *, until: int
    ) -> list[int]:
        """Return the positions of plain reports that count and may be uncertain.

        `types` are the question's plain types (as `plain_count`'s `plain`).
        """
        ...

    def index_reaches(self, timeline: str, after: int, until: int) -> dict[int, int] | None:
        """Return the `IndexEntry.reach_lo` stored for positions after `after` up to `until`.

        Only the positions that have one (corrections); None when this index keeps none.
        """
        ...

    def plain_names(
        self,
        timeline: str,
        actors: Sequence[str],
        types: Sequence[str],
        at_us: int,
        known_at_us: int,
        *,
        until: int,
        plain: Sequence[str] = (),
    ) -> dict[str, tuple[list[Named], list[Named]]]:
        """Return, per actor, names the plain reports of `types` that count give it.

        ``(own, given)``: for each type, the own name of the latest report
        (`IndexEntry.names`) and the given name of the earliest; enough for
        `timeline.projections.naming.chosen_name`, with the names the fold found.
        """
        ...

    def index_names(
        self, timeline: str, after: int, until: int
    ) -> dict[int, list[tuple[str, bool, str]]] | None:
        """Return the `IndexEntry.names` stored for positions after `after` up to `until`.

        Only positions that have some, each in order; None when this index keeps none.
        """
        ...

    def placing_head(self, timeline: str) -> int:
        """Return the last position whose relative times were looked at (`place`)."""
        ...

    def to_place(self, timeline: str, after: int, until: int) -> list[int]:
        """Return the positions up to `until` whose relative times to place now.

        Those after `after`, and those waiting for an anchor that came after it; none when
        the store cannot keep placements (opened read-only).
        """
        ...

    def positions_of(self, timeline: str, ids: Sequence[str], until: int) -> dict[str, int]:
        """Return the positions of the records of `ids` up to `until`, for those found."""
        ...

    def first_target(self, timeline: str, ids: Sequence[str], until: int) -> int | None:
        """Return the position of the first revision up to `until` naming one of `ids`."""
        ...

    def place(
        self,
        timeline: str,
        rows: Sequence[tuple[int, Placement]],
        *,
        after: int,
        until: int,
    ) -> bool:
        """Keep placements, in one transaction, and look at the revisions after `after`.

        A placement that hangs on an event a revision up to `until` names is unsettled
        from that revision on. Writes only while the last position looked at is `after`
        (another writer may have placed them first); returns whether it wrote.
        """
        ...

    def index_placements(self, timeline: str, after: int, until: int) -> dict[int, Placement]:
        """Return the placements kept for positions after `after` up to `until`."""
        ...

    def mismatched_index_row(self, timeline: str, after: int, until: int) -> int | None:
        """Return the first position after `after`, up to `until`, whose row is wrong, or None.

        Wrong: its type is not its record's, or the first link it names is not the first
        link that names its event.
        """
        ...


@functools.cache
def _time_bounds() -> Callable[[When], tuple[int, int]]:
    from timeline.projections.knowledge import time_bounds  # noqa: PLC0415 - one rule

    return time_bounds


def _bounds_of(when: When) -> tuple[int, int] | None:
    return None if when.is_relative else _time_bounds()(when)


def _anchors(event: Event) -> Iterator[str]:
    description = describe(event)
    for _, when in description.times(event):
        if when.is_relative and when.anchor:
            yield when.anchor
    for inner in description.nested(event):
        yield from _anchors(inner)


@functools.cache
def _names_given() -> Callable[[Event], tuple[tuple[str, bool, str], ...]]:
    from timeline.projections.naming import names_given  # noqa: PLC0415 - one rule

    return names_given


@functools.cache
def _stances_stated() -> Callable[[Event], tuple[tuple[str, str, str], ...]]:
    from timeline.projections.stating import stances_stated  # noqa: PLC0415 - one rule

    return stances_stated


@functools.cache
def _talks_of() -> Callable[[Event], str | None]:
    from timeline.talks import talks_of  # noqa: PLC0415 - events import this module

    return talks_of


@functools.cache
def _revision_types() -> tuple[type, ...]:
    from timeline.revisions import REVISION_TYPES  # noqa: PLC0415 - events import this module

    return REVISION_TYPES


def entry(event: Event) -> IndexEntry:
    """Return what a store's index keeps of `event` (see `IndexEntry`)."""
    occurred, reported = _bounds_of(event.occurred), _bounds_of(event.reported)
    revision = isinstance(event, _revision_types())
    links: list[tuple[str, str]] = []
    reach: int | None = None
    if revision:
        from timeline.revisions import acts  # noqa: PLC0415

        for act in acts(event):
            links.append((TARGET, act.target))
            if act.replacement is not None:
                bounds = _bounds_of(act.replacement.occurred)
                # A relative time may not be placed at all: the replacement is then listed
                # among the unresolved events whatever the question's times.
                relative = bounds is None or act.replacement.reported.is_relative
                earliest = REACH_ALWAYS if relative or bounds is None else bounds[0]
                reach = earliest if reach is None else min(reach, earliest)
    links.extend((ANCHOR, anchor) for anchor in _anchors(event))
    return IndexEntry(
        None if occurred is None else occurred[0],
        None if occurred is None else occurred[1],
        None if reported is None else reported[0],
        None if reported is None else reported[1],
        revision,
        tuple(dict.fromkeys(links)),
        reach,
        _names_given()(event),
        _stances_stated()(event),
        _talks_of()(event),
        isinstance(event, NotificationGiven),
    )


def notice_types() -> list[str]:
    """Return the names of the registered notification types, sorted (`IndexEntry.notice`).

    A viewer's question reads the notifications among them by ``known_at``, not ``at``.
    """
    return sorted(t.name for t in event_types() if issubclass(t.cls, NotificationGiven))


def placement(
    event: Event,
    position: int,
    find: Callable[[str], tuple[int, Event] | None],
    first_target: Callable[[Sequence[str]], int | None],
) -> Placement:
    """Return where the relative times of `event` (at `position`) are placed.

    `find` gives the position and event of an id in the log (None if not there yet), and
    `first_target` the position of the first revision naming one of some ids. The times are
    placed as a replay places them (`timeline.relative`), against the anchors as written,
    from the position of the last of them; the placement is unsettled from the first
    revision naming one of those anchors (or at once, when the chain loops). A store may
    unsettle it earlier, never later: it may follow every link of relative times, of nested
    events too (`fact_links`), where this follows the chains of ``occurred`` and ``reported``.
    """
    found: dict[str, tuple[int, Event]] = {}

    def lookup(event_id: str) -> Event | None:
        if event_id == event.id:
            return event
        if event_id not in found:
            hit = find(event_id)
            if hit is None:
                return None
            found[event_id] = hit
        return found[event_id][1]

    placed = WhenPlacer(lookup).times(event)
    unsettled = first_target(sorted(found))
    if isinstance(placed, str):
        if placed != event.id and placed not in found:  # waiting for its anchor
            return Placement(None, None, None, unsettled, placed)
        loops = position if unsettled is None else min(position, unsettled)
        return Placement(None, None, None, loops, None)
    occurred, reported = (_time_bounds()(when) for when in placed)
    since = max([position, *(at for at, _ in found.values())])
    return Placement(occurred[0], reported[0], since, unsettled, None, occurred[1], reported[1])


def placed_times(
    log: EventLog, store: PlainReportsStore, event: Event, until: int
) -> tuple[When, When]:
    """Return the ``occurred`` and ``reported`` times of `event`, placed as the log stands.

    Relative times are placed against their anchors as written, read from the log up to
    position `until` (what `placement` did for the index); absolute ones are as written.

    Raises:
        IntegrityError: a relative time cannot be placed there (the index said it was).
    """
    if not (event.occurred.is_relative or event.reported.is_relative):
        return event.occurred, event.reported
    find = _finder(log, store, until)

    def lookup(event_id: str) -> Event | None:
        if event_id == event.id:
            return event
        hit = find(event_id)
        return None if hit is None else hit[1]

    placed = WhenPlacer(lookup).times(event)
    if isinstance(placed, str):
        from timeline.errors import IntegrityError  # noqa: PLC0415 - errors import events

        msg = (
            f"the index placed the times of event {event.id!r} of timeline {log.name!r}, "
            f"but its anchor {placed!r} is not there (edited behind the store's back)"
        )
        raise IntegrityError(msg)
    return placed


def holds(placed: Placement | None, until: int) -> bool:
    """Whether a placement holds for the log up to position `until`."""
    return (
        placed is not None
        and placed.placed_at is not None
        and placed.placed_at <= until
        and (placed.unsettled_at is None or placed.unsettled_at > until)
    )


def counts(
    item: IndexEntry,
    at_us: int,
    known_at_us: int,
    *,
    viewer: bool,
    placed: Placement | None = None,
    until: int = NO_LIMIT,
) -> bool:
    """Whether an event may change the answer by its own times (`wanted`'s first rules).

    An event with a relative time counts by its placed times when they hold at `until`.
    """
    occurred, reported = item.occurred_lo, item.reported_lo
    if occurred is None or reported is None:
        if not holds(placed, until):
            return True
        assert placed is not None
        occurred, reported = placed.occurred_lo, placed.reported_lo
        if occurred is None or reported is None:  # pragma: no cover - placed means both
            return True
    # A revision counts from when it is known; a viewer may learn, by a notification that
    # began by ``known_at``, of an event that counts at ``at``.
    late = item.revision or (viewer and item.notice)
    limit = known_at_us if late else min(at_us, known_at_us)
    return occurred <= limit and (viewer or reported <= known_at_us)


def wanted(
    entries: Mapping[int, IndexEntry],
    positions: Mapping[str, int],
    at_us: int,
    known_at_us: int,
    *,
    viewer: bool,
    placed: Mapping[int, Placement] | None = None,
) -> list[int]:
    """Return, in order, the positions of the events a query must read (see the module docs).

    The rule in Python: what the memory store runs, and the reference every store's own
    query is tested against. `entries` maps positions to entries, `positions` ids to
    positions; ``NO_LIMIT`` stands for a query time not given. `placed` gives where the
    relative times of the events were placed (`placement`); without, each is read.
    """
    placed = placed or {}
    until = max(entries, default=0)
    found = {
        p
        for p, item in entries.items()
        if counts(item, at_us, known_at_us, viewer=viewer, placed=placed.get(p), until=until)
    }
    todo = [p for p in found if entries[p].links]
    while todo:
        for _, target in entries[todo.pop()].links:
            position = positions.get(target)
            if position is not None and position not in found:
                found.add(position)
                if entries[position].links:
                    todo.append(position)
    return sorted(found)


def unread_with_hindsight(
    entries: Mapping[int, IndexEntry], positions: Mapping[str, int], types: Mapping[int, str]
) -> set[int]:
    """Return the positions a public question with hindsight need not read (SQLite's rule).

    With hindsight every revision is known, so a revision with absolute times that nothing
    in `entries` names (no revision undoes it, no time is placed against it) is in force
    whatever the question: a retraction (it replaces nothing) or a correction of the
    built-in type (it only replaces). A report with absolute times, naming nothing, named
    only by such revisions, is settled:

    - if a retraction names it, it is withdrawn at every valid time (a retraction wins over
      corrections): it counts at no ``at``;
    - else it reads as the replacement of the correction reported latest (ties: the greater
      id), which a question reads whenever that replacement may count.

    No settled report need be read; nor a correction that names only settled reports and
    is the latest for none; nor a retraction that names only withdrawn reports, none of
    them named by a correction that is read (which, without the retraction, would put its
    replacement in place). (What a report's knowledge window would gain from its first
    version does not matter with hindsight.) `entries` maps positions to entries (those up
    to the position asked about), `positions` ids to positions, and `types` positions to
    type names.
    """
    naming: dict[str, list[tuple[str, int]]] = {}
    for position, item in entries.items():
        for role, target in item.links:
            naming.setdefault(target, []).append((role, position))
    ids = {position: event_id for event_id, position in positions.items()}
    in_force = {
        position
        for position, item in entries.items()
        if item.revision
        and item.occurred_lo is not None
        and item.reported_lo is not None
        and not naming.get(ids.get(position, ""))
    }
    retractions = {p for p in in_force if entries[p].reach_lo is None}
    corrections = {p for p in in_force if types.get(p) == correction_type()}
    settling = retractions | corrections
    withdrawn: set[int] = set()  # the settled reports a retraction withdraws
    latest: dict[int, int] = {}  # each settled report corrected: its latest correction
    for event_id, links in naming.items():
        found = positions.get(event_id)
        named = entries.get(found) if found is not None else None
        if (
            found is None
            or named is None
            or named.revision
            or named.links
            or named.occurred_lo is None
            or named.reported_lo is None
            or any(role != TARGET for role, _ in links)
        ):
            continue
        by = {position for _, position in links}
        if by & retractions and by <= settling:
            withdrawn.add(found)
        elif by <= corrections:
            latest[found] = max(by, key=lambda p: (entries[p].reported_lo, ids[p]))
    settled = withdrawn | latest.keys()

    def only(revisions: set[int], reports: Collection[int]) -> set[int]:
        return {
            position
            for position in revisions
            if all(
                role == TARGET and positions.get(target) in reports
                for role, target in entries[position].links
            )
        }

    dropped = only(corrections, settled) - set(latest.values())
    read = corrections - dropped
    needless = {
        position
        for position in only(retractions, withdrawn)
        if not any(by in read for _, target in entries[position].links for _, by in naming[target])
    }
    return settled | dropped | needless


@functools.cache
def correction_type() -> str:
    """Return the type name of the built-in `Correction` (`unread_with_hindsight`)."""
    return event_type_of(Correction).name


def is_current(log: EventLog) -> bool:
    """Whether every record of `log` is indexed (False when its store keeps no index)."""
    store = log.store
    if not isinstance(store, IndexingStore):
        return False
    indexed = store.index_head(log.name)
    return indexed is not None and indexed >= log.version


def build(log: EventLog, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Index the records of `log` that have no entry yet; return how many were indexed.

    Streams the log in batches of `BATCH` records, each committed on its own: memory stays
    bounded, and a build that is stopped resumes where it stopped. Several processes may build
    at once; each batch is written by one of them. `progress(done, total)` is called after
    each batch. A store that keeps no index, or cannot write one (opened read-only), indexes
    nothing and returns 0.
    """
    store = log.store
    if not isinstance(store, IndexingStore):
        return 0
    start = store.index_head(log.name)
    if start is None:
        return 0
    first, head, done = start, log.version, 0
    while start < head:
        stop = min(start + BATCH, head)
        items = [entry(event) for event in log.events(start, until_position=stop)]
        reached = store.add_index(log.name, start, items)
        if reached <= start:  # nothing written: a read-only store
            break
        done += reached - start
        start = reached
        if progress is not None:
            progress(start - first, head - first)
    if isinstance(store, PlainReportsStore) and store.plain_ready(log.name):
        _place(log, store)
    return done


def _finder(
    log: EventLog, store: PlainReportsStore, until: int
) -> Callable[[str], tuple[int, Event] | None]:
    """Return what finds an event of `log` by id up to `until`, each read once."""
    seen: dict[str, tuple[int, Event] | None] = {}

    def find(event_id: str) -> tuple[int, Event] | None:
        if event_id not in seen:
            position = store.positions_of(log.name, [event_id], until).get(event_id)
            if position is None:
                seen[event_id] = None
            else:
                (event,) = log.decode_rows(store.read_positions(log.name, [position]))
                seen[event_id] = (position, event)
        return seen[event_id]

    return find


def _placements(
    log: EventLog, store: PlainReportsStore, positions: list[int], until: int
) -> Iterator[tuple[int, Placement]]:
    """Yield the placement of each record at `positions`, as the log stands at `until`."""
    find = _finder(log, store, until)

    def first_target(ids: Sequence[str]) -> int | None:
        return store.first_target(log.name, ids, until)

    for start in range(0, len(positions), BATCH):
        chunk = positions[start : start + BATCH]
        events = log.decode_rows(store.read_positions(log.name, chunk))
        for position, event in zip(chunk, events, strict=True):
            yield position, placement(event, position, find, first_target)


def _place(log: EventLog, store: PlainReportsStore) -> None:
    """Place the relative times of the records indexed since they were last looked at."""
    after = store.placing_head(log.name)
    until = store.index_head(log.name) or 0
    if after >= until:
        return
    rows = list(_placements(log, store, store.to_place(log.name, after, until), until))
    store.place(log.name, rows, after=after, until=until)


def rebuild(log: EventLog, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Drop the index of `log` and make it again from its events (`build`); return the count.

    The way out after `check` found rows that do not match their events.
    """
    store = log.store
    if not isinstance(store, IndexingStore):
        return 0
    store.reset_index(log.name)
    return build(log, progress=progress)


def _stored(rows: list[tuple[Any, ...]]) -> dict[int, tuple[Any, ...]]:
    """Return each position's stored entry, as `_expected` gives one, from `index_rows`."""
    found: dict[int, tuple[Any, ...]] = {}
    links: dict[int, list[tuple[str, str]]] = {}
    for position, lo, hi, rep_lo, rep_hi, revision, linked, role, target in rows:
        found[position] = (lo, hi, rep_lo, rep_hi, bool(revision), bool(linked))
        if role is not None:
            links.setdefault(position, []).append((role, target))
    return {p: (*head, sorted(links.get(p, ()))) for p, head in found.items()}


def _expected(item: IndexEntry) -> tuple[Any, ...]:
    return (*item[:4], item.revision, bool(item.links), sorted(item.links))


def check(log: EventLog, *, after: int = 0) -> int:
    """Check the index rows of `log` after position `after` against its events.

    Each row must be what `entry` makes of the event at its position: a row edited, added or
    left out behind the store's back would hide events from queries or show others. Reads and
    decodes those events (a whole log when `after` is 0); records not indexed yet are not
    checked. Returns how many rows were checked.

    Raises:
        IntegrityError: with `.position`, the first row that does not match its event.
    """
    from timeline.errors import IntegrityError  # noqa: PLC0415 - errors import events

    store = log.store
    if not isinstance(store, IndexingStore):
        return 0
    until = store.index_head(log.name) or 0
    checked = 0
    start = after
    while start < until:
        stop = min(start + BATCH, until)
        stored = _stored(store.index_rows(log.name, start, stop))
        reaches = names = stances = talks = None
        if isinstance(store, PlainReportsStore):
            reaches = store.index_reaches(log.name, start, stop)
            names = store.index_names(log.name, start, stop)
            stances = store.index_stances(log.name, start, stop)
            talks = store.index_talks(log.name, start, stop)
        relative = []
        for position, event in enumerate(log.events(start, until_position=stop), start + 1):
            expected = entry(event)
            if expected.occurred_lo is None or expected.reported_lo is None:
                relative.append(position)
            if (
                stored.get(position) != _expected(expected)
                or (reaches is not None and reaches.get(position) != expected.reach_lo)
                or (names is not None and tuple(names.get(position, ())) != expected.names)
                or (stances is not None and tuple(stances.get(position, ())) != expected.stances)
                or (talks is not None and talks.get(position) != expected.talks)
            ):
                msg = (
                    f"the index row of position {position} of timeline {log.name!r} does not "
                    f"match its event {event.id!r} (edited behind the store's back); "
                    "`timeline upgrade --rebuild` makes the index again from the events"
                )
                raise IntegrityError(msg, position=position)
            checked += 1
        if isinstance(store, PlainReportsStore) and store.plain_ready(log.name):
            _check_placements(log, store, start, stop, relative)
        wrong = (
            store.mismatched_index_row(log.name, start, stop)
            if isinstance(store, PlainReportsStore)
            else None
        )
        if wrong is not None:
            msg = (
                f"the index row of position {wrong} of timeline {log.name!r} does not match "
                "its record's type or the links that name it (edited behind the store's back); "
                "`timeline upgrade --rebuild` makes the index again from the events"
            )
            raise IntegrityError(msg, position=wrong)
        extra = sorted(set(stored) - set(range(start + 1, stop + 1)))
        if extra:
            msg = f"the index of timeline {log.name!r} holds a row for position {extra[0]}"
            raise IntegrityError(msg, position=extra[0])
        start = stop
    return checked


def _sound(stored: Placement | None, expected: Placement | None) -> bool:
    """Whether a stored placement is the one expected, or unsettled no later."""
    if stored is None or expected is None:
        return stored is expected
    if stored[:3] != expected[:3] or stored.waiting_for != expected.waiting_for:
        return False
    # Latest instants not kept (an older index) read as open: the rules decide then.
    for kept, made in (
        (stored.occurred_hi, expected.occurred_hi),
        (stored.reported_hi, expected.reported_hi),
    ):
        if kept is not None and kept != made:
            return False
    if expected.unsettled_at is None:
        return True
    return stored.unsettled_at is not None and stored.unsettled_at <= expected.unsettled_at


def _check_placements(
    log: EventLog, store: PlainReportsStore, after: int, until: int, relative: list[int]
) -> None:
    """Check the placements kept for positions after `after` up to `until` (`placement`).

    `relative` lists the records there with relative times; those up to the last position
    looked at must have one, as the log stands there, and no other record may.

    Raises:
        IntegrityError: with `.position`, the first that is not what the records give.
    """
    from timeline.errors import IntegrityError  # noqa: PLC0415 - errors import events

    head = store.placing_head(log.name)
    stored = store.index_placements(log.name, after, until)
    placed = [position for position in relative if position <= head]
    expected = dict(_placements(log, store, placed, head))
    for position in sorted(set(stored) | set(expected)):
        if not _sound(stored.get(position), expected.get(position)):
            msg = (
                f"the placed times of position {position} of timeline {log.name!r} do not "
                "match its events (edited behind the store's back); "
                "`timeline upgrade --rebuild` makes the index again from the events"
            )
            raise IntegrityError(msg, position=position)


def events_for(
    log: EventLog, at_us: int | None, known_at_us: int | None, known_by: str | None
) -> Iterable[Event]:
    """Return the events a query must read to answer as a replay of the whole log would.

    Brings the index up to date first (`build`); reads every event when the store keeps none.
    """
    store = log.store
    if not isinstance(store, IndexingStore):
        return log.events()
    build(log)
    if not is_current(log):
        return log.events()
    at = NO_LIMIT if at_us is None else at_us
    known_at = NO_LIMIT if known_at_us is None else known_at_us
    positions = store.index_positions(log.name, at, known_at, viewer=known_by is not None)
    return log.decode_rows(store.read_positions(log.name, positions))
