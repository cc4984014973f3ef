"""What changed between two results, as readable lines.

Situations and positions compare by their facts and stances; any other frozen attrs result (a
user's own projection's) compares field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from timeline.errors import DiffError
from timeline.labels import text_of
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
_Key = tuple[str, ...]

# Fields of a result that say what was asked, not what was found.
_QUERY_FIELDS = frozenset({"at", "known_at", "known_by"})


def _key(value: Any, index: int) -> str:
    for name in ("id", "talks", "name"):
        key = getattr(value, name, None)
        if isinstance(key, str):
            return key
    proposition = getattr(value, "proposition", None)
    actor = getattr(value, "actor", None)
    if proposition is not None and isinstance(actor, str):
        return f"{actor} on {getattr(proposition, 'id', proposition)}"
    if attrs.has(type(value)):
        first = getattr(value, attrs.fields(type(value))[0].name)
        if isinstance(first, str):
            return first
    return str(index)


def _value_entries(prefix: str, value: object) -> _Entries:
    """Return entries for a value: one per item of a tuple (keyed by id), none for None."""
    if value is None:
        return {}
    if isinstance(value, tuple | list):
        return {
            (prefix, _key(item, index)): (f"{prefix} {_key(item, index)}:", text_of(item), item)
            for index, item in enumerate(value)
        }
    if isinstance(value, Mapping):
        return {
            (prefix, str(key)): (f"{prefix} {key}:", text_of(item), item)
            for key, item in value.items()
        }
    return {(prefix,): (f"{prefix}:", text_of(value), value)}


def _fields_entries(result: Any) -> _Entries:
    entries: _Entries = {}
    for field in attrs.fields(type(result)):
        if field.name not in _QUERY_FIELDS and field.name != "uncertain":
            entries.update(_value_entries(field.name, getattr(result, field.name)))
    return entries


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
        key: _Key = ("dispute", dispute.proposition.id)
        entries[key] = (f"dispute over {dispute.proposition.id!r}:", str(dispute), dispute)
    for statement in situation.statements:
        key = ("statement", statement.id)
        entries[key] = (f"statement {statement.id}:", str(statement), statement)
    for report in situation.general:
        entries["report", report.id] = (f"{report.type} {report.id}:", str(report), report)
    for section in situation.sections:
        result = section.result
        inner = (
            _value_entries(section.name, result)
            if not attrs.has(type(result))
            else {
                (section.name, *key): (f"{section.name}: {entry[0]}", entry[1], entry[2])
                for key, entry in _result_entries(result).items()
            }
        )
        entries.update({("section", *key): entry for key, entry in inner.items()})
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


def _result_entries(result: object) -> _Entries:
    if isinstance(result, Situation):
        return _situation_entries(result)
    if isinstance(result, Positions):
        return _positions_entries(result)
    if attrs.has(type(result)):
        return _fields_entries(result)
    return _value_entries("value", result)


def diff(before: object, after: object) -> Diff:
    """Return what was added, changed and removed from `before` to `after`.

    `before` and `after` are two results of one kind: two situations (user-added sections
    included), two `Positions`, or two frozen attrs results of a user's own projection,
    compared field by field (a tuple field item by item, matched by id where items have one).
    Lines read like ``+ strike s-1 by Russia at 2015-09-30 ...`` and
    ``~ Russia on 'strikes-targeted-isis': supports -> disputes``.

    Raises:
        DiffError: the two results are not of the same attrs class.
    """
    if type(before) is not type(after) or not attrs.has(type(before)):
        msg = (
            "diff compares two results of one kind (two Situations, two Positions, or two "
            f"frozen attrs results of one class), got {type(before).__name__} and "
            f"{type(after).__name__}"
        )
        raise DiffError(msg)
    old, new = _result_entries(before), _result_entries(after)
    added = [Change("+", new[k][0], after=new[k][1]) for k in new if k not in old]
    removed = [Change("-", old[k][0], before=old[k][1]) for k in old if k not in new]
    changed = [
        Change("~", new[k][0].rstrip(":"), old[k][1], new[k][1])
        for k in new
        if k in old and old[k][2] != new[k][2]
    ]
    return Diff(tuple(added), tuple(changed), tuple(removed))
