"""Load users' event types (and situation sections) from their modules.

A plugin is a module that registers event types with `@event_type` when it is imported, and
may add situation sections with `timeline.projections.situation.add_section`. The command line
loads, in this order:

1. every installed package's entry point in the group `ENTRY_POINT_GROUP`
   (``timeline.plugins``), declared in its ``pyproject.toml``::

       [project.entry-points."timeline.plugins"]
       plant = "plantwatch.events"

2. the modules named in the environment variable `PLUGINS_ENV` (``TIMELINE_PLUGINS``),
   separated by commas;
3. each ``--plugin MODULE`` option.

A stored event whose type no plugin defines still reads, as a `timeline.UnknownEvent`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Mapping
from importlib.metadata import entry_points
from types import ModuleType
from typing import Final

from timeline.errors import PluginError

__all__ = ["ENTRY_POINT_GROUP", "PLUGINS_ENV", "load_plugin", "load_plugins"]

ENTRY_POINT_GROUP: Final = "timeline.plugins"
"""The entry-point group whose modules the command line imports."""

PLUGINS_ENV: Final = "TIMELINE_PLUGINS"
"""The environment variable naming plugin modules, separated by commas."""


def load_plugin(name: str) -> ModuleType:
    """Import the module `name` (a dotted module path), registering what it defines.

    Raises:
        PluginError: the name is empty or the module cannot be imported (naming why).
    """
    if not isinstance(name, str) or not name.strip():
        msg = f"a plugin is a module name such as 'mypackage.events', got {name!r}"
        raise PluginError(msg)
    try:
        return importlib.import_module(name.strip())
    except ImportError as exc:
        msg = f"cannot load plugin {name!r}: {exc}"
        raise PluginError(msg) from exc
    except Exception as exc:  # a user's module may raise anything while importing
        msg = f"plugin {name!r} failed while loading: {type(exc).__name__}: {exc}"
        raise PluginError(msg) from exc


def _from_environment(environ: Mapping[str, str]) -> list[str]:
    text = environ.get(PLUGINS_ENV, "")
    return [part.strip() for part in text.split(",") if part.strip()]


def load_plugins(
    modules: Iterable[str] = (),
    *,
    installed: bool = True,
    environ: Mapping[str, str] | None = None,
) -> list[ModuleType]:
    """Load the installed plugins, those in ``TIMELINE_PLUGINS``, then `modules`; return them.

    `installed=False` skips the entry-point group; `environ` defaults to `os.environ`.

    Raises:
        PluginError: naming the first plugin that cannot be loaded.
    """
    loaded: list[ModuleType] = []
    if installed:
        for point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                loaded.append(point.load())
            except Exception as exc:  # a user's module may raise anything while importing
                msg = f"cannot load installed plugin {point.name!r} ({point.value}): {exc}"
                raise PluginError(msg) from exc
    names = [*_from_environment(os.environ if environ is None else environ), *modules]
    loaded.extend(load_plugin(name) for name in names)
    return loaded
