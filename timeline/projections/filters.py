"""Asking for less: filters on event type, actor, place, source, proposition, words; a limit.

The same filters are keyword arguments of `situation`, `positions`, `project` and the queries
of a `TimeMachine`, and options of the `timeline` command, so a program gets from the library
exactly what the command shows::

    situation(log, at=day, types="strike_reported", actors="ru", limit=20)

Every filter takes one value or several: an event passes a filter when it matches any of its
values, and passes the query when it passes every filter given.

- ``types``: event type names (``strike_reported``); an unknown name is an error.
- ``actors``: actor ids; an event matches when an actor in it has that id, or speaks for it
  (a spokesperson's statement matches the principal).
- ``places``: words of a place, case-insensitive (``homs`` matches "Homs province").
- ``bbox``: a `BoundingBox` (or south, west, north, east); an event matches when one of its
  places has coordinates in it.
- ``sources``: words of a source's name, or the id of the actor a source is.
- ``propositions``: proposition ids, each exact or a glob (``*`` any characters, ``?`` one:
  ``strikes-*``); an event matches when it takes a stance on one, and the positions and
  disputes of the result are only those on the propositions asked for (a statement taking
  stances on two propositions shows only its stance on the one asked for).
- ``text``: words that must appear, case-insensitive, in the event's label, id, summary,
  quote, content or places.
- ``limit``: at most this many matching events count, the earliest in valid time (the
  command's ``diff`` and ``export`` apply it to the changes and events they list).

Actors, places, sources and stances are read from the event's description
(`timeline.description`), so an event of a user's type matches exactly as a built-in one
holding the same does. Filters choose among the facts the rules of
`timeline.projections.knowledge` let count (corrections and retractions already applied); the
projection folds only those that pass.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, Generic, TypedDict, TypeVar

import attrs

from timeline import _checks
from timeline.description import describe
from timeline.errors import QueryError
from timeline.events import Event, event_type_of, event_types
from timeline.labels import label
from timeline.model import Actor, BoundingBox
from timeline.projections.folding import fold_facts
from timeline.projections.knowledge import Fact
from timeline.projections.persistent import Chain

if TYPE_CHECKING:
    from timeline.projections.base import Projection, Query

__all__ = [
    "Filter",
    "FilterArgs",
    "Filtered",
    "actors_of",
    "close_matches",
    "is_glob",
    "make_filter",
    "narrow",
]

S = TypeVar("S")
R = TypeVar("R")
T = TypeVar("T")


class FilterArgs(TypedDict, total=False):
    """The filter keywords a projection takes (see the module docs)."""

    types: str | Iterable[str] | None
    actors: str | Iterable[str] | None
    places: str | Iterable[str] | None
    sources: str | Iterable[str] | None
    propositions: str | Iterable[str] | None
    text: str | None
    bbox: BoundingBox | Sequence[float] | None
    limit: int | None


def _values(name: str, value: object, *, fold: bool = False) -> frozenset[str]:
    if value is None:
        return frozenset()
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        msg = f"{name}: expected a string or strings, got {_checks.shown(value)}"
        raise QueryError(msg)
    found: set[str] = set()
    for item in items:
        if not isinstance(item, str) or not item.strip():
            msg = f"{name}: expected non-empty strings, got {_checks.shown(item)}"
            raise QueryError(msg)
        _checks.text(item, f"{name} item", error=QueryError)
        found.add(item.strip().casefold() if fold else item.strip())
    return frozenset(found)


def close_matches(word: str, known: Iterable[str]) -> str:
    """Return "did you mean ..." text for `word` among `known` (empty when none is close)."""
    matches = difflib.get_close_matches(word, sorted(set(known)), n=5, cutoff=0.5)
    return f"; did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""


def _check_types(types: frozenset[str]) -> None:
    known = {kind.name for kind in event_types()}
    for name in sorted(types - known):
        msg = f"types: no event type is named {name!r}{close_matches(name, known)}"
        raise QueryError(msg)


def actors_of(event: Event) -> Iterator[Actor]:
    """Yield every actor an event names: its participants, then its nested events' ones."""
    yield from describe(event).actors(event)


