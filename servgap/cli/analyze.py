"""`servgap analyze` and `servgap demo`: the customer-gap report of a survey export."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from servgap.analysis.options import check_report_options
from servgap.analysis.pipeline import ManagementFiles, run_analysis
from servgap.cli.common import err, handle_errors, report_language
from servgap.cli.outputs import Output, OutputPlan, load_run_config, open_run, protect_dataset_files
from servgap.data.options import InvalidPolicy, Layout
from servgap.instrument.models import Correction, Test

if TYPE_CHECKING:
    from servgap.results import Assessment



class ReportFormat(StrEnum):
    """The formats of `servgap analyze --format`."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def excel_output(plan: OutputPlan, path: Path | None) -> Output | None:
    """Check the workbook path up front (an .xlsx file, writable, not an input)."""
    if path is None:
        return None
    return plan.add("--excel", path, allow_stdout=False, suffixes=(".xlsx",))


def excel_content(assessment: Assessment, language: str, sources: dict[str, Path]) -> bytes:
    """The client workbook of the assessment."""
    from servgap.render.excel import workbook_bytes

    return workbook_bytes(assessment, language, sources)


def report_content(assessment: Assessment, output_format: ReportFormat, language: str, top: int) -> object:
    """The report in ``output_format``: text, or a Rich renderable for the terminal."""
    if output_format is ReportFormat.json:
        from servgap.render.json_report import render_json

        return render_json(assessment, language)
    if output_format is ReportFormat.csv:
        from servgap.render.tables import render_csv

        return render_csv(assessment, language)
    if output_format is ReportFormat.markdown:
        from servgap.render.tables import render_markdown

        return render_markdown(assessment, language)
    from servgap.render.terminal import build_report

    return build_report(assessment, language, top)


FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file "
                                                   "(atomically) instead of stdout.", show_default=False)]
LangOption = Annotated[str | None, typer.Option("--lang", help="Report language (en, zh); default: the "
                                                "instrument's first language.", show_default=False)]
TopOption = Annotated[int, typer.Option("--top", min=1, help="How many items to list as largest shortfalls.")]


@handle_errors
def analyze(
    data: Annotated[Path, typer.Argument(help="Survey export (CSV, XLSX, Parquet, SPSS, Stata), or a folder or a "
                                         "quoted glob pattern of exports with the same columns, read as one dataset.",
                                         show_default=False)],
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
    source: Annotated[str | None, typer.Option(
        "--source", metavar="PLATFORM", help="The survey platform that wrote the file: qualtrics, surveymonkey, "
        "google_forms, wjx, microsoft_forms, spss, stata or generic (default: the config's data.source, else "
        "recognised from the file).", show_default=False)] = None,
    confidence: Annotated[float | None, typer.Option("--confidence", help="Confidence level (default: the "
                                                     "config's, 0.95).", show_default=False)] = None,
    test: Annotated[Test | None, typer.Option("--test", help="Significance test (default: the config's).",
                                                    show_default=False)] = None,
    correction: Annotated[Correction | None, typer.Option("--correction", help="Multiple-comparison "
                                                                "correction (default: the config's).",
                                                                show_default=False)] = None,
    top: TopOption = 5,
    bootstrap: Annotated[int | None, typer.Option("--bootstrap", help="Bootstrap resamples for dimension and "
                                                  "overall gaps and checklist rank stability (-1: a default that "
                                                  "suits the sample size; 0: off).", show_default=False)] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Bootstrap seed (default: the config's).",
                                             show_default=False)] = None,
    excel: Annotated[Path | None, typer.Option("--excel", help="Also write the client workbook (.xlsx).",
                                               show_default=False)] = None,
    managers: Annotated[Path | None, typer.Option("--managers", help="Managers' estimates of customers' "
                                                  "expectations (gap 1).", show_default=False)] = None,
    audits: Annotated[Path | None, typer.Option("--audits", help="Audits or mystery-shopping visits: delivered "
                                                "level per item (gaps 3 and 4).", show_default=False)] = None,
    staff: Annotated[Path | None, typer.Option("--staff", help="Staff and manager questionnaire on the "
                                               "organisational factors.", show_default=False)] = None,
    standards: Annotated[Path | None, typer.Option("--standards", help="Standards sheet (item, level); overrides "
                                                   "management.standards.", show_default=False)] = None,
    promises: Annotated[Path | None, typer.Option("--promises", help="Promises sheet (item, level); overrides "
                                                  "management.promises.", show_default=False)] = None,
) -> None:
    """Compute the customer gap (P − E) per item, dimension and overall, the management gaps, and the
    ranked improvement checklist."""
    # Option values are checked by the pipeline, the same for the command line and the API.
    management_files = ManagementFiles(managers, audits, staff, standards, promises)
    plan = open_run(data=data, config=config, **vars(management_files))
    protect_dataset_files(plan, data)
    excel_target = excel_output(plan, excel)
    report_target = plan.add("--output", output)
    loaded = load_run_config(plan, config)
    assessment = run_analysis(data, loaded, delimiter=delimiter, encoding=encoding, sheet=sheet, invalid=invalid,
                              layout=layout, source_platform=source, segment_by=by, confidence=confidence, test=test,
                              correction=correction, management=management_files,
                              bootstrap_resamples=bootstrap, seed=seed, top=top, progress=err)
    language = report_language(lang, assessment.languages)
    contents: dict[Output, object] = {}
    if excel_target is not None:
        sources = {"config": config, "data": data}
        sources |= {name: path for name, path in vars(management_files).items() if path}
        contents[excel_target] = excel_content(assessment, language, sources)
    contents[report_target] = report_content(assessment, output_format, language, top)
    plan.write(contents)


