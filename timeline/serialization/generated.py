"""Lean per-class event encoders and trusted decoders, generated once from attrs fields.

The converter (`timeline.serialization.conversion`) owns the format; this module only makes
two of its paths cheaper (used by `timeline.serialization.codec`):

- `Encoders`: one generated function per event class that builds the same document as the
  converter's unstructuring (a field at its default value left out, as
  `conversion.fields_unstructure` does), for `encode` only (the document is dumped at once and never
  handed out). Nested immutable values (`When`, `Actor`, `Source`, ...) are unstructured
  once per object (kept by identity, holding the object) and their documents are shared,
  not copied, since nothing outside `encode` sees them. Any field type the generator does
  not know goes through the converter's own hook, so the output is the same.
- `TrustedDecoders`: one generated function per event class that builds the event from a
  document produced by `encode` of an event that passed validation on append (a record read
  back from a store at the current schema version). Nested values still go through the
  converter's structure hooks (memoized, validated on a miss) and scalar fields keep the
  strict hooks' JSON type checks; only the event's own attrs validators and
  `__attrs_post_init__` are skipped: the event is made by `timeline._building`; a key
  left out gives the field's default. Any doubt (a missing required key, an extra key, a
  value a hook rejects) is reported to the caller, which decodes through the validating
  path instead.

Classes the generator cannot mirror exactly (private or aliased field names, ``init=False``
fields, `attrs.Converter` objects, factory defaults) get no generated function; callers
then use the converter as before.
"""

from __future__ import annotations

import itertools
import linecache
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

import attrs
import orjson

from timeline import caches
from timeline._building import builder
from timeline._shapes import optional_inner, tuple_item
from timeline.serialization.documents import Document

if TYPE_CHECKING:
    import cattrs

    from timeline.events import Event

__all__ = ["Encoders", "TrustedDecoders", "Untrusted"]

F = TypeVar("F", bound=Callable[..., Any])

_PLAIN: Final = (str, int, float, bool)
_generated = itertools.count(1)


def _run(source: str, what: str, namespace: dict[str, Any]) -> None:
    """Compile and run generated `source`, registering it in `linecache` (as attrs does).

    Tracebacks through generated code then show its lines, and `inspect.getsource` finds
    them; the file name is unique per generated function.
    """
    filename = f"<{what} #{next(_generated)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - code generated from attrs fields only


_DOC_CACHE_SIZE: Final = 8192
_PROBE_AFTER: Final = 16 * _DOC_CACHE_SIZE
_DOC_CACHE_BYTES: Final = 8 * 1024 * 1024  # JSON bytes of the documents one cache holds
_MAX_CACHED_DOC: Final = 4096  # a larger document is rebuilt each time, never held


_MISSING: Final = object()
"""What a trusted decoder's look-up of a key left out of a document gives."""


class Untrusted(Exception):  # noqa: N818 - a signal, not an error a user sees
    """The document does not have the shape a trusted decoder expects."""


@attrs.frozen
class _Field:
    """One field of a class generated code mirrors, with the shape of its type."""

    index: int
    name: str
    type: Any
    inner: Any  # X of ``X | None``, else None
    item: Any  # X of ``tuple[X, ...]``, else None
    converter: Any
    default: Any  # the default after the field's converter, as attrs sets it; else NOTHING

    @property
    def plain(self) -> bool:
        """The field holds a JSON scalar (or None), kept as it is."""
        return self.type in _PLAIN or self.inner in _PLAIN


def _mirrorable(cls: type) -> list[_Field] | None:
    """Return the fields of `cls` if generated code can mirror cattrs on it, else None."""
    try:
        attrs.resolve_types(cls)
    except Exception:  # noqa: BLE001 - unresolvable annotations: leave it to cattrs
        return None
    fields: tuple[attrs.Attribute[Any], ...] = tuple(attrs.fields(cls))
    for field in fields:
        if field.name.startswith("_") or field.alias != field.name or not field.init:
            return None
        if isinstance(field.converter, attrs.Converter):
            return None
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            return None
    return [
        _Field(
            index,
            f.name,
            f.type,
            optional_inner(f.type),
            tuple_item(f.type),
            f.converter,
            _converted_default(f),
        )
        for index, f in enumerate(fields)
    ]


