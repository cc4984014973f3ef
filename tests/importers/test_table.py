"""A reporter's own sheet, read through a mapping: every format, every field, stable ids."""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

import pendulum
import pytest

import timeline
from timeline import clock
from timeline.errors import BadRowError, InteropError
from timeline.events import CasualtiesReported, Correction, IncidentReported, StatementMade
from timeline.importers.table import check_table, current_reports, import_table
from timeline.model import ActorKind, Quantity, QuantityKind, Stance
from timeline.when import WhenKind

DATA = Path(__file__).parent / "data" / "table"
FORMATS = ("csv", "tsv", "json", "ods")


def _events(path: Path, mapping: Path | str = DATA / "flood.toml") -> list[timeline.Event]:
    log = timeline.open("memory://")
    import_table(log, path, mapping)
    return [record.event for record in log.read()]


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_reads_the_events_of_the_csv(suffix: str) -> None:
    """TSV, JSON and ODS copies of the sheet give the events the CSV gives."""
    assert _events(DATA / f"flood.{suffix}") == _events(DATA / "flood.csv")


def test_an_xlsx_workbook_with_typed_cells_and_an_actors_sheet(tmp_path: Path) -> None:
    """XLSX numbers, date-times and an actors sheet read as the CSV's text and actors file."""
    pytest.importorskip("openpyxl")
    text = (
        (DATA / "flood.toml")
        .read_text()
        .replace('actors = "actors.csv"', 'actors = { sheet = "Actors" }\nsheet = "Reports"')
    )
    mapping = tmp_path / "flood.toml"
    mapping.write_text(text)
    assert _events(DATA / "flood.xlsx", mapping) == _events(DATA / "flood.csv")


def test_cells_become_the_fields_the_mapping_names() -> None:
    """Times, actors, places, sources, figures, stances and links read as the sheet says."""
    warning, flood, casualties, statement, correction = _events(DATA / "flood.csv")
    assert isinstance(warning, IncidentReported)
    assert warning.id == "flood-1"
    assert warning.occurred.kind is WhenKind.PERIOD
    assert warning.occurred.phrase == "on Tuesday"
    assert warning.occurred.zone == "Europe/Madrid"
    assert warning.actors[0].kind is ActorKind.GOVERNMENT  # from the actors file
    assert warning.places[0].coordinates == (39.47, -0.376)
    assert isinstance(flood, IncidentReported)
    assert flood.occurred.kind is WhenKind.INTERVAL
    assert [str(f) for f in flood.figures] == [
        "about 300 evacuated",
        "2 firefighters hurt",
        "120 homes flooded",
    ]
    source = flood.sources[0]
    assert (source.url, source.quote) == ("https://www.levante-emv.com/", "the ravine overflowed")
    assert isinstance(casualties, CasualtiesReported)
    assert casualties.occurred.kind is WhenKind.ABOUT
    assert casualties.occurred.margin == pendulum.duration(hours=2)
    assert casualties.killed == Quantity.at_least(62)
    assert casualties.injured == Quantity(QuantityKind.BETWEEN, 10, 20)
    assert casualties.cause == "flood-2"
    assert isinstance(statement, StatementMade)
    assert statement.speaker.speaks_for == "gva"
    assert statement.speaker.principal_name == "Generalitat Valenciana"
    assert [(s.stance, s.proposition.text) for s in statement.stances] == [
        (Stance.SUPPORTS, "the warnings came in time"),
        (Stance.OPPOSES, "the alert was late"),
    ]
    assert isinstance(correction, Correction)
    assert correction.corrects == "flood-3"
    assert correction.reason == "death toll revised"
    assert correction.replacement.killed == Quantity.at_least(70)  # type: ignore[attr-defined]


