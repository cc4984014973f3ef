"""The lane codec: values written as tables of integers and columns read back exactly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import orjson
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.model import Actor
from timeline.projections.lane_codec import LaneCodec, LaneReader, LaneWriter, Unwritable
from timeline.projections.persistent import Chain, PMap
from timeline.projections.positions import StanceRecord
from timeline.projections.situation import Casualties, Strike
from timeline.serialization import make_converter
from timeline.testing.strategies import (
    TRICKY_INSTANTS,
    actors,
    instants,
    places,
    quantities,
    sources,
    whens,
)
from timeline.when import When


def _segments(state_type: Any, states: list[Any]) -> tuple[LaneCodec, list[Any]]:
    """Return the codec of `state_type` and `states` written as consecutive segments."""
    codec = LaneCodec(state_type, make_converter())
    writer = LaneWriter(codec)
    return codec, [orjson.loads(orjson.dumps(writer.segment(state))) for state in states]


def _one_by_one(codec: LaneCodec, bodies: list[Any]) -> tuple[LaneReader, list[Any]]:
    """Read segments back one at a time: the reader and each segment's state."""
    reader = LaneReader(codec)
    found = []
    for body in bodies:
        reader.add(body)
        found.append(reader.state(body["state"]))
    return reader, found


def _round_trip(state_type: Any, states: list[Any]) -> list[Any]:
    """Write `states` as consecutive segments, read each segment's state back."""
    return _one_by_one(*_segments(state_type, states))[1]


def _same_instant(a: dt.datetime, b: dt.datetime) -> bool:
    return (
        type(a) is type(b)
        and a.isoformat() == b.isoformat()
        and a.fold == b.fold
        and a.timestamp() == b.timestamp()
        and getattr(a.tzinfo, "name", None) == getattr(b.tzinfo, "name", None)
    )


fixed = st.builds(
    lambda local, minutes: pendulum.instance(local, tz=pendulum.FixedTimezone(minutes * 60)),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2040, 1, 1)),
    st.integers(-14 * 60, 14 * 60),
)


@settings(max_examples=50, deadline=None)
@given(values=st.lists(instants() | fixed, max_size=8))
def test_instants_written_as_integers_come_back_in_their_zone_and_fold(
    values: list[pendulum.DateTime],
) -> None:
    """Wall time, fold, zone and instant survive, in DST folds and gaps and fixed offsets."""
    (back,) = _round_trip(tuple[pendulum.DateTime, ...], [tuple(values)])
    assert len(back) == len(values)
    assert all(_same_instant(a, b) for a, b in zip(values, back, strict=True))


def test_the_second_wall_time_of_a_fall_back_hour_stays_the_second() -> None:
    """Each DST edge the strategies know comes back as itself, fold included."""
    values = tuple(
        pendulum.instance(local.replace(fold=fold), tz=zone)
        for zone, local, fold in TRICKY_INSTANTS
    )
    (back,) = _round_trip(tuple[pendulum.DateTime, ...], [values])
    assert all(_same_instant(a, b) for a, b in zip(values, back, strict=True))


def _strike(draw: st.DrawFn, index: int) -> Strike:
    return Strike(
        f"e-{index}",
        draw(st.none() | actors()),
        draw(whens()),
        tuple(draw(st.lists(places(), max_size=2))),
        draw(st.none() | quantities()),
        tuple(draw(st.lists(st.text(max_size=5), max_size=2))),
        tuple(draw(st.lists(sources(), max_size=2))),
    )


@attrs.frozen
class _State:
    strikes: Chain[Strike]
    casualties: Chain[Casualties]
    book: PMap[str, tuple[StanceRecord, Chain[StanceRecord]]]
    last: When | None


@st.composite
def _states(draw: st.DrawFn) -> list[_State]:
    """Consecutive states of a fold: chains grow, sometimes branch, values repeat."""
    count = draw(st.integers(1, 5))
    strikes: Chain[Strike] = Chain()
    states = []
    for j in range(count):
        for k in range(draw(st.integers(0, 3))):
            strikes = strikes.append(_strike(draw, 10 * j + k))
        if draw(st.booleans()) and len(strikes):
            strikes.append(_strike(draw, 999))  # a branch: another chain grew the list
        states.append(_State(strikes, Chain(), PMap(), draw(st.none() | whens())))
    return states


@settings(max_examples=100, deadline=None)
@given(states=_states())
def test_states_come_back_equal_segment_after_segment(states: list[_State]) -> None:
    """Every segment's state reads back equal, with its values' exact types and zones."""
    back = _round_trip(_State, states)
    for read, written in zip(back, states, strict=True):
        assert read.strikes.to_tuple() == written.strikes.to_tuple()
        assert (read.book, read.last) == (written.book, written.last)
        for a, b in zip(read.strikes, written.strikes, strict=True):
            assert type(a.occurred) is When
            if b.occurred.start is not None:
                assert a.occurred.start is not None
                assert _same_instant(a.occurred.start, b.occurred.start)


