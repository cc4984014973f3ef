"""The shapes of field types that the converter, the generated code and event descriptions know.

``X | None`` and ``tuple[X, ...]`` each get a dedicated hook; one rule decides what counts
as each, so the converter and the generated per-class code can never disagree about it.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

__all__ = ["optional_inner", "tuple_item"]


def optional_inner(tp: Any) -> Any | None:
    """Return ``X`` when `tp` is ``X | None`` (or ``Optional[X]``), else None."""
    if get_origin(tp) not in (Union, types.UnionType):
        return None
    args = get_args(tp)
    if len(args) != 2 or type(None) not in args:
        return None
    return next(arg for arg in args if arg is not type(None))


def tuple_item(tp: Any) -> Any | None:
    """Return ``X`` when `tp` is ``tuple[X, ...]``, else None."""
    args: tuple[Any, ...] = getattr(tp, "__args__", ())
    if getattr(tp, "__origin__", None) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None
