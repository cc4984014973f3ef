"""The values reports are made of: who acts, who reports, what is claimed, how many."""

from __future__ import annotations

import enum
import re
from typing import Final

import attrs

from timeline.errors import InvalidValueError

__all__ = [
    "Actor",
    "ActorKind",
    "Codes",
    "Proposition",
    "PropositionKind",
    "Quantity",
    "QuantityKind",
    "Source",
    "SourceKind",
    "Stance",
    "StanceOn",
]

_ID_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")


def check_id(owner: str, field: str, value: object) -> None:
    """Raise `InvalidValueError` unless `value` is a usable identifier."""
    if not isinstance(value, str) or not value:
        msg = f"{owner}.{field} must be a non-empty string, got {value!r}"
        raise InvalidValueError(msg)
    if len(value) > 200 or not _ID_PATTERN.fullmatch(value):
        msg = (
            f"{owner}.{field} {value!r} is not a valid id: use up to 200 letters, digits and "
            "._:/@+- characters, starting with a letter or digit"
        )
        raise InvalidValueError(msg)


def check_text(owner: str, field: str, value: object) -> None:
    """Raise `InvalidValueError` unless `value` is a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        msg = f"{owner}.{field} must be a non-empty string, got {value!r}"
        raise InvalidValueError(msg)


def _id_validator(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(type(instance).__name__, attribute.name, value)


def _optional_id_validator(
    instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None:
        check_id(type(instance).__name__, attribute.name, value)


def _text_validator(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(type(instance).__name__, attribute.name, value)


class ActorKind(enum.Enum):
    """What sort of actor speaks or acts."""

    STATE = "state"
    GOVERNMENT = "government"
    MILITARY = "military"
    ORGANISATION = "organisation"
    ALLIANCE = "alliance"
    ARMED_GROUP = "armed_group"
    PERSON = "person"
    MEDIA = "media"
    CIVIL_SOCIETY = "civil_society"
    OTHER = "other"


@attrs.frozen
class Actor:
    """Who acts or speaks; a person or a body may speak for another actor (`speaks_for`)."""

    id: str = attrs.field(validator=_id_validator)
    name: str = attrs.field(validator=_text_validator)
    kind: ActorKind = attrs.field(
        default=ActorKind.OTHER, validator=attrs.validators.instance_of(ActorKind)
    )
    speaks_for: str | None = attrs.field(default=None, validator=_optional_id_validator)
    role: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.speaks_for == self.id:
            msg = f"Actor {self.id!r} cannot speak for itself"
            raise InvalidValueError(msg)

    @property
    def principal(self) -> str:
        """The id of the actor whose position this actor's words express."""
        return self.speaks_for or self.id


class SourceKind(enum.Enum):
    """What sort of outlet or body a report comes from."""

    MEDIA = "media"
    GOVERNMENT = "government"
    MILITARY = "military"
    OFFICIAL = "official"
    ORGANISATION = "organisation"
    ACTIVISTS = "activists"
    OTHER = "other"


@attrs.frozen
class Source:
    """Where a report comes from: an outlet, a ministry, activists; optionally quoted."""

    name: str = attrs.field(validator=_text_validator)
    kind: SourceKind = attrs.field(
        default=SourceKind.OTHER, validator=attrs.validators.instance_of(SourceKind)
    )
    quote: str | None = None
    url: str | None = None
    actor: str | None = attrs.field(default=None, validator=_optional_id_validator)


class Stance(enum.Enum):
    """An actor's position on a proposition."""

    SUPPORTS = "supports"
    OPPOSES = "opposes"
    DISPUTES = "disputes"
    NEUTRAL = "neutral"
    UNCLEAR = "unclear"


class PropositionKind(enum.Enum):
    """Whether a proposition is a claim of fact or a policy."""

    CLAIM = "claim"
    POLICY = "policy"


@attrs.frozen
class Proposition:
    """A claim or a policy that actors take positions on, with a stable id."""

    id: str = attrs.field(validator=_id_validator)
    text: str = attrs.field(validator=_text_validator)
    kind: PropositionKind = attrs.field(
        default=PropositionKind.CLAIM, validator=attrs.validators.instance_of(PropositionKind)
    )


@attrs.frozen
class StanceOn:
    """A stance taken on one proposition (what a statement expresses)."""

    proposition: Proposition = attrs.field(validator=attrs.validators.instance_of(Proposition))
    stance: Stance = attrs.field(validator=attrs.validators.instance_of(Stance))


class QuantityKind(enum.Enum):
    """How a reported count is qualified."""

    EXACTLY = "exactly"
    ABOUT = "about"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    BETWEEN = "between"


