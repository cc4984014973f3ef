"""What the pairs benchmarks share: running code from another checkout, and the machine's load.

`replay_pairs`, `encode_pairs` and `run_pairs` each time this code against another checkout
in alternating fresh processes; each process imports the library of its own checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["checkout_env", "load_average", "run_code"]


def checkout_env(checkout: Path) -> dict[str, str]:
    """Return the environment of a process that imports `checkout`'s library."""
    return {**os.environ, "PYTHONPATH": str(checkout)}


def load_average() -> str:
    """Return the machine's load averages over 1, 5 and 15 minutes, as the kernel gives them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def run_code(checkout: Path, code: str, *args: str) -> str:
    """Run `code` with `args` in a fresh process importing `checkout`; return its last line."""
    output = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
        env=checkout_env(checkout),
        cwd=checkout,
    ).stdout
    return output.strip().splitlines()[-1]
