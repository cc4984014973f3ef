"""The `timeline render` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline import open as open_timeline
from timeline.cli import main

from .story import dataset


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'story.db'}"
    with open_timeline(url) as log:
        log.append(*dataset())
    return url


def test_render_writes_html_and_png(store: str, tmp_path: Path) -> None:
    """`timeline render --html --png` writes both files and exits 0."""
    pytest.importorskip("matplotlib")
    html, png = tmp_path / "out.html", tmp_path / "out.png"
    code = main(
        ["render", "--store", store, "--html", str(html), "--png", str(png), "--title", "T"]
    )
    assert code == 0
    assert '<h1 id="title">T</h1>' in html.read_text(encoding="utf-8")
    assert png.read_bytes().startswith(b"\x89PNG")


def test_render_without_an_output_is_an_error(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """With neither --html nor --png the command says what to give and exits 2."""
    assert main(["render", "--store", store]) == 2
    assert "--html" in capsys.readouterr().err
