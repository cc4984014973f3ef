"""Hostile names, URLs, documents, command lines and arguments: a TimelineError or exit 2.

Each of the first four targets runs `FUZZ_EXAMPLES` (2,500) generated cases against a seeded
store; the four argument targets (the model's constructors, the queries, the log's reads,
follows, settings and anchors, the views and exports) run `ARGUMENT_EXAMPLES` calls each,
one hostile value in one argument of a public function (20,000 in all in the thorough
profile). After every case the seeded timeline is unchanged (unless the case was an import
that succeeded), and after all of them, and a garbage collection, the resident memory of the
process has grown by less than `MEMORY_BOUND`.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import subprocess
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability import _calls, _hostile, _settings
from timeline.cli import EXIT_CODES, main
from timeline.errors import TimelineError
from timeline.interop import import_text
from timeline.log import EventLog, open_log
from timeline.serialization import dumps
from timeline.stores.base import MAX_TIMELINE_NAME_BYTES
from timeline.testing.contract import make_events

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

pytestmark = pytest.mark.reliability

MEMORY_BOUND = 256 * 1024 * 1024
"""How much the resident memory may grow across the 10,000 cases (after `gc.collect`)."""

FUZZ = settings(
    max_examples=_settings.FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
ARGUMENTS = settings(FUZZ, max_examples=_settings.ARGUMENT_EXAMPLES)
NAME = "seeded"
_HOSTILE_TEXT = [
    "\ud800",
    "a\x00b",
    "%00",
    "%ff",
    "x" * 6_000,
    "é" * (MAX_TIMELINE_NAME_BYTES // 2 + 1),
    "[",
    "..",
    "/",
    "\n",
    "1e309",
    "nan",
    "-1",
]


def resident() -> int:
    """Return this process's resident memory in bytes."""
    with open("/proc/self/statm") as stream:  # noqa: PTH123 - a proc file
        return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def texts() -> st.SearchStrategy[str]:
    """Generate hostile short texts, shrinking towards the empty string."""
    return st.one_of(st.text(max_size=30), st.sampled_from(_HOSTILE_TEXT))


_NOWHERE = "/no-such-folder-for-timeline-tests"


@st.composite
def urls(draw: st.DrawFn) -> str:
    """Generate store URLs: known and unknown schemes, hostile paths, hosts and options."""
    scheme = draw(st.sampled_from(["sqlite", "memory", "postgresql", "postgres", "SQLite", ""]))
    scheme = draw(st.one_of(st.just(scheme), texts()))
    options = draw(
        st.lists(
            st.tuples(
                st.sampled_from(
                    ["timeout", "mode", "synchronous", "schema", "pool_size", "lock_timeout"]
                )
                | texts().map(lambda t: "x_" + t),
                texts(),
            ),
            max_size=3,
        )
    )
    query = "&".join(f"{k}={v}" for k, v in options)
    if scheme.lower().startswith("postgres"):
        # Hosts that refuse at once or cannot parse: no case waits on the network.
        host = draw(st.sampled_from(["u:p@127.0.0.1:1", "u:p@[bad", "u@h:port", "127.0.0.1:99999"]))
        return f"{scheme}://{host}/{draw(texts())}?{query}"
    separator = draw(st.sampled_from(["://", "://", ":/", ""]))
    # An absolute path only ever into a folder that does not exist: the tests may run as root,
    # and a store must never be made outside the test's own folder.
    root = draw(st.sampled_from(["/", "", f"/{_NOWHERE}/"]))
    return f"{scheme}{separator}{root}{draw(texts())}?{query}"


Seeded = tuple[str, "Callable[[], Any]"]


@pytest.fixture
def seeded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Return a seeded SQLite store's URL and a function snapshotting it; cwd is a tmp folder."""
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'seeded.db'}?synchronous=normal"
    with open_log(url, name=NAME) as log:
        log.append(*make_events(3, prefix="seed"))

    def snapshot() -> Any:
        with open_log(url, name=NAME) as log:
            return log.version, log.head_hash, log.store.timelines()

    return url, snapshot


