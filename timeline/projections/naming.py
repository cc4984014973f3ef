"""The names events give actors, and the one rule that picks an actor's display name.

An actor is shown by the name the log gives it, not by its id: the fold of positions
(`timeline.projections.positions.Stances`) applies the rule fact by fact, and the index
(`timeline.indexing`) keeps what each record gives, so that an answer read partly from the
store names actors as a replay does.
"""

from __future__ import annotations

from collections.abc import Iterable

from timeline.events import Event
from timeline.projections.knowledge import Key, participants

__all__ = ["chosen_name", "names_given"]


def names_given(event: Event) -> tuple[tuple[str, bool, str], ...]:
    """Return ``(actor id, own, name)`` for each name `event` gives an actor, in order.

    A participant names itself (``own``); a speaker for another actor
    (`Actor.speaks_for`) gives its principal's name, if it has one. An actor's display name,
    over the facts that count in fold order, is the last name it gave itself, or else the
    first it was given (`chosen_name`).
    """
    found: list[tuple[str, bool, str]] = []
    for actor in participants(event):
        if actor.speaks_for is None:
            found.append((actor.id, True, actor.name))
        elif actor.principal_name is not None:
            found.append((actor.speaks_for, False, actor.principal_name))
    return tuple(found)


def chosen_name(
    own: Iterable[tuple[Key, int, str]], given: Iterable[tuple[Key, int, str]]
) -> str | None:
    """Return an actor's display name from the names it gave itself and was given.

    The rule `timeline.projections.positions.Stances` folds, for names found apart: each as
    ``(key, rank, name)``, the sort key of its fact and its place among the names that fact
    gives (`names_given`). The own name given last wins, else the name given first; None
    when there is none.
    """
    latest = max(own, default=None)
    if latest is not None:
        return latest[2]
    earliest = min(given, default=None)
    return None if earliest is None else earliest[2]
