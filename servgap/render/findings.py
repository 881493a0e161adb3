"""Render check findings as text, JSON, GitHub workflow annotations or SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Callable

from servgap.findings import CheckSummary, Finding, Rule
from servgap.render.inert import inert_line, json_text, markdown_cell
from servgap.version import __version__


def _summary_dict(summary: CheckSummary) -> dict[str, int]:
    return {
        "files": summary.files,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "unreadable": summary.unreadable,
    }


def _inert_finding(finding: Finding) -> str:
    """A finding's line with text from files inert; a file name beginning with ':' is shown as './:…',
    so that no line can start as a GitHub workflow command (``::error …``) would."""
    line = inert_line(finding.describe())
    return f"./{line}" if line.startswith(":") else line


def render_text(findings: list[Finding], summary: CheckSummary) -> str:
    """One line per finding, ``file:line:col: severity code [name] message``, as compilers print; text
    from files is inert (control characters and line breaks escaped)."""
    lines = [_inert_finding(f) for f in findings]
    return "\n".join(lines) + ("\n" if lines else "")


def render_json(findings: list[Finding], summary: CheckSummary) -> str:
    """``{"findings": [...], "summary": {...}}``; documented in docs/check-output.md."""
    payload = {
        "findings": [
            {
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "code": f.code,
                "rule": f.rule.name,
                "severity": f.level.value,
                "message": f.message,
            }
            for f in findings
        ],
        "summary": _summary_dict(summary),
    }
    return json_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _escape_data(text: str) -> str:
    # GitHub's own escapes first (they keep line breaks meaningful), then every other control inert.
    return inert_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: list[Finding], summary: CheckSummary) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message``."""
    lines = []
    for f in findings:
        command = "error" if f.is_error else "warning"
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (("file", f.file), ("line", f.line), ("col", f.column),
                               ("title", f"{f.code} {f.rule.name}"))
        )
        lines.append(f"::{command} {properties}::{_escape_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(findings: list[Finding], summary: CheckSummary, rules: tuple[Rule, ...] = ()) -> str:
    """A SARIF 2.1.0 log with one run, the full rule catalogue and one result per finding."""
    from servgap.checks.catalogue import all_rules

    catalogue = rules or all_rules()
    index = {rule.code: position for position, rule in enumerate(catalogue)}
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "servgap",
                        "version": __version__,
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "fullDescription": {"text": rule.explanation},
                                "defaultConfiguration": {"level": rule.severity.value},
                            }
                            for rule in catalogue
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.code,
                        "ruleIndex": index[f.code],
                        "level": f.level.value,
                        "message": {"text": f.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": f.file.replace("\\", "/")},
                                    "region": {"startLine": f.line, "startColumn": f.column},
                                }
                            }
                        ],
                    }
                    for f in findings
                ],
            }
        ],
    }
    return json_text(json.dumps(log, ensure_ascii=False, indent=2) + "\n")


def rules_markdown(rules: tuple[Rule, ...]) -> str:
    """The rule reference as a Markdown table (code, name, severity, what it finds, how to fix it), as
    docs/config-reference.md carries it; `servgap rules --format markdown` prints it."""
    lines = ["| code | name | severity | finds | fix |", "|---|---|---|---|---|"]
    for rule in rules:
        severity = rule.severity.value + (" (exit 2)" if rule.unreadable else "")
        cells = (rule.code, rule.name, severity, rule.summary, rule.explanation)
        lines.append("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[list[Finding], CheckSummary], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}