@pytest.fixture(scope="module")
def memory_at_start() -> Iterator[int]:
    """Measure the resident memory before the first target, and check the bound after the last."""
    gc.collect()
    start = resident()
    yield start
    gc.collect()
    grown = resident() - start
    assert grown < MEMORY_BOUND, f"resident memory grew by {grown / 2**20:.0f} MiB"


def figure(target: str, outcomes: Counter[str], record: Callable[[_settings.Figure], None]) -> None:
    """Record the figure of one target."""
    total = sum(outcomes.values())
    assert total >= _settings.FUZZ_EXAMPLES * 0.9
    gc.collect()
    record(
        _settings.Figure(
            what=f"Hostile {target}",
            store="sqlite",
            amount=f"{total:,} generated",
            result=", ".join(f"{n:,} {what}" for what, n in sorted(outcomes.items()))
            + f"; 0 other exceptions; log unchanged; resident {resident() / 2**20:.0f} MiB",
        )
    )


def test_hostile_timeline_names(
    seeded: Seeded,
    memory_at_start: int,
    figures: Callable[[_settings.Figure], None],
) -> None:
    """A name is held by the store or refused with a TimelineError; the store is unchanged."""
    url, snapshot = seeded
    before = snapshot()
    outcomes: Counter[str] = Counter()
    with open_log(url, name=NAME) as seed:

        @FUZZ
        @given(st.one_of(texts(), st.text(min_size=300, max_size=600)))
        def check(name: str) -> None:
            try:
                log = EventLog(seed.store, name)
                assert log.version >= 0
                assert list(log.read(limit=1)) is not None
                log.verify()
            except TimelineError:
                outcomes["refused with a TimelineError"] += 1
                return
            outcomes["accepted"] += 1

        check()
    assert snapshot() == before
    figure("timeline names", outcomes, figures)


def test_hostile_store_urls(
    seeded: Seeded,
    memory_at_start: int,
    figures: Callable[[_settings.Figure], None],
) -> None:
    """A URL opens a store or raises a TimelineError; the seeded store is unchanged."""
    _, snapshot = seeded
    before = snapshot()
    outcomes: Counter[str] = Counter()

    @FUZZ
    @given(urls())
    def check(url: str) -> None:
        try:
            with open_log(url, name=NAME) as log:
                log.verify()
        except TimelineError as exc:
            outcomes[type(exc).__name__] += 1
            return
        outcomes["opened"] += 1

    check()
    assert snapshot() == before
    figure("store URLs", outcomes, figures)


def test_hostile_documents(
    seeded: Seeded,
    memory_at_start: int,
    figures: Callable[[_settings.Figure], None],
) -> None:
    """An import of hostile JSON Lines imports whole or raises, leaving the log unchanged."""
    url, _ = seeded
    pool = _hostile.real_events(100)
    documents = st.one_of(
        _hostile.mutated_documents(pool).map(_hostile.dump),
        _hostile.raw_texts(),
        st.sampled_from(pool).map(dumps).map(lambda t: t[:-1] + ',"id":"x"}'),
    )
    outcomes: Counter[str] = Counter()
    with open_log(url, name=NAME) as log:

        @FUZZ
        @given(st.lists(documents, min_size=1, max_size=3))
        def check(lines: list[str]) -> None:
            before = (log.version, log.head_hash)
            try:
                import_text(log, "\n".join(lines), "jsonl")
            except TimelineError:
                assert (log.version, log.head_hash) == before
                outcomes["rejected with a TimelineError"] += 1
                return
            outcomes["imported"] += 1

        check()
        assert log.verify() == log.version
    figure("documents (JSON Lines imports)", outcomes, figures)


_COMMANDS = ["replay", "situation", "positions", "diff", "verify", "import", "export", "render"]
_OPTIONS = [
    "--at",
    "--known-at",
    "--known-by",
    "--from",
    "--to",
    "--tz",
    "--format",
    "--timeline",
    "--output",
    "--anchor",
    "--key-file",
    "--title",
    "--html",
]


