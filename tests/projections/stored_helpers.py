"""What the tests of persisted checkpoints share: strategies, settings, a replay, a new file."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from timeline.log import EventLog
from timeline.projections import project
from timeline.testing.strategies import instants

viewers = st.sampled_from((None, "us", "russia"))
times = st.none() | instants()
folder_settings = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def replay(log: EventLog, projection: Any, at: Any, known_at: Any, known_by: Any) -> Any:
    """Return the answer replayed from every event of `log`, with no checkpoints."""
    return project([r.event for r in log.read()], projection, at, known_at, known_by)


def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of a new SQLite file in `tmp_path`."""
    return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