def _converted_default(field: attrs.Attribute[Any]) -> Any:
    # What a field left out holds: its default, through its converter (as cattrs compares).
    # Fields with an `attrs.Converter` are not mirrored (see `_mirrorable`).
    default, converter = field.default, field.converter
    if default is attrs.NOTHING or converter is None or isinstance(converter, attrs.Converter):
        return default
    return converter(default)


def _default_test(value: str, index: int, default: Any) -> str:
    """Return the condition under which `value` differs from field `index`'s default."""
    return f"{value} is not None" if default is None else f"{value} != __def{index}"


def _kinds(kind: type) -> tuple[type, ...]:
    # The converter's strict hooks accept exactly the type, and an int where a float is due.
    return (float, int) if kind is float else (kind,)


def _scalar_lines(value: str, kind: type, *, optional: bool) -> list[str]:
    """Return the lines that read `value` into ``__v``, raising `Untrusted` on a wrong type."""
    wrong = " and ".join(f"type(__v) is not {k.__name__}" for k in _kinds(kind))
    if optional:
        wrong = f"__v is not None and {wrong}"
    return [f"    __v = {value}", f"    if {wrong}:", "        raise Untrusted"]


def _scalars_check(kind: type) -> Callable[[object], tuple[object, ...]]:
    kinds = _kinds(kind)

    def check_items(value: object) -> tuple[object, ...]:
        if type(value) is not list:
            raise Untrusted
        for item in value:
            if type(item) not in kinds:
                raise Untrusted
        return tuple(value)

    return check_items


class _PerClass(Generic[F]):
    """One generated function per class, made on first use (None: the class has none)."""

    def __init__(self) -> None:
        self._by_class: dict[type, F | None] = {}

    def get(self, cls: type) -> F | None:
        """Return the function generated for `cls`, or None when it cannot have one."""
        try:
            return self._by_class[cls]
        except KeyError:
            pass
        function = self._generate(cls)
        self._by_class[cls] = function
        return function

    def _generate(self, cls: type) -> F | None:
        raise NotImplementedError


class Encoders(_PerClass[Callable[[Any, str, int], Document]]):
    """Generated unstructure functions per event class (`fn(event, name, version)`).

    For `encode` only; `get` gives None for a class whose events cattrs must unstructure.
    """

    def __init__(self, conv: cattrs.Converter, value_classes: tuple[type, ...]) -> None:
        super().__init__()
        self._conv = conv
        self._values = value_classes
        self._value_docs: dict[tuple[type, Any], Callable[[Any], Any]] = {}

    def _value_doc(self, cls: type, declared: Any) -> Callable[[Any], Any]:
        """Return a function giving the shared document of a value of exactly `cls`.

        Anything else (a subclass) goes through the hook cattrs uses for `declared`.
        """
        known = self._value_docs.get((cls, declared))
        if known is not None:
            return known
        hook = self._conv.get_unstructure_hook(cls)
        other = self._conv.get_unstructure_hook(declared)
        # One cache per value class, so values that rarely repeat (counts) cannot evict the
        # ones that do (the `When`s of a day's reports). Each time the cache fills, it is
        # kept on only if it served more hits than misses; a class whose values never
        # repeat (a new count per report) then skips it, and probes again later.
        cache: caches.Memo[int, tuple[object, Any]] = caches.Memo(
            f"{cls.__qualname__} documents",
            max_entries=_DOC_CACHE_SIZE,
            max_bytes=_DOC_CACHE_BYTES,
        )
        get, put = cache.get, cache.put
        hits = misses = skipped = 0
        caching = True

        def value_doc(value: Any) -> Any:
            nonlocal hits, misses, skipped, caching
            if caching:
                hit = get(id(value))
                if hit is not None and hit[0] is value:
                    hits += 1
                    return hit[1]
            if type(value) is not cls:
                return other(value)
            document = hook(value)
            if not caching:
                skipped += 1
                if skipped >= _PROBE_AFTER:
                    caching, skipped = True, 0
                return document
            misses += 1
            # Bounded in bytes too: a document with a megabyte name is not kept.
            length = len(orjson.dumps(document, default=repr))
            if length > _MAX_CACHED_DOC:
                return document
            if cache.full:
                cache.clear()
                caching = hits >= misses
                hits = misses = 0
            put(id(value), (value, document), length)
            return document

        self._value_docs[(cls, declared)] = value_doc
        return value_doc

    def _generate(self, cls: type) -> Callable[[Any, str, int], Document] | None:
        fields = _mirrorable(cls)
        if fields is None:
            return None
        namespace: dict[str, Any] = {}
        items = ["'type': __name", "'v': __version"]
        optional: list[str] = []
        for field in fields:
            if field.default is attrs.NOTHING:
                expr = self._expression(namespace, field, f"__o.{field.name}")
                items.append(f"{field.name!r}: {expr}")
                continue
            # A field at its default is left out, as `conversion.fields_unstructure` does.
            namespace[f"__def{field.index}"] = field.default
            expr = self._expression(namespace, field, "__v", known=field.default is None)
            optional += [
                f"    __v = __o.{field.name}",
                f"    if {_default_test('__v', field.index, field.default)}:",
                f"        __r[{field.name!r}] = {expr}",
            ]
        body = ", ".join(items)
        lines = ["def encode_fields(__o, __name, __version):", f"    __r = {{{body}}}"]
        source = "\n".join([*lines, *optional, "    return __r"]) + "\n"
        _run(source, f"timeline encoder {cls.__qualname__}", namespace)
        function: Callable[[Any, str, int], Document] = namespace["encode_fields"]
        return function

    def _expression(
        self, namespace: dict[str, Any], field: _Field, get: str, *, known: bool = False
    ) -> str:
        """Return the expression writing the value `get` of `field`, adding what it uses.

        `known`: the value is known not to be None (a field left out when None).
        """
        index, tp, inner, item = field.index, field.type, field.inner, field.item
        if field.plain:
            return get
        if tp in self._values:
            namespace[f"__d{index}"] = self._value_doc(tp, tp)
            return f"__d{index}({get})"
        if inner in self._values:
            namespace[f"__d{index}"] = self._value_doc(inner, tp)
            return (
                f"__d{index}({get})" if known else f"(None if {get} is None else __d{index}({get}))"
            )
        if item in _PLAIN:
            return f"list({get})"
        if item in self._values:
            namespace[f"__d{index}"] = self._value_doc(item, item)
            return f"[__d{index}(__x) for __x in {get}]"
        namespace[f"__h{index}"] = self._conv.get_unstructure_hook(tp)
        return f"__h{index}({get})"


