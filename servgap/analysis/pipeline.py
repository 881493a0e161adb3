"""The pipeline: a config and a survey export in, one :class:`~servgap.results.Assessment` out.

The command line (``servgap analyze``, ``demo``, ``checklist``) and the Python API
(:func:`servgap.analyze`) both run :func:`run_analysis`; every refusal is a
:class:`~servgap.errors.UserError` that names the file, the row and the column.

Order: load and check the config → check the options → read and validate the data → (management
files) → the engine → importance–performance → bootstrap → management gaps → the checklist.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from servgap.analysis.options import MAX_SEGMENT_VALUES, check_report_options
from servgap.data.options import InvalidPolicy, Layout, ReadOptions
from servgap.errors import ExitCode, UserError
from servgap.instrument.models import Correction, InstrumentConfig, Test

if TYPE_CHECKING:
    import pandas as pd

    from servgap.checks.config import ConfigLoad
    from servgap.data.issues import DataIssue
    from servgap.data.responses import Responses
    from servgap.results import Assessment

#: How many invalid cells a refusal lists before it points to ``servgap check --format json``.
MAX_LISTED = 50
#: Files larger than this get a "reading…" line through ``progress``.
PROGRESS_BYTES = 20 * 1024 * 1024

#: Where progress lines go (the command line prints them on stderr; the API is silent by default).
Progress = Callable[[str], None]


@dataclass(frozen=True)
class ManagementFiles:
    """The management inputs: managers' estimates, audits, the staff questionnaire, standards and
    promises sheets (any may be absent)."""

    managers: Path | None = None
    audits: Path | None = None
    staff: Path | None = None
    standards: Path | None = None
    promises: Path | None = None


def load_valid(path: Path) -> ConfigLoad:
    """Load an instrument config (with its factor set), or raise its findings as a :class:`UserError`
    (exit code 1; 2 when the file cannot be read)."""
    from servgap.checks.config import load_config

    loaded = load_config(path, str(path))
    errors = [f for f in loaded.findings if f.is_error]
    if errors or (loaded.config is None and loaded.factor_set is None):
        lines = [f.describe() for f in errors]
        code = ExitCode.USAGE if any(f.rule.unreadable for f in errors) else ExitCode.FINDINGS
        raise UserError(f"{path}: the config has {len(errors)} error(s); fix them (servgap check {path})",
                        code, lines)
    if loaded.factor_set is not None or loaded.config is None:
        raise UserError(f"{path} is a factor-set file; give an instrument config with -c (one that names this "
                        "set under management.factors)", ExitCode.USAGE)
    return loaded


def refusal(path: Path | str, issues: Sequence[DataIssue], config_path: Path | str) -> UserError:
    """The refusal of a data file: its error issues, each with its row and column, the first
    :data:`MAX_LISTED` listed (exit code 1; 2 when the file cannot be read at all)."""
    errors = [issue for issue in issues if issue.is_error]
    lines = [issue.describe() for issue in errors[:MAX_LISTED]]
    if len(errors) > MAX_LISTED:
        lines.append(f"… and {len(errors) - MAX_LISTED} more (servgap check {config_path} --data {path} "
                     "--format json lists them all)")
    unreadable = any(issue.rule.unreadable for issue in errors)
    kinds = sorted({issue.rule.name for issue in errors})
    return UserError(f"{path}: {len(errors)} problem(s) ({', '.join(kinds)}); nothing was written",
                     ExitCode.USAGE if unreadable else ExitCode.FINDINGS, lines)


def resolve_config(config: Path | str | InstrumentConfig | ConfigLoad) -> tuple[ConfigLoad, str]:
    """A config given as a path, a loaded :class:`ConfigLoad` or an :class:`InstrumentConfig` object,
    as a checked :class:`ConfigLoad` and the name messages use for it."""
    from servgap.checks.config import ConfigLoad, check_config_object

    if isinstance(config, ConfigLoad):
        return config, config.path
    if isinstance(config, InstrumentConfig):
        loaded = check_config_object(config)
        errors = [f for f in loaded.findings if f.is_error]
        if errors:
            raise UserError(f"the config object has {len(errors)} error(s)", ExitCode.FINDINGS,
                            [f"{f.code} {f.message}" for f in errors])
        return loaded, loaded.path
    return load_valid(Path(config)), str(config)


def run_analysis(
    data: Path | str | pd.DataFrame, config: Path | str | InstrumentConfig | ConfigLoad, *,
    delimiter: str | None = None, encoding: str | None = None, sheet: str | None = None,
    invalid: InvalidPolicy | str = InvalidPolicy.refuse, layout: Layout | str = Layout.auto,
    source_platform: str | None = None, segment_by: Sequence[str] | None = None, confidence: float | None = None,
    test: Test | str | None = None,
    correction: Correction | str | None = None, management: ManagementFiles | None = None,
    bootstrap_resamples: int | None = None, seed: int | None = None, top: int = 5,
    progress: Progress | None = None,
) -> Assessment:
    """Load, read, validate and analyse; see the module docstring. Options left ``None`` take the
    config's values (``analysis:`` in the config), as on the command line."""
    say: Progress = progress or (lambda message: None)
    loaded, config_name = resolve_config(config)
    instrument = loaded.config
    assert instrument is not None
    segments = list(segment_by or [])
    delimiter = check_report_options(confidence=confidence, delimiter=delimiter, encoding=encoding, top=top,
                                     bootstrap=bootstrap_resamples, by=segments, source=source_platform)
    source: Any = data if not isinstance(data, str) else Path(data)
    if isinstance(source, Path):
        with contextlib.suppress(OSError, ValueError):
            if source.is_file() and source.stat().st_size > PROGRESS_BYTES:
                say(f"reading {source} ({source.stat().st_size / 1_048_576:.0f} MB)…")
    options = ReadOptions(delimiter=delimiter, encoding=encoding, sheet=sheet, invalid=InvalidPolicy(invalid),
                          layout=Layout(layout), source=source_platform)
    # The analysis modules (scipy.special alone takes 0.15 s to import) are imported on a helper
    # thread while this one reads the file: the CSV parser runs without the GIL, so on a machine
    # with a spare core the imports cost no wall-clock time. Joined before any of them is used.
    importing = import_in_background("scipy.special", "servgap.analysis.engine", "servgap.analysis.checklist",
                                     "servgap.analysis.ipa")
    shown = str(source) if isinstance(source, Path) else "the DataFrame"
    try:
        responses = read_dataset(instrument, source, options, config_name, segment_by=segments)
    finally:
        importing.join()
    from servgap.analysis.checklist import build_checklist
    from servgap.analysis.engine import AnalysisOptions, analyze_with_scores
    from servgap.analysis.ipa import importance_performance

    check_segments(instrument, responses, segments, shown)
    management_data = None
    declared = instrument.management
    # Management gaps are reported whenever the study has any of their inputs — files, or standards
    # and promises written in the config — so that the gaps it cannot measure are named as such.
    if (management is not None and any(vars(management).values())) or declared.standards or declared.promises:
        management = management or ManagementFiles()
        from servgap.analysis.management import read_management

        management_data, problems = read_management(
            instrument, loaded.factors, managers=management.managers, audits=management.audits,
            staff=management.staff, standards=management.standards, promises=management.promises,
            options=ReadOptions(invalid=InvalidPolicy(invalid)),
        )
        for path, issues in problems.items():
            if any(issue.is_error for issue in issues):
                raise refusal(path, issues, config_name)
    if responses.rows_read > 200_000:
        say(f"analysing {responses.rows_read:,} respondents…")
    resamples = instrument.analysis.bootstrap if bootstrap_resamples is None else bootstrap_resamples
    if resamples < 0:
        from servgap.analysis.bootstrap import default_resamples

        resamples = default_resamples(responses.rows_read)
    # The respondents' dimension gaps are kept only for the bootstrap (and segments, which the
    # engine sees for itself): a plain analysis runs in memory bounded by the block size.
    assessment, respondent_gaps = analyze_with_scores(instrument, responses, AnalysisOptions(
        confidence=confidence, test=Test(test).value if test else None,
        correction=Correction(correction).value if correction else None, segment_by=tuple(segments),
    ), keep_scores=resamples > 0)
    if assessment.data_quality.rows_used == 0:
        invalid_cells = len(responses.invalid_as_missing)
        why = (f" after {invalid_cells:,} invalid cell(s) were treated as missing (--invalid missing)"
               if invalid_cells else "")
        raise UserError(f"{shown}: none of the {responses.rows_read:,} respondents has a usable answer{why}; "
                        "nothing was written. Check that the config's columns and scale match this file "
                        "(servgap check CONFIG --data FILE)", ExitCode.FINDINGS)
    assessment = replace(assessment, ipa=importance_performance(instrument, assessment, responses))
    if resamples > 0:
        assert respondent_gaps is not None
        from servgap.analysis.bootstrap import bootstrap

        if responses.rows_read > 100_000:
            say(f"bootstrapping {resamples} resamples of {responses.rows_read:,} respondents…")
        from servgap.analysis.checklist import ranking_method

        assessment = replace(assessment, bootstrap=bootstrap(
            assessment, responses, respondent_gaps, resamples,
            instrument.analysis.bootstrap_seed if seed is None else seed, top,
            method=ranking_method(instrument, assessment)[0]))
    management_result = None
    if management_data is not None:
        from servgap.analysis.management import compute_management

        management_result = compute_management(instrument, assessment, responses, management_data)
    return replace(assessment, management=management_result,
                   checklist=build_checklist(instrument, assessment, management_result))


