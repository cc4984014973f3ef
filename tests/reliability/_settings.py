"""How hard the reliability suite pushes, read from the environment, and where its figures go.

- ``TIMELINE_RELIABILITY_SECONDS``: how long the load test runs per store (default 8; the
  thorough mode uses 30).
- ``TIMELINE_RELIABILITY=thorough``: more corruption cases and fuzz examples, 30 s of load.
- ``TIMELINE_RELIABILITY_FIGURES``: a JSON file that collects the figures (by default
  ``reliability-figures.json`` in pytest's base temporary folder); each figure is printed too.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import attrs

from tests import _profile

THOROUGH = os.environ.get("TIMELINE_RELIABILITY", "").lower() == "thorough"
SCALE = 4 if THOROUGH else 1
LOAD_SECONDS = float(os.environ.get("TIMELINE_RELIABILITY_SECONDS", "30" if THOROUGH else "8"))
CRASH_ROUNDS = 50
CORRUPTION_CASES = 200 * SCALE
FUZZ_EXAMPLES = 2_500 * SCALE
"""Examples per fuzz target; four targets make at least 10,000 documents a run."""
ARGUMENT_EXAMPLES = 5_000 if THOROUGH or _profile.thorough() else 1_500
"""Examples per hostile-argument target: four targets make 20,000 calls in the thorough
profile (``TIMELINE_RELIABILITY=thorough`` or ``TIMELINE_HYPOTHESIS_PROFILE=thorough``),
6,000 in the default one."""


def processes() -> multiprocessing.context.ForkServerContext:
    """Return a fork-server context whose children start with the workers already imported.

    Spawning imports timeline afresh in every child (about half a second); the fork server
    imports it once, so the 50 crash rounds stay short. It is itself a single-threaded
    process, so forking it is safe where forking pytest (with pool threads) is not.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.reliability._workers"])
    return context


@attrs.frozen
class Figure:
    """One row of the "Reliability figures" table in docs/stores.md."""

    what: str
    store: str
    amount: str
    result: str
    records_per_second: float | None = None


def record(figure: Figure, default_folder: Path) -> None:
    """Print `figure` and add it to the figures file."""
    path = Path(
        os.environ.get("TIMELINE_RELIABILITY_FIGURES", default_folder / "reliability-figures.json")
    )
    rate = "" if figure.records_per_second is None else f"{figure.records_per_second:,.0f}"
    cells = (figure.what, figure.store, figure.amount, figure.result, rate)
    print("\nRELIABILITY | " + " | ".join(cells))
    figures = json.loads(path.read_text()) if path.exists() else []
    figures.append(attrs.asdict(figure))
    path.write_text(json.dumps(figures, indent=2))
