"""Objects made without attrs' `__init__` (`timeline._building`) are the ones it would make.

Each path that uses the fast builders is run on random values, and every object it made is
compared with the same fields put through the class's own `__init__` (`attrs.evolve`):
equal, with the same hash and repr, field by field of the same types.
"""

from __future__ import annotations

from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests._values import same
from timeline import Event, When
from timeline._building import builder
from timeline.events import event_type_of
from timeline.projections import Fact
from timeline.projections.folding import fold_facts
from timeline.projections.knowledge import Knowledge
from timeline.projections.positions import POSITIONS
from timeline.projections.situation import SITUATION
from timeline.serialization import decode_stored, encode
from timeline.serialization.codec import trusted_decoders
from timeline.testing import strategies as ts
from timeline.when import plain_when


def _as_init_makes(value: Any) -> None:
    """Assert `value` is what the `__init__` of its class makes of its fields."""
    through_init = attrs.evolve(value)
    same(value, through_init)
    assert hash(value) == hash(through_init)
    assert repr(value) == repr(through_init)


def _fields(value: Any) -> list[Any]:
    return [getattr(value, field.name) for field in attrs.fields(type(value))]


def _facts(events: list[Event]) -> list[Fact]:
    knowledge = Knowledge()
    knowledge.add(events)
    return knowledge.view(None, None).facts


values = st.one_of(ts.whens(), ts.actors(), ts.sources(), ts.places(), ts.quantities(), ts.events())


@given(value=values)
def test_a_built_value_is_the_value_its_init_makes(value: Any) -> None:
    """Every field's value, by position or by name, makes the object `__init__` makes."""
    build = builder(type(value))
    _as_init_makes(build(*_fields(value)))
    names = [field.name for field in attrs.fields(type(value))]
    same(build(**dict(zip(names, _fields(value), strict=True))), value)
    assert builder(type(value)) is build  # made once per class


@given(when=ts.whens())
def test_a_plain_when_is_the_when_its_constructor_makes(when: When) -> None:
    """`plain_when` (stored times, read) makes what ``When(...)`` makes of the same fields."""
    built = plain_when(
        when.kind, when.start, when.end, when.precision, when.margin, when.qualifier, when.phrase
    )
    if built is not None:
        _as_init_makes(built)


@given(event=ts.events())
def test_an_event_a_trusted_decoder_makes_is_the_event_init_makes(event: Event) -> None:
    """A stored record decoded the trusted way is the event it was, and its `__init__`'s."""
    decode_trusted = trusted_decoders.get(type(event))
    assert decode_trusted is not None
    decoded = decode_trusted(orjson.loads(encode(event)))
    _as_init_makes(decoded)
    same(decoded, event)
    entry = event_type_of(event)
    same(decode_stored(encode(event), entry.name, entry.version), event)


@settings(max_examples=50, deadline=None)
@given(events=ts.event_logs(max_size=20), cut=st.integers(0, 20))
def test_facts_and_fold_states_are_what_init_makes(events: list[Event], cut: int) -> None:
    """A view's facts, the situation's states and the stances are `__init__`'s objects."""
    facts = _facts(events)
    for fact in facts:
        _as_init_makes(fact)
    for projection in (SITUATION, POSITIONS):
        state = projection.initial()
        for fact in facts[:cut]:
            state = projection.apply(state, fact)
            _as_init_makes(state)
        state = fold_facts(projection, state, facts[cut:])
        _as_init_makes(state)
        stances = state if projection is POSITIONS else state.stances
        _as_init_makes(stances)


def test_a_class_that_is_not_attrs_has_no_builder() -> None:
    """Only attrs classes are built: anything else is refused at once."""
    with pytest.raises(TypeError):
        builder(dict)
    with pytest.raises(TypeError):
        builder(int)
