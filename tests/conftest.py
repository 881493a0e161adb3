"""Shared test helpers: run the CLI like a shell line, and the paths of bundled files."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from servgap.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("TERMINAL_WIDTH", "100")
os.environ.setdefault("_TYPER_FORCE_DISABLE_TERMINAL", "1")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_line(line: str | list[str]) -> Run:
    """Run ``servgap ...`` in-process, e.g. ``run_line("check configs/")``."""
    args = shlex.split(line) if isinstance(line, str) else line
    runner = CliRunner()
    result = runner.invoke(app, args, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli():
    return run_line


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite the golden files of terminal views.")


GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/NAME (or rewrite it with --update-golden)."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"tests/golden/{name} is missing; write it with pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8"), f"{name} changed; review, then run pytest --update-golden"

    return check


@pytest.fixture(autouse=True)
def run_in_a_scratch_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands that write beside themselves (servgap demo's workbook) write into a scratch folder."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