def read_dataset(instrument: InstrumentConfig, data: Path | pd.DataFrame, options: ReadOptions,
                 config_name: str, segment_by: list[str] | None = None,
                 ids_unique_within: str | None = None) -> Responses:
    """The responses of one file, a DataFrame, or every file of a folder or glob pattern read as one
    dataset (``data/collection.py``); a file with problems is refused with its rows and columns."""
    from servgap.data.collection import combine, dataset_files
    from servgap.data.responses import read_responses

    files = dataset_files(data) if isinstance(data, Path) else None
    sources: list[Path | pd.DataFrame] = list(files) if files else [data]
    parts = []
    for path in sources:
        outcome = read_responses(instrument, path, options, segment_by=segment_by,
                                 ids_unique_within=ids_unique_within)
        if outcome.responses is None:
            raise refusal(str(path) if isinstance(path, Path) else "the DataFrame", outcome.issues, config_name)
        parts.append(outcome.responses)
    if files is None or len(files) == 1:
        return parts[0]
    return combine(files, parts, str(data), ids_unique_within)


def import_in_background(*names: str) -> threading.Thread:
    """Start importing the modules ``names`` on a helper thread; join it before using them.

    A module that fails to import there is left out of ``sys.modules``, so the main thread's own
    import raises the error where it would have anyway.
    """

    def work() -> None:
        for name in names:
            with contextlib.suppress(Exception):
                importlib.import_module(name)

    thread = threading.Thread(target=work, name="servgap-imports", daemon=True)
    thread.start()
    return thread


def check_segments(config: InstrumentConfig, responses: Responses, segment_by: Sequence[str], data: str) -> None:
    """Refuse a segment column that is the respondent id or has too many values to be a segment (exit 2)."""
    id_column = config.data.respondent_id
    for name in segment_by:
        if not responses.ids_from_rows and isinstance(id_column, str) and name.strip() == id_column.strip():
            raise UserError(f"--by {name}: that is the respondent id column; break down by a column that groups "
                            "respondents (branch, wave, channel)", ExitCode.USAGE)
        values = responses.segments.get(name)
        distinct = 0 if values is None else len({value for value in values.tolist() if value is not None})
        if distinct > MAX_SEGMENT_VALUES:
            raise UserError(f"--by {name}: the column has {distinct:,} different values in {data}; a segment "
                            f"column has at most {MAX_SEGMENT_VALUES} (is it an id or a free-text column?)",
                            ExitCode.USAGE)
