"""The chemical-plant fire story, through the public API and the `timeline` command."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import orjson
import pendulum
import pytest

from timeline import diff, positions, situation
from timeline import open as open_log
from timeline.interop.base import import_events
from timeline.interop.timelinejs import to_timelinejs
from timeline.projections.situation import add_section, remove_section
from timeline.render.html import page_data
from timeline.render.layout import layout
from timeline.render.snapshots import panel, snapshots
from timeline.story import story as tell

from ._paths import EXAMPLES, ROOT, run_python

TIMELINE = Path(sys.executable).with_name("timeline")
NAME = "plant-fire"
ZONE = "America/Chicago"
NIGHT = "2023-03-14T04:30"
MORNING = "2023-03-14T10:00"


@pytest.fixture(scope="module")
def story() -> Iterator[ModuleType]:
    """Yield the story module, its plugin loaded and its section added (removed afterwards).

    The plugin adds its section when first imported; another test module may have imported
    it and removed the section since, so it is added here too.
    """
    sys.path.insert(0, str(EXAMPLES))
    try:
        module = importlib.import_module("plant_fire")
        add_section("Air quality", importlib.import_module("plantwatch").AIR_QUALITY)
        yield module
    finally:
        remove_section("Air quality")
        sys.path.remove(str(EXAMPLES))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the URL of a SQLite store holding the story, written by the example script."""
    folder = tmp_path_factory.mktemp("plant")
    result = run_python(
        EXAMPLES / "plant_fire.py", "--db", folder / "plant.db", cwd=folder,
        env={"PYTHONPATH": f"{ROOT}{os.pathsep}{EXAMPLES}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "timeline holds 11 events" in result.stdout
    return f"sqlite:///{folder / 'plant.db'}"


def _cli(*args: str | Path, plugin: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "250", "PYTHONPATH": str(EXAMPLES)}
    env.pop("TIMELINE_PLUGINS", None)
    extra = ["--plugin", "plantwatch"] if plugin else []
    argv = [str(TIMELINE), *map(str, args), "--tz", ZONE, *extra]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)


def _stored(url: str) -> list[tuple[str, int, bytes]]:
    with open_log(url, name=NAME) as log:
        return [(r.type, r.schema_version, r.payload) for r in log.read()]


def test_the_situation_shows_the_users_type_and_section(story: ModuleType) -> None:
    """Readings are in the general section and in the plugin's own section, in order."""
    events = story.build_events()
    morning = pendulum.datetime(2023, 3, 14, 10, tz=ZONE)
    state = situation(events, at=morning)
    readings = [r.id for r in state.general if r.type == "plantwatch.air_reading_taken"]
    assert readings == ["air-north-1", "air-north-2", "air-south-1"]
    assert "Ammonia 61 ppm at Station North (limit 25 ppm)" in [r.label for r in state.general]
    assert [str(p) for p in state.section("Air quality")] == [
        "ammonia: peak 61 ppm at Station North (air-north-2)"
    ]
    assert [s.id for s in state.statements] == ["chief-update"]
    assert {r.id for r in state.general}.isdisjoint({"rumour-explosion", "rumour-casualties"})
    night = situation(events, at=pendulum.datetime(2023, 3, 14, 4, 30, tz=ZONE))
    change = str(diff(night, state))
    assert "+ plantwatch.air_reading_taken air-north-2:" in change
    assert "~ Air quality ammonia:" in change
    assert "Harlow Chemicals" in change
    held = positions(events, at=morning)
    assert [p.name for p in held.positions] == [
        "Harlow Chemicals",
        "Riverton Residents Association",
    ]
    before_retraction = situation(events, known_at=pendulum.datetime(2023, 3, 14, 6, tz=ZONE))
    assert "rumour-explosion" in {r.id for r in before_retraction.general}
    assert "rumour-casualties" in {c.id for c in before_retraction.casualties}


RUMOURS = ("rumour-explosion", "rumour-casualties")


def test_the_retracted_casualties_are_never_told_as_fact_once_withdrawn(story: ModuleType) -> None:
    """From 07:00, when the deleted post's retraction is known, both rumours are struck."""
    events = story.build_events()
    retracted = pendulum.datetime(2023, 3, 14, 7, tz=ZONE)
    times = sorted({w.earliest for e in events for w in (e.occurred, e.reported)} | {retracted})
    for known_at in [*(t for t in times if t >= retracted), None]:
        for at in [*times, None]:
            told = tell(events, at=at, known_at=known_at, tz=ZONE)
            assert all(e.retracted for e in told.entries if e.id in RUMOURS)
            assert "3 killed among plant workers. Made public" not in str(told)
    before = tell(events, known_at=retracted.subtract(minutes=1), tz=ZONE)
    assert "3 killed among plant workers. Made public 04:15." in str(before)


def test_the_page_and_the_chart_strike_both_rumours(story: ModuleType) -> None:
    """The page's story, its marks at each moment and the PNG's marks strike both rumours."""
    events = story.build_events()
    picture = layout(events, tz=ZONE)
    data = page_data(
        picture,
        snapshots(events, max_boundaries=8),
        title="Fire",
        known_by=None,
        told=tell(events, tz=ZONE),
        events=events,
    )
    entries = {e["id"]: e for day in data["story"] for e in day["entries"]}
    marks = {m.id: m for m in picture.marks}
    last = picture.end
    moment = panel(events, last, last, tz=ZONE)
    for rumour in RUMOURS:
        words, *_ = entries[rumour]["runs"]
        assert words[0] == "struck"
        assert marks[rumour].revision == "retracted"
        struck, _, tag = moment["revised"][rumour]
        assert struck
        assert tag == "retracted"
    # Before the retraction is known, the page's marks at that moment strike nothing.
    early = panel(events, last, pendulum.datetime(2023, 3, 14, 6, tz=ZONE), tz=ZONE)
    assert not set(RUMOURS) & set(early["revised"])


def test_timelinejs_places_every_report(story: ModuleType) -> None:
    """Every report of the story, the plugin's included, is a TimelineJS slide."""
    events = story.build_events()
    slides = {s["unique_id"] for s in to_timelinejs(events, title="Fire")["events"]}
    assert {"air-north-1", "fire-alert", "chief-update"} <= slides


@pytest.mark.parametrize("plugin", [True, False], ids=["plugin", "unknown-event"])
def test_the_command_line_reads_the_story(store: str, plugin: bool, tmp_path: Path) -> None:
    """With --plugin every command reads the type; without it, as UnknownEvent, with a note."""
    common = ("--store", store, "--timeline", NAME)
    shown = _cli("situation", *common, "--at", MORNING, plugin=plugin)
    assert shown.returncode == 0, shown.stderr
    note = "note: events of types not loaded ('plantwatch.air_reading_taken')"
    if plugin:
        assert "Ammonia 61 ppm at Station North" in shown.stdout
        assert "ammonia: peak 61 ppm at Station North" in shown.stdout
        assert note not in shown.stderr
    else:
        assert "Air reading taken" in shown.stdout
        assert note in shown.stderr
    assert "Chemical plant fire" in shown.stdout
    assert "Chief Ada Okafor" in shown.stdout
    assert "Harlow Chemicals" in shown.stdout
    held = _cli("positions", *common, "--at", MORNING, plugin=plugin)
    assert held.returncode == 0, held.stderr
    assert "Harlow Chemicals" in held.stdout
    assert "harlow-chemicals" not in held.stdout
    change = _cli("diff", *common, "--from", NIGHT, "--to", MORNING, plugin=plugin)
    assert change.returncode == 0, change.stderr
    assert "air-north-2" in change.stdout
    assert ("Air quality" in change.stdout) is plugin
    assert _cli("verify", *common, plugin=plugin).returncode == 0

    html, png = tmp_path / "fire.html", tmp_path / "fire.png"
    drawn = _cli("render", *common, "--html", html, "--png", png, plugin=plugin)
    assert drawn.returncode == 0, drawn.stderr
    page = html.read_text(encoding="utf-8")
    assert "Chemical plant fire" in page
    assert ("Ammonia 61 ppm" in page) is plugin
    assert ("ammonia: peak 61 ppm at Station North" in page) is plugin  # the plugin's section
    assert png.read_bytes().startswith(b"\x89PNG")

    exported = _cli("export", *common, "--format", "jsonl", plugin=plugin)
    assert exported.returncode == 0, exported.stderr
    stored = _stored(store)
    assert exported.stdout.encode() == b"".join(payload + b"\n" for _, _, payload in stored)
    cloud = _cli("export", *common, "--format", "cloudevents", plugin=plugin)
    assert cloud.returncode == 0, cloud.stderr
    kinds = {item["type"] for item in orjson.loads(cloud.stdout)}
    assert "org.newstimeline.plantwatch.air_reading_taken" in kinds
    slides = _cli("export", *common, "--format", "timelinejs", plugin=plugin)
    assert slides.returncode == 0, slides.stderr
    assert "air-north-2" in {s["unique_id"] for s in orjson.loads(slides.stdout)["events"]}

    dump = tmp_path / "fire.jsonl"
    dump.write_text(exported.stdout, encoding="utf-8")
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    loaded = _cli("import", "--store", copy, "--timeline", NAME, dump, plugin=plugin)
    assert loaded.returncode == 0, loaded.stderr
    assert "imported 11 events" in loaded.stderr
    assert _stored(copy) == stored


def test_a_missing_plugin_is_one_line_and_exit_2(store: str) -> None:
    """--plugin naming no module fails cleanly."""
    env = {**os.environ, "PYTHONPATH": str(EXAMPLES)}
    argv = [str(TIMELINE), "verify", "--store", store, "--timeline", NAME, "--plugin", "nope_mod"]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("timeline: error: cannot load plugin 'nope_mod'")
    assert len(result.stderr.splitlines()) == 1


def test_the_story_imports_through_the_api(story: ModuleType, tmp_path: Path) -> None:
    """The story stores in SQLite and reads back equal, the plugin's type included."""
    events = story.build_events()
    with open_log(f"sqlite:///{tmp_path / 'api.db'}", name=NAME) as log:
        import_events(log, events)
        assert [r.event for r in log.read()] == events
