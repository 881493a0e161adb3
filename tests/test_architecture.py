"""The core stays pure: no CLI, terminal or spreadsheet library is imported under servgap/core."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = {"typer", "rich", "openpyxl", "click", "servgap.cli", "servgap.render"}
CORE = Path(__file__).resolve().parent.parent / "servgap" / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_imports_no_presentation_library() -> None:
    offenders = {
        f"{path.name}: {module}"
        for path in CORE.glob("*.py")
        for module in imported_modules(path)
        if any(module == banned or module.startswith(banned + ".") for banned in FORBIDDEN)
    }
    assert offenders == set()