class TrustedDecoders(_PerClass[Callable[[Document], "Event"]]):
    """Generated constructors per event class for documents the log itself produced.

    `get` gives None for a class that must be decoded the validating way. A decoder raises
    `Untrusted` (or whatever a nested hook raises) when the document does not fit; the
    caller then decodes it the validating way.
    """

    def __init__(
        self,
        conv: cattrs.Converter,
        identity_converters: tuple[object, ...],
        memo_of: Callable[
            [Callable[..., Any]],
            tuple[Callable[[bytes], Any], Callable[[Any, bytes, Any], Any]] | None,
        ],
        key_options: int,
    ) -> None:
        super().__init__()
        self._conv = conv
        self._identity = identity_converters
        self._memo_of = memo_of
        self._key_options = key_options

    def _structured(
        self, namespace: dict[str, Any], lines: list[str], index: int, value: str, tp: Any
    ) -> str:
        """Add the lines that structure `value` as a `tp` through its hook; return the result.

        Where the hook is memoized (values, tuples of values), its memo is looked up inline
        first, sparing a call per value: news repeats its days, actors and sources. A value
        not found is made by the memo's ``miss`` (the hook's trusted builder where it has
        one, as for `When`, else the hook) and kept, with the key already made.
        """
        inner = optional_inner(tp)
        target = tp if inner is None else inner
        hook = self._conv.get_structure_hook(target)
        nested = self._nested(target, hook)
        item = tuple_item(tp)
        if nested is None and item is not None:
            nested = self._nested(item, self._conv.get_structure_hook(item))
            if nested is not None:
                # A tuple of events (a correction's further replacements).
                namespace[f"__n{index}"], namespace[f"__t{index}"] = nested, item
                lines.append(f"    if type({value}) is not list:")
                lines.append("        raise Untrusted")
                return f"tuple([__n{index}(__e, __t{index}) for __e in {value}])"
        if nested is not None:
            namespace[f"__n{index}"], namespace[f"__t{index}"] = nested, target
            if inner is None:
                return f"__n{index}({value}, __t{index})"
            return f"(None if {value} is None else __n{index}({value}, __t{index}))"
        memo = self._memo_of(hook)
        namespace[f"__h{index}"] = hook
        namespace[f"__t{index}"] = target
        if memo is None:
            if inner is not None:
                hook = self._conv.get_structure_hook(tp)
                namespace[f"__h{index}"], namespace[f"__t{index}"] = hook, tp
            return f"__h{index}({value}, __t{index})"
        namespace[f"__g{index}"], namespace[f"__m{index}"] = memo
        pad = "    "
        lines.append(f"    __v = {value}")
        if inner is not None:
            lines.append("    if __v is None:")
            lines.append("        __r = None")
            lines.append("    else:")
            pad = "        "
        lines.extend(
            [
                f"{pad}try:",
                f"{pad}    __key = __dumps(__v, option=__options)",
                f"{pad}except TypeError:",
                f"{pad}    __r = __h{index}(__v, __t{index})",
                f"{pad}else:",
                f"{pad}    __r = __g{index}(__key)",
                f"{pad}    if __r is None:",
                f"{pad}        __r = __m{index}(__v, __key, __t{index})",
            ]
        )
        return "__r"

    def _nested(self, tp: Any, hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any] | None:
        """Return how to read a nested event of class `tp` (None: `tp` is no event class).

        A nested event (a correction's replacement) passed validation with the event that
        holds it: a document of its type's current version is read by its class's trusted
        decoder too. Any other document, or any doubt, goes through `hook`, which validates
        and upcasts as `decode` does.
        """
        from timeline.events import Event, registered_name  # noqa: PLC0415 - events use codecs

        if not (isinstance(tp, type) and issubclass(tp, Event)):
            return None
        get = self.get

        def nested(document: Any, cls: Any) -> Any:
            if type(document) is dict:
                name = document.get("type")
                entry = registered_name(name) if type(name) is str else None
                version = document.get("v")
                if (
                    entry is not None
                    and type(version) is int
                    and version == entry.version
                    and issubclass(entry.cls, cls)
                ):
                    trusted = get(entry.cls)
                    if trusted is not None:
                        try:
                            return trusted(document)
                        except Exception:  # noqa: BLE001, S110 - any doubt: the hook decides
                            pass
            return hook(document, cls)

        return nested

    def _field_lines(self, namespace: dict[str, Any], field: _Field, value: str) -> list[str]:
        """Return the lines that read `value` (an expression) into `field`'s argument."""
        index, tp, inner, item = field.index, field.type, field.inner, field.item
        lines: list[str] = []
        if field.plain:
            # The JSON type is still checked, as the converter's strict hooks do: inline,
            # since most fields of an event are such scalars.
            lines.extend(_scalar_lines(value, inner or tp, optional=inner is not None))
            expr = "__v"
        elif item in _PLAIN:
            namespace[f"__k{index}"] = _scalars_check(item)
            expr = f"__k{index}({value})"
        else:
            expr = self._structured(namespace, lines, index, value, tp)
        converter = field.converter
        if converter is not None and not (item is not None and converter in self._identity):
            namespace[f"__c{index}"] = converter
            expr = f"__c{index}({expr})"
        lines.append(f"    __a{index} = {expr}")
        return lines

    def _generate(self, cls: type) -> Callable[[Document], Event] | None:
        fields = _mirrorable(cls)
        if fields is None:
            return None
        namespace: dict[str, Any] = {
            "__build": builder(cls),
            "Untrusted": Untrusted,
            "__dumps": orjson.dumps,
            "__options": self._key_options,
            "__missing": _MISSING,
        }
        lines = ["def decode_trusted(__d):", "    __left_out = 0"]
        for field in fields:
            index = field.index
            if field.default is attrs.NOTHING:
                lines += self._field_lines(namespace, field, f"__d[{field.name!r}]")
                continue
            # A key left out holds the field's default, as the converter reads it.
            namespace[f"__def{index}"] = field.default
            lines += [
                f"    __x = __d.get({field.name!r}, __missing)",
                "    if __x is __missing:",
                "        __left_out += 1",
                f"        __a{index} = __def{index}",
                "    else:",
            ]
            lines += ["    " + line for line in self._field_lines(namespace, field, "__x")]
        lines += [f"    if len(__d) + __left_out != {len(fields) + 2}:", "        raise Untrusted"]
        lines.append(f"    return __build({', '.join(f'__a{f.index}' for f in fields)})")
        source = "\n".join(lines) + "\n"
        _run(source, f"timeline trusted decoder {cls.__qualname__}", namespace)
        function: Callable[[Document], Event] = namespace["decode_trusted"]
        return function
