"""The README's example and its two set-up commands stay true."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXTRAS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "optional-dependencies"
]


def test_readme_example_runs() -> None:
    """The Python example in the README runs as written."""
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_starts_with_the_replay_and_the_tests() -> None:
    """The first two commands run the 2015 replay and the test suite, and name files that exist."""
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    replay, tests = first_block.group(1).strip().splitlines()
    assert "examples/replay_sept30_oct1.py" in replay
    assert (ROOT / "examples" / "replay_sept30_oct1.py").is_file()
    assert "pytest" in tests


def test_readme_lists_every_extra_with_the_extras_it_includes() -> None:
    """The table of extras has a row per extra of pyproject.toml, naming the extras it pulls in."""
    section = README.split("## What to install", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z]+)` \| (.*) \|$", section, re.MULTILINE))
    assert sorted(rows) == sorted(EXTRAS)
    for extra, says in rows.items():
        named = set(re.findall(r"`([a-z]+)`", says)) & set(EXTRAS)
        included = {
            name
            for requirement in EXTRAS[extra]
            for names in re.findall(r"^newstimeline\[([a-z,]+)\]", requirement)
            for name in names.split(",")
        }
        assert named == included, extra
