"""What the pairs benchmarks share: running code from another checkout, and the machine's load.

`replay_pairs`, `encode_pairs`, `run_pairs` and `answers` each time this code against another
checkout in fresh processes; each process imports the library of its own checkout.
`run_measured` runs one such process and returns what it cost: CPU time, wall time and peak
memory (from ``os.wait4``), stopped after a timeout if one is given.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, NamedTuple

__all__ = ["Measured", "checkout_env", "load_average", "run_code", "run_measured", "worktree"]


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


class Measured(NamedTuple):
    """What one child process cost.

    Attributes:
        cpu: its user + system CPU seconds.
        wall: the wall-clock seconds from its start to its end.
        peak_mib: its peak memory (maximum resident set), MiB.
        returncode: its exit code (negative: the signal that ended it).
        timed_out: it ran past the timeout and was killed (its figures are up to then).
    """

    cpu: float
    wall: float
    peak_mib: float
    returncode: int
    timed_out: bool


def run_measured(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float | None = None,
    stdout: IO[bytes] | int | None = subprocess.DEVNULL,
    stderr: IO[bytes] | int | None = None,
) -> Measured:
    """Run `argv` to its end, or kill it after `timeout` seconds; return what it cost.

    The child is waited for with ``os.wait4``, so its figures are its own, not those of other
    children. Give `stdout` a file, not a pipe: nothing reads a pipe while the child runs.
    """
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=dict(env), stdout=stdout, stderr=stderr)
    lock = threading.Lock()
    state = {"done": False, "killed": False}

    def kill() -> None:
        with lock:
            if not state["done"]:
                os.kill(process.pid, signal.SIGKILL)
                state["killed"] = True

    timer = threading.Timer(timeout, kill) if timeout is not None else None
    if timer is not None:
        timer.start()
    # Wait without reaping: until the child is reaped its id cannot name another process.
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    with lock:
        state["done"] = True
    if timer is not None:
        timer.cancel()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Measured(
        cpu=usage.ru_utime + usage.ru_stime,
        wall=wall,
        peak_mib=usage.ru_maxrss / 1024,  # KiB on Linux
        returncode=process.returncode,
        timed_out=state["killed"],
    )


@contextlib.contextmanager
def worktree(revision: str, repository: Path) -> Iterator[Path]:
    """Check out `revision` of `repository` in a temporary folder; remove it on leaving.

    A detached ``git worktree``: the checkout's own files, as that revision has them.
    """
    folder = Path(tempfile.mkdtemp(prefix="timeline-before-"))
    target = folder / "checkout"
    git = ["git", "-C", str(repository), "worktree"]
    subprocess.run(
        [*git, "add", "--detach", str(target), revision], check=True, capture_output=True
    )
    try:
        yield target
    finally:
        subprocess.run([*git, "remove", "--force", str(target)], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
