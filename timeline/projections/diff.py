"""What changed between two situations or two sets of positions, as readable lines."""

from __future__ import annotations

from typing import Any

import attrs

from timeline.errors import DiffError
from timeline.projections.positions import Positions
from timeline.projections.situation import Situation

__all__ = ["Change", "Diff", "diff"]


@attrs.frozen
class Change:
    """One added (``+``), removed (``-``) or changed (``~``) fact or stance."""

    sign: str
    subject: str
    before: str | None = None
    after: str | None = None

    def __str__(self) -> str:
        if self.sign == "~":
            return f"~ {self.subject}: {self.before} -> {self.after}"
        text = self.after if self.sign == "+" else self.before
        return f"{self.sign} {self.subject} {text}"


@attrs.frozen
class Diff:
    """The changes from one result to another; `str()` gives one line per change."""

    added: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        return "\n".join(str(change) for change in (*self.added, *self.changed, *self.removed))


# An entry: the subject of a line, a short text of the item, and the item to compare.
_Entries = dict[tuple[str, ...], tuple[str, str, Any]]


def _situation_entries(situation: Situation) -> _Entries:
    entries: _Entries = {}
    for strike in situation.strikes:
        entries["strike", strike.id] = (f"strike {strike.id}", str(strike), strike)
    for item in situation.casualties:
        entries["casualties", item.id] = (f"casualties {item.id}:", str(item), item)
    for talks in situation.talks:
        entries["talks", talks.talks] = (f"talks {talks.talks}:", str(talks), talks)
    for note in situation.notifications:
        entries["notification", note.id] = (f"notification {note.id}:", str(note), note)
    for dispute in situation.disputes:
        key = ("dispute", dispute.proposition.id)
        entries[key] = (f"dispute over {dispute.proposition.id!r}:", str(dispute), dispute)
    return entries


def _positions_entries(positions: Positions) -> _Entries:
    return {
        (p.actor, p.proposition.id): (
            f"{p.name} on {p.proposition.id!r}:",
            p.stance.value,
            (p.stance, p.statement),
        )
        for p in positions.positions
    }


def diff(before: Situation | Positions, after: Situation | Positions) -> Diff:
    """Return what was added, changed and removed from `before` to `after`.

    Lines read like ``+ strike s-1 by Russia at 2015-09-30 ...`` and
    ``~ Russia on 'strikes-targeted-isis': supports -> disputes``.

    Raises:
        DiffError: the two results are not both situations or both positions.
    """
    if isinstance(before, Situation) and isinstance(after, Situation):
        old, new = _situation_entries(before), _situation_entries(after)
    elif isinstance(before, Positions) and isinstance(after, Positions):
        old, new = _positions_entries(before), _positions_entries(after)
    else:
        msg = (
            "diff compares two Situations or two Positions, got "
            f"{type(before).__name__} and {type(after).__name__}"
        )
        raise DiffError(msg)
    added = [Change("+", new[k][0], after=new[k][1]) for k in new if k not in old]
    removed = [Change("-", old[k][0], before=old[k][1]) for k in old if k not in new]
    changed = [
        Change("~", new[k][0].rstrip(":"), old[k][1], new[k][1])
        for k in new
        if k in old and old[k][2] != new[k][2]
    ]
    return Diff(tuple(added), tuple(changed), tuple(removed))
