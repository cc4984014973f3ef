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

A plugin is named by its module path (``plantwatch.events``), or by the path of its file
(``plugins/ceasefire.py``, imported as module ``ceasefire``). A module path Python cannot
import is looked for in the current folder (``ceasefire_plugin`` is
``./ceasefire_plugin.py``, ``mine.events`` is ``./mine/events.py`` with ``./mine/__init__.py``)
without changing ``sys.path``, so ``--plugin ceasefire_plugin`` works where the file is.

A stored event whose type no plugin defines still reads, as a `timeline.UnknownEvent`.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
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
    name = name.strip()
    try:
        if name.endswith(".py") or os.sep in name or "/" in name:
            return _from_file(name, Path(name))
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as exc:
            top = name.partition(".")[0]
            found = _in_folder(top, Path.cwd()) if exc.name == top else None
            if found is None:
                raise
        _from_file(top, found)
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        msg = (
            f"cannot load plugin {name!r}: {exc}, and the current folder ({Path.cwd()}) holds "
            f"no {name.partition('.')[0]}.py; run the command where the file is, give its "
            "path (--plugin path/to/plugin.py), or add its folder to PYTHONPATH"
        )
        raise PluginError(msg) from exc
    except ImportError as exc:
        msg = f"cannot load plugin {name!r}: {exc}"
        raise PluginError(msg) from exc
    except (PluginError, KeyboardInterrupt):
        raise
    except BaseException as exc:
        msg = f"plugin {name!r} failed while loading: {type(exc).__name__}: {exc}"
        raise PluginError(msg) from exc


def _in_folder(top: str, folder: Path) -> Path | None:
    """Return the file of module or package `top` in `folder`, if it holds one."""
    for candidate in (folder / f"{top}.py", folder / top / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _from_file(name: str, path: Path) -> ModuleType:
    """Import the module in file `path` (a package's ``__init__.py``) as module `name`."""
    if not path.is_file():
        msg = f"cannot load plugin {name!r}: there is no file {str(path)!r}"
        raise PluginError(msg)
    module_name = path.parent.name if path.name == "__init__.py" else path.stem
    loaded = sys.modules.get(module_name)
    if loaded is not None:
        if Path(getattr(loaded, "__file__", None) or "").resolve() == path.resolve():
            return loaded
        msg = (
            f"cannot load plugin {name!r}: a module named {module_name!r} is already loaded "
            f"from elsewhere; rename {str(path)!r}"
        )
        raise PluginError(msg)
    package = [str(path.parent)] if path.name == "__init__.py" else None
    spec = importlib.util.spec_from_file_location(
        module_name, path, submodule_search_locations=package
    )
    if spec is None or spec.loader is None:
        msg = f"cannot load plugin {name!r}: {str(path)!r} is not a Python module"
        raise PluginError(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


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
    from importlib.metadata import entry_points  # noqa: PLC0415 - slow to import, used once

    loaded: list[ModuleType] = []
    if installed:
        for point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                loaded.append(point.load())
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                msg = f"cannot load installed plugin {point.name!r} ({point.value}): {exc}"
                raise PluginError(msg) from exc
    names = [*_from_environment(os.environ if environ is None else environ), *modules]
    loaded.extend(load_plugin(name) for name in names)
    return loaded