def test_importing_the_same_sheet_again_adds_nothing() -> None:
    """A second import of an unchanged sheet stores no event."""
    log = timeline.open("memory://")
    first = import_table(log, DATA / "flood.csv", DATA / "flood.toml")
    again = import_table(log, DATA / "flood.csv", DATA / "flood.toml")
    assert (first.added, again.events, again.added, len(log)) == (5, 0, 0, 5)


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    for name in ("flood.toml", "actors.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    sheet = tmp_path / "flood.csv"
    text = (DATA / "flood.csv").read_text()
    assert old in text
    sheet.write_text(text.replace(old, new))
    return sheet


def test_an_edited_row_becomes_a_correction_known_from_the_import(tmp_path: Path) -> None:
    """Edit a figure: the old one is what was known before the import, the new one after."""
    log = timeline.open("memory://")
    import_table(log, DATA / "flood.csv", DATA / "flood.toml")
    sheet = _edited(tmp_path, "about 300,", "about 450,")
    at = pendulum.datetime(2024, 11, 5, 12, tz="UTC")
    with clock.frozen_clock(at):
        summary = import_table(log, sheet, tmp_path / "flood.toml")
    assert (summary.added, summary.notes) == (1, ("1 edited rows became corrections",))
    (edit,) = [r.event for r in log.read()][5:]
    assert isinstance(edit, Correction)
    assert edit.reported.latest == at

    def flood(known_at: pendulum.DateTime) -> str:
        situation = timeline.situation(log, known_at=known_at)
        return next(r.label for r in situation.general if r.id == "flood-2")

    assert "about 300 evacuated" in flood(at.subtract(days=1))
    assert "about 450 evacuated" in flood(at.add(minutes=1))
    assert import_table(log, sheet, tmp_path / "flood.toml").added == 0


def test_an_edit_is_reported_at_the_updated_column(tmp_path: Path) -> None:
    """With an updated cell, the correction is reported then, not at the import's time."""
    log = timeline.open("memory://")
    import_table(log, DATA / "flood.csv", DATA / "flood.toml")
    sheet = _edited(tmp_path, "red weather warning,,AEMET,", "red weather warning,,AEMET,")
    text = sheet.read_text().replace(
        "-0.376,AEMET,https://www.aemet.es/,,,,,,,,,,",
        "-0.376,AEMET,https://www.aemet.es/,,,,,,,2024-10-29T09:30,,,",
    )
    sheet.write_text(text.replace("Valencia,39.47", "València,39.47"))
    import_table(log, sheet, tmp_path / "flood.toml")
    edit = [r.event for r in log.read()][-1]
    assert isinstance(edit, Correction)
    assert edit.reported.latest == pendulum.datetime(2024, 10, 29, 9, 30, tz="Europe/Madrid")


def test_a_removed_row_is_retracted_only_when_asked(tmp_path: Path) -> None:
    """Without retract_missing a removed row changes nothing; with it, a retraction."""
    log = timeline.open("memory://")
    import_table(log, DATA / "flood.csv", DATA / "flood.toml")
    sheet = _edited(
        tmp_path, "1,incident,2024-10-29,on Tuesday", "1,incident,2024-10-29,on Tuesday"
    )
    sheet.write_text(
        "\n".join(line for line in sheet.read_text().splitlines() if not line.startswith("4,"))
        + "\n"
    )
    assert import_table(log, sheet, tmp_path / "flood.toml").added == 0
    summary = import_table(log, sheet, tmp_path / "flood.toml", retract_missing=True)
    assert summary.notes == ("1 removed rows became retractions",)
    assert "flood-4" not in {e.id for e in current_reports(log)}
    again = import_table(log, sheet, tmp_path / "flood.toml", retract_missing=True)
    assert again.added == 0


def test_bad_cells_are_named_by_row_and_column_and_nothing_is_written() -> None:
    """The check lists every bad cell; the import stops at the first and writes nothing."""
    log = timeline.open("memory://")
    rows, problems = check_table(log, DATA / "flood_bad.csv", DATA / "flood.toml")
    assert rows == 5
    assert [(p.format, p.line, p.column) for p in problems] == [
        ("flood_bad.csv", 2, "reported"),
        ("flood_bad.csv", 2, "lat"),
        ("flood_bad.csv", 3, "type"),
        ("flood_bad.csv", 4, "killed"),
        ("flood_bad.csv", 5, "what"),
        ("flood_bad.csv", 5, "evacuated"),
        ("flood_bad.csv", 6, "id"),
        ("flood_bad.csv", 6, "stances"),
    ]
    assert "'dozens' is not a count" in str(problems[3])
    assert "'yesterday-ish' is not a time" in str(problems[0])
    with pytest.raises(BadRowError, match=r"flood_bad.csv line 2: column reported"):
        import_table(log, DATA / "flood_bad.csv", DATA / "flood.toml")
    assert len(log) == 0


def test_a_user_type_from_a_plugin_with_hashed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin's type is read by its fields' parts; ids hash the id columns; re-import adds 0."""
    monkeypatch.syspath_prepend(str(DATA))
    from timeline.plugins import load_plugin  # noqa: PLC0415

    load_plugin("rescue_types")
    log = timeline.open("memory://")
    first = import_table(log, DATA / "rescue.json", DATA / "rescue.toml")
    paiporta, catarroja = (r.event for r in log.read())
    assert paiporta.id.startswith("rescue-")
    assert len(paiporta.id) == len("rescue-") + 16
    assert [a.name for a in paiporta.rescuers] == ["UME", "Guardia Civil"]  # type: ignore[attr-defined]
    assert paiporta.rescued == Quantity.about(200)  # type: ignore[attr-defined]
    assert (paiporta.boats, paiporta.by_air) == (12, False)  # type: ignore[attr-defined]
    assert (catarroja.boats, catarroja.by_air) == (None, True)  # type: ignore[attr-defined]
    assert first.added == 2
    assert import_table(log, DATA / "rescue.json", DATA / "rescue.toml").added == 0
    sys.modules.pop("rescue_types", None)


def test_a_malformed_mapping_names_its_key(tmp_path: Path) -> None:
    """A mapping with an unknown key or a bad type says which."""
    data = tomllib.loads((DATA / "flood.toml").read_text())
    bad = tmp_path / "bad.toml"
    bad.write_text((DATA / "flood.toml").read_text().replace('id = "id"', 'ids = "id"'))
    assert "id" in data
    with pytest.raises(InteropError, match="unknown keys"):
        import_table(timeline.open("memory://"), DATA / "flood.csv", bad)


def test_a_row_revising_an_id_no_row_has_writes_nothing(tmp_path: Path) -> None:
    """A correction of a row that is nowhere in the sheet or the log stops the whole import."""
    sheet = _edited(tmp_path, "at least 70,,2,,3,,", "at least 70,,2,,33,,")
    log = timeline.open("memory://")
    with pytest.raises(BadRowError, match=r"line 6: column corrects: no row of the sheet"):
        import_table(log, sheet, tmp_path / "flood.toml")
    assert len(log) == 0
    _, problems = check_table(log, sheet, tmp_path / "flood.toml")
    assert [(p.line, p.column) for p in problems] == [(6, "corrects")]


@pytest.mark.parametrize("suffix", [*FORMATS, "xlsx"])
def test_an_exported_sheet_reads_back_to_the_current_reports(suffix: str, tmp_path: Path) -> None:
    """export_table writes, in every format, a sheet the mapping reads back to equal reports."""
    if suffix == "xlsx":
        pytest.importorskip("openpyxl")
    from timeline.importers.table import export_table  # noqa: PLC0415

    log = timeline.open("memory://")
    import_table(log, DATA / "flood.csv", DATA / "flood.toml")
    path = tmp_path / f"back.{suffix}"
    assert export_table(log, path, DATA / "flood.toml") == 4
    other = timeline.open("memory://")
    import_table(other, path, DATA / "flood.toml")
    assert current_reports(other) == current_reports(log)
