"""`servgap compare`: the change of every gap between two waves of a tracking study."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from servgap.analysis.pipeline import read_dataset
from servgap.cli.analyze import OutputOption
from servgap.cli.common import handle_errors, report_language
from servgap.cli.outputs import load_run_config, open_run, protect_dataset_files
from servgap.errors import ExitCode, UserError


class CompareFormat(StrEnum):
    """The formats of `servgap compare --format`."""

    table = "table"
    json = "json"
    markdown = "markdown"


@handle_errors
def compare(
    before: Annotated[Path, typer.Argument(help="The earlier wave's export (or the only one, with --wave); a "
                                                "folder or a quoted glob pattern of exports is read as one wave.",
                                           show_default=False)],
    after: Annotated[Path | None, typer.Argument(help="The later wave's export (a file, folder or pattern).",
                                                 show_default=False)] = None,
    config: Annotated[Path, typer.Option("--config", "-c", help="Instrument config (YAML).",
                                         show_default=False)] = Path("servgap.yaml"),
    wave: Annotated[str | None, typer.Option("--wave", help="Column that tells the waves apart, when both are in "
                                             "one file.", show_default=False)] = None,
    waves: Annotated[str | None, typer.Option("--waves", help="With --wave: the two values to compare, earlier "
                                              "first, e.g. 2025Q3,2025Q4 (default: the two values, sorted).",
                                              show_default=False)] = None,
    output_format: Annotated[CompareFormat, typer.Option("--format", "-f", help="Report format.")] =
    CompareFormat.table,
    output: OutputOption = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Report language (en, zh).", show_default=False)] = None,
) -> None:
    """Report, per item and dimension, how the gap changed between two waves, and whether the change is
    significant (Welch's t, adjusted)."""
    import numpy as np

    from servgap.analysis.compare import compare_waves
    from servgap.data.options import ReadOptions
    from servgap.render.compare import comparison_json, comparison_markdown, comparison_report

    plan = open_run(before=before, after=after, config=config)
    protect_dataset_files(plan, before, after)
    target = plan.add("--output", output)
    loaded = load_run_config(plan, config)
    instrument = loaded.config
    assert instrument is not None
    from servgap.instrument.models import Facet

    if Facet.EXPECTATION not in instrument.instrument.facets:
        raise UserError(f"{config}: compare needs expectation and perception ratings (the gap); this instrument "
                        "has none", ExitCode.USAGE)
    if (after is None) == (wave is None):
        raise UserError("give two files (BEFORE AFTER), or one file and --wave COLUMN", ExitCode.USAGE)
    if wave is not None:
        responses = read_dataset(instrument, before, ReadOptions(), str(config), segment_by=[wave],
                                 ids_unique_within=wave)
        labels = responses.segments[wave]
        present = sorted({value for value in labels.tolist() if value is not None})
        chosen = [value.strip() for value in waves.split(",")] if waves else present
        if len(chosen) != 2 or any(value not in present for value in chosen):
            raise UserError(f"--wave {wave}: found the values {', '.join(present) or 'none'}; name the two to "
                            "compare with --waves EARLIER,LATER", ExitCode.USAGE)
        first = responses.subset(np.array([value == chosen[0] for value in labels.tolist()]))
        second = responses.subset(np.array([value == chosen[1] for value in labels.tolist()]))
        before_label, after_label = chosen
    else:
        assert after is not None
        first, second = (read_dataset(instrument, path, ReadOptions(), str(config)) for path in (before, after))
        before_label, after_label = before.name, after.name
    comparison = compare_waves(instrument, first, second, before_label, after_label)
    fallbacks = list(instrument.instrument.languages)
    language = report_language(lang, fallbacks)
    if output_format is CompareFormat.json:
        plan.write({target: comparison_json(comparison, language, fallbacks)})
    elif output_format is CompareFormat.markdown:
        plan.write({target: comparison_markdown(comparison, language, fallbacks)})
    else:
        plan.write({target: comparison_report(comparison, language, fallbacks)})
