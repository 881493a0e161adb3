"""`servgap form`: the questionnaire workbook for collecting data with an instrument."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from servgap.cli.common import err, handle_errors
from servgap.cli.outputs import load_run_config, open_run
from servgap.errors import ExitCode, UserError
from servgap.render.inert import inert_path


@handle_errors
def form(
    config: Annotated[Path, typer.Argument(help="Instrument config (YAML).", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Workbook to write (.xlsx).",
                                         show_default=False)] = Path("survey.xlsx"),
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the questions (en, zh); default: the "
                                             "instrument's first language.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a data-collection workbook whose columns analyse with no mapping work."""
    from servgap.render.form import form_bytes

    plan = open_run(config=config)
    target = plan.add("--output", output, allow_stdout=False, suffixes=(".xlsx",), overwrite=force)
    loaded = load_run_config(plan, config)
    instrument = loaded.config
    assert instrument is not None
    language = lang or instrument.instrument.languages[0]
    if language not in instrument.instrument.languages:
        raise UserError(f"--lang {language}: the instrument has texts in {', '.join(instrument.instrument.languages)}",
                        ExitCode.USAGE)
    from servgap.render.form import MAX_COLUMNS, form_columns

    width = len(form_columns(instrument, language))
    if width > MAX_COLUMNS:
        raise UserError(f"{inert_path(config)}: the questionnaire needs {width:,} columns; an Excel worksheet has at "
                        f"most {MAX_COLUMNS:,} (split the instrument, or collect the data another way)",
                        ExitCode.FINDINGS)
    plan.write({target: form_bytes(instrument, language)})
    err(f"wrote {output}: fill the Responses sheet, then run: servgap analyze {output} -c {config}")
