"""The values reports are made of: who acts, who reports, what is claimed, how many."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from typing import Final

import attrs

from timeline import _checks
from timeline.errors import InvalidValueError

__all__ = [
    "Actor",
    "ActorKind",
    "BoundingBox",
    "Codes",
    "Place",
    "PlacePrecision",
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
    name = f"{owner}.{field}"
    text = _checks.text(value, name, blank=False)
    if len(text) > 200 or not _ID_PATTERN.fullmatch(text):
        msg = (
            f"{name} {_checks.shown(text)} is not a valid id: use up to 200 letters, digits "
            "and ._:/@+- characters, starting with a letter or digit"
        )
        raise InvalidValueError(msg)


def check_text(owner: str, field: str, value: object) -> None:
    """Raise `InvalidValueError` unless `value` is a non-blank string UTF-8 can encode."""
    _checks.text(value, f"{owner}.{field}", blank=False)


instance_of: Final = _checks.instance_of
"""An attrs validator: the value is of a class (public for the event modules)."""


def _id_validator(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(type(instance).__name__, attribute.name, value)


def _optional_id_validator(
    instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None:
        check_id(type(instance).__name__, attribute.name, value)


def _text_validator(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(type(instance).__name__, attribute.name, value)


def _optional_text_validator(
    instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None:
        check_text(type(instance).__name__, attribute.name, value)


optional_free_text: Final = _checks.text_field(optional=True)
"""An attrs validator of an optional text that may be blank (a role, a quote, a summary)."""


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
    kind: ActorKind = attrs.field(default=ActorKind.OTHER, validator=instance_of(ActorKind))
    speaks_for: str | None = attrs.field(default=None, validator=_optional_id_validator)
    role: str | None = attrs.field(default=None, validator=optional_free_text)
    # The display name of the actor spoken for, so a principal that never acts in the log
    # itself still has a name ("France", not "france"). Left out of stored documents when
    # None, so records written before it existed read, and encode, exactly as they did.
    principal_name: str | None = attrs.field(default=None, validator=_optional_text_validator)

    def __attrs_post_init__(self) -> None:
        if self.speaks_for == self.id:
            msg = f"Actor {self.id!r} cannot speak for itself"
            raise InvalidValueError(msg)
        if self.principal_name is not None and self.speaks_for is None:
            msg = f"Actor {self.id!r} has a principal_name but speaks for no one"
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
    kind: SourceKind = attrs.field(default=SourceKind.OTHER, validator=instance_of(SourceKind))
    quote: str | None = attrs.field(default=None, validator=optional_free_text)
    url: str | None = attrs.field(default=None, validator=optional_free_text)
    actor: str | None = attrs.field(default=None, validator=_optional_id_validator)


class Stance(enum.Enum):
    """An actor's position on a proposition."""

    SUPPORTS = "supports"
    OPPOSES = "opposes"
    DISPUTES = "disputes"
    NEUTRAL = "neutral"
    UNCLEAR = "unclear"
    WITHDRAWN = "withdrawn"
    """The actor took back what it had said (a `Withdrawal`) and holds no stance it said before.

    Only positions hold it; a statement expresses one of the other stances.
    """


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
        default=PropositionKind.CLAIM, validator=instance_of(PropositionKind)
    )


@attrs.frozen
class StanceOn:
    """A stance taken on one proposition (what a statement expresses)."""

    proposition: Proposition = attrs.field(validator=instance_of(Proposition))
    stance: Stance = attrs.field(validator=instance_of(Stance))

    @stance.validator
    def _said(self, attribute: attrs.Attribute[Stance], value: Stance) -> None:
        if value is Stance.WITHDRAWN:
            msg = (
                f"a statement cannot express the stance {value.value!r} on "
                f"{self.proposition.id!r}: say it with a Withdrawal of the statement"
            )
            raise InvalidValueError(msg)


class QuantityKind(enum.Enum):
    """How a reported count is qualified."""

    EXACTLY = "exactly"
    ABOUT = "about"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    BETWEEN = "between"


def _count(value: object, field: str) -> int | None:
    return (
        None
        if value is None
        else _checks.integer(value, f"Quantity.{field}", low=0, high=_checks.MAX_WHOLE)
    )


@attrs.frozen
class Quantity:
    """A count with its qualifier: "about 20 missions", "at least 36 civilians".

    `low` and `high` are the bounds the report allows (`None` for no bound); for "about n"
    both are n and the qualifier says it is approximate.
    """

    kind: QuantityKind = attrs.field(validator=instance_of(QuantityKind))
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
    quantity: Quantity = attrs.field(validator=instance_of(Quantity))

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
    _checks.text(value, f"Codes.{name}")
    ok = pattern.match(value) is not None if isinstance(pattern, re.Pattern) else value in pattern
    if not ok:
        msg = (
            f"Codes.{name} {_checks.shown(value)} is not a valid {name.upper()} code "
            f"(for example {example!r})"
        )
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


# -- places ----------------------------------------------------------------------------------


class PlacePrecision(enum.Enum):
    """How closely a place's coordinates pin down where something happened."""

    SITE = "site"
    """The exact site (a building, a checkpoint, a village centre known to be the place)."""
    TOWN = "town"
    """A town or city: the coordinates are its centre."""
    REGION = "region"
    """An administrative region (a province, a district): the coordinates are its centroid."""
    COUNTRY = "country"
    """Only the country is known: the coordinates are its centroid."""


