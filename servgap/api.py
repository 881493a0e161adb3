"""The Python API: the same pipeline as the command line, for notebooks and scripts.

>>> import servgap
>>> a = servgap.analyze("examples/restaurant/responses.csv", config="configs/restaurant.yaml")  # doctest: +SKIP
>>> a.frames()["dimensions"][["id", "gap", "gap_ci_low", "gap_ci_high"]]  # doctest: +SKIP

Every refusal is a :class:`servgap.UserError` whose ``message`` and ``details`` name the file, the
row and the column, exactly as the command line prints them. docs/python-api.md is the reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from servgap.errors import ExitCode, UserError

if TYPE_CHECKING:
    import pandas as pd

    from servgap.analysis.pipeline import Progress
    from servgap.checks.config import ConfigLoad
    from servgap.findings import Finding
    from servgap.instrument.models import InstrumentConfig
    from servgap.results import Assessment

PathLike = str | Path


def load_config(path: PathLike) -> InstrumentConfig:
    """Read and check an instrument config; return it, or raise :class:`UserError` listing its errors
    (``file:line:column: error CODE message``) when it has any."""
    from servgap.analysis.pipeline import load_valid

    loaded = load_valid(Path(path))
    assert loaded.config is not None
    return loaded.config


def check(paths: PathLike | Iterable[PathLike], *, data: PathLike | None = None) -> list[Finding]:
    """The findings of ``servgap check`` for config files or folders (and, with ``data``, a survey export
    checked against the one config named): each with ``file``, ``line``, ``column``, ``code``,
    ``level`` and ``message``. Never raises for bad content: an unreadable file is a finding too."""
    from servgap.checks.config import load_config as load
    from servgap.checks.files import collect_config_files

    named = [Path(paths)] if isinstance(paths, str | Path) else [Path(path) for path in paths]
    files = collect_config_files(named)
    if data is not None and len(files) != 1:
        raise UserError("data= checks a data file against one config; name exactly one config file",
                        ExitCode.USAGE)
    findings: list[Finding] = []
    loads: list[ConfigLoad] = []
    for file in files:
        loaded = load(file, str(file))
        loads.append(loaded)
        findings.extend(loaded.findings)
    if data is not None:
        from servgap.checks.data import check_data_file

        findings.extend(check_data_file(loads[0], Path(data)))
    return findings


def analyze(
    data: PathLike | pd.DataFrame, config: PathLike | InstrumentConfig, *,
    by: Sequence[str] | str | None = None,
    managers: PathLike | None = None, audits: PathLike | None = None, staff: PathLike | None = None,
    standards: PathLike | None = None, promises: PathLike | None = None,
    confidence: float | None = None, test: str | None = None, correction: str | None = None,
    invalid: str = "refuse", layout: str = "auto", source: str | None = None, delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None, bootstrap: int | None = None, seed: int | None = None, top: int = 5,
    progress: Progress | None = None,
) -> Assessment:
    """Analyse a survey export with an instrument config: the customer gap (P − E) per item, dimension
    and overall, the management gaps when their files are given, and the improvement checklist.

    Parameters
    ----------
    data:
        A CSV, XLSX, Parquet, SPSS or Stata export (a path); a folder or a glob pattern
        (``"exports/2026-*.csv"``) whose files are read as one dataset; or a pandas DataFrame whose
        column labels are the headers the config names.
    config:
        An instrument config: a path to a YAML file, or an :class:`InstrumentConfig` (e.g. from
        :func:`load_config`, changed in the notebook).
    by:
        Segment columns (dimension gaps per branch, wave, channel…), beside the config's segments.
    managers, audits, staff, standards, promises:
        Management files (gaps 1–4 and their factors); docs/management-gaps.md.
    confidence, test, correction:
        Override the config's ``analysis`` settings (``test``: ``ttest``, ``wilcoxon``, ``both``;
        ``correction``: ``holm``, ``fdr_bh``, ``none``).
    invalid:
        ``refuse`` (the default: any invalid cell refuses the file) or ``missing``.
    layout, source, delimiter, encoding, sheet:
        Reading options, detected when left out (``layout``: ``auto``, ``wide``, ``long``; ``source``:
        the survey platform that wrote the file — ``qualtrics``, ``surveymonkey``, ``google_forms``,
        ``wjx``, ``microsoft_forms``, ``spss``, ``stata`` or ``generic`` — else the config's
        ``data.source``, else recognised from the file).
    bootstrap, seed, top:
        Bootstrap resamples (``-1``: a default for the sample size) with their seed; ``top`` is how
        many checklist items the bootstrap's rank stability follows.
    progress:
        A function called with a line of text during long work (``print`` shows it).

    Returns
    -------
    Assessment
        ``to_dict()`` gives the JSON contract, ``frames()`` pandas DataFrames, and a notebook shows
        a summary.

    Raises
    ------
    UserError
        For a config with errors, an unreadable file, invalid cells, or an option out of range;
        ``message`` and ``details`` say what and where.
    """
    from servgap.analysis.pipeline import ManagementFiles, run_analysis

    def optional(path: PathLike | None) -> Path | None:
        return None if path is None else Path(path)

    management = ManagementFiles(optional(managers), optional(audits), optional(staff), optional(standards),
                                 optional(promises))
    return run_analysis(
        data, config if not isinstance(config, str) else Path(config),
        delimiter=delimiter, encoding=encoding, sheet=sheet, invalid=invalid, layout=layout, source_platform=source,
        segment_by=[by] if isinstance(by, str) else list(by or []), confidence=confidence, test=test,
        correction=correction, management=management, bootstrap_resamples=bootstrap, seed=seed, top=top,
        progress=progress,
    )
