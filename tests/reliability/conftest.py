"""The reliability suite: stores opened per test, PostgreSQL schemas dropped at the end."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.reliability._settings import Figure, record
from tests.stores import _postgres
from tests.stores.conftest import _drop_postgres_schemas  # noqa: F401 - the session cleanup

if TYPE_CHECKING:
    from pathlib import Path

STORES = ["sqlite", "postgresql"]


@pytest.fixture
def figures(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Figure], None]:
    """Record a figure: printed (``pytest -n 0 -s``) and kept in the figures JSON file."""
    folder = tmp_path_factory.getbasetemp()
    return lambda figure: record(figure, folder)


def store_url(kind: str, tmp_path: Path, name: str = "store") -> str:
    """Return a fresh store URL of `kind` ("sqlite" or "postgresql", skipped without a server)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / name}.db"
    return _postgres.fresh_schema_url()
