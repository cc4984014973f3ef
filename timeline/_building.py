"""The one way to make an attrs instance without its `__init__`: from values already checked.

The `__init__` of a frozen attrs class costs about twice as much as setting its slots: it
goes through `object.__setattr__` per field (the class refuses plain assignment) and runs
converters, validators and `__attrs_post_init__`. A fold makes one state per event, a view
one `Fact` per report, a replay one event and a few `When`s per stored record, and a lane
reader every entry of its tables, so those few paths make their objects here instead:

- `builder(cls)`: a function taking every field's value, in the order of `attrs.fields`
  (positionally, or by field name), and returning the instance that holds exactly them.
- `column_builder(cls)`: a function making `count` instances at once from one column of
  values per field, in that order: the instances are made first, then each field's column
  is set on all of them by ``map`` over its slot's setter, run in C (no Python bytecode per
  instance).

Each is generated once per class and kept. They may be used only where every value is what
the class's own `__init__` would have kept: a field of an object that was itself built and
validated (a fold copying a state, a view taking an event's resolved times), or a value
read from a document the library wrote from such an object and checked on reading (a
stored record at the current schema version, a lane's tables, which carry digests). Nothing
is converted or checked here, so anything else must go through the class itself; with
values `cls` accepts as they are, the result equals ``cls(**values)``: same fields, hash and
repr.

It sits at the top of the package, beside the classes it builds, because `timeline.when`
uses it and `timeline.serialization` imports `timeline.when`.
"""

from __future__ import annotations

import itertools
import linecache
import types
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any, Final, TypeVar

import attrs

__all__ = ["builder", "column_builder"]

T = TypeVar("T")

_made = itertools.count(1)
_builders: Final[dict[type, Callable[..., Any]]] = {}
_column_builders: Final[dict[type, Callable[[int, Sequence[Iterable[Any]]], list[Any]]]] = {}


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


def column_builder(cls: type[T]) -> Callable[[int, Sequence[Iterable[Any]]], list[T]]:
    """Return the function making `count` instances of `cls` from one column per field.

    ``build(count, columns)``: `columns` holds an iterable per field, in the order of the
    fields, each of exactly `count` values (the caller checks: a shorter one would leave
    fields unset); instance ``k`` holds value ``k`` of each. See the module's docstring for
    when that is allowed. Made once per class, then kept.
    """
    known = _column_builders.get(cls)
    if known is not None:
        return known
    setters = [_setter(cls, name) for name in _names(cls)]
    new = object.__new__

    def build_columns(count: int, columns: Sequence[Iterable[Any]]) -> list[T]:
        made: list[T] = list(map(new, repeat(cls, count)))
        for setter, values in zip(setters, columns, strict=True):
            deque(map(setter, made, values), maxlen=0)  # run to the end in C, keeping nothing
        return made

    _column_builders[cls] = build_columns
    return build_columns
