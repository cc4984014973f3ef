"""The suite runs on every core by default, and a test marked ``serial`` runs alone.

With pytest-xdist installed (the ``tests`` extra), ``python -m pytest`` runs as if given
``-n auto --dist loadgroup``: one worker per core, and tests marked ``xdist_group`` kept on one
worker. ``-n 0`` runs everything in one process; an explicit ``-n`` or ``--dist`` is kept.

A test marked ``serial`` (the one that stops the shared PostgreSQL server) cannot run beside
others. Across the workers of one run, a reader-writer lock on two files keeps it alone: every
other test holds the "tests" lock shared while it runs; a serial test first closes the "gate"
(no test starts any more), then takes the "tests" lock exclusively, once those running have
ended.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

LOCKS_ENV = "TIMELINE_TESTS_LOCKS"
"""The folder of the run's lock files, made by the controller and inherited by its workers."""
_MADE = pytest.StashKey[str]()


def distribute(config: pytest.Config) -> None:
    """Run on every core (``-n auto --dist loadgroup``) unless told otherwise or in a worker."""
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin("xdist"):
        return
    option = config.option
    if option.numprocesses is None and option.dist == "no" and not option.tx:
        option.numprocesses = "auto"
        option.dist = "loadgroup"


def make_locks(config: pytest.Config) -> None:
    """In the controller of a distributed run, make the folder its workers lock files in."""
    if hasattr(config, "workerinput") or LOCKS_ENV in os.environ:
        return
    if getattr(config.option, "numprocesses", None):
        config.stash[_MADE] = os.environ[LOCKS_ENV] = tempfile.mkdtemp(prefix="timeline-tests-")


def remove_locks(config: pytest.Config) -> None:
    """In the controller, remove the folder `make_locks` made."""
    folder = config.stash.get(_MADE, None)
    if folder is not None:
        os.environ.pop(LOCKS_ENV, None)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def turn(item: pytest.Item) -> Iterator[None]:
    """Hold the run's lock while `item` runs: alone if it is ``serial``, shared otherwise."""
    folder = os.environ.get(LOCKS_ENV)
    if folder is None or not hasattr(item.config, "workerinput"):
        yield  # one process: tests run one at a time anyway
        return
    serial = item.get_closest_marker("serial") is not None
    with (Path(folder) / "gate").open("a") as gate, (Path(folder) / "tests").open("a") as tests:
        fcntl.flock(gate, fcntl.LOCK_EX if serial else fcntl.LOCK_SH)
        fcntl.flock(tests, fcntl.LOCK_EX if serial else fcntl.LOCK_SH)
        if not serial:
            fcntl.flock(gate, fcntl.LOCK_UN)  # let a serial test close the gate meanwhile
        try:
            yield
        finally:
            fcntl.flock(tests, fcntl.LOCK_UN)
            fcntl.flock(gate, fcntl.LOCK_UN)
