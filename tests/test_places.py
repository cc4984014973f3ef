"""Places and bounding boxes: validation, name matching, and containment."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import StrikeReported, When
from timeline.errors import InvalidValueError
from timeline.model import Actor, BoundingBox, Place, PlacePrecision
from timeline.serialization import dumps, loads
from timeline.testing.strategies import places

DAY = When.on("2015-09-30", tz="Asia/Damascus")


def test_plain_names_are_read_as_places() -> None:
    """A hand-written event may give places as plain strings."""
    strike = StrikeReported(
        id="s", occurred=DAY, reported=DAY, actor=Actor(id="ru", name="Russia"), places=["Homs"]
    )
    assert strike.places == (Place(name="Homs"),)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"name": " "}, "non-empty"),
        ({"latitude": 91.0, "longitude": 0.0}, "between -90 and 90"),
        ({"latitude": 0.0, "longitude": -180.5}, "between -180 and 180"),
        ({"latitude": float("nan"), "longitude": 0.0}, "between"),
        ({"latitude": True, "longitude": 0.0}, "must be a number"),
        ({"latitude": 34.0}, "both latitude and longitude"),
        ({"admin": ("Homs", "")}, "non-empty"),
        ({"precision": "town"}, "PlacePrecision"),
    ],
)
def test_bad_places_are_refused(changes: dict[str, object], says: str) -> None:
    """A place with a blank name, coordinates out of range or half given is an error."""
    with pytest.raises(InvalidValueError, match=says):
        Place(**{"name": "Homs", **changes})  # type: ignore[arg-type]


def test_a_place_without_a_name_is_refused_in_an_event() -> None:
    """Anything but a Place or a string in places is an error naming the field."""
    with pytest.raises(InvalidValueError, match=r"StrikeReported.places holds 5"):
        StrikeReported(
            id="s", occurred=DAY, reported=DAY, actor=Actor(id="ru", name="Russia"), places=[5]
        )


def test_names_match_the_place_and_its_regions() -> None:
    """A name matches the place's name or an admin region, ignoring case."""
    place = Place(name="Talbiseh", admin=("Homs", "Ar-Rastan"))
    assert place.matches("talbiseh")
    assert place.matches("HOMS")
    assert not place.matches("Hama")
    assert not place.matches(" ")


def test_boxes_contain_places_and_events() -> None:
    """A box holds a place with coordinates inside it; an event when any place is inside."""
    box = BoundingBox(south=34, west=36, north=35, east=37)
    talbiseh = Place(name="Talbiseh", latitude=34.84, longitude=36.73)
    assert talbiseh.within(box)
    assert not Place(name="Talbiseh").within(box)
    assert not Place(name="Aleppo", latitude=36.2, longitude=37.16).within(box)
    strike = StrikeReported(
        id="s",
        occurred=DAY,
        reported=DAY,
        actor=Actor(id="ru", name="Russia"),
        places=("Somewhere", talbiseh),
    )
    assert box.contains(strike)


def test_a_box_may_cross_the_antimeridian() -> None:
    """West greater than east means the box wraps around 180 degrees."""
    box = BoundingBox(south=-20, west=170, north=-10, east=-170)
    assert box.contains_point(-15, 175)
    assert box.contains_point(-15, -175)
    assert not box.contains_point(-15, 0)


def test_an_inverted_box_is_refused() -> None:
    """South north of north is an error."""
    with pytest.raises(InvalidValueError, match="south"):
        BoundingBox(south=10, west=0, north=5, east=1)


@given(place=places())
def test_places_round_trip_through_json(place: Place) -> None:
    """Every generated place survives an event's JSON round trip."""
    strike = StrikeReported(
        id="s", occurred=DAY, reported=DAY, actor=Actor(id="ru", name="Russia"), places=[place]
    )
    assert loads(dumps(strike)) == strike


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_the_whole_world_contains_every_point(latitude: float, longitude: float) -> None:
    """A box of the whole world holds every point."""
    world = BoundingBox(south=-90, west=-180, north=90, east=180)
    assert world.contains(Place(name="p", latitude=latitude, longitude=longitude))


def test_precisions_are_the_four_documented() -> None:
    """Exact site, town, region and country."""
    assert [p.value for p in PlacePrecision] == ["site", "town", "region", "country"]
