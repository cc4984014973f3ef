"""The mkdocs hook that draws the docs' pictures before a build, when they are missing or stale.

mkdocs.yml names this file under ``hooks:``, so ``mkdocs build`` and ``mkdocs serve`` run
``python -m docs.pictures`` first when a picture it drew last is missing, or when a file it
is drawn from (``docs/pictures``, ``examples``, the ``timeline`` package, the npm
TimelineJS) changed since. The pictures need the ``docs`` extra and Debian's ``chromium``.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
MADE = IMAGES / ".made"  # the names python -m docs.pictures wrote last (docs/pictures/__main__.py)
SOURCES = ("docs/pictures", "examples", "timeline")
_NOT_INPUTS = {".db", ".db-wal", ".db-shm", ".pyc"}  # stores the examples leave, bytecode
TIMELINEJS = ROOT / "tests/interop/timelinejs/node_modules/.package-lock.json"

log = logging.getLogger(f"mkdocs.hooks.{__name__}")


def _changed_since(instant: float) -> list[Path]:
    inputs = [path for folder in SOURCES for path in (ROOT / folder).rglob("*.*")]
    inputs.append(TIMELINEJS)
    return [
        path
        for path in inputs
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix not in _NOT_INPUTS
        and path.stat().st_mtime > instant
    ]


def stale() -> str | None:
    """Return why the pictures must be drawn again, or None when they are up to date."""
    if not MADE.exists():
        return "no pictures yet"
    missing = [
        name for name in MADE.read_text(encoding="utf-8").split() if not (IMAGES / name).exists()
    ]
    if missing:
        return f"{', '.join(missing)} missing"
    changed = _changed_since(MADE.stat().st_mtime)
    if changed:
        return f"{changed[0].relative_to(ROOT)} changed"
    return None


def on_pre_build(config: Any) -> None:
    """Draw the pictures (``python -m docs.pictures``) if `stale`."""
    why = stale()
    if why is None:
        return
    log.info("Drawing the docs' pictures (%s): python -m docs.pictures", why)
    done = subprocess.run([sys.executable, "-m", "docs.pictures"], cwd=ROOT, check=False)
    if done.returncode != 0:
        msg = f"python -m docs.pictures failed (exit status {done.returncode}); see above"
        raise PluginError(msg)
