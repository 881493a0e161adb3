"""`servgap form`: the questionnaire workbook for collecting data with an instrument."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from servgap.cli.analyze import load_valid_config
from servgap.cli.common import err, handle_errors, write_atomically
from servgap.core.errors import ExitCode, UserError


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

    instrument = load_valid_config(config)
    language = lang or instrument.instrument.languages[0]
    if language not in instrument.instrument.languages:
        raise UserError(f"--lang {language}: the instrument has texts in {', '.join(instrument.instrument.languages)}",
                        ExitCode.USAGE)
    if output.suffix.lower() != ".xlsx":
        raise UserError(f"{output}: name the workbook with an .xlsx ending", ExitCode.USAGE)
    if output.exists() and not force:
        raise UserError(f"{output} already exists; choose another name or add --force", ExitCode.USAGE)
    write_atomically(output, form_bytes(instrument, language))
    err(f"wrote {output}: fill the Responses sheet, then run: servgap analyze {output} -c {config}")
