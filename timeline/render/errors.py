"""The errors of rendering, in the `TimelineError` family."""

from __future__ import annotations

from timeline.errors import TimelineError

__all__ = ["MissingDependencyError", "RenderError"]


class RenderError(TimelineError):
    """A timeline cannot be rendered as asked."""


class MissingDependencyError(RenderError, ImportError):
    """An optional package a renderer needs is not installed (the message says how to get it)."""
