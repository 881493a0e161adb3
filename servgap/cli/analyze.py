"""`servgap analyze` and `servgap demo`: the customer-gap report of a survey export."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from servgap.cli.common import emit, err, handle_errors
from servgap.core.config import Correction, Test
from servgap.core.errors import ExitCode, UserError
from servgap.core.read_options import InvalidPolicy, Layout

if TYPE_CHECKING:
    from servgap.core.config import InstrumentConfig
    from servgap.core.results import Assessment

MAX_LISTED = 50
PROGRESS_BYTES = 20 * 1024 * 1024


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def load_valid_config(path: Path) -> InstrumentConfig:
    """Load a config or stop with its findings (exit 1; 2 if unreadable)."""
    from servgap.core.checker import load_config
    from servgap.core.findings import Severity

    loaded = load_config(path, str(path))
    errors = [f for f in loaded.findings if f.level is Severity.ERROR]
    if errors or loaded.config is None:
        lines = [f"{f.file}:{f.line}:{f.column}: {f.level.value} {f.code} {f.message}" for f in errors]
        code = ExitCode.USAGE if any(f.rule.unreadable for f in errors) else ExitCode.FINDINGS
        raise UserError(f"{path}: the config has {len(errors)} error(s); fix them (servgap check {path})",
                        code, lines)
    return loaded.config


def run_analysis(
    data: Path, config_path: Path, *, delimiter: str | None = None, encoding: str | None = None,
    sheet: str | None = None, invalid: InvalidPolicy = InvalidPolicy.refuse, layout: Layout = Layout.auto,
    segment_by: list[str] | None = None, confidence: float | None = None, test: Test | None = None,
    correction: Correction | None = None,
) -> Assessment:
    """Load, read, validate and analyse; every refusal is a :class:`UserError` naming rows and columns."""
    from servgap.core.engine import AnalysisOptions, analyze
    from servgap.core.read_options import ReadOptions
    from servgap.core.responses import read_responses

    config = load_valid_config(config_path)
    if delimiter is not None:
        delimiter = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";"}.get(delimiter, delimiter)
        if len(delimiter) != 1:
            raise UserError(f"--delimiter {delimiter!r}: give one character, e.g. ',' ';' or tab", ExitCode.USAGE)
    if confidence is not None and not 0.5 < confidence < 1:
        raise UserError(f"--confidence {confidence}: give a level between 0.5 and 1, e.g. 0.95", ExitCode.USAGE)
    if data.exists() and data.stat().st_size > PROGRESS_BYTES:
        err(f"reading {data} ({data.stat().st_size / 1_048_576:.0f} MB)…")
    options = ReadOptions(delimiter=delimiter, encoding=encoding, sheet=sheet, invalid=invalid, layout=layout)
    outcome = read_responses(config, data, options, segment_by=segment_by)
    if outcome.responses is None:
        errors = outcome.errors
        lines = [issue.describe() for issue in errors[:MAX_LISTED]]
        if len(errors) > MAX_LISTED:
            lines.append(f"… and {len(errors) - MAX_LISTED} more (servgap check {config_path} --data {data} "
                         "--format json lists them all)")
        unreadable = any(issue.rule.unreadable for issue in errors)
        kinds = sorted({issue.rule.name for issue in errors})
        raise UserError(f"{data}: {len(errors)} problem(s) ({', '.join(kinds)}); nothing was written",
                        ExitCode.USAGE if unreadable else ExitCode.FINDINGS, lines)
    if outcome.responses.rows_read > 200_000:
        err(f"analysing {outcome.responses.rows_read:,} respondents…")
    return analyze(config, outcome.responses, AnalysisOptions(
        confidence=confidence, test=test.value if test else None,
        correction=correction.value if correction else None, segment_by=tuple(segment_by or ()),
    ))


def render(assessment: Assessment, output_format: ReportFormat, language: str | None, output: Path | None,
           top: int) -> None:
    from servgap.render.labels import LABELS

    language = language or assessment.languages[0]
    if language not in LABELS and language not in assessment.languages:
        choices = ", ".join(sorted(set(LABELS) | set(assessment.languages)))
        raise UserError(f"--lang {language}: choose one of {choices}", ExitCode.USAGE)
    if output_format is ReportFormat.json:
        from servgap.render.json_report import render_json

        emit(render_json(assessment, language), output)
    elif output_format is ReportFormat.csv:
        from servgap.render.tables import render_csv

        emit(render_csv(assessment, language), output)
    elif output_format is ReportFormat.markdown:
        from servgap.render.tables import render_markdown

        emit(render_markdown(assessment, language), output)
    elif output is not None:
        from servgap.render.terminal import report_text

        emit(report_text(assessment, language, top=top), output)
    else:
        from rich.console import Console

        from servgap.render.terminal import print_report

        print_report(assessment, language, Console(file=sys.stdout, highlight=False), top=top)


FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file "
                                                   "(atomically) instead of stdout.", show_default=False)]
LangOption = Annotated[str | None, typer.Option("--lang", help="Report language (en, zh); default: the "
                                                "instrument's first language.", show_default=False)]
TopOption = Annotated[int, typer.Option("--top", min=1, help="How many items to list as largest shortfalls.")]


@handle_errors
def analyze(
    data: Annotated[Path, typer.Argument(help="Survey export: CSV, XLSX or Parquet.", show_default=False)],
    config: Annotated[Path, typer.Option("--config", "-c", help="Instrument config (YAML).", show_default=False)],
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
    by: Annotated[list[str] | None, typer.Option("--by", help="Break dimension gaps down by this column "
                                                 "(repeatable).", show_default=False)] = None,
    delimiter: Annotated[str | None, typer.Option("--delimiter", help="CSV delimiter (default: detected among "
                                                  ", ; and tab).", show_default=False)] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="File encoding (default: detected among "
                                                 "UTF-8, GB18030/GBK and CP949).", show_default=False)] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet name (default: the first).",
                                              show_default=False)] = None,
    invalid: Annotated[InvalidPolicy, typer.Option("--invalid", help="Invalid cells: refuse the file, or treat "
                                                   "them as missing and report them.")] = InvalidPolicy.refuse,
    layout: Annotated[Layout, typer.Option("--layout", help="wide (a row per respondent) or long (a row "
                                                 "per respondent, item, facet).")] = Layout.auto,
    confidence: Annotated[float | None, typer.Option("--confidence", help="Confidence level (default: the "
                                                     "config's, 0.95).", show_default=False)] = None,
    test: Annotated[Test | None, typer.Option("--test", help="Significance test (default: the config's).",
                                                    show_default=False)] = None,
    correction: Annotated[Correction | None, typer.Option("--correction", help="Multiple-comparison "
                                                                "correction (default: the config's).",
                                                                show_default=False)] = None,
    top: TopOption = 5,
) -> None:
    """Compute the customer gap (P − E) per item, dimension and overall, with its statistics."""
    assessment = run_analysis(data, config, delimiter=delimiter, encoding=encoding, sheet=sheet, invalid=invalid,
                              layout=layout, segment_by=by, confidence=confidence, test=test,
                              correction=correction)
    render(assessment, output_format, lang, output, top)


@handle_errors
def demo(
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
    top: TopOption = 5,
) -> None:
    """Run the whole analysis on the bundled restaurant example (synthetic data)."""
    from servgap.core.library import example_dir, library_dir

    example = example_dir() / "restaurant"
    err(f"servgap demo: the restaurant instrument on {example.name}/responses.csv "
        "(synthetic responses made by `servgap simulate`), broken down by branch")
    assessment = run_analysis(example / "responses.csv", library_dir() / "restaurant.yaml", segment_by=["branch"])
    quality = replace(assessment.data_quality, file="examples/restaurant/responses.csv (bundled, synthetic)")
    render(replace(assessment, data_quality=quality), output_format, lang, output, top)
