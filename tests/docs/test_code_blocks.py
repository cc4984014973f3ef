"""The Python examples in the tutorial and how-to guides run, and the site builds strictly.

Every fenced ``python`` block of a page in ``docs/tutorial/`` or ``docs/how-to/`` runs, in
page order, in one module namespace per page, inside a fresh temporary working directory.
HTML comments on the lines just above a block steer it:

- ``<!-- skip: reason -->`` skips the block; allowed only when it needs a PostgreSQL server
  or a browser (the reason must say which), and the block must still compile.
- ``<!-- file: name.py -->`` also writes the block to ``name.py`` in the working directory,
  so later blocks (and a test run the page shows) can import it.
- ``<!-- output -->`` above a ``text`` block makes it the exact output (stripped) that the
  block before it prints.
- ``<!-- run -->`` above a ``sh`` block of ``timeline ...`` command lines runs each line, in
  page order with the Python blocks, as ``python -m timeline.cli ...``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shlex
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests._needs import unavailable
from timeline import events as event_registry
from timeline import serialization, stores

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(
    [
        DOCS / "index.md",
        *DOCS.glob("tutorial/*.md"),
        *DOCS.glob("how-to/*.md"),
        *DOCS.glob("explanation/*.md"),
    ]
)
SKIP_NEEDS = ("postgresql", "browser")

_FENCE = re.compile(r"^(?P<fence>```+|~~~+)\s*(?P<info>[^\n`]*)$")
_MARKER = re.compile(r"^<!--\s*(?P<key>skip|file|output|run):?\s*(?P<value>.*?)\s*-->$")


@attrs.frozen
class Block:
    """One fenced Python block: where it starts, its code, and the markers above it."""

    page: Path
    line: int  # 1-based line of the first code line
    code: str
    skip: str | None = None
    file: str | None = None
    output: str | None = None  # the text the block must print, when the page shows it
    shell: bool = False  # a block of `timeline` command lines, not Python

    def commands(self) -> list[list[str]]:
        """Return the command lines of a shell block as argument lists for the CLI."""
        lines = [line for line in self.code.splitlines() if line.strip()]
        for line in lines:
            assert line.startswith("timeline "), f"{self.page.name}:{self.line}: {line!r}"
        return [shlex.split(line)[1:] for line in lines]

    def compiled(self) -> types.CodeType:
        """Compile the block so tracebacks name the page and its real line numbers."""
        padded = "\n" * (self.line - 1) + self.code
        return compile(padded, str(self.page.relative_to(ROOT)), "exec")


def python_blocks(page: Path) -> list[Block]:
    """Return the fenced ``python`` blocks (and runnable ``sh`` blocks) of a Markdown page."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index].strip())
        if match is None:
            index += 1
            continue
        fence, info = match["fence"], match["info"].split()
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        markers = _markers(lines, index)
        body = "\n".join(lines[index + 1 : end]) + "\n"
        if info and info[0] == "python":
            blocks.append(
                Block(
                    page=page,
                    line=index + 2,
                    code=body,
                    skip=markers.get("skip"),
                    file=markers.get("file"),
                )
            )
        elif info and info[0] == "sh" and "run" in markers:
            blocks.append(Block(page=page, line=index + 2, code=body, shell=True))
        elif "output" in markers:
            assert blocks, f"{page.name}:{index + 1}: an output block needs a Python block above"
            blocks[-1] = attrs.evolve(blocks[-1], output=body.strip())
        index = end + 1
    return blocks


def _markers(lines: list[str], fence_index: int) -> dict[str, str]:
    markers: dict[str, str] = {}
    above = fence_index - 1
    while above >= 0:
        match = _MARKER.match(lines[above].strip())
        if match is None:
            break
        markers[match["key"]] = match["value"]
        above -= 1
    return markers


@pytest.fixture
def isolated_registries() -> Iterator[None]:
    """Forget the event types, upcasters and store schemes a page registers."""
    registries: list[dict[Any, Any]] = [
        event_registry._by_name,
        event_registry._by_class,
        serialization.upcasting._upcasters,
        stores._openers,
        # The module, not the function of the same name `timeline.projections` exports.
        importlib.import_module("timeline.projections.situation")._added,
    ]
    saved = [dict(registry) for registry in registries]
    yield
    for registry, before in zip(registries, saved, strict=True):
        registry.clear()
        registry.update(before)


