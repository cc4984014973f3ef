"""Rendering logs with many actors stays bounded: lanes are capped, big logs are counted."""

from __future__ import annotations

import importlib
import io
import json
import re

import pendulum
import pytest

from timeline import Actor, ActorKind, Event, StrikeReported, When
from timeline.render import html_document, render_png
from timeline.render.layout import DEFAULT_MAX_LANES

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

START = pendulum.datetime(2015, 9, 30, tz="Asia/Damascus")


def _many_actors(count: int) -> list[Event]:
    """Return `count` strikes, each by an actor of its own, an hour apart."""
    return [
        StrikeReported(
            id=f"s-{i}",
            occurred=When.exact(START.add(minutes=i)),
            reported=When.exact(START.add(minutes=i + 30)),
            actor=Actor(f"actor-{i}", f"Armed group {i}", ActorKind.ARMED_GROUP),
        )
        for i in range(count)
    ]


def test_html_of_8000_actors_caps_the_lanes_and_counts_the_events() -> None:
    """8,000 actors give at most the lane limit, the others sharing one, and counts per lane."""
    page = html_document(_many_actors(8000))
    found = re.search(r'id="timeline-data">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert len(data["lanes"]) == DEFAULT_MAX_LANES
    assert data["lanes"][-1]["name"] == f"{8000 - DEFAULT_MAX_LANES + 1:,} other actors"
    assert data["summary"] is True
    assert sum(sum(row) for row in data["density"]["counts"].values()) == 8000
    assert data["states"][data["grid"][-1][-1]]["total"] == 8000
    assert len(page) < 2_000_000


def test_png_of_100000_actors_draws_a_bounded_chart() -> None:
    """100,000 actors draw a chart of bounded height, with no MemoryError."""
    image = importlib.import_module("matplotlib.image")  # the tests extra installs it
    stream = io.BytesIO()
    render_png(_many_actors(100_000), stream, title="Many actors")
    stream.seek(0)
    height, width = image.imread(stream, format="png").shape[:2]
    assert width == 1600
    assert height < 3000