@settings(max_examples=100, deadline=None)
@given(states=_states(), data=st.data())
def test_segments_decoded_together_equal_segments_decoded_one_by_one(
    states: list[_State], data: st.DataObject
) -> None:
    """Decoding several segments' tables in one pass (as a stored answer does) changes nothing.

    The reference reads one segment at a time; the batched reader takes random runs of them.
    """
    codec, bodies = _segments(_State, states)
    one_by_one, reference = _one_by_one(codec, bodies)
    reader = LaneReader(codec)
    start = 0
    while start < len(bodies):
        stop = data.draw(st.integers(start + 1, len(bodies)))
        reader.add_many(bodies[start:stop])
        start = stop
    assert reader.tables == one_by_one.tables
    for body, expected in zip(bodies, reference, strict=True):
        read = reader.state(body["state"])
        assert read.strikes.to_tuple() == expected.strikes.to_tuple()
        assert (read.book, read.last) == (expected.book, expected.last)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_generated_entry_writer_writes_what_each_fields_kind_writes(
    data: st.DataObject,
) -> None:
    """Each attrs table's generated writer equals writing field by field through its kinds."""
    codec = LaneCodec(Chain[Strike], make_converter())
    table: Any = next(t for t in codec.tables if t.name == "Strike")
    strikes = [_strike(data.draw, k) for k in range(data.draw(st.integers(1, 4)))]
    fast, slow = LaneWriter(codec), LaneWriter(codec)
    for strike in strikes:
        reference = [
            kind.enc(slow, getattr(strike, name))
            for name, kind in zip(table.names, table.kinds, strict=True)
        ]
        assert table.entry(fast, strike) == reference


@pytest.mark.parametrize("field", ["id", "targets"])
def test_a_value_of_another_type_than_declared_is_unwritable(field: str) -> None:
    """A field holding what its type does not allow is refused, never written as something else."""
    codec = LaneCodec(Chain[Strike], make_converter())
    table = next(t for t in codec.tables if t.name == "Strike")
    strike = attrs.evolve(Strike("e-1", None, When.on("2015-09-30", tz="UTC")), **{field: object()})
    with pytest.raises(Unwritable):
        table.entry(LaneWriter(codec), strike)


def test_a_column_shorter_than_its_entries_is_refused() -> None:
    """A batch whose column does not hold one value per entry never decodes half the entries."""
    strike = Strike("e-1", None, When.on("2015-09-30", tz="UTC"))
    codec = LaneCodec(Chain[Strike], make_converter())
    body = orjson.loads(orjson.dumps(LaneWriter(codec).segment(Chain[Strike]().append(strike))))
    number = codec.tables.index(next(t for t in codec.tables if t.name == "Strike"))
    for entry in body["tables"]:
        if entry[0] == number:
            _, columns = entry[1]
            columns[0] = [*columns[0], "e-2"] if type(columns[0]) is list else ["e-1", "e-2"]
    with pytest.raises(ValueError, match="e-2"):
        LaneReader(codec).add(body)


def test_chains_read_from_one_pool_share_it_and_a_fold_past_its_end_does_not_change_it() -> None:
    """Appending to a chain read back never changes what later segments read."""
    one = Chain[str]().append("a")
    two = one.append("b")
    codec = LaneCodec(Chain[str], make_converter())
    writer = LaneWriter(codec)
    first, second = writer.segment(one), writer.segment(two)
    reader = LaneReader(codec)
    reader.add(first)
    read_one = reader.state(first["state"])
    read_one.append("x")  # a fold resumed from the first state
    reader.add(second)
    assert reader.state(second["state"]).to_tuple() == ("a", "b")
    assert read_one.to_tuple() == ("a",)


@pytest.mark.parametrize(
    ("state_type", "state"),
    [
        (object, object()),
        (tuple[Any, ...], (object(),)),
        (Actor, attrs.evolve(Actor(id="a", name="A"))),
    ],
)
def test_what_the_codec_cannot_write_is_refused(state_type: Any, state: Any) -> None:
    """An opaque value is refused with Unwritable, never written half."""
    if state_type is Actor:

        @attrs.frozen
        class Sub(Actor):
            pass

        state = Sub(id="a", name="A")
    codec_error = pytest.raises(Unwritable)
    with codec_error:
        _round_trip(state_type, [state])


@settings(max_examples=50, deadline=None)
@given(
    counts=st.dictionaries(st.text(max_size=4), st.integers(-(2**63), 2**63 - 1)),
    times=st.lists(whens(), max_size=3),
    names=st.sets(st.text(max_size=4), max_size=3),
)
def test_mutable_containers_come_back_equal_and_unshared(
    counts: dict[str, int], times: list[When], names: set[str]
) -> None:
    """Dicts, lists and sets in a state are read back as objects of their own, equal."""
    state = (counts, times, names)
    first, second = _round_trip(
        tuple[dict[str, int], list[When], set[str]], [state, (counts, times, names)]
    )
    assert first == state
    assert second == state
    assert first[0] is not second[0]
    assert first[1] is not second[1]
