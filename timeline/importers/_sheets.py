"""Sheets read and written: CSV, TSV, JSON, JSON Lines, ODS, and (with the extra) XLSX.

A sheet is a header and rows of text cells; rows are numbered as a spreadsheet shows them
(the header is row 1), and blank rows are left out.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import orjson

from timeline.errors import FileAccessError, InteropError, MissingDependencyError
from timeline.importers._ods import read_ods, write_ods

__all__ = ["SHEET_SUFFIXES", "Sheet", "read_sheet", "write_sheet"]

SHEET_SUFFIXES: Final = (".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson", ".xlsx", ".ods")
"""The file name endings a sheet may have."""


@attrs.frozen
class Sheet:
    """A header and its rows, each numbered as the spreadsheet shows it."""

    name: str
    header: tuple[str, ...]
    rows: Callable[[], Iterator[tuple[int, list[str]]]]
    """Reads the rows afresh (a CSV file again, so memory holds one row)."""


def _missing(package: str) -> MissingDependencyError:
    msg = f"reading and writing XLSX needs {package}: pip install 'newstimeline[spreadsheets]'"
    return MissingDependencyError(msg, package=package, extra="spreadsheets")


def _cell(value: object) -> str:  # noqa: PLR0911 - one per kind of value a sheet holds
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return orjson.dumps(value).decode()


def _grid(name: str, grid: Sequence[Sequence[object]]) -> Sheet:
    rows: list[tuple[int, list[str]]] = []
    header: tuple[str, ...] | None = None
    for number, raw in enumerate(grid, start=1):
        cells = [_cell(v) for v in raw]
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = tuple(c.strip() for c in cells)
            continue
        rows.append((number, cells + [""] * (len(header) - len(cells))))
    kept = tuple(rows)
    return Sheet(name, header or (), lambda: iter(kept))


def _objects(name: str, items: list[Any]) -> Sheet:
    header: dict[str, None] = {}
    for item in items:
        if not isinstance(item, dict):
            msg = f"{name}: every item must be an object of column = value, got {item!r:.60}"
            raise InteropError(msg, fmt="table")
        header.update(dict.fromkeys(item))
    columns = tuple(header)
    rows = tuple(
        (number, [_cell(item.get(c)) for c in columns])
        for number, item in enumerate(items, start=2)
    )
    return Sheet(name, columns, lambda: iter(rows))


def _json(path: Path, data: bytes) -> Sheet:
    text = data.strip()
    try:
        if path.suffix in (".jsonl", ".ndjson"):
            items = [orjson.loads(line) for line in text.splitlines() if line.strip()]
        else:
            items = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        msg = f"{path.name} is not JSON ({exc})"
        raise InteropError(msg, fmt="table") from None
    if not isinstance(items, list):
        msg = f"{path.name} must hold an array of objects"
        raise InteropError(msg, fmt="table")
    return _objects(path.name, items)


def _workbook(path: Path, sheet: str | None) -> Sheet:
    if path.suffix == ".xlsx":
        try:
            import openpyxl  # noqa: PLC0415 - an optional extra
        except ImportError:
            raise _missing("openpyxl") from None
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            ws = book[sheet] if sheet else book.worksheets[0]
            grid = [list(row) for row in ws.iter_rows(values_only=True)]
            return _grid(ws.title, grid)
        except KeyError:
            msg = f"{path.name} has no sheet {sheet!r} (it has {', '.join(book.sheetnames)})"
            raise InteropError(msg, fmt="table") from None
        finally:
            book.close()
    name, numbered = read_ods(path, sheet)
    if not numbered:
        return Sheet(name, (), lambda: iter(()))
    header = tuple(c.strip() for c in numbered[0][1])
    width = len(header)
    kept = tuple((n, cells + [""] * (width - len(cells))) for n, cells in numbered[1:])
    return Sheet(name, header, lambda: iter(kept))


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    """Read the sheet of a file (of a workbook: the sheet named `sheet`, else the first).

    Raises:
        FileAccessError: the file cannot be read.
        InteropError: its content is not a sheet.
        MissingDependencyError: XLSX without the ``spreadsheets`` extra (openpyxl).
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        msg = f"{file.name}: a sheet is one of {', '.join(SHEET_SUFFIXES)}"
        raise InteropError(msg, fmt="table")
    try:
        if suffix in (".xlsx", ".ods"):
            return _workbook(file, sheet)
        if suffix in (".json", ".jsonl", ".ndjson"):
            return _json(file, file.read_bytes())
    except OSError as exc:
        msg = f"cannot read {str(file)!r}: {exc.strerror}"
        raise FileAccessError(msg) from exc
    return _delimited(file, "excel-tab" if suffix in (".tsv", ".tab") else "excel")


def _delimited(file: Path, dialect: str) -> Sheet:
    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            stream = file.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            msg = f"cannot read {str(file)!r}: {exc.strerror}"
            raise FileAccessError(msg) from exc
        with stream:
            try:
                for number, cells in enumerate(csv.reader(stream, dialect), start=1):
                    if any(c.strip() for c in cells):
                        yield number, cells
            except UnicodeDecodeError as exc:
                msg = f"{file.name} is not UTF-8 ({exc.reason} at byte {exc.start})"
                raise InteropError(msg, fmt="table") from None

    first = next(rows(), None)
    header = tuple(c.strip() for c in first[1]) if first else ()
    width = len(header)

    def data() -> Iterator[tuple[int, list[str]]]:
        read = rows()
        next(read, None)
        for number, cells in read:
            yield number, cells if len(cells) >= width else cells + [""] * (width - len(cells))

    return Sheet(file.name, header, data)


def write_sheet(
    path: str | Path, header: Sequence[str], rows: Sequence[Sequence[str]], name: str = "Reports"
) -> None:
    """Write a header and rows as the file's suffix says (csv, tsv, json, jsonl, xlsx, ods).

    Raises:
        FileAccessError: the file cannot be written.
        MissingDependencyError: XLSX without the ``spreadsheets`` extra (openpyxl).
    """
    file = Path(path)
    suffix = file.suffix.lower()
    try:
        if suffix == ".xlsx":
            try:
                import openpyxl  # noqa: PLC0415 - an optional extra
            except ImportError:
                raise _missing("openpyxl") from None
            book = openpyxl.Workbook()
            ws = book.active
            ws.title = name
            ws.append(list(header))
            for row in rows:
                ws.append(list(row))
            book.save(file)
        elif suffix == ".ods":
            write_ods(file, name, [list(header), *map(list, rows)])
        elif suffix in (".json", ".jsonl", ".ndjson"):
            items = [dict(zip(header, row, strict=True)) for row in rows]
            if suffix == ".json":
                file.write_bytes(orjson.dumps(items, option=orjson.OPT_INDENT_2) + b"\n")
            else:
                file.write_bytes(b"".join(orjson.dumps(i) + b"\n" for i in items))
        else:
            dialect = "excel-tab" if suffix in (".tsv", ".tab") else "excel"
            with file.open("w", encoding="utf-8", newline="") as stream:
                writer = csv.writer(stream, dialect)
                writer.writerow(header)
                writer.writerows(rows)
    except OSError as exc:
        msg = f"cannot write {str(file)!r}: {exc.strerror}"
        raise FileAccessError(msg) from exc