def _count(value: object, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"Quantity.{field} must be a whole number, got {value!r}"
        raise InvalidValueError(msg)
    if value < 0:
        msg = f"Quantity.{field} must not be negative, got {value!r}"
        raise InvalidValueError(msg)
    return value


@attrs.frozen
class Quantity:
    """A count with its qualifier: "about 20 missions", "at least 36 civilians".

    `low` and `high` are the bounds the report allows (`None` for no bound); for "about n"
    both are n and the qualifier says it is approximate.
    """

    kind: QuantityKind
    low: int | None = None
    high: int | None = None

    def __attrs_post_init__(self) -> None:
        low = _count(self.low, "low")
        high = _count(self.high, "high")
        expected_bounds = {
            QuantityKind.EXACTLY: (True, True),
            QuantityKind.ABOUT: (True, True),
            QuantityKind.AT_LEAST: (True, False),
            QuantityKind.AT_MOST: (False, True),
            QuantityKind.BETWEEN: (True, True),
        }[self.kind]
        if (low is not None, high is not None) != expected_bounds:
            msg = f"Quantity {self.kind.value} has bounds low={low!r}, high={high!r}"
            raise InvalidValueError(msg)
        if low is not None and high is not None:
            if low > high:
                msg = f"Quantity between {low} and {high} is inverted (low > high)"
                raise InvalidValueError(msg)
            if self.kind in (QuantityKind.EXACTLY, QuantityKind.ABOUT) and low != high:
                msg = f"Quantity {self.kind.value} needs low == high, got {low} and {high}"
                raise InvalidValueError(msg)

    @classmethod
    def exactly(cls, n: int) -> Quantity:
        """Return exactly `n`."""
        return cls(QuantityKind.EXACTLY, n, n)

    @classmethod
    def about(cls, n: int) -> Quantity:
        """Return about `n`."""
        return cls(QuantityKind.ABOUT, n, n)

    @classmethod
    def at_least(cls, n: int) -> Quantity:
        """Return at least `n`."""
        return cls(QuantityKind.AT_LEAST, n, None)

    @classmethod
    def at_most(cls, n: int) -> Quantity:
        """Return at most `n`."""
        return cls(QuantityKind.AT_MOST, None, n)

    @classmethod
    def between(cls, low: int, high: int) -> Quantity:
        """Return between `low` and `high`, inclusive."""
        return cls(QuantityKind.BETWEEN, low, high)

    def __str__(self) -> str:
        if self.kind is QuantityKind.EXACTLY:
            return str(self.low)
        if self.kind is QuantityKind.ABOUT:
            return f"about {self.low}"
        if self.kind is QuantityKind.AT_LEAST:
            return f"at least {self.low}"
        if self.kind is QuantityKind.AT_MOST:
            return f"at most {self.high}"
        return f"between {self.low} and {self.high}"


@attrs.frozen
class Figure:
    """A named figure a report gives: "about 300 evacuated", "2 firefighters hurt".

    `name` says what is counted ("evacuated", "homes without power"); `quantity` is the count
    with its qualifier.
    """

    name: str = attrs.field(validator=_text_validator)
    quantity: Quantity = attrs.field(validator=attrs.validators.instance_of(Quantity))

    def __str__(self) -> str:
        return f"{self.quantity} {self.name}"


_CAMEO: Final = re.compile(r"^[0-9]{2,4}$")
_PLOVER: Final = re.compile(r"^[A-Z][A-Z_]*$")
ACLED_EVENT_TYPES: Final = frozenset(
    {
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
    }
)


def _check_code(
    name: str, pattern: re.Pattern[str] | frozenset[str], value: str | None, example: str
) -> None:
    if value is None:
        return
    ok = pattern.match(value) is not None if isinstance(pattern, re.Pattern) else value in pattern
    if not ok:
        msg = f"Codes.{name} {value!r} is not a valid {name.upper()} code (for example {example!r})"
        raise InvalidValueError(msg)


@attrs.frozen
class Codes:
    """Optional codes in public event schemes, so output joins other conflict datasets.

    `cameo` is a CAMEO event code (2 to 4 digits, "195" = air strike), `plover` a PLOVER event
    type ("ASSAULT"), `acled` an ACLED event type ("Explosions/Remote violence").
    """

    cameo: str | None = None
    plover: str | None = None
    acled: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_code("cameo", _CAMEO, self.cameo, "195")
        _check_code("plover", _PLOVER, self.plover, "ASSAULT")
        _check_code("acled", ACLED_EVENT_TYPES, self.acled, "Explosions/Remote violence")
