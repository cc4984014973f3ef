"""The user's state directory of the library: where files kept between runs live.

``$TIMELINE_STATE_DIR`` if set, else ``$XDG_STATE_HOME/timeline`` (an absolute
``XDG_STATE_HOME`` only), else ``~/.local/state/timeline``. The `timeline` command keeps the
heads it verified there (`timeline._verified_heads`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

__all__ = ["ENV_STATE_DIR", "state_dir"]

ENV_STATE_DIR: Final = "TIMELINE_STATE_DIR"
"""The environment variable naming the state directory."""


def state_dir() -> Path:
    """Return the state directory (it may not exist yet).

    Raises:
        RuntimeError: there is no home directory to hold it (from `Path.home`).
    """
    chosen = os.environ.get(ENV_STATE_DIR)
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_STATE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "state"
    return base / "timeline"
