"""Optional dependencies: one way to import them, one error when they are missing.

The core of timeline (events, the memory and SQLite stores, projections, JSON Lines and the
command line) needs only its required dependencies. Other features need an extra:

- the PostgreSQL store: ``newstimeline[postgresql]`` (psycopg, psycopg_pool);
- PNG charts (`render_png`): ``newstimeline[render]`` (matplotlib);
- `timeline.testing` (strategies, profiles, the store contract suite):
  ``newstimeline[testing]`` (hypothesis, pytest).

A missing one raises `MissingDependencyError` naming the extra to install.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from timeline.errors import MissingDependencyError

__all__ = ["missing", "require"]


def require(module: str, *, extra: str, feature: str) -> ModuleType:
    """Import and return `module`, or raise `MissingDependencyError` naming `extra`.

    Args:
        module: the dotted module name to import ("matplotlib", "psycopg").
        extra: the distribution extra that installs it ("render").
        feature: what needs it, for the message ("render_png").

    Raises:
        MissingDependencyError: the module (or one it imports) is not installed.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise missing(exc.name or module, extra=extra, feature=feature) from exc


def missing(package: str, *, extra: str, feature: str) -> MissingDependencyError:
    """Return the error saying that `feature` needs `package`, installed by `extra`."""
    msg = f"{feature} needs {package}, which is not installed: pip install 'newstimeline[{extra}]'"
    return MissingDependencyError(msg, package=package, extra=extra)
