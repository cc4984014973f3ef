"""The command line keeps checkpoints beside the log, skips them on --no-cache, drops them."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
from timeline.answer_key import answer_key
from timeline.stores.checkpoints import checkpoints_for

from timeline.log import open_log
from timeline.projections.situation import SITUATION

from .examples._paths import DATASET


def _timeline(*argv: str) -> subprocess.CompletedProcess[str]:
    command = shutil.which("timeline", path=str(Path(sys.executable).parent))
    assert command is not None, "the timeline entry point is not installed"
    return subprocess.run([command, *argv], capture_output=True, text=True, check=False)


def _lanes(url: str) -> int:
    with open_log(url) as log:
        store = checkpoints_for(log.store)
        assert store is not None
        return len(store.lanes(log.name))


def test_queries_store_checkpoints_and_the_checkpoints_command_shows_and_drops_them(
    tmp_path: Path,
) -> None:
    """Situation writes a lane; --no-cache writes none; show lists it; drop removes it."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert _timeline("import", str(DATASET), "--store", url).returncode == 0
    first = _timeline("situation", "--store", url, "--at", "2015-09-30T12:00Z")
    assert first.returncode == 0, first.stderr
    assert _lanes(url) == 1
    again = _timeline("situation", "--store", url, "--at", "2015-09-30T12:00Z")
    assert again.stdout == first.stdout
    uncached = _timeline("positions", "--store", url, "--no-cache")
    assert uncached.returncode == 0, uncached.stderr
    assert _lanes(url) == 1
    shown = _timeline("checkpoints", "show", "--store", url)
    assert shown.returncode == 0
    lane = f"timeline.situation v{SITUATION.version}, everything known, by the public: current"
    assert lane in shown.stdout
    dropped = _timeline("checkpoints", "drop", "--store", url)
    assert dropped.returncode == 0
    assert "dropped 3 checkpoint rows" in dropped.stdout  # header, a state, its facts
    assert _lanes(url) == 0


def test_the_checkpoints_command_rejects_an_unknown_action(tmp_path: Path) -> None:
    """An unknown action is bad input: one line on stderr, exit status 2."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = _timeline("checkpoints", "purge", "--store", url)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1


def _forge_names(url: str, name: bytes, forged: bytes) -> None:
    """Rename `name` in every stored row and recompute the unkeyed digest rows once carried."""
    with open_log(url) as log:
        store = checkpoints_for(log.store)
        assert store is not None
        for info in store.lanes(log.name):
            rows = []
            for row in store.rows(log.name, info.lane, last=10**6):
                body = row.body.replace(name, forged)
                h = hashlib.blake2b(digest_size=16)
                h.update(
                    f"{log.name}\x00{info.lane}\x00{row.seq}\x00{row.position}\x00{row.head}\x00".encode()
                )
                h.update(body)
                rows.append(row._replace(body=body, digest=h.hexdigest()))
            store.replace(log.name, info.lane, rows)


def test_a_forged_stored_answer_is_never_shown_and_verify_reports_it(tmp_path: Path) -> None:
    """An actor renamed EVIL in the stored rows: situation shows the truth, verify exits 1."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert _timeline("import", str(DATASET), "--store", url).returncode == 0
    truth = _timeline("situation", "--store", url)
    assert "Russian air force" in truth.stdout
    _forge_names(url, b'"Russian air force"', b'"EVIL"')
    checked = _timeline("verify", "--store", url)
    assert checked.returncode == 1
    said = " ".join(checked.stdout.split())  # as read, whatever the terminal's width
    assert "verified 22 records of timeline 'default'" in said  # the chain holds
    lane = f"timeline.situation v{SITUATION.version}, everything known, by the public"
    assert f"stored answers: {lane}: forged, 3 of 3 rows fail their digest" in said
    assert said.endswith(
        "stored answers: 1 lane checked with key " + _key_id() + ": 1 forged: refused"
    )
    as_json = orjson.loads(_timeline("verify", "--store", url, "--json").stdout)
    assert as_json["ok"] is True
    assert as_json["answers"]["ok"] is False
    assert as_json["answers"]["lanes"] == [
        {"lane": lane, "status": "forged", "rows": 3, "failed": 3}
    ]
    shown = _timeline("situation", "--store", url)
    assert shown.returncode == 0
    assert "EVIL" not in shown.stdout
    assert (
        shown.stdout == truth.stdout == _timeline("situation", "--store", url, "--no-cache").stdout
    )
    rebuilt = _timeline("verify", "--store", url)
    assert rebuilt.returncode == 0
    assert " ".join(rebuilt.stdout.split()).endswith(f"key {_key_id()}: 1 current: ok")


def _key_id() -> str:
    key = answer_key()
    assert key is not None
    return key.id
