"""Properties of sheets: what a mapping writes it reads back; row order does not matter."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline.events import Event
from timeline.importers._sheets import write_sheet
from timeline.importers.starter import NEWS_TYPES, news_mapping
from timeline.importers.table import import_table, table_rows
from timeline.testing import strategies as tst

DATA = Path(__file__).parent / "data" / "table"
MAPPING = news_mapping()


def _reports() -> st.SearchStrategy[list[Event]]:
    return st.lists(
        st.one_of(*(tst.events_of(cls) for cls in NEWS_TYPES)),
        max_size=6,
        unique_by=lambda e: e.id,
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=_reports())
def test_events_written_through_the_news_mapping_read_back_equal(
    tmp_path_factory: pytest.TempPathFactory, events: list[Event]
) -> None:
    """Random reports of the starter's types, written as a sheet and imported, are equal."""
    folder = tmp_path_factory.mktemp("sheet")
    header, rows = table_rows(events, MAPPING)
    path = folder / "news.csv"
    write_sheet(path, header, rows)
    log = timeline.open("memory://")
    import_table(log, path, MAPPING)
    assert [r.event for r in log.read()] == events


def _flood_rows() -> tuple[list[str], list[list[str]]]:
    with (DATA / "flood.csv").open(encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    return header, rows


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32 - 1),
    at=st.one_of(st.none(), tst.instants()),
    known_at=st.one_of(st.none(), tst.instants()),
)
def test_shuffled_rows_give_the_same_situation(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    at: pendulum.DateTime | None,
    known_at: pendulum.DateTime | None,
) -> None:
    """The flood sheet's rows in any order give the same situation at any time."""
    header, rows = _flood_rows()
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    logs = []
    for order, name in ((rows, "in_order.csv"), (shuffled, "shuffled.csv")):
        path = tmp_path_factory.mktemp("sheet") / name
        write_sheet(path, header, order)
        log = timeline.open("memory://")
        import_table(log, path, DATA / "flood.toml")
        logs.append(log)
    assert timeline.situation(logs[0], at=at, known_at=known_at) == timeline.situation(
        logs[1], at=at, known_at=known_at
    )