def _places(event: Event) -> list[str]:
    return [place.name.casefold() for place in describe(event).places(event)]


def _text(event: Event) -> str:
    description = describe(event)
    parts = [event.id, label(event), *_places(event), *description.quotes(event)]
    parts += [str(value) for value in (event.summary, getattr(event, "content", None)) if value]
    return " ".join(parts).casefold()


# What each filter asks of an event; a filter not given keeps every event.


def _of_type(f: Filter, event: Event) -> bool:
    return not f.types or event_type_of(event).name in f.types


def _with_actor(f: Filter, event: Event) -> bool:
    return not f.actors or any(
        actor.id in f.actors or actor.principal in f.actors for actor in actors_of(event)
    )


def _at_place(f: Filter, event: Event) -> bool:
    return not f.places or any(word in place for place in _places(event) for word in f.places)


def _in_box(f: Filter, event: Event) -> bool:
    box = f.bbox
    return box is None or any(box.contains(place) for place in describe(event).places(event))


def _from_source(f: Filter, event: Event) -> bool:
    return not f.sources or any(
        word in source.name.casefold() or source.actor == word
        for source in describe(event).sources(event)
        for word in f.sources
    )


def _on_proposition(f: Filter, event: Event) -> bool:
    return not f.propositions or any(
        f.asks_for(stance.proposition.id) for stance in describe(event).stances(event)
    )


def is_glob(pattern: str) -> bool:
    """Whether a filter value is a glob (holds ``*``, ``?`` or ``[``), not an exact id."""
    return any(sign in pattern for sign in "*?[")


def _with_words(f: Filter, event: Event) -> bool:
    return not f.text or all(word in _text(event) for word in f.text.split())


_MAX_TEXT_CHARS: Final = 10_000

_CHECKS: Final = (
    _of_type,
    _with_actor,
    _at_place,
    _in_box,
    _from_source,
    _on_proposition,
    _with_words,
)


@attrs.frozen
class Filter:
    """What to keep (see the module docs); empty fields keep everything."""

    types: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    propositions: frozenset[str] = frozenset()
    text: str | None = None
    bbox: BoundingBox | None = None
    limit: int | None = None

    @property
    def narrows(self) -> bool:
        """Whether any filter is given (other than `limit`)."""
        return bool(
            self.types
            or self.actors
            or self.places
            or self.sources
            or self.propositions
            or self.text
            or self.bbox is not None
        )

    def matches(self, event: Event) -> bool:
        """Whether `event` passes every filter given (`limit` aside).

        Actors, places, sources and stances are those of the event's description
        (`timeline.description`), for a user's types as for the built-in ones.
        """
        return all(check(self, event) for check in _CHECKS)

    def asks_for(self, proposition: str) -> bool:
        """Whether the proposition id is one of `propositions`, or matches one of its globs."""
        return proposition in self.propositions or any(
            fnmatch.fnmatchcase(proposition, pattern)
            for pattern in self.propositions
            if is_glob(pattern)
        )

    def about(self, result: T) -> T:
        """Return `result` keeping only its positions and disputes on the propositions asked.

        A result's ``positions`` and ``disputes`` (those of `Situation` and `Positions`)
        are narrowed; any other result is returned as it is.
        """
        if not self.propositions:
            return result
        changes = {
            name: tuple(item for item in items if self.asks_for(item.proposition.id))
            for name in ("positions", "disputes")
            if isinstance(items := getattr(result, name, None), tuple)
        }
        return attrs.evolve(result, **changes) if changes else result  # type: ignore[misc]

    def take(self, items: Iterable[T]) -> list[T]:
        """Return the first `limit` of `items` (all of them without a limit)."""
        if self.limit is None:
            return list(items)
        found: list[T] = []
        for item in items:
            if len(found) >= self.limit:
                break
            found.append(item)
        return found

    def select(self, events: Iterable[Event]) -> list[Event]:
        """Return the events that pass, at most `limit` of them, in the order given."""
        return self.take(event for event in events if self.matches(event))


