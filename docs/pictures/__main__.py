"""Generate every picture of the docs: ``python -m docs.pictures [OUT_DIR]``.

Each module in this folder that exposes ``make(out_dir: pathlib.Path) -> list[pathlib.Path]``
draws its pictures into ``out_dir`` (default: ``docs/images``, which git ignores), from the
examples' data, so the pictures in the docs never go stale. ``mkdocs build`` and ``mkdocs
serve`` run this first when a picture is missing or older than what it is drawn from
(`docs.pictures._hook`); the names written are kept in ``out_dir/.made``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE.parent / "images"
MADE = ".made"


def make_all(out_dir: Path = OUT_DIR) -> list[Path]:
    """Run every picture module's ``make`` into `out_dir`; return the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    root = str(HERE.parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    written: list[Path] = []
    for info in sorted(pkgutil.iter_modules([str(HERE)]), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"docs.pictures.{info.name}")
        make = getattr(module, "make", None)
        if callable(make):
            made = make(out_dir)
            written.extend(made)
            for path in made:
                print(f"{info.name}: {path}")  # noqa: T201 - the runner reports what it wrote
    (out_dir / MADE).write_text("".join(f"{p.name}\n" for p in written), encoding="utf-8")
    return written


if __name__ == "__main__":
    make_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR)
