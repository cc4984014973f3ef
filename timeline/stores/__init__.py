"""Stores behind an `EventLog`, and the URL dispatch that opens them.

Built-in schemes: ``memory://`` and ``memory://NAME`` (`timeline.stores.memory`),
``sqlite:///path.db`` (`timeline.stores.sqlite`), and ``postgresql://...`` /
``postgres://...``, imported lazily from ``timeline.stores.postgres``, which must define
``open_postgres(url: str) -> Store``. Other stores plug in with `register_store`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from timeline import _checks
from timeline.errors import StoreError, TimelineError, UnsupportedStoreError
from timeline.stores.base import Store

__all__ = ["Opener", "Store", "open_store", "register_store"]

Opener = Callable[[str], Store]
"""A function that opens the store a URL names."""

# scheme -> (module, function): modules load on first use, so optional drivers stay optional.
_LAZY: dict[str, tuple[str, str]] = {
    "memory": ("timeline.stores.memory", "open_memory"),
    "sqlite": ("timeline.stores.sqlite", "open_sqlite"),
    "postgresql": ("timeline.stores.postgres", "open_postgres"),
    "postgres": ("timeline.stores.postgres", "open_postgres"),
}
_openers: dict[str, Opener] = {}


def register_store(scheme: str, opener: Opener) -> None:
    """Make `open_store` (and `timeline.open`) open ``SCHEME://...`` URLs with `opener`."""
    _openers[scheme.lower()] = opener


def _opener(scheme: str, url: str) -> Opener:
    if scheme in _openers:
        return _openers[scheme]
    if scheme not in _LAZY:
        known = ", ".join(f"{s}://" for s in sorted({*_LAZY, *_openers}))
        msg = f"unknown store URL scheme {scheme!r} in {url!r}; known schemes: {known}"
        raise UnsupportedStoreError(msg)
    module_name, function = _LAZY[scheme]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        msg = f"the {scheme}:// store ({module_name}) is not available in this installation"
        raise UnsupportedStoreError(msg) from exc
    return cast("Opener", getattr(module, function))


def open_store(url: str) -> Store:
    """Open the store `url` names.

    Raises:
        UnsupportedStoreError: the scheme is unknown or its module is not installed.
        StoreError: the store cannot be opened (see each store for its subclasses).
    """
    scheme, sep, _ = url.partition("://")
    if not sep or not scheme:
        msg = f"not a store URL (expected scheme://...): {_checks.shown(url)}"
        raise UnsupportedStoreError(msg)
    opener = _opener(scheme.lower(), url)
    try:
        return opener(url)
    except TimelineError:
        raise
    except (ValueError, OSError, OverflowError) as exc:
        # The last line of defence for a URL no store anticipated: never a raw exception.
        # (Passwords: only the scheme is shown.)
        msg = f"cannot open the {scheme.lower()}:// store URL: {type(exc).__name__}: {exc}"
        raise StoreError(msg) from exc