def _bbox(value: object) -> BoundingBox | None:
    if value is None or isinstance(value, BoundingBox):
        return value
    if isinstance(value, str):
        value = value.split(",")
    try:
        edges = [float(edge) if isinstance(edge, str) else edge for edge in value]  # type: ignore[attr-defined]
        south, west, north, east = edges
        return BoundingBox(south=south, west=west, north=north, east=east)
    except (TypeError, ValueError) as exc:
        msg = (
            f"bbox: expected a BoundingBox or four numbers south, west, north, east, "
            f"got {_checks.shown(value)} ({exc})"
        )
        raise QueryError(msg) from None


def make_filter(**filters: Any) -> Filter | None:
    """Return the `Filter` the keyword arguments ask for, or None when they ask for nothing.

    Raises:
        QueryError: an unknown keyword, a value that is not a string or strings, an unknown
            event type, or a `limit` that is not a whole number >= 0.
    """
    unknown = sorted(set(filters) - set(FilterArgs.__annotations__))
    if unknown:
        msg = f"unknown filter {unknown[0]!r}; choose from {', '.join(FilterArgs.__annotations__)}"
        raise QueryError(msg)
    limit = filters.get("limit")
    if limit is not None:
        _checks.integer(limit, "limit", low=0, high=_checks.MAX_WHOLE, error=QueryError)
    text = filters.get("text")
    if text is not None:
        if not isinstance(text, str) or not text.strip():
            msg = f"text: expected non-empty words, got {_checks.shown(text)}"
            raise QueryError(msg)
        _checks.text(text, "text", max_chars=_MAX_TEXT_CHARS, error=QueryError)
    found = Filter(
        bbox=_bbox(filters.get("bbox")),
        types=_values("types", filters.get("types")),
        actors=_values("actors", filters.get("actors")),
        places=_values("places", filters.get("places"), fold=True),
        sources=_values("sources", filters.get("sources"), fold=True),
        propositions=_values("propositions", filters.get("propositions")),
        text=None if text is None else text.casefold(),
        limit=limit,
    )
    _check_types(found.types)
    if not found.narrows and found.limit is None:
        return None
    return found


@attrs.frozen
class Filtered(Generic[S, R]):
    """A projection that folds only the facts a `Filter` keeps.

    Its state is the inner state, how many facts passed, and their ids (so that a result's
    `uncertain` names only events it shows). It compares equal to another wrapping an equal
    projection with an equal filter, so a `TimeMachine` keeps checkpoints for it.
    """

    projection: Projection[S, R]
    filter: Filter

    def initial(self) -> tuple[S, int, Chain[str]]:
        """Return the inner projection's initial state, with no fact passed yet."""
        return self.projection.initial(), 0, Chain[str]()

    def apply(self, state: tuple[S, int, Chain[str]], fact: Fact) -> tuple[S, int, Chain[str]]:
        """Fold `fact` into the inner state if it passes and the limit is not reached."""
        inner, count, ids = state
        limit = self.filter.limit
        if (limit is not None and count >= limit) or not self.filter.matches(fact.event):
            return state
        return self.projection.apply(inner, fact), count + 1, ids.append(fact.id)

    def apply_many(
        self, state: tuple[S, int, Chain[str]], facts: Iterable[Fact]
    ) -> tuple[S, int, Chain[str]]:
        """Fold the facts that pass, up to the limit, into the inner state in one call."""
        inner, count, ids = state
        limit, matches = self.filter.limit, self.filter.matches
        passed: list[Fact] = []
        for fact in facts:
            if limit is not None and count + len(passed) >= limit:
                break
            if matches(fact.event):
                passed.append(fact)
        if not passed:
            return state
        inner = fold_facts(self.projection, inner, passed)
        return inner, count + len(passed), ids.extend([fact.id for fact in passed])

    def finish(self, state: tuple[S, int, Chain[str]], query: Query) -> R:
        """Return the inner result, its `uncertain` limited to the facts that passed."""
        inner, _, ids = state
        kept = query.uncertain.intersection(ids)
        return self.filter.about(self.projection.finish(inner, attrs.evolve(query, uncertain=kept)))


def narrow(projection: Projection[S, R], filters: FilterArgs) -> Projection[Any, R]:
    """Return `projection` wrapped in `Filtered` when `filters` ask for anything."""
    found = make_filter(**filters)
    return projection if found is None else Filtered(projection, found)