@handle_errors
def demo(
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
    top: TopOption = 5,
    excel: Annotated[Path, typer.Option("--excel", help="Where to write the client workbook.")] = Path(
        "servgap-demo.xlsx"),
    no_excel: Annotated[bool, typer.Option("--no-excel", help="Do not write the workbook.")] = False,
) -> None:
    """Run the whole analysis on the bundled restaurant example (synthetic data) and write its workbook."""
    from servgap.instrument.library import example_dir, library_dir

    check_report_options(top=top)
    example = example_dir() / "restaurant"
    config_path = library_dir() / "restaurant.yaml"
    management_files = ManagementFiles(managers=example / "managers.csv", audits=example / "audits.csv",
                                       staff=example / "staff.csv")
    plan = OutputPlan([example / "responses.csv", config_path, *vars(management_files).values()])
    excel_target = None if no_excel else excel_output(plan, excel)
    report_target = plan.add("--output", output)
    err(f"servgap demo: the restaurant instrument on {example.name}/responses.csv "
        "(synthetic responses made by `servgap simulate`), broken down by branch")
    assessment = run_analysis(example / "responses.csv", config_path, segment_by=["branch"],
                              management=management_files, progress=err)
    quality = replace(assessment.data_quality, file="examples/restaurant/responses.csv (bundled, synthetic)")
    assessment = replace(assessment, data_quality=quality)
    language = report_language(lang, assessment.languages)
    contents: dict[Output, object] = {}
    if excel_target is not None:
        contents[excel_target] = excel_content(assessment, language, {"config": config_path,
                                                                      "data": example / "responses.csv"})
    contents[report_target] = report_content(assessment, output_format, language, top)
    plan.write(contents)


class ChecklistFormat(StrEnum):
    """The formats of `servgap checklist --format`."""

    table = "table"
    markdown = "markdown"
    json = "json"


@handle_errors
def checklist(
    data: Annotated[Path, typer.Argument(help="Survey export (CSV, XLSX, Parquet, SPSS, Stata), or a folder or a "
                                         "quoted glob pattern of exports with the same columns, read as one dataset.",
                                         show_default=False)],
    config: Annotated[Path, typer.Option("--config", "-c", help="Instrument config (YAML).", show_default=False)],
    output_format: Annotated[ChecklistFormat, typer.Option("--format", "-f", help="Checklist format.")] =
    ChecklistFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many items to list.")] = 10,
    managers: Annotated[Path | None, typer.Option("--managers", help="Managers' estimates (gap 1).",
                                                  show_default=False)] = None,
    audits: Annotated[Path | None, typer.Option("--audits", help="Audits (gaps 3 and 4).", show_default=False)] = None,
    staff: Annotated[Path | None, typer.Option("--staff", help="Staff questionnaire (factors).",
                                               show_default=False)] = None,
    standards: Annotated[Path | None, typer.Option("--standards", help="Standards sheet.", show_default=False)] = None,
    promises: Annotated[Path | None, typer.Option("--promises", help="Promises sheet.", show_default=False)] = None,
    invalid: Annotated[InvalidPolicy, typer.Option("--invalid", help="Invalid cells: refuse, or treat as "
                                                   "missing.")] = InvalidPolicy.refuse,
) -> None:
    """Print only the ranked improvement checklist: what to fix first, the numbers behind it, the actions."""
    import json as json_module

    from servgap.results.contract import assessment_dict

    check_report_options(top=top)  # the checklist's own --top (how many items it lists)
    management_files = ManagementFiles(managers, audits, staff, standards, promises)
    plan = open_run(data=data, config=config, **vars(management_files))
    protect_dataset_files(plan, data)
    target = plan.add("--output", output)
    loaded = load_run_config(plan, config)
    assessment = run_analysis(data, loaded, invalid=invalid, management=management_files, progress=err)
    language = report_language(lang, assessment.languages)
    content: object
    if output_format is ChecklistFormat.json:
        from servgap.render.inert import json_text

        payload = assessment_dict(assessment, language)
        keys = ("schema_version", "instrument", "checklist_method", "checklist", "strengths", "checklist_notes")
        content = json_text(json_module.dumps({key: payload.get(key) for key in keys}, ensure_ascii=False,
                                              indent=2) + "\n")
    elif output_format is ChecklistFormat.markdown:
        from servgap.render.tables import markdown_checklist

        content = "\n".join(markdown_checklist(assessment, language, top)) + "\n"
    else:
        from rich.console import Group

        from servgap.render.terminal import checklist_section

        content = Group(*checklist_section(assessment, language, top))
    plan.write({target: content})
