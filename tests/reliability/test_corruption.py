"""Damaged SQLite files and edited PostgreSQL rows are reported, never silently served."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from tests.reliability import _settings
from tests.stores import _postgres
from timeline.errors import IntegrityError, TimelineError
from timeline.log import EventLog, open_log
from timeline.testing.contract import make_event, make_events

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.reliability

PAGE = 4096
TIMELINES = ("news", "other")


def contents(log: EventLog) -> list[tuple[object, ...]]:
    """Return everything a record holds, decoded events included."""
    return [
        (r.position, r.global_position, r.event_id, r.type, r.hash, r.payload, r.event)
        for r in log.read()
    ]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """Build a closed SQLite store of two timelines; return its path and what it holds."""
    path = tmp_path_factory.mktemp("corruption") / "pristine.db"
    expected: dict[str, object] = {}
    for name in TIMELINES:
        with open_log(f"sqlite:///{path}", name=name) as log:
            log.append(*make_events(150, prefix=name))
            log.append(*(make_event(f"{name}-big-{i}", size=6_000) for i in range(5)))
            expected[name] = (contents(log), log.head_hash)
    return path, expected


def damage(data: bytearray, rng: random.Random) -> str:
    """Damage `data` in place one random way; return how."""
    how = rng.choice(["flip", "flip", "truncate", "zero page", "header"])
    if how == "flip":
        count = rng.randint(1, 8)
        for _ in range(count):
            data[rng.randrange(100, len(data))] ^= 1 << rng.randrange(8)
    elif how == "truncate":
        del data[rng.randrange(1, len(data)) :]
    elif how == "zero page":
        page = rng.randrange(len(data) // PAGE)
        data[page * PAGE : (page + 1) * PAGE] = bytes(PAGE)
    else:
        data[rng.randrange(100)] ^= 1 << rng.randrange(8)
    return how


def outcome(path: Path, expected: dict[str, object]) -> str:
    """Open, verify and read every timeline: a TimelineError, or exactly the original data."""
    for name in TIMELINES:
        try:
            with open_log(f"sqlite:///{path}", name=name) as log:
                log.verify()
                found = (contents(log), log.head_hash)
        except TimelineError as exc:
            return type(exc).__name__
        assert found == expected[name], f"timeline {name!r} changed and nothing said so"
    return "intact"


def test_damaged_sqlite_files_raise_timeline_errors(
    pristine: tuple[Path, dict[str, object]],
    tmp_path: Path,
    figures: Callable[[_settings.Figure], None],
) -> None:
    """Flipped bytes, truncations and zeroed pages: a TimelineError, or the data intact."""
    source, expected = pristine
    rng = random.Random(30_09_2015)
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    original = source.read_bytes()
    for case in range(_settings.CORRUPTION_CASES):
        data = bytearray(original)
        how = damage(data, rng)
        kinds[how] += 1
        path = tmp_path / f"case-{case}.db"
        path.write_bytes(data)
        outcomes[outcome(path, expected)] += 1
        path.unlink()
    assert outcomes["IntegrityError"] > 0
    assert outcomes["StoreFormatError"] > 0
    figures(
        _settings.Figure(
            what="Damage a closed SQLite file: "
            + ", ".join(f"{n} {how}" for how, n in sorted(kinds.items())),
            store="sqlite",
            amount=f"{sum(outcomes.values())} files ({len(original):,} bytes, 310 records)",
            result=", ".join(f"{n} {what}" for what, n in sorted(outcomes.items()))
            + "; no other exception, no silently changed record",
        )
    )


def test_copy_of_a_damaged_file_is_never_repaired_silently(
    pristine: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    """A file cut to its first page opens with StoreFormatError or verifies as broken."""
    source, expected = pristine
    path = tmp_path / "cut.db"
    shutil.copy(source, path)
    with path.open("r+b") as stream:
        stream.truncate(PAGE)
    assert outcome(path, expected) != "intact"


EDITS = [
    (
        "UPDATE {t} SET payload = convert_to(replace(convert_from(payload, 'UTF8'), 'Homs', "
        "'Hama'), 'UTF8') WHERE position = 7",
        7,
    ),
    ("UPDATE {t} SET event_id = 'forged' WHERE position = 3", 3),
    ("UPDATE {t} SET recorded_at_us = recorded_at_us + 1 WHERE position = 12", 12),
    ("UPDATE {t} SET hash = md5(hash) || md5(hash) WHERE position = 1", 1),
    ("DELETE FROM {t} WHERE position = 5", 5),
    ("DELETE FROM {t} WHERE position > 15", 16),
    ("UPDATE {t} SET position = position + 100 WHERE position = 9", 9),
]


@pytest.mark.postgresql
@pytest.mark.parametrize(("statement", "position"), EDITS)
def test_edited_postgres_rows_are_named_by_verify(statement: str, position: int) -> None:
    """An owner who disables the triggers and edits or deletes rows is caught by verify()."""
    import psycopg  # noqa: PLC0415 - the extra may be missing; fresh_schema_url checked it
    from psycopg import sql  # noqa: PLC0415

    url = _postgres.fresh_schema_url()
    schema = url.rpartition("schema=")[2]
    with open_log(url, name="news") as log:
        log.append(*make_events(20))
        assert log.verify() == 20
    table = sql.Identifier(schema, "timeline_events")
    with psycopg.connect(_postgres.server_url() or "", autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER ALL").format(table))
        conn.execute(sql.SQL(statement.replace("{t}", "{}")).format(table))
        conn.execute(sql.SQL("ALTER TABLE {} ENABLE TRIGGER ALL").format(table))
    with open_log(url, name="news") as log, pytest.raises(IntegrityError) as info:
        log.verify()
    assert info.value.position == position
    assert f"position {position}" in str(info.value)
