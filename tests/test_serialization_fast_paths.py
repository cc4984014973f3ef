"""The generated fast paths (lean encoding, trusted decoding) agree with the converter."""

import functools
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests._values import same
from timeline import (
    Actor,
    Correction,
    Event,
    Quantity,
    SerializationError,
    StrikeReported,
    When,
    event_type,
)
from timeline.events import event_type_of
from timeline.serialization import (
    decode,
    decode_stored,
    decode_stored_rows,
    encode,
    unstructure_event,
    upcaster,
)
from timeline.serialization.codec import encoders, trusted_decoders
from timeline.testing import strategies as ts

DAY = When.on("2015-09-30", tz="Asia/Damascus")
EVENTS = st.one_of(ts.events(), ts.user_event_types().flatmap(ts.events_of))


@given(EVENTS)
def test_lean_encoding_gives_the_converters_bytes(event: Event) -> None:
    """`encode` writes exactly the bytes of the converter's document, defaults left out."""
    expected = orjson.dumps(unstructure_event(event), option=orjson.OPT_SORT_KEYS)
    assert encode(event) == expected
    assert encode(event) == expected  # again, from the caches


@given(EVENTS)
def test_trusted_decoding_equals_validated_decoding(event: Event) -> None:
    """A stored payload at the current version decodes to what `decode` gives."""
    payload = encode(event)
    entry = event_type_of(event)
    trusted = decode_stored(payload, entry.name, entry.version)
    same(trusted, decode(payload))
    same(trusted, event)
    assert encode(trusted) == payload


def test_trusted_decoder_is_generated_for_the_built_in_types() -> None:
    """The fast path is really taken for the built-in types."""
    assert trusted_decoders.get(StrikeReported) is not None


_STRIKE_VERSION = event_type_of(StrikeReported).version


def _strike(**changes: Any) -> dict[str, Any]:
    event = StrikeReported(
        id="s-1",
        occurred=DAY,
        reported=DAY,
        actor=Actor(id="russia", name="Russia"),
        places=["Homs"],
    )
    document: dict[str, Any] = orjson.loads(encode(event))
    document.update(changes)
    return document


def test_documents_that_do_not_fit_take_the_validating_path() -> None:
    """Extra keys or wrong JSON types raise what `decode` raises; defaults still apply."""
    for document in (_strike(extra=1), _strike(places="Homs"), _strike(id=5), _strike(places=[1])):
        payload = orjson.dumps(document)
        with pytest.raises(SerializationError) as expected:
            decode(payload)
        with pytest.raises(SerializationError) as got:
            decode_stored(payload, "strike_reported", _STRIKE_VERSION)
        assert str(got.value) == str(expected.value)
    document = _strike(region="Syria")
    del document["region"]  # a field with a default, missing: the default applies
    payload = orjson.dumps(document)
    assert decode_stored(payload, "strike_reported", _STRIKE_VERSION) == decode(payload)
    assert decode(payload).region is None


def test_trusted_records_skip_only_the_event_validators() -> None:
    """What the attrs validators alone would reject is the one thing trusted records skip."""
    payload = orjson.dumps(_strike(id="bad id"))
    with pytest.raises(SerializationError):
        decode(payload)
    assert decode_stored(payload, "strike_reported", _STRIKE_VERSION).id == "bad id"


def test_a_type_mismatch_between_row_and_payload_decodes_the_payload() -> None:
    """The record's type column does not override what the payload says."""
    payload = orjson.dumps(_strike())
    assert decode_stored(payload, "casualties_reported", 2) == decode(payload)
    assert decode_stored(payload, "strike_reported", 3) == decode(payload)


def test_older_versions_are_upcast_and_validated() -> None:
    """A stored older version goes through the upcasters and the validators."""

    @event_type("fastpath.renamed", version=2)
    @attrs.frozen(kw_only=True)
    class Renamed(Event):
        label: str = attrs.field()

        def __attrs_post_init__(self) -> None:
            super().__attrs_post_init__()
            if self.label == "forbidden":
                raise ValueError(self.label)

    @upcaster("fastpath.renamed", from_version=1)
    def _rename(data: dict[str, Any]) -> dict[str, Any]:
        data["label"] = data.pop("name")
        return data

    current = Renamed(id="r-1", occurred=DAY, reported=DAY, label="x")
    old = orjson.loads(encode(current))
    old["v"] = 1
    old["name"] = old.pop("label")
    assert decode_stored(orjson.dumps(old), "fastpath.renamed", 1) == current
    old["name"] = "forbidden"
    with pytest.raises(SerializationError):
        decode_stored(orjson.dumps(old), "fastpath.renamed", 1)
    assert decode_stored(encode(current), "fastpath.renamed", 2) == current


def test_user_types_and_value_subclasses_encode_like_the_converter() -> None:
    """Fields the generator does not know, and subclasses of values, give the same bytes."""

    @attrs.frozen
    class Minister(Actor):
        portfolio: str = "defence"

    @event_type("fastpath.mixed", version=1)
    @attrs.frozen(kw_only=True)
    class Mixed(Event):
        who: Actor = attrs.field()
        maybe: Actor | None = None
        crowd: tuple[Actor, ...] = ()
        counts: dict[str, int] | None = None

    minister = Minister(id="shoigu", name="Sergei Shoigu")
    event = Mixed(
        id="m-1",
        occurred=DAY,
        reported=DAY,
        who=minister,
        maybe=minister,
        crowd=(minister, Actor(id="us", name="United States")),
        counts={"z": 1, "a": 2},
    )
    assert encoders.get(Mixed) is not None  # the generated path, not the converter's
    expected = orjson.dumps(unstructure_event(event), option=orjson.OPT_SORT_KEYS)
    assert encode(event) == expected
    assert encode(event) == expected


