"""See a timeline: a self-contained HTML page (`render_html`) and a PNG chart (`render_png`)."""

from timeline.errors import MissingDependencyError, RenderError
from timeline.render.html import html_document, render_html
from timeline.render.png import render_png

__all__ = ["MissingDependencyError", "RenderError", "html_document", "render_html", "render_png"]
