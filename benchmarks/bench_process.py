"""Whole-process benchmark: `servgap analyze … -f json` against pandas merely reading the same file.

Each measurement is a fresh process, timed from its start to its exit (imports included), with its
own peak resident memory:

* ``pandas``: ``python -c "import pandas; pandas.read_csv(FILE)"``, the baseline;
* ``analyze``: ``servgap analyze FILE -c servqual.yaml -f json -o /dev/null``;
* ``bootstrap``: the same with ``--bootstrap -1`` (the default resamples for the size);
* ``compare``: ``servgap compare FILE FILE -f json`` (two waves of that size);

and, once: the import of the command line, ``servgap check`` of one config, and the 400-row
restaurant example analysed to JSON (CPU seconds: "small studies feel instant").

    python benchmarks/bench_process.py                 # 10k, 100k and 1M respondents
    python benchmarks/bench_process.py --10m           # and 10M (a 1.1 GB CSV; minutes, and disk)
    python benchmarks/bench_process.py 250000          # any sizes

The files are synthetic SERVQUAL exports written by `servgap simulate` (22 items, E and P, five
importance-point columns, an id and a segment column: 51 columns).
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


def sizes_run(sizes: list[int]) -> list[dict[str, object]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            data = Path(folder) / f"servqual_{size}.csv"
            subprocess.run([sys.executable, "-m", "servgap", "simulate", str(CONFIG), "-n", str(size), "--seed", "1",
                            "-o", str(data)], check=True, capture_output=True)
            pandas = measure("pandas", str(data))
            analysis = measure("servgap", "analyze", str(data), "-c", str(CONFIG), "-f", "json", "-o", os.devnull)
            row: dict[str, object] = {
                "respondents": size, "csv_mb": round(data.stat().st_size / 1_048_576, 1),
                "pandas_s": pandas["wall_s"], "pandas_peak_mb": round(pandas["peak_mb"]),
                "analyze_s": analysis["wall_s"], "analyze_cpu_s": analysis["cpu_s"],
                "ratio_to_pandas": round(analysis["wall_s"] / pandas["wall_s"], 2),
                "analyze_peak_mb": round(analysis["peak_mb"]),
            }
            if size <= 1_000_000:
                boot = measure("servgap", "analyze", str(data), "-c", str(CONFIG), "-f", "json", "-o", os.devnull,
                               "--bootstrap", "-1")
                waves = measure("servgap", "compare", str(data), str(data), "-c", str(CONFIG), "-f", "json", "-o",
                                os.devnull)
                row.update({"bootstrap_s": boot["wall_s"],
                            "bootstrap_ratio": round(boot["wall_s"] / analysis["wall_s"], 2),
                            "bootstrap_peak_mb": round(boot["peak_mb"]), "compare_s": waves["wall_s"],
                            "compare_ratio": round(waves["wall_s"] / analysis["wall_s"], 2),
                            "compare_peak_mb": round(waves["peak_mb"])})
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def main(arguments: list[str]) -> None:
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
