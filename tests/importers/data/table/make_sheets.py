"""Write flood.tsv, flood.json, flood.xlsx and flood.ods: flood.csv's rows in each format.

Run from anywhere: ``python tests/importers/data/table/make_sheets.py`` (XLSX needs openpyxl).
In the XLSX the coordinates are numbers and the report times are date-times, as a person
typing them into a spreadsheet would leave them.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from timeline.importers._sheets import write_sheet

HERE = Path(__file__).resolve().parent


def _typed(column: str, value: str) -> object:
    if value and column in ("lat", "lon"):
        return float(value)
    if value and column == "reported" and value.endswith("Z"):
        return dt.datetime.fromisoformat(value.removesuffix("Z"))  # naive: the column's zone
    return value


def main() -> None:
    with (HERE / "flood.csv").open(encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    for suffix in (".tsv", ".json", ".ods"):
        write_sheet(HERE / f"flood{suffix}", header, rows)
    import openpyxl  # noqa: PLC0415 - only this file needs it

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Reports"
    sheet.append(header)
    for row in rows:
        sheet.append([_typed(c, v) for c, v in zip(header, row, strict=True)])
    actors = book.create_sheet("Actors")
    with (HERE / "actors.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.reader(stream):
            actors.append(row)
    book.save(HERE / "flood.xlsx")


if __name__ == "__main__":
    main()