def test_values_that_never_repeat_still_encode_after_the_cache_gives_up() -> None:
    """A class whose values are all new stops being cached; documents stay right."""
    strikes = [
        StrikeReported(
            id=f"q-{n}",
            occurred=DAY,
            reported=DAY,
            actor=Actor(id="russia", name="Russia"),
            missions=Quantity.about(n),
        )
        for n in range(3 * 8192)
    ]
    for n, strike in enumerate(strikes):
        assert encode(strike) == orjson.dumps(
            unstructure_event(strike), option=orjson.OPT_SORT_KEYS
        )
        assert orjson.loads(encode(strike))["missions"] == {"kind": "about", "low": n, "high": n}


def _outcome(decoding: Any) -> Any:
    try:
        return ("event", decoding())
    except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
        return ("error", type(exc), str(exc))


_ODD_ROWS = [
    (orjson.dumps(_strike()), "casualties_reported", 2),  # the row's type is not the payload's
    (orjson.dumps(_strike()), "strike_reported", 99),  # a version this program does not know
    (orjson.dumps(_strike(extra=1)), "strike_reported", _STRIKE_VERSION),
    (orjson.dumps(_strike(id="bad id")), "strike_reported", _STRIKE_VERSION),
    (b'{"not json', "strike_reported", _STRIKE_VERSION),
    (b"[1, 2]", "strike_reported", _STRIKE_VERSION),
    (orjson.dumps({**_strike(), "type": "someone_elses"}), "someone_elses", 1),
]


@given(ts.event_logs(max_size=8), st.lists(st.sampled_from(_ODD_ROWS), max_size=4), st.data())
def test_decoding_rows_in_bulk_equals_decoding_each_row(
    events: list[Event], odd: list[tuple[bytes, str, int]], data: st.DataObject
) -> None:
    """`decode_stored_rows` yields what `decode_stored` gives row by row, errors included."""
    rows = [(encode(e), event_type_of(e).name, event_type_of(e).version) for e in events]
    for row in odd:
        rows.insert(data.draw(st.integers(0, len(rows))), row)
    checked: list[tuple[int, int]] = []
    bulk = decode_stored_rows(
        [(n, t, v, p, 7 if n < 3 else 8) for n, (p, t, v) in enumerate(rows, 1)],
        lambda recorded, position: checked.append((recorded, position)),
    )
    for payload, type_name, version in rows:
        expected = _outcome(functools.partial(decode_stored, payload, type_name, version))
        got = _outcome(functools.partial(next, bulk))
        assert got[0] == expected[0]
        if got[0] == "event":
            same(got[1], expected[1])
        else:
            assert got[1:] == expected[1:]
            break  # a generator that raised is finished, as a store's read would be
    else:
        assert checked == [(7, 1), (8, 3)][: min(len(rows), 3) - (len(rows) >= 2)]


def test_documents_with_defaults_left_out_take_the_trusted_path() -> None:
    """A stored record that leaves fields at their defaults out is still decoded the fast way."""
    bare = StrikeReported(id="s-2", occurred=DAY, reported=DAY)
    document = orjson.loads(encode(bare))
    assert set(document) == {"type", "v", "id", "occurred", "reported"}
    decoder = trusted_decoders.get(StrikeReported)
    assert decoder is not None
    same(decoder(document), bare)
    with pytest.raises(Exception):  # noqa: B017, PT011 - any doubt: the caller decodes the validating way
        decoder({**document, "extra": 1})


def _correction(replacement: dict[str, Any], *more: dict[str, Any]) -> bytes:
    """Return the payload of a correction holding the replacement documents given."""
    document: dict[str, Any] = orjson.loads(
        encode(
            Correction(
                id="c-1",
                occurred=DAY,
                reported=DAY,
                corrects="s-1",
                replacement=StrikeReported(id="s-1", occurred=DAY, reported=DAY),
            )
        )
    )
    document["replacement"] = replacement
    if more:
        document["more_replacements"] = list(more)
    return orjson.dumps(document)


def test_a_correction_reads_its_replacements_as_a_record_is_read() -> None:
    """A nested replacement takes the trusted path, or the validating one, as a record does.

    Only the event validators are skipped for a replacement at its type's current version;
    one that does not fit its type raises what `decode` raises, one of an older version is
    upcast and validated, one of a type this program does not define is kept as it is.
    """
    version = event_type_of(Correction).version
    strike = _strike(id="s-1")
    payload = _correction(strike, _strike(id="s-2"))
    same(decode_stored(payload, "correction", version), decode(payload))
    read = decode_stored(payload, "correction", version)
    assert isinstance(read, Correction)
    assert type(read.more_replacements) is tuple
    # Validators alone reject this id: trusted, it is read as stored.
    payload = _correction(_strike(id="bad id"))
    with pytest.raises(SerializationError):
        decode(payload)
    read = decode_stored(payload, "correction", version)
    assert isinstance(read, Correction)
    assert read.replacement.id == "bad id"
    # A replacement that does not fit its type: the error `decode` gives.
    for odd in (_strike(id="s-1", extra=1), _strike(id="s-1", places="Homs")):
        payload = _correction(odd)
        with pytest.raises(SerializationError) as expected:
            decode(payload)
        with pytest.raises(SerializationError) as got:
            decode_stored(payload, "correction", version)
        assert str(got.value) == str(expected.value)
    # An older version of the replacement's type: upcast, as `decode` does.
    older = {**strike, "v": _STRIKE_VERSION - 1} if _STRIKE_VERSION > 1 else None
    for document in (older, {**strike, "type": "elsewhere.kind"}):
        if document is not None:
            payload = _correction(document)
            same(decode_stored(payload, "correction", version), decode(payload))
