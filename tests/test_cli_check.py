"""`servgap check` output formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from servgap.checks import catalogue as rules
from servgap.findings import CheckSummary, Finding
from servgap.render.findings import render_github
from tests.conftest import CONFIGS, ROOT, run_line
from tests.test_config_rules import BASE

BROKEN = BASE.replace("    max: 5\n", "    max: five\n").replace(
    "      - id: s3\n        text:\n          en: Quick answers\n", "")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "study.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_library_exits_0_and_prints_nothing_on_stdout() -> None:
    result = run_line(["check", "--strict", str(CONFIGS)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "checked 5 file(s): no problems" in result.stderr


def test_text_format_is_file_line_col_severity_code(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    result = run_line(["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:8:10: error SG103 [invalid-value] instrument.scale.max: input should be a valid integer\n"
    )


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace("      - id: s3\n        text:\n          en: Quick answers\n", ""))
    assert run_line(["check", str(path)]).exit_code == 0
    strict = run_line(["check", "--strict", str(path)])
    assert strict.exit_code == 1
    assert f"{path}:13:5: warning SG203 [few-items]" in strict.stdout


def test_json_format(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    payload = json.loads(run_line(["check", "-f", "json", str(path)]).stdout)
    assert payload["findings"] == [{
        "file": str(path), "line": 8, "column": 10, "code": "SG103", "rule": "invalid-value",
        "severity": "error", "message": "instrument.scale.max: input should be a valid integer",
    }]
    assert payload["summary"] == {"files": 1, "errors": 1, "warnings": 0, "unreadable": 0}


def test_github_annotations_escape_data_and_properties() -> None:
    finding = Finding("dir,odd:name.yaml", 3, 4, rules.YAML_SYNTAX, "100% wrong\nsecond line")
    text = render_github([finding], CheckSummary(1, 1, 0, 0))
    assert text == ("::error file=dir%2Codd%3Aname.yaml,line=3,col=4,title=SG010 yaml-syntax"
                    "::100%25 wrong%0Asecond line\n")


def test_sarif_is_2_1_0_with_rules_and_regions(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    log = json.loads(run_line(["check", "--format", "sarif", str(path)]).stdout)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    (result,) = run["results"]
    assert rule_ids[result["ruleIndex"]] == "SG103"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 8, "startColumn": 10}
    assert result["level"] == "error"


def test_unknown_format_is_a_usage_error() -> None:
    result = run_line(["check", "--format", "xml", str(CONFIGS)])
    assert result.exit_code == 2


def test_rules_lists_every_code() -> None:
    from servgap.checks.catalogue import all_rules

    text = run_line(["rules"]).stdout
    for rule in all_rules():
        assert f"{rule.code} {rule.name}" in text
    payload = json.loads(run_line(["rules", "--format", "json"]).stdout)
    assert [entry["code"] for entry in payload] == [rule.code for rule in all_rules()]


def test_rules_are_documented_in_the_config_reference() -> None:
    from servgap.checks.catalogue import all_rules

    reference = (ROOT / "docs" / "config-reference.md").read_text(encoding="utf-8")
    missing = [rule.code for rule in all_rules() if rule.code not in reference]
    assert missing == []


def test_check_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from servgap.cli.app import app\n"
        "try:\n"
        f"    app(['check', {str(CONFIGS / 'servqual.yaml')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pandas', 'scipy', 'openpyxl', 'numpy') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip().endswith("[]")


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "servgap", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("servgap ")