@st.composite
def command_lines(draw: st.DrawFn, store: str, folder: Path) -> list[str]:
    """Generate a command line: a command, then options with hostile values, some unknown."""
    argv = [draw(st.sampled_from([*_COMMANDS, "bogus", ""]))]
    argv += ["--store", draw(st.one_of(st.just(store), urls()))]
    for option in draw(st.lists(st.sampled_from([*_OPTIONS, "--bogus"]), max_size=4)):
        value = draw(
            st.one_of(
                texts().map(lambda text: str(_calls.confined(text))),  # maybe a path it writes
                st.sampled_from(_hostile._DATES),
                st.sampled_from(["jsonl", "cloudevents", "timelinejs", NAME]),
                st.sampled_from([str(folder / "out.txt"), "/dev/full", "-", str(folder)]),
            )
        )
        argv += [option, value]
    if argv[0] == "import":
        argv.append(draw(st.sampled_from([str(folder / "doc.jsonl"), str(folder), "missing"])))
    return argv


def run_main(argv: list[str]) -> tuple[int, str]:
    """Run `timeline.cli.main` in this process; return its status and its stderr."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


def test_hostile_command_lines_in_process(
    seeded: Seeded,
    tmp_path: Path,
    memory_at_start: int,
    figures: Callable[[_settings.Figure], None],
) -> None:
    """`timeline.cli.main` on hostile command lines: exit 0 or 2, one line, no traceback."""
    url, snapshot = seeded
    state = {"before": snapshot()}
    (tmp_path / "doc.jsonl").write_text("\n".join(map(dumps, make_events(2, prefix="doc"))))
    outcomes: Counter[str] = Counter()

    @FUZZ
    @given(command_lines(url, tmp_path))
    def check(argv: list[str]) -> None:
        code, err = run_main(argv)
        assert code in {EXIT_CODES["ok"], EXIT_CODES["bad input or usage"]}, (argv, err)
        assert "Traceback" not in err
        assert "internal error" not in err
        if code != 0:
            assert len(err.strip().splitlines()) <= 40, err  # usage text, or one line
        if argv[0] == "import" and code == 0:
            state["before"] = snapshot()  # a valid import may add to the store
        assert snapshot() == state["before"]
        outcomes[f"exit {code}"] += 1

    check()
    figure("command lines (`timeline.cli.main` in process)", outcomes, figures)


_SAMPLE = [
    (["export", "--store", "{store}", "--timeline", NAME], "closed"),
    (["replay", "--store", "{store}", "--timeline", NAME], "closed"),
    (["export", "--store", "{store}", "--timeline", NAME], "/dev/full"),
    (["situation", "--store", "{store}", "--timeline", NAME], "/dev/full"),
    (["export", "--store", "{store}", "--timeline", NAME, "-o", "/dev/full"], None),
    (["import", "/dev/zero", "--store", "{store}", "--timeline", NAME], None),
    (["import", "/dev/null", "--store", "sqlite:///:memory:"], None),
    (["verify", "--store", "{store}", "--timeline", NAME, "--anchor", "/dev/zero"], None),
    (["verify", "--store", "{store}", "--timeline", NAME, "--anchor", "/etc/hostname"], None),
    (["verify", "--store", "sqlite:///%00"], None),
    (["verify", "--store", "sqlite:///x.db?timeout=1e309"], None),
    (["verify", "--store", "postgresql://u:p@[bad/db"], None),
    (["verify", "--store", "{store}", "--timeline", "\udcff"], None),
    (["situation", "--store", "{store}", "--timeline", NAME, "--at", "2015-09-30X10:00"], None),
    (["bogus"], None),
    ([], None),
]


@pytest.mark.parametrize(("argv", "stdout"), _SAMPLE)
def test_command_lines_in_a_subprocess(seeded: Seeded, argv: list[str], stdout: str | None) -> None:
    """The installed `timeline` on a closed pipe, /dev/full, /dev/zero, bad URLs: no traceback."""
    url, snapshot = seeded
    before = snapshot()
    args = [a.replace("{store}", url) for a in argv]
    command = [os.path.join(os.path.dirname(sys.executable), "timeline"), *args]  # noqa: PTH118, PTH120
    if stdout == "closed":
        reader, writer = os.pipe()
        os.close(reader)
        done = subprocess.run(command, stdout=writer, stderr=subprocess.PIPE, check=False)
        os.close(writer)
        assert done.returncode == EXIT_CODES["output closed"], done.stderr
        assert b"error" not in done.stderr  # it ends quietly
    else:
        with contextlib.ExitStack() as stack:
            out = stack.enter_context(open(stdout, "w")) if stdout else subprocess.PIPE  # noqa: PTH123
            done = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, check=False)
        assert done.returncode == EXIT_CODES["bad input or usage"], done.stderr
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        assert lines, "a failure says why"
        assert lines[-1].startswith("timeline"), lines
    assert b"Traceback" not in done.stderr
    assert snapshot() == before


def _hostile_arguments(
    url: str,
    calls: dict[str, _calls.Call],
    target: str,
    record: Callable[[_settings.Figure], None],
) -> None:
    """Make `calls` with hostile values: each works or raises a TimelineError, nothing else."""
    outcomes: Counter[str] = Counter()
    with open_log(url, name=NAME) as seeded, open_log(url, name="scratch") as scratch:
        context = _calls.Context(seeded, scratch)
        before = (seeded.version, seeded.head_hash)

        @ARGUMENTS
        @given(st.sampled_from(sorted(calls)), _calls.hostile_values())
        def check(name: str, value: Any) -> None:
            try:
                calls[name](value, context)
            except TimelineError as exc:
                outcomes[type(exc).__name__] += 1
            else:
                outcomes["accepted"] += 1
            assert (seeded.version, seeded.head_hash) == before, name

        check()
        assert seeded.verify() == seeded.version
        assert scratch.verify() == scratch.version
    total = sum(outcomes.values())
    assert total >= _settings.ARGUMENT_EXAMPLES * 0.9
    gc.collect()
    refused = total - outcomes["accepted"]
    record(
        _settings.Figure(
            what=f"Hostile arguments: {target}",
            store="sqlite",
            amount=f"{total:,} calls of {len(calls)} kinds",
            result=f"{outcomes['accepted']:,} accepted, {refused:,} refused with "
            f"{len(outcomes) - 1} TimelineError classes; 0 other exceptions; log unchanged; "
            f"resident {resident() / 2**20:.0f} MiB",
        )
    )


def test_hostile_model_arguments(
    seeded: Seeded, memory_at_start: int, figures: Callable[[_settings.Figure], None]
) -> None:
    """Each model constructor, When builder and event field: built and stored, or refused."""
    _hostile_arguments(seeded[0], _calls.MODEL, "model constructors and events", figures)


def test_hostile_query_arguments(
    seeded: Seeded, memory_at_start: int, figures: Callable[[_settings.Figure], None]
) -> None:
    """situation, positions, story, diff, TimeMachine and filters: answered, or refused."""
    _hostile_arguments(seeded[0], _calls.QUERIES, "queries and filters", figures)


def test_hostile_log_arguments(
    seeded: Seeded, memory_at_start: int, figures: Callable[[_settings.Figure], None]
) -> None:
    """The log's reads, follows, verify, settings and anchors: done, or refused."""
    _hostile_arguments(seeded[0], _calls.LOG, "log, settings and anchors", figures)


# matplotlib warns of a glyph its font lacks (a control character, a rare script) and draws
# a box: the chart is still written.
@pytest.mark.filterwarnings("ignore:Glyph .* missing from font:UserWarning")
def test_hostile_output_arguments(
    seeded: Seeded, memory_at_start: int, figures: Callable[[_settings.Figure], None]
) -> None:
    """render_html, render_png, export_records and the importers' arguments: written, or refused."""
    pytest.importorskip("matplotlib")
    calls = _calls.OUTPUT | _calls.PNG
    _hostile_arguments(seeded[0], calls, "views, exports and imports", figures)
