"""Stored documents leave out every field at its default; documents that wrote it still read.

The rule holds for events and every value they hold, on every encoding path; a document
written before it (every field written out, nulls and empty lists included) decodes to the
same event, and re-appending that event where such a document is stored adds nothing.
"""

from __future__ import annotations

from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests._values import same
from timeline import DuplicateEventError, Event, UnknownEvent, When
from timeline.events import event_type_of
from timeline.log import open_log
from timeline.serialization import decode, encode, unstructure
from timeline.serialization.codec import same_event
from timeline.stores.base import StoredEvent
from timeline.testing import strategies as ts

EVENTS = st.one_of(ts.events(), ts.user_event_types().flatmap(ts.events_of))


def _default(field: attrs.Attribute[Any]) -> Any:
    default = field.default
    if default is attrs.NOTHING or field.converter is None:
        return default
    return field.converter(default)


def _at_default(value: object, field: attrs.Attribute[Any]) -> bool:
    default = _default(field)
    return default is not attrs.NOTHING and bool(value == default)


def _check_left_out(value: object, document: object) -> None:
    # Walk a value and its document side by side: a key is there iff its field is not at
    # its default, at every level (the event, its values, a correction's replacements).
    if isinstance(value, tuple) and isinstance(document, list):
        for item, part in zip(value, document, strict=True):
            _check_left_out(item, part)
    elif attrs.has(type(value)) and isinstance(document, dict):
        for field in attrs.fields(type(value)):
            held = getattr(value, field.name)
            assert (field.name in document) is not _at_default(held, field), field.name
            if field.name in document:
                _check_left_out(held, document[field.name])


def _every_field(value: object, document: object) -> object:
    # The document as the release before the rule wrote it: every field of an event and of
    # its values written out (a `When` already left its defaults out).
    if isinstance(value, tuple) and isinstance(document, list):
        return [_every_field(item, part) for item, part in zip(value, document, strict=True)]
    if attrs.has(type(value)) and isinstance(document, dict) and not isinstance(value, When):
        full = dict(document)
        for field in attrs.fields(type(value)):
            held = getattr(value, field.name)
            full[field.name] = (
                _every_field(held, document[field.name])
                if field.name in document
                else unstructure(held)
            )
        return full
    return document


@given(EVENTS)
def test_no_stored_key_holds_its_fields_default(event: Event) -> None:
    """An encoded event has a key for exactly the fields, at any depth, not at their default."""
    _check_left_out(event, orjson.loads(encode(event)))


@given(EVENTS)
def test_documents_that_write_every_field_read_as_the_same_event(event: Event) -> None:
    """A document with every field written out decodes to the event and encodes as today."""
    if isinstance(event, UnknownEvent):
        return
    payload = encode(event)
    full = orjson.dumps(_every_field(event, orjson.loads(payload)), option=orjson.OPT_SORT_KEYS)
    assert len(full) >= len(payload)
    read = decode(full)
    same(read, event)
    assert encode(read) == payload
    entry = event_type_of(event)
    assert same_event((entry.name, entry.version, full), (entry.name, entry.version, payload))


@given(EVENTS, st.text(min_size=1, max_size=5))
def test_other_content_is_never_the_same_event(event: Event, extra: str) -> None:
    """An event whose content differs is not the same event, whatever code stored either."""
    if isinstance(event, UnknownEvent):
        return
    other = attrs.evolve(event, summary=(event.summary or "") + extra)
    entry = event_type_of(event)
    full = orjson.dumps(_every_field(event, orjson.loads(encode(event))))
    assert not same_event(
        (entry.name, entry.version, full), (entry.name, entry.version, encode(other))
    )
    assert not same_event(("other_type", entry.version, full), (entry.name, entry.version, full))


@given(EVENTS)
def test_reappending_over_a_record_that_wrote_every_field_stores_nothing(event: Event) -> None:
    """A log holding the every-field record returns it for the event, and refuses other content."""
    if isinstance(event, UnknownEvent):
        return
    entry = event_type_of(event)
    full = orjson.dumps(_every_field(event, orjson.loads(encode(event))))
    with open_log("memory://") as log:
        [stored] = log.store.append(
            log.name,
            [StoredEvent(event.id, entry.name, entry.version, full)],
            expected_version=None,
            recorded_at_us=0,
        )
        [again] = log.append(event, expected_version=0)  # a pure retry: the version is not checked
        assert (again.position, again.hash, again.payload) == (1, stored.hash, full)
        assert log.version == 1
        with pytest.raises(DuplicateEventError, match=repr(event.id)):
            log.append(attrs.evolve(event, summary=(event.summary or "") + "!"))
        assert log.verify() == 1
