"""The trusted builder of stored `When` documents agrees with the validating converter.

`decode_stored` builds the `When`s of a stored record through `trusted_when` (and
`plain_when`), which check a document's keys, JSON types and the time's rules themselves
instead of running the converter's hooks and attrs' `__init__`. The reference here is the
slow, obviously correct path: the converter's `structure`, with every cache off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import orjson
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests._values import same
from timeline import SerializationError, StrikeReported, When, caches
from timeline.errors import TimelineError
from timeline.events import event_type_of
from timeline.serialization import (
    decode,
    decode_stored,
    encode,
    format_instant,
    structure,
    unstructure,
)
from timeline.serialization.conversion import trusted_when
from timeline.testing import strategies as ts
from timeline.when import Precision, Qualifier, WhenKind, plain_when

_STRIKE = event_type_of(StrikeReported)
_FIELDS = [field.name for field in attrs.fields(When)]
_DELETE = object()


def _reference(document: object) -> When | None:
    """Return the `When` the converter makes of `document`, uncached (None: it refuses)."""
    with caches.disabled():
        try:
            return structure(document, When)
        except SerializationError:
            return None


def _trusted(document: object) -> When | None:
    """Return what the trusted builder makes (a library error counts as None)."""
    try:
        return trusted_when(document)
    except TimelineError:
        return None


@given(ts.whens(anchors=ts.ids()))
def test_the_trusted_builder_equals_the_validating_path(when: When) -> None:
    """Every stored plain time is built by the fast path, equal field for field to `decode`'s."""
    document = unstructure(when)
    expected = _reference(document)
    assert expected is not None
    built = _trusted(document)
    if when.kind is WhenKind.RELATIVE:
        assert built is None  # relative times are left to the converter
    else:
        assert built is not None
        same(built, expected)
        same(built, when)


_INSTANT_TEXTS = [
    "2015-09-30T00:00:00+03:00[Asia/Damascus]",
    "2015-09-29T00:00:00+00:00[UTC]",
    "2015-10-01T00:00:00+00:00[UTC]",
    "2015-09-30T00:00:00+03:00[Europe/Kiev]",
    "2015-09-30T00:00:00+02:00[Europe/Kiev]",
    "2015-09-30T00:00:00+03:00",
    "2015-09-30T00:00:00",
    "2015-09-30 00:00:00+00:00[UTC]",
    "2015-09-30T00:00:00+00:00[Mars/Olympus]",
    "2015-09-30T00:00:00+00:00[UTC",
]
_TEXTS = st.sampled_from(
    [
        "exact",
        "period",
        "interval",
        "about",
        "relative",
        "day",
        "instant",
        "hour",
        "~",
        "?",
        "",
        "PT1H",
        "-PT1H",
        "P1D",
        "PT0S",
        "P1M",
        "soon",
        "known",
        "open",
        "e-1",
        *_INSTANT_TEXTS,
    ]
)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXTS,
    st.text(max_size=3),
    st.lists(st.integers(0, 2), max_size=2),
    st.dictionaries(st.sampled_from(["kind", "x"]), st.integers(0, 2), max_size=1),
)
# For each key, values a stored time could almost have (a negative margin, an old zone name,
# an end before the start), so that edits that nearly fit are drawn often.
_NEAR: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from([kind.value for kind in WhenKind] + ["Exact"]),
    "start": st.sampled_from(_INSTANT_TEXTS) | ts.instants().map(format_instant),
    "end": st.sampled_from(_INSTANT_TEXTS) | ts.instants().map(format_instant),
    "precision": st.sampled_from([precision.value for precision in Precision]),
    "margin": st.sampled_from(["PT1H", "-PT1H", "PT0S", "P1M", "P1D", "soon"]),
    "qualifier": st.sampled_from([qualifier.value for qualifier in Qualifier]),
    "phrase": st.sampled_from(["on Wednesday", ""]),
    "anchor": st.sampled_from(["e-1", ""]),
    "offset": st.sampled_from(["PT1H", "-PT1H"]),
    "start_bound": st.sampled_from(["known", "open", "unknown"]),
    "end_bound": st.sampled_from(["known", "open", "unknown"]),
    "end_precision": st.sampled_from([precision.value for precision in Precision]),
    "end_qualifier": st.sampled_from([qualifier.value for qualifier in Qualifier]),
    "unspecified": st.sampled_from(["XXXX-XX-XX", "2015-XX-XX"]),
    "season": st.sampled_from([21, 33]),
    "bogus": st.just(1),
}
_CHANGES = st.lists(
    st.sampled_from(sorted(_NEAR)).flatmap(
        lambda key: st.tuples(st.just(key), _NEAR[key] | st.just(_DELETE) | _VALUES)
    ),
    min_size=1,
    max_size=3,
)


