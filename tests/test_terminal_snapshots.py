"""Snapshots of the terminal views at 80 columns without colour (regenerate with --update-golden)."""

from __future__ import annotations

import pytest

from tests.conftest import CONFIGS, EXAMPLES, run_line
from tests.helpers import FIXTURES


@pytest.fixture(autouse=True)
def plain_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


def lines_fit(text: str) -> bool:
    return all(len(line) <= 80 for line in text.splitlines())


def test_zone_of_tolerance_and_ipa_view(golden) -> None:
    result = run_line(["analyze", str(EXAMPLES / "helpdesk/responses.csv"), "-c", str(CONFIGS / "helpdesk.yaml")])
    text = result.stdout.replace(str(EXAMPLES), "examples")
    assert lines_fit(text)
    golden("helpdesk.txt", text)


def test_demo_report(golden) -> None:
    text = run_line(["demo", "--lang", "zh"]).stdout
    assert lines_fit(text)
    golden("demo-zh.txt", text)


def test_checklist_view(golden) -> None:
    text = run_line(["checklist", str(FIXTURES / "mini.csv"), "-c", str(FIXTURES / "mini-management.yaml"),
                     "--managers", str(FIXTURES / "managers.csv"), "--audits", str(FIXTURES / "audits.csv"),
                     "--staff", str(FIXTURES / "staff.csv")]).stdout
    assert "[ ]" in text
    golden("checklist.txt", text)


def test_compare_view(golden) -> None:
    text = run_line(["compare", str(FIXTURES / "mini-waves.csv"), "-c", str(FIXTURES / "mini.yaml"),
                     "--wave", "wave"]).stdout
    assert lines_fit(text)
    golden("compare.txt", text)
