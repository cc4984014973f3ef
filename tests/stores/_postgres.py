"""Find the test PostgreSQL server and give each test a fresh schema (one store) on it.

The server comes from ``TIMELINE_TEST_POSTGRESQL_URL`` or ``DATABASE_URL``. Without one,
PostgreSQL tests skip with a reason saying how to enable them, except under ``CI=true``,
where they fail: CI must not pass by skipping the PostgreSQL store.
"""

from __future__ import annotations

import os
import threading
import urllib.parse
import uuid
from collections.abc import Callable

from tests._needs import unavailable

HOW = (
    "start one with `. .ci/pg-up.sh` (as root on Debian 12) or set "
    "TIMELINE_TEST_POSTGRESQL_URL=postgresql://user:password@host/db"
)
_created: list[str] = []


def server_url() -> str | None:
    """Return the configured server's URL, or None."""
    return os.environ.get("TIMELINE_TEST_POSTGRESQL_URL") or os.environ.get("DATABASE_URL")


def require_server() -> str:
    """Return the server's URL, or skip the test (fail it under CI=true) saying how to set one."""
    url = server_url()
    problem = None if url else f"no PostgreSQL server configured: {HOW}"
    if problem is None:
        try:
            import psycopg  # noqa: F401, PLC0415 - only to tell whether the extra is installed
        except ModuleNotFoundError:
            problem = "psycopg is not installed: pip install newstimeline[postgresql]"
    if problem is not None:
        unavailable(problem)
    assert url is not None
    return url


def with_schema(url: str, schema: str) -> str:
    """Return `url` opening the store in `schema`."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query)
    query = [(k, v) for k, v in query if k != "schema"] + [("schema", schema)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def fresh_schema_url() -> str:
    """Return a URL for a new, empty store in its own schema, dropped by `drop_created`."""
    schema = f"tl_test_{uuid.uuid4().hex[:16]}"
    _created.append(schema)
    return with_schema(require_server(), schema)


def drop_created() -> None:
    """Drop every schema `fresh_schema_url` handed out in this process."""
    url = server_url()
    if not _created or not url:
        return
    import psycopg  # noqa: PLC0415 - only needed when PostgreSQL tests ran
    from psycopg import sql  # noqa: PLC0415

    with psycopg.connect(url, autocommit=True) as conn:
        while _created:
            name = _created.pop()
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def race(action: Callable[[], None], threads: int = 8) -> list[Exception]:
    """Run `action` in `threads` threads released at once; return what they raised."""
    barrier, errors = threading.Barrier(threads), []

    def one() -> None:
        barrier.wait()
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)

    started = [threading.Thread(target=one) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(60)
    return errors
