"""Events of types no loaded module defines read as UnknownEvent and travel losslessly."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import orjson
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline import (
    Actor,
    Correction,
    Event,
    PluginError,
    Retraction,
    SerializationError,
    StrikeReported,
    UnknownEvent,
    When,
    situation,
)
from timeline.clock import frozen_clock
from timeline.interop import export_records, import_text
from timeline.plugins import PLUGINS_ENV, load_plugin, load_plugins
from timeline.serialization import decode, encode, unknown_event
from timeline.stores.base import StoredEvent
from timeline.testing import strategies as ts

DAY = When.on("2023-03-14", tz="America/Chicago")
NOW = pendulum.datetime(2026, 1, 1, tz="UTC")


def _foreign(**fields: object) -> bytes:
    base = StrikeReported(id="x-1", occurred=DAY, reported=DAY)
    document = {
        key: value
        for key, value in orjson.loads(encode(base)).items()
        if key in ("id", "occurred", "reported", "sources")
    }
    document.update(type="elsewhere.spill_reported", v=3, substance="diesel", litres=[1, 2])
    document.update(fields)
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def test_an_unknown_type_keeps_its_name_version_payload_and_common_fields() -> None:
    """`decode` gives an UnknownEvent whose payload re-encodes byte for byte."""
    payload = _foreign()
    event = decode(payload)
    assert isinstance(event, UnknownEvent)
    assert (event.type_name, event.version, event.id) == ("elsewhere.spill_reported", 3, "x-1")
    assert event.occurred == DAY
    assert encode(event) == payload
    assert "substance" in event.note
    assert "litres" in event.note
    assert timeline.label(event) == "Spill reported"
    assert [r.type for r in situation([event]).general] == ["elsewhere.spill_reported"]


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [({"id": "bad id"}, "not a valid id"), ({"occurred": "soon"}, "'occurred'"), ({"v": 0}, "v")],
)
def test_an_unknown_type_without_a_readable_id_or_time_is_an_error(
    fields: dict[str, object], fragment: str
) -> None:
    """Without an id, times and a version that read, there is nothing to place: a clear error."""
    with pytest.raises(SerializationError, match=fragment):
        unknown_event(_foreign(**fields))
    log = timeline.open()
    text = (_foreign(**fields) + b"\n").decode()
    with pytest.raises(SerializationError):
        import_text(log, text, "jsonl")
    assert len(log) == 0


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    events=ts.event_logs(max_size=6),
    foreign=st.lists(
        ts.foreign_events(event_id=ts.ids("foreign")), max_size=4, unique_by=lambda e: e.id
    ),
)
def test_export_then_import_keeps_payloads_and_hashes(
    tmp_path: Path, events: list[Event], foreign: list[Event]
) -> None:
    """A JSON Lines export copied into another store gives the same records and hashes."""
    source = timeline.open()
    with frozen_clock(NOW):
        source.append(*events, *foreign)
    stream = io.StringIO()
    export_records(source.read(), stream, "jsonl")
    assert stream.getvalue().encode() == b"".join(r.payload + b"\n" for r in source.read())
    path = tmp_path / f"copy-{len(events)}-{len(foreign)}.db"
    path.unlink(missing_ok=True)
    with timeline.open(f"sqlite:///{path}") as copy:
        with frozen_clock(NOW):
            import_text(copy, stream.getvalue(), "jsonl")
        original = [(r.type, r.schema_version, r.payload, r.hash) for r in source.read()]
        assert [(r.type, r.schema_version, r.payload, r.hash) for r in copy.read()] == original
        assert copy.verify() == len(original)
        cloud = io.StringIO()
        export_records(copy.read(), cloud, "cloudevents")
    again = timeline.open()
    with frozen_clock(NOW):
        import_text(again, cloud.getvalue(), "cloudevents")
    assert [r.payload for r in again.read()] == [r.payload for r in source.read()]


def _stored_v1(log: timeline.EventLog, type_name: str, document: dict[str, object]) -> None:
    payload = orjson.dumps({**document, "type": type_name, "v": 1}, option=orjson.OPT_SORT_KEYS)
    log.store.append(
        log.name,
        [StoredEvent(str(document["id"]), type_name, 1, payload)],
        expected_version=None,
        recorded_at_us=0,
    )


def test_version_1_records_of_revised_types_read(tmp_path: Path) -> None:
    """Strikes, retractions and corrections stored at version 1 read at version 2."""
    strike = orjson.loads(
        encode(StrikeReported(id="s", occurred=DAY, reported=DAY, actor=Actor("ru", "Russia")))
    )
    common = {k: strike[k] for k in ("occurred", "reported")}
    with timeline.open(f"sqlite:///{tmp_path / 'old.db'}") as log:
        _stored_v1(log, "strike_reported", {k: v for k, v in strike.items() if k != "v"})
        _stored_v1(log, "retraction", {"id": "r", "retracts": "s", "reason": None, **common})
        replacement = {**strike, "v": 1}  # the nested report is upcast too
        _stored_v1(
            log,
            "correction",
            {"id": "c", "corrects": "s", "replacement": replacement, "reason": None, **common},
        )
        read = [record.event for record in log.read()]
    assert isinstance(read[0], StrikeReported)
    assert read[0].actor == Actor("ru", "Russia")
    assert isinstance(read[1], Retraction)
    assert read[1].targets == ("s",)
    assert isinstance(read[2], Correction)
    assert read[2].targets == ("s",)
    assert read[2].more_replacements == ()


def test_an_actor_without_a_principal_name_encodes_as_before() -> None:
    """`principal_name` is left out of stored documents when not given."""
    plain = StrikeReported(id="s", occurred=DAY, reported=DAY, actor=Actor("ru", "Russia"))
    assert b"principal_name" not in encode(plain)
    named = Actor("lavrov", "Sergei Lavrov", speaks_for="russia", principal_name="Russia")
    event = StrikeReported(id="s2", occurred=DAY, reported=DAY, actor=named)
    assert decode(encode(event)) == event
    with pytest.raises(timeline.InvalidValueError, match="speaks for no one"):
        Actor("x", "X", principal_name="Y")


def test_plugins_load_from_names_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin module is imported by name or from TIMELINE_PLUGINS; bad names say why."""
    (tmp_path / "my_plugin_mod.py").write_text("LOADED = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    modules = load_plugins(installed=False, environ={PLUGINS_ENV: " my_plugin_mod , "})
    assert [m.__name__ for m in modules] == ["my_plugin_mod"]
    assert load_plugins(["my_plugin_mod"], environ={})[-1].LOADED
    with pytest.raises(PluginError, match="no_such_plugin_module"):
        load_plugin("no_such_plugin_module")
    with pytest.raises(PluginError):
        load_plugin("")
    (tmp_path / "broken_plugin_mod.py").write_text("raise RuntimeError('boom')\n", "utf-8")
    with pytest.raises(PluginError, match="boom"):
        load_plugin("broken_plugin_mod")
    sys.modules.pop("my_plugin_mod", None)
