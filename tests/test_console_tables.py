"""Tables in the terminal wrap between words: no id, zone name or word is ever split."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from timeline.console import _Grid

words = st.from_regex(r"[a-z\[][a-z0-9\-/\[\]]{0,20}", fullmatch=True)
cells = st.lists(words, min_size=0, max_size=6).map(" ".join)


def printed(grid: _Grid, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, highlight=False, no_color=True).print(grid)
    return out.getvalue()


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=2, max_value=6).flatmap(
        lambda n: st.tuples(
            st.lists(words, min_size=n, max_size=n),
            st.lists(st.lists(cells, min_size=n, max_size=n), min_size=1, max_size=5),
        )
    ),
    st.integers(min_value=30, max_value=140),
)
def test_every_word_is_printed_whole(shape: tuple[list[str], list[list[str]]], width: int) -> None:
    """At any width, each word of each cell appears whole, and no line is wider."""
    columns, rows = shape
    grid = _Grid("Title", columns)
    for row in rows:
        grid.add_row(*row)
    out = printed(grid, width)
    assert max(len(line) for line in out.splitlines()) <= width
    found = set(re.findall(r"[^\s│┃]+", out))
    for row in rows:
        for cell in row:
            for word in cell.split():
                if len(word) <= width - 4:
                    assert word in found or f"{word}:" in found, (word, out)


def test_a_wide_enough_terminal_gets_a_table_and_a_narrow_one_blocks() -> None:
    """Rows become blocks of "column: value" lines only when the words cannot sit side by side."""
    grid = _Grid("Strikes", ["event", "when"])
    grid.add_row("strikes-ru-mod", "2015-09-30 [Asia/Damascus]")
    assert "┃ event" in printed(grid, 80)
    narrow = printed(grid, 30)
    assert "┃" not in narrow
    assert narrow.split() == ["Strikes", "strikes-ru-mod", "when:", "2015-09-30", "[Asia/Damascus]"]


def test_brackets_in_titles_headers_and_cells_are_printed_as_text() -> None:
    """Text that looks like console markup ("[/]", "[bold]") is printed as it is, never styled."""
    grid = _Grid("[bold]Title[/]", ["[", "[/]"])
    grid.add_row("[red]x", "[/]")
    out = printed(grid, 80)
    assert "[bold]Title[/]" in out
    assert "[red]x" in out
    assert out.count("[/]") == 3