def _changed(when: When, changes: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = unstructure(when)
    for key, value in changes:
        if value is _DELETE:
            document.pop(key, None)
        else:
            document[key] = value
    return document


@settings(max_examples=1000)
@given(ts.whens(anchors=ts.ids()), _CHANGES)
def test_documents_that_do_not_fit_are_left_to_the_validating_path(
    when: When, changes: list[tuple[str, Any]]
) -> None:
    """An edited document is built only where the converter would build the same `When`."""
    document = _changed(when, changes)
    built = _trusted(document)
    if built is not None:
        expected = _reference(document)
        assert expected is not None, f"trusted a document the converter refuses: {document}"
        same(built, expected)


@settings(max_examples=200)
@given(ts.whens(anchors=ts.ids()), _CHANGES, st.booleans())
def test_stored_records_with_edited_times_decode_as_decode_does(
    when: When, changes: list[tuple[str, Any]], cached: bool
) -> None:
    """A record whose time was edited gives `decode`'s event, or `decode`'s error."""
    event = StrikeReported(id="s-1", occurred=when, reported=When.on("2015-09-30", tz="UTC"))
    document = orjson.loads(encode(event))
    document["occurred"] = _changed(when, changes)
    payload = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    with caches.disabled() if not cached else contextlib.nullcontext():
        expected = _outcome(lambda: decode(payload))
        got = _outcome(lambda: decode_stored(payload, _STRIKE.name, _STRIKE.version))
    if isinstance(expected, str):
        assert got == expected  # the same error, word for word
    else:
        same(got, expected)


def _outcome(read: Callable[[], object]) -> object:
    """Return what `read` returns, or the message of the `SerializationError` it raises."""
    try:
        return read()
    except SerializationError as exc:
        return f"SerializationError: {exc}"


@given(ts.events())
def test_uncached_trusted_decoding_equals_validated_decoding(event: Any) -> None:
    """With the caches off, every `When` of a record goes through the trusted builder."""
    payload = encode(event)
    entry = event_type_of(event)
    with caches.disabled():
        trusted = decode_stored(payload, entry.name, entry.version)
        same(trusted, decode(payload))
    same(trusted, event)
    assert encode(trusted) == payload


@given(ts.whens())
def test_plain_when_equals_the_constructor(when: When) -> None:
    """`plain_when` builds what `When(...)` builds from the same fields."""
    built = plain_when(
        when.kind, when.start, when.end, when.precision, when.margin, when.qualifier, when.phrase
    )  # type: ignore[arg-type]
    assert built is not None
    same(built, when)
    same(
        built,
        When(
            when.kind,
            start=when.start,
            end=when.end,
            precision=when.precision,
            margin=when.margin,
            qualifier=when.qualifier,
            phrase=when.phrase,
        ),
    )


_UTC = pendulum.datetime(2015, 9, 30, tz="UTC")
_KIEV = pendulum.instance(dt.datetime(2015, 9, 30, tzinfo=pendulum.timezone("Europe/Kiev")))


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ((WhenKind.RELATIVE, _UTC, None, Precision.INSTANT, None), "relative"),
        ((WhenKind.EXACT, _KIEV, None, Precision.INSTANT, None), "an old zone name"),
        (
            (
                WhenKind.EXACT,
                dt.datetime(2015, 9, 30, tzinfo=dt.UTC),
                None,
                Precision.INSTANT,
                None,
            ),
            "not pendulum",
        ),
        ((WhenKind.EXACT, _UTC, _UTC, Precision.INSTANT, None), "an end"),
        ((WhenKind.INTERVAL, _UTC, None, Precision.INSTANT, None), "no end"),
        ((WhenKind.INTERVAL, _UTC, _UTC.subtract(hours=1), Precision.INSTANT, None), "reversed"),
        ((WhenKind.PERIOD, _UTC, None, Precision.INSTANT, None), "an instant period"),
        ((WhenKind.ABOUT, _UTC, None, Precision.INSTANT, None), "no margin"),
        ((WhenKind.ABOUT, _UTC, None, Precision.INSTANT, pendulum.duration(hours=-1)), "negative"),
        ((WhenKind.ABOUT, _UTC, None, Precision.INSTANT, dt.timedelta(hours=1)), "a timedelta"),
    ],
)
def test_plain_when_leaves_what_it_does_not_take_as_it_is(
    fields: tuple[Any, ...], why: str
) -> None:
    """Where `When(...)` converts or refuses, `plain_when` says None (the caller validates)."""
    assert plain_when(*fields, Qualifier.NONE, None) is None, why


