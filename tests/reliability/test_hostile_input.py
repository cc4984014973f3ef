"""Malformed and adversarial documents: each imports correctly or raises a TimelineError."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability import _hostile, _settings
from timeline.errors import SerializationError, TimelineError
from timeline.interop import UnsupportedFormatError, import_text
from timeline.log import EventLog, open_log
from timeline.serialization import dumps, loads
from timeline.testing.contract import make_events

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

pytestmark = pytest.mark.reliability

FUZZ = settings(
    max_examples=_settings.FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def event_documents() -> st.SearchStrategy[dict[str, Any]]:
    """Generate documents of real events, valid or with one field made hostile."""
    pool = _hostile.real_events()
    return st.one_of(_hostile.mutated_documents(pool), _hostile.valid_documents(pool))


def check_import(log: EventLog, text: str, fmt: str, outcomes: Counter[str]) -> None:
    """Import `text`: either every event round-trips, or a TimelineError leaves `log` as it was."""
    before = (log.version, log.head_hash)
    try:
        records = import_text(log, text, fmt)
    except TimelineError:
        assert (log.version, log.head_hash) == before, "a failed import changed the log"
        outcomes["rejected with a TimelineError"] += 1
        return
    assert log.verify() == log.version
    for record in records:
        assert loads(dumps(record.event)) == record.event
    outcomes["imported"] += 1


def figure(target: str, outcomes: Counter[str], record: Callable[[_settings.Figure], None]) -> None:
    total = sum(outcomes.values())
    assert total >= _settings.FUZZ_EXAMPLES * 0.9  # Hypothesis ran the examples asked for
    record(
        _settings.Figure(
            what=f"Hypothesis fuzz of {target}",
            store="memory" if "SQLite" not in target else "sqlite",
            amount=f"{total:,} generated documents",
            result=", ".join(f"{n:,} {what}" for what, n in sorted(outcomes.items()))
            + ", 0 other exceptions, failed imports left the log unchanged",
        )
    )


@pytest.fixture
def seeded() -> Iterator[Callable[[], EventLog]]:
    """Return a function opening memory logs that hold three events (closed at the end)."""
    opened: list[EventLog] = []

    def open_seeded() -> EventLog:
        log = open_log("memory://", name="fuzz")
        log.append(*make_events(3, prefix="seed"))
        opened.append(log)
        return log

    yield open_seeded
    for log in opened:
        log.close()


def test_loads_returns_an_event_or_raises(
    event_documents: st.SearchStrategy[dict[str, Any]],
    figures: Callable[[_settings.Figure], None],
) -> None:
    """`timeline.loads` on hostile text or bytes returns a round-tripping event or raises."""
    outcomes: Counter[str] = Counter()
    texts = st.one_of(
        _hostile.raw_texts(),
        event_documents.map(_hostile.dump),
        st.binary(max_size=100),
        event_documents.map(_hostile.dump).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )

    @FUZZ
    @given(texts)
    def check(text: str | bytes) -> None:
        try:
            event = loads(text)
        except TimelineError:
            outcomes["rejected with a TimelineError"] += 1
            return
        assert loads(dumps(event)) == event
        outcomes["decoded"] += 1

    check()
    figure("`timeline.loads`", outcomes, figures)


def test_jsonl_import_is_all_or_nothing(
    event_documents: st.SearchStrategy[dict[str, Any]],
    seeded: Callable[[], EventLog],
    figures: Callable[[_settings.Figure], None],
) -> None:
    """A JSON Lines import of hostile lines imports them all or leaves the log unchanged."""
    outcomes: Counter[str] = Counter()
    lines = st.one_of(event_documents.map(_hostile.dump), _hostile.raw_texts())

    @FUZZ
    @given(st.lists(lines, min_size=1, max_size=4))
    def check(batch: list[str]) -> None:
        check_import(seeded(), "\n".join(batch), "jsonl", outcomes)

    check()
    figure("JSON Lines import (`import_text`)", outcomes, figures)


def test_cloudevents_import_is_all_or_nothing(
    event_documents: st.SearchStrategy[dict[str, Any]],
    seeded: Callable[[], EventLog],
    figures: Callable[[_settings.Figure], None],
) -> None:
    """A CloudEvents import of hostile envelopes imports them all or leaves the log unchanged."""
    outcomes: Counter[str] = Counter()
    envelopes = _hostile.cloudevents(event_documents | _hostile.values())

    @st.composite
    def documents(draw: st.DrawFn) -> str:
        items: list[Any] = draw(st.lists(envelopes, min_size=1, max_size=2))
        shape = draw(st.sampled_from(["array", "single", "lines", "raw"]))
        if shape == "array":
            return _hostile.dump(items)
        if shape == "single":
            return _hostile.dump(items[0])
        if shape == "lines":
            return "\n".join(map(_hostile.dump, items))
        return draw(_hostile.raw_texts())

    @FUZZ
    @given(documents())
    def check(text: str) -> None:
        check_import(seeded(), text, "cloudevents", outcomes)

    check()
    figure("CloudEvents import (`import_text`)", outcomes, figures)


def test_imports_into_sqlite_are_all_or_nothing(
    event_documents: st.SearchStrategy[dict[str, Any]],
    tmp_path: Path,
    figures: Callable[[_settings.Figure], None],
) -> None:
    """Hostile documents in every format, imported into one SQLite log, never half-import it."""
    outcomes: Counter[str] = Counter()
    formats = st.sampled_from(["jsonl", "cloudevents", "timelinejs"])

    with open_log(f"sqlite:///{tmp_path}/fuzz.db?synchronous=normal", name="fuzz") as log:

        @FUZZ
        @given(formats, st.lists(event_documents, min_size=1, max_size=3))
        def check(fmt: str, documents: list[dict[str, Any]]) -> None:
            if fmt == "cloudevents":
                text = _hostile.dump(
                    [
                        {
                            "specversion": "1.0",
                            "id": document.get("id"),
                            "source": "/timelines/fuzz",
                            "type": f"org.newstimeline.{document.get('type')}",
                            "data": document,
                        }
                        for document in documents
                    ]
                )
            else:
                text = "\n".join(map(_hostile.dump, documents))
            if fmt == "timelinejs":
                with pytest.raises(UnsupportedFormatError):
                    import_text(log, text, fmt)
            check_import(log, text, fmt, outcomes)

        check()
    figure("JSON Lines, CloudEvents and TimelineJS imports into SQLite", outcomes, figures)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        '{"type":"strike_reported","v":1,"places":' + "[" * 10_000 + "]" * 10_000 + "}",
    ],
    ids=["bare", "in-a-field"],
)
def test_ten_thousand_nested_arrays_raise_serialization_error(text: str) -> None:
    """A document nested 10,000 levels deep raises SerializationError, not RecursionError."""
    with pytest.raises(SerializationError, match="nested too deeply"):
        loads(text)
