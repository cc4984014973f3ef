"""Run by .ci/run in a virtual environment holding `pip install .` and nothing else.

The core (events, SQLite, projections, the console) works without any optional dependency,
and none of them was pulled in by the plain install.
"""

import importlib.util
import pathlib
import sys
import tempfile

for name in ("hypothesis", "pytest", "psycopg", "psycopg_pool", "matplotlib", "pyarrow"):
    if importlib.util.find_spec(name) is not None:
        sys.exit(f"a plain install pulled in the optional dependency {name}")

import timeline  # noqa: E402
from timeline import Actor, StrikeReported, When, positions, situation  # noqa: E402
from timeline.console import situation_view  # noqa: E402

day = When.on("2015-09-30", tz="Asia/Damascus")
with tempfile.TemporaryDirectory() as folder:
    log = timeline.open(f"sqlite:///{pathlib.Path(folder) / 'bare.db'}")
    log.append(
        StrikeReported(id="s-1", occurred=day, reported=day, actor=Actor(id="ru", name="Russia"))
    )
    state = situation(log)
    assert len(state.strikes) == 1, state
    positions(log)
    situation_view(state)
    log.verify()
    log.close()
try:
    import timeline.testing
except timeline.MissingDependencyError as exc:
    if exc.extra != "testing":
        sys.exit(f"timeline.testing names the wrong extra: {exc}")
else:
    sys.exit("timeline.testing imported without the testing extra")
print(  # noqa: T201 - the script reports to the CI log
    "bare install: timeline", timeline.__version__, "works without optional dependencies"
)
