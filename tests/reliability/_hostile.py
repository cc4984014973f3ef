"""Hypothesis strategies for malformed and adversarial documents, for the import fuzz tests.

Each strategy shrinks towards its first, simplest alternative (a short raw text, a valid
event with one field replaced by ``None``).
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.serialization import unstructure_event
from timeline.testing.strategies import events

if TYPE_CHECKING:
    from timeline.events import Event

MEGABYTE = 1024 * 1024

_BIG_NUMBERS = [2**63, -(2**63) - 1, 2**64, 2**70, -(2**70), 10**400]
_NUMBER_TEXTS = ["1e400", "-1e400", "-0", "-0.0", "1E-400", "NaN", "Infinity", "0x10", "01"]
_DATES = [
    f"{year}-09-30T10:00:00+03:00{zone}"
    for year in ("0000", "0001", "9999", "10000", "99999", "+10000", "-0001")
    for zone in ("", "[Asia/Damascus]")
] + [
    "9999-12-31T23:59:59-12:00[Etc/GMT+12]",
    "0001-01-01T00:00:00+14:00[Pacific/Kiritimati]",
    "2015-09-30T10:00:00",
    "2015-02-30T10:00:00+00:00",
    "2015-09-30T10:00:00+03:00[Mars/Olympus]",
    "2015-09-30T10:00:00+03:00[",
    "2015-09-30T10:00:00+99:00",
    "P99999999999D",
    "-P1D",
    "PT99999999999999999999H",
]
_STRINGS = [
    "",
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff\ud800",
    "\u2028\u0085",
    "\ufeff",
    "x" * MEGABYTE,
    "é" * (MEGABYTE // 2 + 1),
    "[" * 10_000,
]


def scalars() -> st.SearchStrategy[Any]:
    """Generate hostile JSON scalars: wrong types, huge numbers, odd strings and dates."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from(_BIG_NUMBERS),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(_STRINGS),
        st.sampled_from(_DATES),
        st.text(max_size=20),
    )


def values() -> st.SearchStrategy[Any]:
    """Generate hostile JSON values: scalars, and lists and objects of them, a few levels deep."""
    return st.recursive(
        scalars(),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )


_VALUES = values()  # one instance: Hypothesis keeps the (megabyte) repr of each strategy


def deeply_nested(depth: int = 10_000) -> st.SearchStrategy[str]:
    """Generate JSON nested `depth` levels, closed or not, bare or inside an event field."""
    return st.sampled_from(
        [
            "[" * depth,
            "[" * depth + "]" * depth,
            '{"a":' * depth + "1" + "}" * depth,
            '{"type":"strike_reported","v":1,"places":' + "[" * depth + "]" * depth + "}",
        ]
    )


def _paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(document, dict):
        for key, value in document.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _paths(value, (*prefix, index))
    return found


def real_events(count: int = 300) -> list[Event]:
    """Draw `count` events from `timeline.testing.strategies.events()`, once.

    Drawing a whole event costs milliseconds; the fuzz tests mutate events from this pool so
    that their examples go to hostile documents rather than to building valid ones.
    """
    pool: list[Event] = []

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(events())
    def collect(event: Event) -> None:
        pool.append(event)

    collect()
    return pool


def valid_documents(pool: list[Event]) -> st.SearchStrategy[dict[str, Any]]:
    """Generate the documents of the events in `pool` (fresh copies, safe to mutate)."""
    documents = [unstructure_event(event) for event in pool]
    return st.sampled_from(documents).map(copy.deepcopy)


@st.composite
def _mutated(draw: st.DrawFn, documents: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    document = draw(documents)
    paths = _paths(document)
    path = draw(st.sampled_from(paths))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(_VALUES)
    elif action == "remove":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(max_size=8))] = draw(_VALUES)
    else:
        parent.append(draw(_VALUES))
    return document


def mutated_documents(pool: list[Event]) -> st.SearchStrategy[dict[str, Any]]:
    """Generate a real event's document with one field replaced, removed, or one key added."""
    return _mutated(valid_documents(pool))


def dump(value: Any) -> str:
    """Return `value` as JSON the way a careless producer writes it (NaN, huge ints, surrogates)."""
    return json.dumps(value, allow_nan=True)


def raw_texts() -> st.SearchStrategy[str]:
    """Generate text that is not JSON, or not UTF-8 (bytes decoded with surrogateescape)."""
    return st.one_of(
        st.text(max_size=50),
        st.binary(max_size=50).map(lambda b: b.decode("utf-8", "surrogateescape")),
        st.sampled_from(_NUMBER_TEXTS),
        deeply_nested(),
        values().map(dump),
    )


def cloudevents(draw_data: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Generate CloudEvents around `draw_data`, with one attribute possibly made hostile."""

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        data = draw(draw_data)
        is_event = isinstance(data, dict)
        envelope: dict[str, Any] = {
            "specversion": "1.0",
            "id": data.get("id", "x") if is_event else "x",
            "source": "/timelines/fuzz",
            "type": f"org.newstimeline.{data.get('type') if is_event else 'x'}",
            "time": "2015-09-30T10:00:00+03:00",
            "recordedtime": "2015-09-30T10:00:00Z",
            "sequence": "00000000000000000001",
            "datacontenttype": "application/json",
            "data": data,
        }
        action = draw(st.sampled_from(["keep", "replace", "remove", "add"]))
        name = draw(st.sampled_from(sorted(envelope)))
        if action == "replace":
            envelope[name] = draw(values())
        elif action == "remove":
            del envelope[name]
        elif action == "add":
            envelope[draw(st.text(max_size=8))] = draw(values())
        return envelope

    return build()
