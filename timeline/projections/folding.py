"""`fold_facts`: a projection's fold over facts, one call for many where it can.

Kept apart from `timeline.projections.base` so that projections wrapping others (the
filters) fold through it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from timeline.projections.knowledge import Fact

__all__ = ["fold_facts"]

S = TypeVar("S")


def fold_facts(projection: Any, state: S, facts: Iterable[Fact]) -> S:
    """Return `state` after `facts`, in order: through ``apply_many`` where the projection has it.

    ``apply_many(state, facts)`` is an optional method of a projection that folds many facts
    in one call (making one new state rather than one per fact); it must return what
    `apply` one fact after another would.
    """
    many = getattr(projection, "apply_many", None)
    if many is not None:
        return many(state, facts)  # type: ignore[no-any-return]
    apply = projection.apply
    for fact in facts:
        state = apply(state, fact)
    return state