def _number(value: object, field: str, limit: float) -> float:
    return _checks.number(value, field, low=-limit, high=limit)


def _latitude(value: object) -> float | None:
    return None if value is None else _number(value, "Place.latitude", 90)


def _longitude(value: object) -> float | None:
    return None if value is None else _number(value, "Place.longitude", 180)


def _edge_latitude(value: object) -> float:
    return _number(value, "BoundingBox south/north", 90)


def _edge_longitude(value: object) -> float:
    return _number(value, "BoundingBox west/east", 180)


def _admin_validator(
    instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: object
) -> None:
    if not isinstance(value, tuple):
        msg = f"Place.{attribute.name} must be a tuple of names, got {_checks.shown(value)}"
        raise InvalidValueError(msg)
    for item in value:
        check_text("Place", attribute.name, item)


def _precision_validator(
    instance: object, attribute: attrs.Attribute[PlacePrecision | None], value: object
) -> None:
    if value is not None and not isinstance(value, PlacePrecision):
        msg = f"Place.{attribute.name} must be a PlacePrecision or None, got {_checks.shown(value)}"
        raise InvalidValueError(msg)


def _admin_tuple(value: object) -> object:
    if isinstance(value, list):
        return tuple(value)
    return value


@attrs.frozen
class Place:
    """Where something happened: a name, and what a gazetteer knows of it.

    Attributes:
        name: the place as the report names it ("Talbiseh", "Homs Governorate").
        country: the country code the source uses (GDELT gives FIPS 10-4 codes such as
            "SY"; ACLED an ISO 3166-1 numeric code such as "760").
        admin: the administrative regions it lies in, broadest first ("Homs", "Ar-Rastan").
        latitude: degrees north (-90 to 90), with `longitude`, or neither.
        longitude: degrees east (-180 to 180).
        geonames: the GeoNames (or GNS) feature id.
        gdelt_feature: GDELT's feature id (a GNS/GNIS id or an ADM1 code such as "SY11").
        precision: how closely the coordinates pin it down (exact site, town, region, country).

    A plain string where a place is due is read as `Place(name=...)`.
    """

    name: str = attrs.field(validator=_text_validator)
    country: str | None = attrs.field(default=None, validator=_optional_text_validator)
    admin: tuple[str, ...] = attrs.field(
        default=(), converter=_admin_tuple, validator=_admin_validator
    )
    latitude: float | None = attrs.field(default=None, converter=_latitude)
    longitude: float | None = attrs.field(default=None, converter=_longitude)
    geonames: str | None = attrs.field(default=None, validator=_optional_text_validator)
    gdelt_feature: str | None = attrs.field(default=None, validator=_optional_text_validator)
    precision: PlacePrecision | None = attrs.field(default=None, validator=_precision_validator)

    def __attrs_post_init__(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            msg = f"Place {self.name!r} needs both latitude and longitude, or neither"
            raise InvalidValueError(msg)

    def __str__(self) -> str:
        return self.name

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """Return ``(latitude, longitude)``, or None when the place has no coordinates."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    def matches(self, name: str) -> bool:
        """Whether `name` is this place's name or one of its admin regions (case-insensitive)."""
        wanted = name.strip().casefold()
        return bool(wanted) and any(
            wanted == candidate.casefold() for candidate in (self.name, *self.admin)
        )

    def within(self, box: BoundingBox) -> bool:
        """Whether this place's coordinates lie in `box` (a place without them never does)."""
        return box.contains(self)


def as_place(value: object) -> object:
    """Return a `Place` for a plain string (its name); anything else is returned as given."""
    if isinstance(value, str):
        return Place(name=value)
    return value


def as_places(value: object) -> object:
    """Return a tuple of `Place`s from an iterable of places or plain names."""
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(as_place(item) for item in value)
    return value


@attrs.frozen
class BoundingBox:
    """A box of latitude and longitude: south to north, west to east, edges included.

    A box whose `west` is greater than its `east` crosses the antimeridian (170 to -170
    holds 175 and -175).
    """

    south: float = attrs.field(converter=_edge_latitude)
    west: float = attrs.field(converter=_edge_longitude)
    north: float = attrs.field(converter=_edge_latitude)
    east: float = attrs.field(converter=_edge_longitude)

    def __attrs_post_init__(self) -> None:
        if self.south > self.north:
            msg = f"BoundingBox south {self.south:g} is north of its north {self.north:g}"
            raise InvalidValueError(msg)

    def contains_point(self, latitude: float, longitude: float) -> bool:
        """Whether the point lies in the box."""
        if not self.south <= latitude <= self.north:
            return False
        if self.west <= self.east:
            return self.west <= longitude <= self.east
        return longitude >= self.west or longitude <= self.east

    def contains(self, item: Place | object) -> bool:
        """Whether a place, or any place of an event (its ``places``), lies in the box."""
        if isinstance(item, Place):
            point = item.coordinates
            return point is not None and self.contains_point(*point)
        places: Iterable[object] = getattr(item, "places", ())
        return any(isinstance(place, Place) and self.contains(place) for place in places)


def places_named(item: object, name: str) -> bool:
    """Whether an event (anything with ``places``) has a place matching `name`."""
    places: Iterable[object] = getattr(item, "places", ())
    return any(isinstance(place, Place) and place.matches(name) for place in places)
