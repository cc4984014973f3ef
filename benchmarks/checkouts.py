"""What the pairs benchmarks share: running code from another checkout, and the machine's load.

`replay_pairs`, `encode_pairs` and `run_pairs` each time this code against another checkout
in alternating fresh processes; each process imports the library of its own checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["checkout_env", "load_average"]


def checkout_env(checkout: Path) -> dict[str, str]:
    """Return the environment of a process that imports `checkout`'s library."""
    return {**os.environ, "PYTHONPATH": str(checkout)}


def load_average() -> str:
    """Return the machine's load averages over 1, 5 and 15 minutes, as the kernel gives them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"
