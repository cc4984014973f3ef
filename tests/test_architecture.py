"""The package's import graph: no module imports another's private names, and no cycles.

The graph is read from the source with `ast`, so that an import inside a function counts
like one at the top of a module (it runs, later). Imports under ``if TYPE_CHECKING:`` do not
count: they never run, they only name types for the type checker.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import timeline

PACKAGE = Path(timeline.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _type_checking_only(tree: ast.Module) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                hidden.update(id(inner) for inner in ast.walk(child))
    return hidden


def _imports(name: str, path: Path) -> list[tuple[str, str, int]]:
    """Return (module imported, name imported or "", line) for each import that runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, str, int]] = []
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found += [(module, alias.name, node.lineno) for alias in node.names]
    return [item for item in found if item[0] == "timeline" or item[0].startswith("timeline.")]


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for module, imported, _ in _imports(name, path):
            target = f"{module}.{imported}" if f"{module}.{imported}" in MODULES else module
            if target in MODULES and target != name:
                graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return components


def test_no_module_imports_a_private_name_of_another() -> None:
    """``from timeline.x import _y`` is how one copy of a rule reaches into another's house."""
    offenders = [
        f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {module}.{imported}"
        for name in MODULES
        for module, imported, line in _imports(name, MODULES[name])
        if imported.startswith("_")
        and not imported.startswith("__")
        and f"{module}.{imported}" not in MODULES  # a private module itself is the package's
    ]
    assert offenders == []


def test_no_import_cycle_even_inside_functions() -> None:
    """The package's modules import one another in one direction only."""
    assert _cycles(_graph()) == []


def test_the_checker_sees_cycles_and_function_level_imports(tmp_path: Path) -> None:
    """The checker itself: imports inside functions count, ``TYPE_CHECKING`` ones do not."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    module = tmp_path / "example.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from timeline.log import EventLog\n"
        "def f():\n"
        "    from timeline.when import _private\n",
        encoding="utf-8",
    )
    assert _imports("timeline.example", module) == [("timeline.when", "_private", 5)]


def _built_around_init(tree: ast.Module) -> list[int]:
    """Return the lines that make an object without its class's `__init__`.

    ``object.__new__``, a slot's ``__set__``, or ``X.__new__`` of a class other than the one
    whose body holds it (a class may make its own instances: ``cls.__new__(cls)``).
    ``tuple.__new__`` is how a named tuple is made from a row (its own ``_make``).
    """
    found: list[int] = []

    def visit(node: ast.AST, classes: tuple[str, ...]) -> None:
        if isinstance(node, ast.ClassDef):
            classes = (*classes, node.name)
        if isinstance(node, ast.Attribute) and node.attr == "__set__":
            found.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == "__new__":
            own = isinstance(node.value, ast.Name) and node.value.id in {"cls", "tuple", *classes}
            if not own:
                found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, classes)

    visit(tree, ())
    return found


def test_objects_are_built_through_attrs_or_the_one_fast_path() -> None:
    """Only `timeline._building` makes objects around `__init__`: one documented rule."""
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for name, path in MODULES.items()
        if name != "timeline._building"
        for line in _built_around_init(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_checker_sees_objects_built_around_init() -> None:
    """The checker itself: ``object.__new__`` and slot setters count, ``cls.__new__`` not."""
    source = (
        "new = object.__new__\n"
        "setter = Fact.event.__set__\n"
        "other = Chain.__new__(Chain)\n"
        "row = tuple.__new__(Record, (1, 2))\n"
        "class Chain:\n"
        "    def extend(self):\n"
        "        return Chain.__new__(Chain)\n"
        "    @classmethod\n"
        "    def sharing(cls):\n"
        "        return cls.__new__(cls)\n"
    )
    assert _built_around_init(ast.parse(source)) == [1, 2, 3]


_MAY_NAME_THE_PAUSE = {
    "timeline",  # the front door re-exports it
    "timeline.projections",
    "timeline.projections.collector",  # where it lives
    "timeline.cli",  # the command owns its process
}


def _touches_the_collector(path: Path) -> list[tuple[str, int]]:
    """Return (what, line) for each import of `gc` and each use of `paused_collection`."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [("gc", node.lineno) for alias in node.names if alias.name == "gc"]
        elif isinstance(node, ast.ImportFrom):
            found += [("gc", node.lineno)] if node.module == "gc" else []
            found += [
                ("paused_collection", node.lineno)
                for alias in node.names
                if alias.name == "paused_collection"
            ]
        elif (isinstance(node, ast.Name) and node.id == "paused_collection") or (
            isinstance(node, ast.Attribute) and node.attr == "paused_collection"
        ):
            found.append(("paused_collection", node.lineno))
    return found


def test_only_the_command_pauses_the_garbage_collector() -> None:
    """Library code leaves the collector alone; only the command, owning its process, pauses it.

    Only the pause's own module imports ``gc``.
    """
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for name, path in MODULES.items()
        for what, line in _touches_the_collector(path)
        if not (what == "gc" and name == "timeline.projections.collector")
        and not (what == "paused_collection" and name in _MAY_NAME_THE_PAUSE)
    ]
    assert offenders == []
