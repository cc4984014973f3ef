"""Store tests share a session-end cleanup of the PostgreSQL schemas they created."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.stores import _postgres

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_schemas() -> Iterator[None]:
    yield
    _postgres.drop_created()
