"""The shape of the code: a pure core, no private names reached across modules, no import cycles.

import-linter (run in CI) holds the layers cli → api → render → analysis → checks → data | results →
instrument → stats → findings | errors; these tests hold what it does not.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "servgap"
CORE = ("analysis", "checks", "data", "instrument", "results", "stats")
CORE_MODULES = ("api.py", "errors.py", "findings.py", "version.py")
PRESENTATION = {"typer", "rich", "openpyxl", "click", "servgap.cli", "servgap.render"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, runtime_only: bool = False) -> list[tuple[str, list[str]]]:
    """(module, imported names) of every import statement, at any depth (function-level included);
    with ``runtime_only``, imports under ``if TYPE_CHECKING:`` (annotations only) are left out."""
    found: list[tuple[str, list[str]]] = []

    def visit(node: ast.AST) -> None:
        if runtime_only and isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
                and node.test.id == "TYPE_CHECKING":
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def core_sources() -> list[Path]:
    return [path for path in sources() if path.relative_to(PACKAGE).parts[0] in CORE
            or path.relative_to(PACKAGE).as_posix() in CORE_MODULES]


def test_the_core_imports_no_presentation_library() -> None:
    offenders = {
        f"{module_name(path)}: {module}"
        for path in core_sources()
        for module, _ in imports(path)
        if any(module == banned or module.startswith(banned + ".") for banned in PRESENTATION)
    }
    assert core_sources(), "the core packages were not found"
    assert offenders == set()


def test_no_module_imports_another_modules_private_names() -> None:
    offenders = {
        f"{module_name(path)}: from {module} import {name}"
        for path in sources()
        for module, names in imports(path)
        if module.startswith("servgap")
        for name in names
        if name.startswith("_") and not name.startswith("__")
    }
    assert offenders == set()


def test_no_import_cycles_between_servgap_modules() -> None:
    known = {module_name(path) for path in sources()}
    graph: dict[str, set[str]] = {}
    for path in sources():
        edges = set()
        for module, names in imports(path, runtime_only=True):
            if not module.startswith("servgap"):
                continue
            targets = [f"{module}.{name}" for name in names if f"{module}.{name}" in known] or [module]
            edges.update(target for target in targets if target in known)
        graph[module_name(path)] = edges - {module_name(path)}

    # Package __init__ modules that only re-export (servgap, servgap.results) are not part of a cycle of logic.
    def reexports(name: str) -> bool:
        return name in ("servgap", "servgap.results")

    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if reexports(target):
                continue
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target):], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state and not reexports(node):
            visit(node, [node])
    assert cycles == []
