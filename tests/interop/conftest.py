"""Fixtures for the interop tests: the dataset in a memory log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from timeline.events import Event
from timeline.interop.jsonl import read_jsonl
from timeline.log import EventLog, open_log

from ..examples._paths import DATASET


@pytest.fixture(scope="session")
def dataset() -> list[Event]:
    with DATASET.open(encoding="utf-8") as stream:
        return read_jsonl(stream)


@pytest.fixture
def dataset_log(dataset: list[Event]) -> Iterator[EventLog]:
    with open_log("memory://", name="sept30") as log:
        log.append(*dataset)
        yield log
