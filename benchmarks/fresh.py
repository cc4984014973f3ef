"""One query in a fresh process: ``python -m benchmarks.fresh MODE URL [AT]``.

Prints one JSON line with the CPU and wall seconds of the work (after the interpreter and
the imports, which are timed apart as ``import_seconds``):

- ``build``: drops the log's stored checkpoints, then ``TimeMachine(log).situation()``, which
  builds them again and stores them; also prints the stored lanes' total size in bytes.
- ``ask``: ``TimeMachine(log).situation(at=AT)`` answered from stored checkpoints (says
  whether it was); then, timed apart (``read_all_cpu_seconds``, ``read_all_seconds``), every
  item of it read (each section iterated, each position's history), as a program using all
  of it would.
- ``replay``: ``situation(log, at=AT)`` from scratch, and whether a stored-checkpoint answer
  at AT equals it.
"""

from __future__ import annotations

import sys
import time

_started = time.perf_counter()

import orjson  # noqa: E402 - the imports are part of what a fresh process pays

from timeline.log import open_log  # noqa: E402
from timeline.projections import Situation, TimeMachine, situation  # noqa: E402
from timeline.serialization import parse_instant  # noqa: E402
from timeline.stores.checkpoints import checkpoints_for  # noqa: E402

_imported = time.perf_counter() - _started


def main(mode: str, url: str, at_text: str | None) -> None:
    """Run one mode and print its figures."""
    at = parse_instant(at_text) if at_text else None
    result: dict[str, object] = {"mode": mode, "import_seconds": _imported}
    with open_log(url) as log:
        if mode == "build":  # a first build: none stored (a run before this one left some)
            store = checkpoints_for(log.store)
            if store is not None:
                store.drop(log.name)
        cpu, wall = time.process_time(), time.perf_counter()
        if mode == "build":
            TimeMachine(log).situation()  # the log's stored lanes were dropped before
        elif mode == "ask":
            machine = TimeMachine(log)
            answer = machine.situation(at=at)
            result["stored"] = machine.stored_answers == 1
            result["strikes"] = len(answer.strikes)
            read_cpu, read_wall = time.process_time(), time.perf_counter()
            result["items"] = _read_all(answer)
            result["read_all_cpu_seconds"] = time.process_time() - read_cpu
            result["read_all_seconds"] = time.perf_counter() - read_wall
        elif mode == "replay":
            expected = situation(log, at=at)
        else:
            raise SystemExit(f"unknown mode {mode!r}")
        if mode == "ask":
            result["cpu_seconds"] = read_cpu - cpu
            result["seconds"] = read_wall - wall
        else:
            result["cpu_seconds"] = time.process_time() - cpu
            result["seconds"] = time.perf_counter() - wall
        result["events"] = log.version
        if mode == "replay":
            machine = TimeMachine(log)
            result["equal"] = machine.situation(at=at) == expected
            result["stored"] = machine.stored_answers == 1
        if mode == "build":
            store = checkpoints_for(log.store)
            result["bytes"] = sum(lane.size for lane in store.lanes(log.name)) if store else 0
    print(orjson.dumps(result).decode(), flush=True)


def _read_all(answer: Situation) -> int:
    """Read every item of a situation; return how many there were."""
    sections = [
        answer.strikes,
        answer.casualties,
        answer.notifications,
        answer.statements,
        answer.general,
        answer.talks,
        answer.disputes,
        *(position.history for position in answer.positions),
    ]
    return sum(sum(1 for _ in section) for section in sections)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
