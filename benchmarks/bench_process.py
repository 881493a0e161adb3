"""Whole-process benchmark: `servgap analyze … -f json` against pandas merely reading the same file.

Each measurement is a fresh process, timed from its start to its exit (imports included), with its
own peak resident memory:

* ``pandas``: ``python -c "import pandas; pandas.read_csv(FILE)"``, the baseline;
* ``analyze``: ``servgap analyze FILE -c servqual.yaml -f json -o /dev/null``, of an export without
  blanks and of one with 2 % blank cells;
* ``bootstrap``: the same with ``--bootstrap -1`` (the default resamples for the size);
* ``compare``: ``servgap compare FILE FILE -f json`` (two waves of that size);

and, once: the import of the command line, ``servgap check`` of one config, and the 400-row
restaurant example analysed to JSON (CPU seconds: "small studies feel instant").

    python benchmarks/bench_process.py                 # 10k, 100k and 1M respondents
    python benchmarks/bench_process.py --10m           # and 10M (a 1.1 GB CSV; minutes, and disk)
    python benchmarks/bench_process.py 250000          # any sizes

The files are synthetic SERVQUAL exports written by `servgap simulate` (22 items, E and P, five
importance-point columns, an id and a segment column: 51 columns). Each figure is the median of three
fresh processes (one at 10M): the machine is shared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "configs" / "servqual.yaml"

#: Runs a command in this process after recording its start, and reports wall, CPU and peak memory
#: on exit (also when the command calls sys.exit).
RUNNER = """
import atexit, json, os, resource, runpy, sys, time
started = time.perf_counter()
report, kind, arguments = sys.argv[1], sys.argv[2], sys.argv[3:]
def done():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(report, "w") as stream:
        json.dump({"wall_s": time.perf_counter() - started, "cpu_s": usage.ru_utime + usage.ru_stime,
                   "peak_mb": usage.ru_maxrss / 1024}, stream)
atexit.register(done)
if kind == "pandas":
    import pandas
    pandas.read_csv(arguments[0])
elif kind == "import":
    import servgap.cli.app
else:
    sys.argv = ["servgap", *arguments]
    runpy.run_module("servgap", run_name="__main__")
"""


def measure(kind: str, *arguments: str) -> dict[str, float]:
    """Wall seconds, CPU seconds and peak MB of one fresh process."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        finished = subprocess.run([sys.executable, "-c", RUNNER, report.name, kind, *arguments],
                                  capture_output=True, text=True, env=environment, check=False)
        if finished.returncode != 0:
            raise SystemExit(f"{kind} {' '.join(arguments)} failed:\n{finished.stderr}")
        return {key: round(value, 3) for key, value in json.load(report).items()}


def small_studies() -> None:
    """CPU seconds of the import, one config check and the 400-row example to JSON."""
    figures = {
        "import_cli": measure("import"),
        "check_one_config": measure("servgap", "check", str(CONFIG)),
        "restaurant_400_to_json": measure("servgap", "analyze", str(ROOT / "examples/restaurant/responses.csv"),
                                          "-c", str(ROOT / "configs/restaurant.yaml"), "-f", "json", "-o",
                                          os.devnull),
    }
    print(json.dumps({"small_studies": figures}), flush=True)


def write_export(path: Path, size: int, missing_rate: float) -> None:
    """A synthetic export of ``size`` respondents: ``servgap simulate`` up to 1M; beyond, 1M-row pieces
    of the simulator appended (see :func:`write_in_pieces`). Either runs in a process of its own: a
    process started from this one would otherwise report this one's peak memory as part of its own
    (Linux carries the peak RSS across fork and exec)."""
    if size <= 1_000_000:
        command = ["-m", "servgap", "simulate", str(CONFIG), "-n", str(size), "--seed", "1", "--missing-rate",
                   str(missing_rate), "-o", str(path)]
    else:
        command = [__file__, "--write", str(path), str(size), str(missing_rate)]
    subprocess.run([sys.executable, *command], check=True, capture_output=True)