_EDITS = [
    {"kind": "about", "start": "2015-09-30T00:00:00+00:00[UTC]", "margin": "-PT1H"},
    {"kind": "about", "start": "2015-09-30T00:00:00+00:00[UTC]"},
    {"kind": "period", "start": "2015-09-30T00:00:00+00:00[UTC]"},
    {"kind": "period", "start": "2015-09-30T00:00:00+00:00[UTC]", "precision": None},
    {"kind": "exact", "start": "2015-09-30T00:00:00+00:00[UTC]", "qualifier": None},
    {"kind": "exact", "start": "2015-09-30T00:00:00+00:00[UTC]", "phrase": 5},
    {"kind": "exact", "start": "2015-09-30T00:00:00+00:00[UTC]", "end": None},
    {"kind": "exact", "start": "2015-09-30T00:00:00+00:00[UTC]", "margin": "P1M"},
    {"kind": "exact", "start": "2015-09-30T00:00:00+00:00[Mars/Olympus]"},
    {"kind": "exact", "start": "2015-09-30 00:00:00+00:00[UTC]"},
    {"kind": "exact", "start": "2015-09-30T00:00:00"},
    {"kind": "exact", "start": None},
    {"kind": "exact"},
    {"kind": "Exact", "start": "2015-09-30T00:00:00+00:00[UTC]"},
    {"kind": ["exact"], "start": "2015-09-30T00:00:00+00:00[UTC]"},
    {"kind": "exact", "start": "2015-09-30T00:00:00+00:00[UTC]", "extra": 1},
    {"kind": "exact", "start": "2015-09-30T00:00:00+00:00[UTC]", "season": 21},
    {"kind": "relative", "anchor": "e-1", "offset": "PT1H"},
    {"kind": "interval", "start": "2015-09-30T00:00:00+00:00[UTC]"},
    {
        "kind": "interval",
        "start": "2015-09-30T00:00:00+00:00[UTC]",
        "end": "2015-09-29T00:00:00+00:00[UTC]",
    },
    {
        "kind": "interval",
        "start": "2015-09-30T00:00:00+00:00[UTC]",
        "end": "2015-10-01T00:00:00+03:00[Europe/Kiev]",
    },
    {"kind": "exact", "start": "2015-09-30T00:00:00+03:00[Europe/Kiev]"},
    {"kind": "exact", "start": "2015-09-30T00:00:00+00:00[Asia/Damascus]"},
    "2015-09-30",
    ["exact"],
    None,
]


@pytest.mark.parametrize("document", _EDITS)
@pytest.mark.parametrize("cached", [True, False])
def test_each_rule_of_a_time_holds_on_the_stored_path(document: object, cached: bool) -> None:
    """Each edit a plain time's rules refuse or convert gives `decode`'s error or event."""
    built = _trusted(document)
    if built is not None:
        same(built, _reference(document))
    event = StrikeReported(id="s-1", occurred=_w(), reported=_w())
    stored = orjson.loads(encode(event))
    stored["occurred"] = document
    payload = orjson.dumps(stored, option=orjson.OPT_SORT_KEYS)
    with caches.disabled() if not cached else contextlib.nullcontext():
        for _ in range(2):  # the second time from the caches, where they are on
            expected = _outcome(lambda: decode(payload))
            got = _outcome(lambda: decode_stored(payload, _STRIKE.name, _STRIKE.version))
            if isinstance(expected, str):
                assert got == expected
            else:
                same(got, expected)


def test_an_old_zone_name_is_read_the_validating_way() -> None:
    """A stored instant in an old zone name comes back in the canonical one, as `decode` says."""
    document = {"kind": "exact", "start": "2015-09-30T00:00:00+03:00[Europe/Kiev]"}
    assert trusted_when(document) is None
    event = StrikeReported(id="s-1", occurred=When.on("2015-09-30", tz="UTC"), reported=_w())
    stored = orjson.loads(encode(event))
    stored["occurred"] = document
    payload = orjson.dumps(stored, option=orjson.OPT_SORT_KEYS)
    decoded = decode_stored(payload, _STRIKE.name, _STRIKE.version)
    assert decoded == decode(payload)
    assert decoded.occurred.zone == "Europe/Kyiv"


def _w() -> When:
    return When.exact(_UTC)
