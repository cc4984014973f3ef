"""Values: actors, sources, propositions, quantities and codes refuse bad input."""

import pytest
from hypothesis import given

from timeline import Actor, ActorKind, Codes, InvalidValueError, Proposition, Quantity, Source
from timeline.testing import strategies as ts


def test_quantity_texts_keep_their_qualifier() -> None:
    """Counts print with the qualifier the report used."""
    assert str(Quantity.about(20)) == "about 20"
    assert str(Quantity.at_least(36)) == "at least 36"
    assert str(Quantity.at_most(5)) == "at most 5"
    assert str(Quantity.between(3, 7)) == "between 3 and 7"
    assert str(Quantity.exactly(4)) == "4"


@given(ts.quantities())
def test_quantity_bounds_are_ordered(q: Quantity) -> None:
    """A quantity's low bound never exceeds its high bound."""
    if q.low is not None and q.high is not None:
        assert q.low <= q.high


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Quantity.at_least(-1), "-1"),
        (lambda: Quantity.between(9, 3), "inverted"),
        (lambda: Quantity.exactly(True), "True"),
        (lambda: Quantity.about(2.5), "2.5"),
        (lambda: Actor(id="", name="Russia"), "Actor.id"),
        (lambda: Actor(id="russia", name="  "), "Actor.name"),
        (lambda: Actor(id="bad id!", name="x"), "bad id!"),
        (lambda: Actor(id="lavrov", name="Lavrov", speaks_for="lavrov"), "itself"),
        (lambda: Source(name=""), "Source.name"),
        (lambda: Proposition(id="p", text=""), "Proposition.text"),
        (lambda: Codes(cameo="air strike"), "air strike"),
        (lambda: Codes(acled="Bombing"), "Bombing"),
        (lambda: Codes(plover="assault"), "assault"),
    ],
)
def test_bad_values_raise_invalid_value_error(build: object, fragment: str) -> None:
    """Each bad value raises InvalidValueError naming the field or the value."""
    with pytest.raises(InvalidValueError, match=fragment.replace("!", "!")):
        build()  # type: ignore[operator]


def test_person_speaks_for_a_state() -> None:
    """A spokesperson's principal is the actor they speak for."""
    lavrov = Actor(id="lavrov", name="Sergei Lavrov", kind=ActorKind.PERSON, speaks_for="russia")
    assert lavrov.principal == "russia"
    assert Actor(id="russia", name="Russia").principal == "russia"
