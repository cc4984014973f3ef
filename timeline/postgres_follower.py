"""Keep a projection in PostgreSQL exactly once: its writes and its position in one transaction.

`follow_in_transactions` consumes an `EventLog` on a PostgreSQL store (it is not a store: no
store imports the log, and no store imports this module).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from timeline.errors import InvalidValueError, StoreError
from timeline.stores.postgres import Connection, PostgresStore

if TYPE_CHECKING:
    from timeline.log import EventLog, Recorded

__all__ = ["Handler", "follow_in_transactions", "saved_position"]

Handler = Callable[[Connection, "Recorded"], None]
"""A projection step: apply one record through the connection of the open transaction."""


def _store_of(log: EventLog) -> PostgresStore:
    store = log.store
    if not isinstance(store, PostgresStore):
        msg = f"{log!r} is not on a PostgreSQL store"
        raise StoreError(msg)
    return store


def saved_position(log: EventLog, subscriber: str) -> int:
    """Return the last position `follow_in_transactions` saved for `subscriber` on `log`."""
    return _store_of(log).subscription_position(log.name, subscriber)


def follow_in_transactions(
    log: EventLog,
    subscriber: str,
    handle: Handler,
    *,
    batch_size: int = 100,
    poll_interval: float = 1.0,
    stop: threading.Event | None = None,
    idle_timeout: float | None = None,
) -> int:
    """Feed `log`'s records to `handle` exactly once, saving the position with its writes.

    Starts after the position `subscriber` saved last time (0 at first). Each batch of up to
    `batch_size` records runs in one transaction: `handle(conn, record)` for each record,
    writing its projection through `conn`, then the new position is saved; a crash at any
    point rolls both back, so a restarted follower resumes where the committed state ends.
    Waits for new records through LISTEN/NOTIFY, re-reading at least every `poll_interval`
    seconds. Ends like `EventLog.follow`: when `stop` is set or after `idle_timeout` quiet
    seconds; with neither it runs forever.

    Returns:
        The position saved last.

    Raises:
        StoreError: `log` is not on a PostgreSQL store, or a psycopg error in `handle`.
        ConcurrencyError: another follower with the same `subscriber` name moved the position.
    """
    if not subscriber:
        msg = f"a subscriber name must be a non-empty string, not {subscriber!r}"
        raise InvalidValueError(msg)
    if isinstance(batch_size, bool) or batch_size < 1:
        msg = f"batch_size must be an integer >= 1, not {batch_size!r}"
        raise InvalidValueError(msg)
    store = _store_of(log)
    position = store.subscription_position(log.name, subscriber)
    batches = log.follow_batches(
        position,
        limit=batch_size,
        poll_interval=poll_interval,
        stop=stop,
        idle_timeout=idle_timeout,
    )
    for page in batches:
        with store.transaction() as conn:
            for record in page:
                handle(conn, record)
            store.save_subscription_position(
                conn, log.name, subscriber, previous=position, position=page[-1].position
            )
        position = page[-1].position
    return position
