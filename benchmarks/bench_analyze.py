"""Benchmark `servgap analyze` on synthetic SERVQUAL exports (22 items, E and P, importance points).

For each size it writes a CSV with `servgap simulate`, then, each in a fresh process so that peak
memory is that stage's own:
  * pandas merely reading the CSV (the baseline);
  * servgap reading and validating it, analysing it, and rendering the JSON report.
It prints seconds and peak resident memory (MB). Run:  python benchmarks/bench_analyze.py [N ...]
The optional bootstrap is timed apart:  python benchmarks/bench_analyze.py --bootstrap [N ...]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "configs" / "servqual.yaml"

PANDAS_READ = """
import resource, sys, time
import pandas as pd
started = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
seconds = time.perf_counter() - started
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

SERVGAP_RUN = """
import resource, sys, time
from pathlib import Path
from servgap.checks.config import load_config
from servgap.analysis.engine import analyze
from servgap.data.responses import read_responses
from servgap.render.json_report import render_json
config = load_config(Path(sys.argv[2])).config
started = time.perf_counter()
outcome = read_responses(config, Path(sys.argv[1]))
read_seconds = time.perf_counter() - started
started = time.perf_counter()
assessment = analyze(config, outcome.responses)
analysis_seconds = time.perf_counter() - started
started = time.perf_counter()
text = render_json(assessment, "en")
render_seconds = time.perf_counter() - started
print(read_seconds, analysis_seconds, render_seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


BOOTSTRAP_RUN = """
import resource, sys, time
from pathlib import Path
from servgap.analysis.bootstrap import bootstrap, default_resamples
from servgap.checks.config import load_config
from servgap.analysis.engine import analyze_with_scores
from servgap.data.responses import read_responses
config = load_config(Path(sys.argv[2])).config
responses = read_responses(config, Path(sys.argv[1])).responses
assessment, gaps = analyze_with_scores(config, responses)
resamples = default_resamples(responses.rows_read)
started = time.perf_counter()
bootstrap(assessment, responses, gaps, resamples, seed=1)
seconds = time.perf_counter() - started
print(resamples, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def run(code: str, *args: str) -> list[float]:
    output = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
    return [float(value) for value in output.split()]


def bootstrap_figures(sizes: list[int]) -> None:
    """Time the optional bootstrap (default number of resamples for each size)."""
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            data = Path(folder) / f"servqual_{size}.csv"
            subprocess.run([sys.executable, "-m", "servgap", "simulate", str(CONFIG), "-n", str(size), "--seed", "1",
                            "-o", str(data)], check=True, capture_output=True)
            resamples, seconds, peak = run(BOOTSTRAP_RUN, str(data), str(CONFIG))
            print(json.dumps({"respondents": size, "bootstrap_resamples": int(resamples),
                              "bootstrap_s": round(seconds, 2), "peak_mb": round(peak)}), flush=True)


def main(sizes: list[int]) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            data = Path(folder) / f"servqual_{size}.csv"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "servgap", "simulate", str(CONFIG), "-n", str(size), "--seed", "1",
                            "-o", str(data)], check=True, capture_output=True)
            simulate_seconds = time.perf_counter() - started
            pandas_seconds, pandas_mb = run(PANDAS_READ, str(data))
            read_seconds, analysis_seconds, render_seconds, servgap_mb = run(SERVGAP_RUN, str(data), str(CONFIG))
            total = read_seconds + analysis_seconds + render_seconds
            rows.append({
                "respondents": size, "csv_mb": round(data.stat().st_size / 1_048_576, 1),
                "simulate_s": round(simulate_seconds, 2), "pandas_read_s": round(pandas_seconds, 2),
                "pandas_peak_mb": round(pandas_mb), "servgap_read_s": round(read_seconds, 2),
                "servgap_analysis_s": round(analysis_seconds, 2), "servgap_json_s": round(render_seconds, 3),
                "servgap_total_s": round(total, 2), "ratio_to_pandas_read": round(total / pandas_seconds, 2),
                "servgap_peak_mb": round(servgap_mb),
            })
            print(json.dumps(rows[-1]), flush=True)
    print()
    header = list(rows[0])
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(str(row[key]) for key in header))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--bootstrap"]:
        bootstrap_figures([int(value) for value in arguments[1:]] or [10_000, 1_000_000])
    else:
        main([int(value) for value in arguments] or [100_000, 1_000_000])
