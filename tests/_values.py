"""Comparing values field by field: equal, and of the same types all the way down."""

from __future__ import annotations

import attrs


def same(left: object, right: object) -> None:
    """Assert equal values of the same types, field by field, recursively."""
    assert type(left) is type(right)
    assert left == right
    if attrs.has(type(left)):
        for field in attrs.fields(type(left)):
            same(getattr(left, field.name), getattr(right, field.name))
    elif isinstance(left, tuple):
        for a, b in zip(left, right, strict=True):  # type: ignore[call-overload]
            same(a, b)
