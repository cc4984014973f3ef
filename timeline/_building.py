"""The one way to make an attrs instance without its `__init__`: from values already checked.

The `__init__` of a frozen attrs class costs about twice as much as setting its slots: it
goes through `object.__setattr__` per field (the class refuses plain assignment) and runs
converters, validators and `__attrs_post_init__`. A fold makes one state per event, a view
one `Fact` per report, and a replay one event and a few `When`s per stored record, so those
few paths make their objects here instead, with `builder(cls)`: a function taking every
field's value, in the order of `attrs.fields` (positionally, or by field name), and
returning the instance that holds exactly them.

It is generated once per class and kept. It may be used only where every value is what
the class's own `__init__` would have kept: a field of an object that was itself built and
validated (a fold copying a state, a view taking an event's resolved times), or a value
read from a document the library wrote from such an object and checked on reading (a
stored record at the current schema version). Nothing is converted or checked here, so
anything else must go through the class itself; with values `cls` accepts as they are, the
result equals ``cls(**values)``: same fields, hash and repr.

It sits at the top of the package, beside the classes it builds, because `timeline.when`
uses it and `timeline.serialization` imports `timeline.when`.
"""

from __future__ import annotations

import itertools
import linecache
import types
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs

__all__ = ["builder"]

T = TypeVar("T")

_made = itertools.count(1)
_builders: Final[dict[type, Callable[..., Any]]] = {}


def _names(cls: type) -> list[str]:
    """Return the names of the fields of `cls`, refusing a class this module cannot build."""
    if not isinstance(cls, type) or not attrs.has(cls):
        msg = f"{cls!r} is not an attrs class"
        raise TypeError(msg)
    if hasattr(cls, "_attrs_cached_hash"):  # made with ``cache_hash=True``
        msg = f"{cls.__qualname__} caches its hash: build it through its own __init__"
        raise TypeError(msg)
    return [field.name for field in attrs.fields(cls)]


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """Return the function setting field `name` on a new, still empty `cls` instance."""
    descriptor = getattr(cls, name, None)
    if isinstance(descriptor, types.MemberDescriptorType):  # a slot: its setter, in C
        setter: Callable[[Any, Any], None] = descriptor.__set__
        return setter

    def set_attribute(instance: Any, value: Any) -> None:
        object.__setattr__(instance, name, value)  # a frozen class refuses plain setattr

    return set_attribute


def builder(cls: type[T]) -> Callable[..., T]:
    """Return the function making a `cls` from every field's value, in the order of its fields.

    ``builder(When)(kind, start, ...)`` holds exactly those values; see the module's
    docstring for when that is allowed. Generated on first use, then kept.
    """
    known = _builders.get(cls)
    if known is not None:
        return known
    names = _names(cls)
    namespace: dict[str, Any] = {"__new": object.__new__, "__cls": cls}
    lines = [f"def build({', '.join(names)}):", "    __o = __new(__cls)"]
    for index, name in enumerate(names):
        namespace[f"__s{index}"] = _setter(cls, name)
        lines.append(f"    __s{index}(__o, {name})")
    lines.append("    return __o")
    source = "\n".join(lines) + "\n"
    filename = f"<timeline builder {cls.__qualname__} #{next(_made)}>"
    # Registered as attrs registers its own generated methods: tracebacks show the lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - generated from attrs fields only
    function: Callable[..., T] = namespace["build"]
    _builders[cls] = function
    return function
