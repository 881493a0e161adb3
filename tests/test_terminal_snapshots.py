"""Snapshots of the terminal views at 80 columns without colour (regenerate with --update-golden)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, run_line

FIXTURES_DIR = "tests/fixtures"


@pytest.fixture(autouse=True)
def plain_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    # Relative paths, so the snapshots do not depend on where the repository is checked out.
    monkeypatch.chdir(ROOT)


def lines_fit(text: str) -> bool:
    return all(len(line) <= 80 for line in text.splitlines())


def test_zone_of_tolerance_and_ipa_view(golden) -> None:
    result = run_line(["analyze", "examples/helpdesk/responses.csv", "-c", "configs/helpdesk.yaml"])
    text = result.stdout
    assert lines_fit(text)
    golden("helpdesk.txt", text)


def test_demo_report(golden) -> None:
    text = run_line(["demo", "--lang", "zh", "--no-excel"]).stdout
    assert lines_fit(text)
    golden("demo-zh.txt", text)


def test_checklist_view(golden) -> None:
    text = run_line(["checklist", f"{FIXTURES_DIR}/mini.csv", "-c", f"{FIXTURES_DIR}/mini-management.yaml",
                     "--managers", f"{FIXTURES_DIR}/managers.csv", "--audits", f"{FIXTURES_DIR}/audits.csv",
                     "--staff", f"{FIXTURES_DIR}/staff.csv"]).stdout
    assert "[ ]" in text
    golden("checklist.txt", text)


def test_compare_view(golden) -> None:
    text = run_line(["compare", f"{FIXTURES_DIR}/mini-waves.csv", "-c", f"{FIXTURES_DIR}/mini.yaml",
                     "--wave", "wave"]).stdout
    assert lines_fit(text)
    golden("compare.txt", text)
