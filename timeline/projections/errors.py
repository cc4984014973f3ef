"""Errors of projection queries, each a subclass of the library's own family."""

from __future__ import annotations

from timeline.errors import InvalidValueError, TimelineError

__all__ = ["DiffError", "ProjectionError", "QueryError"]


class QueryError(InvalidValueError):
    """A query argument is not usable (a viewer that is not an actor id, a log that is no log)."""


class ProjectionError(TimelineError):
    """An object passed as a projection lacks `initial`, `apply` or `finish`."""


class DiffError(InvalidValueError):
    """`diff` was given two results that cannot be compared (different kinds)."""
