"""`servgap simulate`: write synthetic responses for an instrument."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated

import typer

from servgap.cli.common import err, handle_errors
from servgap.cli.outputs import load_run_config, open_run


@handle_errors
def simulate(
    config: Annotated[Path, typer.Argument(help="Instrument config (YAML).", show_default=False)],
    respondents: Annotated[int, typer.Option("-n", "--respondents", min=1, max=50_000_000,
                                             help="Number of respondents.")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same file).")] = 1,
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.", show_default=False)] = Path(
        "responses.csv"),
    missing_rate: Annotated[float, typer.Option("--missing-rate", min=0.0, max=0.5,
                                                help="Share of blank answer cells.")] = 0.02,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write synthetic (clearly not real) survey responses for CONFIG as a CSV file."""
    from servgap.data.simulate import simulate_responses

    plan = open_run(config=config)
    target = plan.add("--output", output, overwrite=force)
    instrument = load_run_config(plan, config).config
    assert instrument is not None
    frame = simulate_responses(instrument, respondents, seed, missing_rate)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    plan.write({target: buffer.getvalue()})
    err(f"wrote {output}: {respondents:,} synthetic respondents × {len(frame.columns)} columns (seed {seed})")
