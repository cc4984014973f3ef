"""Read-only files, missing folders and full disks give StoreErrors and never damage a store."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from tests._needs import unavailable
from tests.reliability import _settings, _workers
from timeline.errors import StoreError, StoreNotFoundError
from timeline.log import open_log
from timeline.testing.contract import make_event, make_events, snapshot

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.reliability


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, list[tuple[int, str, str]]]:
    """Create a SQLite store holding 50 events; return its path and their snapshot."""
    path = tmp_path / "store.db"
    with open_log(f"sqlite:///{path}", name=_workers.TIMELINE) as log:
        log.append(*make_events(50))
        return path, snapshot(log)


def assert_intact(path: Path, before: list[tuple[int, str, str]]) -> None:
    """Reopen read-write: the earlier records are all there, verify, and appends work."""
    with open_log(f"sqlite:///{path}", name=_workers.TIMELINE) as log:
        assert snapshot(log)[: len(before)] == before
        assert log.verify() == log.version
        log.append(make_event("after-the-fault"))


def test_read_only_mode_refuses_appends(store: tuple[Path, list[tuple[int, str, str]]]) -> None:
    """With ?mode=ro an append raises StoreError and reads and verify still work."""
    path, before = store
    with open_log(f"sqlite:///{path}?mode=ro", name=_workers.TIMELINE) as log:
        with pytest.raises(StoreError, match="read-only"):
            log.append(make_event("refused"))
        assert snapshot(log) == before
        assert log.verify() == 50
    assert_intact(path, before)


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """Make `path` immutable with chattr +i (even root cannot write it), or skip."""
    chattr = shutil.which("chattr")
    if chattr is None:
        unavailable("chattr is not installed, so a file cannot be made read-only for root")
    done = subprocess.run([chattr, "+i", str(path)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        unavailable(f"chattr +i is not supported here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_immutable_file_refuses_appends(store: tuple[Path, list[tuple[int, str, str]]]) -> None:
    """A file root cannot write (chattr +i) raises StoreError on append and stays intact."""
    path, before = store
    with immutable(path), open_log(f"sqlite:///{path}", name=_workers.TIMELINE) as log:
        assert snapshot(log) == before
        with pytest.raises(StoreError, match="read-only"):
            log.append(make_event("refused"))
    assert_intact(path, before)


def test_missing_folder_raises_store_not_found(tmp_path: Path) -> None:
    """A store in a folder that does not exist raises StoreNotFoundError naming the folder."""
    missing = tmp_path / "nowhere"
    with pytest.raises(StoreNotFoundError, match="nowhere"):
        open_log(f"sqlite:///{missing}/store.db")
    with pytest.raises(StoreNotFoundError, match="nowhere"):
        open_log(f"sqlite:///{missing}/store.db?mode=ro")
    assert not missing.exists()


def test_full_disk_raises_store_error_and_keeps_the_store(
    store: tuple[Path, list[tuple[int, str, str]]], tmp_path: Path
) -> None:
    """A writer hitting a file-size limit (RLIMIT_FSIZE) gets a StoreError; nothing is damaged."""
    path, before = store
    out = tmp_path / "full.json"
    limit = path.stat().st_size + 256 * 1024
    context = _settings.processes()
    writer = context.Process(
        target=_workers.fill_until_full, args=(f"sqlite:///{path}", limit, str(out))
    )
    writer.start()
    writer.join(120)
    assert writer.exitcode == 0
    report = json.loads(out.read_text())
    assert "StoreError" in report["error"]["classes"], report["error"]
    assert "cannot be written (disk full" in report["error"]["message"]
    assert report["acknowledged"], "the limit left no room for a single append"
    with open_log(f"sqlite:///{path}", name=_workers.TIMELINE) as log:
        stored = {r.event_id for r in log.read()}
    assert set(report["acknowledged"]) <= stored
    assert_intact(path, before)


def test_max_page_count_raises_store_error_and_keeps_the_store(
    store: tuple[Path, list[tuple[int, str, str]]],
) -> None:
    """A database at SQLite's page limit refuses the append with StoreError and rolls it back."""
    path, before = store
    with open_log(f"sqlite:///{path}", name=_workers.TIMELINE) as log:
        pages = log.store._db.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
        log.store._db.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[attr-defined]
        appended = 0
        with pytest.raises(StoreError, match="cannot be written"):  # noqa: PT012 - fill until it refuses
            for i in range(1_000):
                log.append(make_event(f"fill-{i}", size=2_000))
                appended += 1
        assert appended > 0
        assert log.verify() == log.version
    assert_intact(path, before)
