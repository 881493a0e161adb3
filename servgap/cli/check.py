"""`servgap check`: validate instrument configs (and, with --data, a survey export against one)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from servgap.checks.files import collect_config_files
from servgap.cli.common import err, handle_errors
from servgap.errors import ExitCode, UserError


class CheckFormat(StrEnum):
    """The formats of `servgap check --format` (docs/check-output.md)."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


@handle_errors
def check(
    paths: Annotated[list[Path], typer.Argument(help="Config files or folders (searched for *.yaml, *.yml).",
                                                show_default=False)],
    output_format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    data: Annotated[Path | None, typer.Option("--data", help="Also check this survey export against the config.",
                                              show_default=False)] = None,
) -> None:
    """Check instrument configs for YAML, schema and semantic problems.

    Exit codes: 0 no errors; 1 errors found (or warnings with --strict); 2 a file could not be read
    or the command was misused.
    """
    from servgap.checks.config import load_config
    from servgap.findings import summarise
    from servgap.render.findings import RENDERERS

    files = collect_config_files(paths)
    if data is not None and len(files) != 1:
        raise UserError("--data checks a data file against one config; name exactly one config file",
                        ExitCode.USAGE)
    findings = []
    loads = []
    for file in files:
        loaded = load_config(file, str(file))
        loads.append(loaded)
        findings.extend(loaded.findings)
    if data is not None:
        from servgap.checks.data import check_data_file

        findings.extend(check_data_file(loads[0], data))
    summary = summarise(findings, len(files))
    sys.stdout.write(RENDERERS[output_format.value](findings, summary))
    if output_format is CheckFormat.text:
        state = "no problems" if not findings else f"{summary.errors} error(s), {summary.warnings} warning(s)"
        err(f"checked {summary.files} file(s): {state}")
    raise typer.Exit(summary.exit_code(strict))