def write_in_pieces(path: Path, size: int, missing_rate: float) -> None:
    """1M-row pieces of the simulator (seeds 1, 2, …) appended with ids numbered on, so that writing
    10M rows does not hold them all in memory."""
    from servgap.checks.config import load_config
    from servgap.data.simulate import simulate_responses

    config = load_config(CONFIG).config
    written = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        while written < size:
            rows = min(1_000_000, size - written)
            frame = simulate_responses(config, rows, 1 + written // 1_000_000, missing_rate)
            frame[frame.columns[0]] = [f"R{number:08d}" for number in range(written + 1, written + rows + 1)]
            frame.to_csv(stream, index=False, header=written == 0)
            written += rows


def median_of(runs: int, kind: str, *arguments: str) -> dict[str, float]:
    """The run with the median wall time of ``runs`` fresh processes (the machine is shared)."""
    results = sorted((measure(kind, *arguments) for _ in range(runs)), key=lambda result: result["wall_s"])
    return results[len(results) // 2]


def sizes_run(sizes: list[int]) -> list[dict[str, object]]:
    """Per size: pandas' read and servgap's analysis of an export without blanks (as survey platforms
    export complete responses) and of one with 2 % blank cells; bootstrap and compare of the first."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            runs = 3 if size <= 1_000_000 else 1
            row: dict[str, object] = {"respondents": size}
            for label, missing_rate in (("", 0.0), ("blanks_", 0.02)):
                data = Path(folder) / f"servqual_{size}_{missing_rate}.csv"
                write_export(data, size, missing_rate)
                pandas = median_of(runs, "pandas", str(data))
                analysis = median_of(runs, "servgap", "analyze", str(data), "-c", str(CONFIG), "-f", "json", "-o",
                                     os.devnull)
                row.update({
                    f"{label}csv_mb": round(data.stat().st_size / 1_048_576, 1),
                    f"{label}pandas_s": pandas["wall_s"], f"{label}pandas_peak_mb": round(pandas["peak_mb"]),
                    f"{label}analyze_s": analysis["wall_s"], f"{label}analyze_cpu_s": analysis["cpu_s"],
                    f"{label}ratio_to_pandas": round(analysis["wall_s"] / pandas["wall_s"], 2),
                    f"{label}analyze_peak_mb": round(analysis["peak_mb"]),
                })
                if not label and size <= 1_000_000:
                    boot = median_of(runs, "servgap", "analyze", str(data), "-c", str(CONFIG), "-f", "json", "-o",
                                     os.devnull, "--bootstrap", "-1")
                    waves = median_of(runs, "servgap", "compare", str(data), str(data), "-c", str(CONFIG), "-f",
                                      "json", "-o", os.devnull)
                    row.update({"bootstrap_s": boot["wall_s"],
                                "bootstrap_ratio": round(boot["wall_s"] / analysis["wall_s"], 2),
                                "bootstrap_peak_mb": round(boot["peak_mb"]), "compare_s": waves["wall_s"],
                                "compare_ratio": round(waves["wall_s"] / analysis["wall_s"], 2),
                                "compare_peak_mb": round(waves["peak_mb"])})
                data.unlink()
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def main(arguments: list[str]) -> None:
    if arguments[:1] == ["--write"]:
        write_in_pieces(Path(arguments[1]), int(arguments[2]), float(arguments[3]))
        return
    sizes = [int(value) for value in arguments if not value.startswith("--")] or [10_000, 100_000, 1_000_000]
    if "--10m" in arguments:
        sizes.append(10_000_000)
    started = time.perf_counter()
    small_studies()
    rows = sizes_run(sizes)
    print()
    header = list(rows[-1]) if rows else []
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(str(row.get(key, "")) for key in header))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s; {os.cpu_count()} CPUs; Python "
          f"{sys.version.split()[0]})")


if __name__ == "__main__":
    main(sys.argv[1:])
