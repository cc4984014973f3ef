"""Reading one field of a dataset row, with errors that name the line and the column."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

import pendulum

from timeline.errors import BadRowError

__all__ = ["Fields", "slug"]

_SLUG: Final = re.compile(r"[^A-Za-z0-9._:/@+-]+")


def slug(text: str) -> str:
    """Return `text` as an id fragment: runs of other characters become one ``-``."""
    return _SLUG.sub("-", text.strip()).strip("-._:/@+") or "x"


class Fields:
    """The fields of one row, read by column name."""

    def __init__(
        self, fmt: str, line: int, row: list[str], columns: dict[str, int], expected: int | None
    ) -> None:
        if expected is not None and len(row) != expected:
            msg = f"expected {expected} tab-separated columns, found {len(row)}"
            raise BadRowError(msg, fmt=fmt, line=line, column=str(len(row)))
        self.fmt = fmt
        self.line = line
        self.row = row
        self.columns = columns

    def fail(self, column: str, message: str) -> BadRowError:
        """Return the error for a bad value in `column`."""
        return BadRowError(message, fmt=self.fmt, line=self.line, column=column)

    def text(self, column: str) -> str | None:
        """Return the stripped text of `column`, or None when it is empty."""
        index = self.columns[column]
        value = self.row[index].strip() if index < len(self.row) else ""
        return value or None

    def required(self, column: str) -> str:
        """Return the text of `column`; empty is an error."""
        value = self.text(column)
        if value is None:
            raise self.fail(column, "is empty")
        return value

    def integer(self, column: str) -> int | None:
        """Return `column` as a whole number, or None when empty."""
        value = self.text(column)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise self.fail(column, f"{value!r} is not a whole number") from None

    def number(self, column: str) -> float | None:
        """Return `column` as a number, or None when empty."""
        value = self.text(column)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.fail(column, f"{value!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):  # noqa: PLR0124 - NaN
            raise self.fail(column, f"{value!r} is not a finite number")
        return number

    def day(self, column: str) -> dt.date:
        """Return `column`, a YYYYMMDD day."""
        value = self.required(column)
        try:
            return dt.datetime.strptime(value, "%Y%m%d").date()
        except ValueError:
            raise self.fail(column, f"{value!r} is not a YYYYMMDD date") from None

    def stamp(self, column: str) -> pendulum.DateTime:
        """Return `column`, a YYYYMMDDHHMMSS instant in UTC."""
        value = self.required(column)
        try:
            parsed = dt.datetime.strptime(value, "%Y%m%d%H%M%S")
        except ValueError:
            raise self.fail(column, f"{value!r} is not a YYYYMMDDHHMMSS time") from None
        return pendulum.instance(parsed.replace(tzinfo=dt.UTC), tz="UTC")
