"""OpenDocument spreadsheets (ODS), read and written with the standard library.

An ODS file is a zip holding ``content.xml``. No maintained ODS library is free of pandas or
of an unmaintained XML layer, and a sheet of reports needs only cells' text, so this reads
the cells' values (their text, or for numbers, dates and yes/no the value the cell stores)
and writes text cells. Repeated empty rows and columns (a sheet's padding to its last row)
take no memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final
from xml.etree import ElementTree as ET

from timeline.errors import InteropError

__all__ = ["read_ods", "write_ods"]

_OFFICE: Final = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE: Final = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT: Final = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_MANIFEST: Final = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_MIME: Final = "application/vnd.oasis.opendocument.spreadsheet"
_MAX_CONTENT: Final = 512 << 20
"""The largest ``content.xml`` read (uncompressed): a zip bomb stops here."""
_VALUE: Final = {
    "float": "value",
    "percentage": "value",
    "currency": "value",
    "date": "date-value",
    "time": "time-value",
    "boolean": "boolean-value",
}


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _repeat(element: ET.Element, name: str) -> int:
    try:
        return max(1, int(element.get(_q(_TABLE, name), "1")))
    except ValueError:
        return 1


def _text(cell: ET.Element) -> str:
    kind = cell.get(_q(_OFFICE, "value-type"))
    attribute = _VALUE.get(kind or "")
    if attribute is not None:
        value = cell.get(_q(_OFFICE, attribute))
        if value is not None:
            if kind == "float" and value.endswith(".0"):
                return value[:-2]
            return value
    return "\n".join("".join(p.itertext()) for p in cell.iter(_q(_TEXT, "p")))


def _row(element: ET.Element) -> list[str]:
    cells: list[str] = []
    pending = 0  # empty cells seen since the last one with text
    for cell in element:
        if cell.tag not in (_q(_TABLE, "table-cell"), _q(_TABLE, "covered-table-cell")):
            continue
        text = _text(cell)
        count = _repeat(cell, "number-columns-repeated")
        if not text:
            pending += count
            continue
        cells.extend([""] * pending)
        pending = 0
        cells.extend([text] * min(count, 16384))
    return cells


def read_ods(path: Path, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]]]:
    """Return a sheet's name and its rows with text, numbered as the spreadsheet shows them.

    Raises:
        InteropError: the file is not an ODS spreadsheet, or has no such sheet.
        OSError: it cannot be read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("content.xml")
            if info.file_size > _MAX_CONTENT:
                msg = f"{path.name}: its content is over {_MAX_CONTENT >> 20} MiB"
                raise InteropError(msg, fmt="table")
            content = archive.read(info)
    except (zipfile.BadZipFile, KeyError):
        msg = f"{path.name} is not an ODS spreadsheet (a zip holding content.xml)"
        raise InteropError(msg, fmt="table") from None
    try:
        root = ET.fromstring(content)  # noqa: S314 - expat expands no external entities
    except ET.ParseError as exc:
        msg = f"{path.name}: its content is not XML ({exc})"
        raise InteropError(msg, fmt="table") from None
    tables = list(root.iter(_q(_TABLE, "table")))
    names = [t.get(_q(_TABLE, "name"), "") for t in tables]
    if not tables or (sheet is not None and sheet not in names):
        msg = f"{path.name} has no sheet {sheet!r} (it has {', '.join(names) or 'none'})"
        raise InteropError(msg, fmt="table")
    table = tables[names.index(sheet) if sheet is not None else 0]
    rows: list[tuple[int, list[str]]] = []
    number = 0
    for row in table.iter(_q(_TABLE, "table-row")):
        count = _repeat(row, "number-rows-repeated")
        cells = _row(row)
        if any(c.strip() for c in cells):
            rows.extend((number + i + 1, list(cells)) for i in range(min(count, 1 << 20)))
        number += count
    return table.get(_q(_TABLE, "name"), ""), rows


def write_ods(path: Path, name: str, grid: list[list[str]]) -> None:
    """Write `grid` as the one sheet `name` of an ODS file, every cell as text.

    Raises:
        OSError: the file cannot be written.
    """
    ET.register_namespace("office", _OFFICE)
    ET.register_namespace("table", _TABLE)
    ET.register_namespace("text", _TEXT)
    root = ET.Element(_q(_OFFICE, "document-content"), {_q(_OFFICE, "version"): "1.2"})
    body = ET.SubElement(ET.SubElement(root, _q(_OFFICE, "body")), _q(_OFFICE, "spreadsheet"))
    table = ET.SubElement(body, _q(_TABLE, "table"), {_q(_TABLE, "name"): name})
    for values in grid:
        row = ET.SubElement(table, _q(_TABLE, "table-row"))
        for value in values:
            if not value:
                ET.SubElement(row, _q(_TABLE, "table-cell"))
                continue
            cell = ET.SubElement(
                row, _q(_TABLE, "table-cell"), {_q(_OFFICE, "value-type"): "string"}
            )
            for line in value.split("\n"):
                ET.SubElement(cell, _q(_TEXT, "p")).text = line
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest:manifest xmlns:manifest="{_MANIFEST}" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), _MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", ET.tostring(root, encoding="UTF-8", xml_declaration=True))
