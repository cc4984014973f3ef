"""Verifying a log while another writer appends to it passes.

`EventLog.verify` reads the head, then the records. An append between the two commits
records past the head it read: those are no fault when the head read again accounts for
them (an append writes its records and its head in one transaction). A head moved back
behind the store's back is still found (`tests/reliability/test_attacks.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest

from tests.stores import _postgres
from timeline.log import open_log
from timeline.testing.contract import make_event

if TYPE_CHECKING:
    from pathlib import Path


def _url(kind: str, folder: Path) -> str:
    if kind == "postgresql":
        return _postgres.fresh_schema_url()
    return f"sqlite:///{folder / 'race.db'}"


@pytest.mark.parametrize(
    "kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def test_a_log_verifies_while_another_writer_appends(tmp_path: Path, kind: str) -> None:
    url = _url(kind, tmp_path)
    with open_log(url) as log, open_log(url) as other:
        log.append(*(make_event(f"e{i}") for i in range(5)))
        store = log.store
        read = store.read

        def read_after_an_append(timeline: str, **kwargs: Any) -> Any:
            if kwargs.get("after") == 0:  # the walk: another process appends just before it
                other.append(make_event("late"))
            return read(timeline, **kwargs)

        with mock.patch.object(store, "read", read_after_an_append):
            assert log.verify() == 5  # the head it read
        assert log.verify() == 6
        assert [e.id for e in log.events()][-1] == "late"