def run_commands(block: Block, workdir: Path) -> str:
    """Run a shell block's ``timeline`` command lines; return what they printed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)])}
    printed = []
    for arguments in block.commands():
        result = subprocess.run(
            [sys.executable, "-m", "timeline.cli", *arguments],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, (
            f"{block.page.name}:{block.line}: timeline {shlex.join(arguments)} exited "
            f"{result.returncode}\n{result.stdout}{result.stderr}"
        )
        printed.append(result.stdout)
    return "".join(printed)


def run_page(page: Path, workdir: Path) -> types.ModuleType:
    """Run a page's blocks in order in one fresh module; return the module."""
    name = "docs_" + re.sub(r"\W", "_", f"{page.parent.name}_{page.stem}")
    module = types.ModuleType(name)
    module.__file__ = str(workdir / f"{name}.py")
    before = set(sys.modules)
    sys.modules[name] = module  # attrs and Hypothesis resolve annotations through it
    sys.path.insert(0, str(workdir))
    try:
        for block in python_blocks(page):
            code = None if block.shell else block.compiled()
            if block.file is not None:
                (workdir / block.file).write_text(block.code, encoding="utf-8")
            if block.skip is not None:
                continue
            printed = io.StringIO()
            if block.shell:
                printed.write(run_commands(block, workdir))
            else:
                with contextlib.redirect_stdout(printed):
                    exec(code, module.__dict__)
            if block.output is not None:
                shown = "\n".join(line.rstrip() for line in printed.getvalue().strip().splitlines())
                assert shown == block.output, (
                    f"{block.page.relative_to(ROOT)}:{block.line}: the block printed\n{shown}\n"
                    f"but the page shows\n{block.output}"
                )
    finally:
        sys.path.remove(str(workdir))
        del sys.modules[name]
        for added in set(sys.modules) - before:
            if str(getattr(sys.modules[added], "__file__", None)).startswith(str(workdir)):
                del sys.modules[added]  # a module the page wrote and imported
    return module


def test_pages_are_found() -> None:
    """The tutorial and the how-to guides hold Python examples to run."""
    assert any(p.parent.name == "tutorial" for p in PAGES)
    assert any(p.parent.name == "how-to" for p in PAGES)
    assert sum(len(python_blocks(p)) for p in PAGES) > 0


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_skipped_blocks_compile_and_say_why(page: Path) -> None:
    """A skipped block compiles and needs a PostgreSQL server or a browser."""
    for block in python_blocks(page):
        if block.shell:
            block.commands()
            continue
        block.compiled()
        if block.skip is not None:
            reason = block.skip.lower()
            assert any(need in reason for need in SKIP_NEEDS), (
                f"{page.name}:{block.line}: a block may be skipped only when it needs a "
                f"PostgreSQL server or a browser, not for {block.skip!r}"
            )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.usefixtures("isolated_registries")
def test_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python block of the page runs, in order, in one namespace."""
    monkeypatch.chdir(tmp_path)
    run_page(page, tmp_path)


def test_contract_how_to_passes_the_contract(tmp_path: Path) -> None:
    """The store the contract guide builds passes the suite when pytest runs its test file."""
    page = DOCS / "how-to" / "store-contract.md"
    files = {b.file: b.code for b in python_blocks(page) if b.file is not None}
    assert "test_dict_store.py" in files
    for file_name, code in files.items():
        (tmp_path / file_name).write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_dict_store.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


@pytest.mark.cache_free
def test_site_builds_strictly(tmp_path: Path) -> None:
    """``mkdocs build --strict`` succeeds as the README runs it: no broken link or picture.

    The build draws the pictures itself (the hook in mkdocs.yml), so a clean checkout builds.
    """
    if importlib.util.find_spec("mkdocs") is None:
        unavailable("mkdocs is not installed (pip install -e '.[docs]')")
    if not Path("/usr/bin/chromium").exists() or not Path("/usr/bin/chromedriver").exists():
        unavailable("the doc pictures need Chromium (apt-get install -y chromium chromium-driver)")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "index.html").exists()
    assert (tmp_path / "site" / "images" / "page-desktop.png").exists()
