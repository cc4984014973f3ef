"""How an event type's fields say what they hold: the metadata `timeline.description` reads.

A field's type says most of it (an `Actor` field is a participant); these helpers say the
rest, as attrs field metadata::

    inspector: Actor = attrs.field(metadata=participant("inspector"))
    about: str | None = attrs.field(default=None, metadata=link("about"))

They are importable from `timeline.description`, where the rules are explained.
"""

from __future__ import annotations

import enum
from typing import Final

import attrs

__all__ = [
    "METADATA_KEY",
    "FieldRole",
    "Part",
    "figure",
    "link",
    "nested",
    "participant",
    "place",
    "plain",
    "quote",
]

METADATA_KEY: Final = "timeline"
"""The key of a field's metadata under which its `FieldRole` is kept."""


class Part(enum.Enum):
    """What one field of an event holds."""

    PARTICIPANT = "participant"
    PLACE = "place"
    FIGURE = "figure"
    SOURCE = "source"
    QUOTE = "quote"
    LINK = "link"
    TIME = "time"
    STANCE = "stance"
    EVENT = "event"
    PLAIN = "plain"


@attrs.frozen
class FieldRole:
    """What a field's metadata says it is, overriding what its type says.

    Attributes:
        part: what the field holds.
        role: a participant's role ("speaker", "party"), a link's relation ("retracts",
            "about"), a figure's name ("evacuated"); None: the field's name.
        lead: for a participant, whether the event is about it (None: the default rule).
        to_event: for a link, whether it names another event (False: an id of something
            else, such as the talks several reports refer to).
    """

    part: Part
    role: str | None = None
    lead: bool | None = None
    to_event: bool = True


def _metadata(role: FieldRole) -> dict[str, FieldRole]:
    return {METADATA_KEY: role}


def participant(role: str | None = None, *, lead: bool | None = None) -> dict[str, FieldRole]:
    """Return field metadata marking an `Actor` field as a participant in `role`."""
    return _metadata(FieldRole(Part.PARTICIPANT, role, lead))


def place() -> dict[str, FieldRole]:
    """Return field metadata marking a field as where the event happened."""
    return _metadata(FieldRole(Part.PLACE))


def figure(name: str | None = None) -> dict[str, FieldRole]:
    """Return field metadata marking a count as a figure called `name` (default: the field's)."""
    return _metadata(FieldRole(Part.FIGURE, name))


def quote() -> dict[str, FieldRole]:
    """Return field metadata marking a text field as words quoted from a participant."""
    return _metadata(FieldRole(Part.QUOTE))


def link(relation: str, *, to_event: bool = True) -> dict[str, FieldRole]:
    """Return field metadata marking an id field (or a tuple of ids) as a link `relation`.

    `to_event=False` says the id names something other than an event (the talks that
    announcements, meetings and cancellations share), so it is not an event reference.
    """
    return _metadata(FieldRole(Part.LINK, relation, to_event=to_event))


def nested(relation: str) -> dict[str, FieldRole]:
    """Return field metadata marking a field of events held inside this one (`relation`)."""
    return _metadata(FieldRole(Part.EVENT, relation))


def plain() -> dict[str, FieldRole]:
    """Return field metadata saying a field is shown as it is and means nothing more."""
    return _metadata(FieldRole(Part.PLAIN))
