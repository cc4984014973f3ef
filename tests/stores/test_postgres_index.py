"""The PostgreSQL store's index picks the events the rule picks, and answers as a replay does.

`timeline.indexing.wanted` is the rule in Python; the store runs it as SQL on its own tables.
For random logs appended in random batches, some by a writer that keeps no index, the two
pick the same positions at random query times, and `situation` read through the index
equals `situation` over the whole log. A store written before the index existed gets its
tables when opened, and `timeline.indexing.build` fills them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.projections.test_index import told_after_at
from tests.stores import _postgres
from timeline import clock, indexing
from timeline.events import event_type_of
from timeline.indexing import NO_LIMIT, wanted
from timeline.log import EventLog, open_log
from timeline.projections import situation
from timeline.projections.knowledge import micros
from timeline.serialization import encode
from timeline.stores.base import StoredEvent, to_micros
from timeline.testing.contract import make_events
from timeline.testing.strategies import event_logs, instants, revised_logs

if TYPE_CHECKING:
    from collections.abc import Iterator

    from timeline import Event

pytestmark = pytest.mark.postgresql

_LOGS = event_logs(max_size=12) | revised_logs(max_size=8)  # built once: building is costly
_VIEWERS = st.sampled_from((None, "us", "russia", "kerry"))
_MICROSECOND = dt.timedelta(microseconds=1)


@pytest.fixture(scope="module")
def store_url() -> Iterator[str]:
    """One store for the module (each example writes its own timeline), and its schemas."""
    yield _postgres.fresh_schema_url()
    _postgres.drop_created()


def _edges(events: list[Event]) -> list[dt.datetime]:
    """Every bound of every absolute time in the log, and a microsecond either side."""
    found: list[dt.datetime] = []
    for event in events:
        for when in (event.occurred, event.reported):
            if not when.is_relative:
                for bound in (when.earliest, when.latest):
                    found += [bound - _MICROSECOND, bound, bound + _MICROSECOND]
    return found


def _query_times(events: list[Event]) -> st.SearchStrategy[Any]:
    edges = _edges(events)
    options = st.none() | instants()
    return options | st.sampled_from(edges) if edges else options


def _unindexed(event: Event) -> StoredEvent:
    """`event` as a writer that keeps no index stores it: without its entry."""
    kind = event_type_of(event)
    return StoredEvent(event.id, kind.name, kind.version, encode(event))


def _micros(instant: dt.datetime | None) -> int:
    return NO_LIMIT if instant is None else micros(instant)


def _check(log: EventLog, replay: EventLog, queries: list[tuple[Any, Any, Any]]) -> None:
    """Check that the index picks what `wanted` picks, and answers as the whole log does."""
    assert indexing.is_current(log)
    store, name = log.store, log.name
    assert isinstance(store, indexing.IndexingStore)
    events = list(replay.events())
    entries = dict(enumerate(map(indexing.entry, events), 1))
    positions = {event.id: position for position, event in enumerate(events, 1)}
    for at, known_at, by in queries:
        at_us, known_at_us, viewer = _micros(at), _micros(known_at), by is not None
        found = store.index_positions(name, at_us, known_at_us, viewer=viewer)
        assert found == wanted(entries, positions, at_us, known_at_us, viewer=viewer)
        kept = replay.store
        assert isinstance(kept, indexing.IndexingStore)
        assert found == kept.index_positions(replay.name, at_us, known_at_us, viewer=viewer)
        read = [row[0] for row in store.read_positions(name, found)]
        assert read == found
        assert situation(log, at, known_at, by) == situation(events, at, known_at, by)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=_LOGS, data=st.data())
def test_the_index_picks_what_the_rule_picks(
    store_url: str, events: list[Event], data: st.DataObject
) -> None:
    """Appended in random batches, some without entries, the index answers as `wanted`."""
    order = data.draw(st.permutations(events))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(order)), max_size=4)))
    batches = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(order)], strict=True)]
    name = f"t-{uuid.uuid4().hex}"
    queries = data.draw(
        st.lists(st.tuples(_query_times(events), _query_times(events), _VIEWERS), max_size=4)
    )
    with open_log(store_url, name=name) as log, open_log(name=name) as replay:
        store = log.store
        assert isinstance(store, indexing.IndexingStore)
        lagging: int | None = None  # the index head once a batch was stored without entries
        for batch in batches:
            without_entries: bool = data.draw(st.booleans(), label="without entries")
            if batch and without_entries:
                lagging = log.version if lagging is None else lagging
                stored, now = [_unindexed(e) for e in batch], to_micros(clock.now())
                for target in (log, replay):
                    target.store.append(name, stored, expected_version=None, recorded_at_us=now)
            else:
                log.append(*batch)
                replay.append(*batch)
            # An append writes entries only onto an index complete up to its head.
            assert store.index_head(name) == (log.version if lagging is None else lagging)
        indexed = log.version if lagging is None else lagging
        assert indexing.build(log) == log.version - indexed
        indexing.build(replay)
        _check(log, replay, [(None, None, None), *queries])
        assert indexing.check(log) == log.version  # every stored row is its event's entry
        assert indexing.rebuild(log) == log.version
        _check(log, replay, [(None, None, None), *queries])


def test_a_viewer_knows_by_a_notification_that_began_after_at(store_url: str) -> None:
    """A notification read by ``known_at``, not ``at``, tells its recipient of an event."""
    events, at, known_at, by = told_after_at()
    with open_log(store_url, name=f"t-{uuid.uuid4().hex}") as log:
        log.append(*events)
        assert situation(log, at, known_at, by) == situation(events, at, known_at, by)
        assert [t.talks for t in situation(log, at, known_at, by).talks] == ["talks-0"]


def _as_before_the_index(url: str) -> None:
    """Make the store at `url` what the code before the index wrote: no index, version 1."""
    import psycopg  # noqa: PLC0415 - the extra may be missing; require_server checked it
    from psycopg import sql  # noqa: PLC0415

    schema = sql.Identifier(url.rpartition("schema=")[2])
    with psycopg.connect(_postgres.require_server(), autocommit=True) as conn:
        for table in ("timeline_fact_index", "timeline_fact_links", "timeline_index_heads"):
            conn.execute(sql.SQL("DROP TABLE {}.{}").format(schema, sql.Identifier(table)))
        conn.execute(
            sql.SQL("UPDATE {}.timeline_meta SET value = '1' WHERE key = 'schema_version'").format(
                schema
            )
        )


def _schema_version(url: str) -> tuple[str, int]:
    """Return the store's schema version and how many index tables it holds."""
    import psycopg  # noqa: PLC0415

    schema = url.rpartition("schema=")[2]
    with psycopg.connect(_postgres.require_server(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = %s "
            "AND tablename IN ('timeline_fact_index', 'timeline_fact_links', "
            "'timeline_index_heads')",
            (schema,),
        ).fetchone()
        (version,) = conn.execute(  # type: ignore[misc]
            f"SELECT value FROM \"{schema}\".timeline_meta WHERE key = 'schema_version'"
        ).fetchone()
    assert row is not None
    return str(version), int(row[0])


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=_LOGS, data=st.data())
def test_a_store_written_before_the_index_gets_it_when_opened(
    store_url: str, events: list[Event], data: st.DataObject
) -> None:
    """Opened, a version 1 store is upgraded in place; `build` fills the index; answers hold."""
    url = _postgres.fresh_schema_url()
    name = "news"
    cut = data.draw(st.integers(0, len(events)))
    with open_log(url, name=name) as log:
        log.append(*events[:cut])
        log.append(*events[cut:])
    _as_before_the_index(url)
    assert _schema_version(url) == ("1", 0)
    with open_log(url, name=name) as log, open_log(name=name) as replay:
        assert _schema_version(url) == ("2", 3)
        store = log.store
        assert isinstance(store, indexing.IndexingStore)
        assert store.index_head(name) == 0
        assert not indexing.is_current(log) or not events
        replay.append(*events[:cut])
        replay.append(*events[cut:])
        assert indexing.build(log) == len(events)
        queries = data.draw(
            st.lists(st.tuples(_query_times(events), _query_times(events), _VIEWERS), max_size=3)
        )
        _check(log, replay, [(None, None, None), *queries])
        log.append(*events)  # a retry stores nothing and leaves the index as it is
        assert store.index_head(name) == len(events)


def test_openers_racing_to_upgrade_add_the_index_once(store_url: str) -> None:
    """Eight threads opening a version 1 store at once all succeed; the index is added once."""
    url = _postgres.fresh_schema_url()  # dropped with the module's store
    with open_log(url) as log:
        log.append(*make_events(20))
    _as_before_the_index(url)

    def open_one() -> None:
        with open_log(url) as log:
            indexing.build(log)

    errors = _postgres.race(open_one)
    assert errors == []
    assert _schema_version(url) == ("2", 3)
    with open_log(url) as log:
        assert indexing.is_current(log)
        store = log.store
        assert isinstance(store, indexing.IndexingStore)
        found = store.index_positions(log.name, NO_LIMIT, NO_LIMIT, viewer=False)
        assert found == list(range(1, log.version + 1))
