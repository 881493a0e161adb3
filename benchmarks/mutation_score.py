"""Mutation score of the statistical modules: how many deliberately broken versions the tests catch.

Runs ``mutmut`` (configured under ``[tool.mutmut]`` in pyproject.toml: servgap/stats/ and the
analysis modules that compute reported numbers) and prints, per module, the mutants killed, the
survivors, and the score over the non-equivalent mutants. Equivalent mutants — changes that cannot
alter any result — are listed in ``EQUIVALENT`` with the reason, and left out of the score.

    pip install mutmut
    python benchmarks/mutation_score.py                  # every configured module (tens of minutes)
    python benchmarks/mutation_score.py servgap/stats/adjust.py   # one module
    python benchmarks/mutation_score.py --report-only    # the score of the last run

Each mutant runs the test suite, so a full run takes a while on two cores; it works in ``mutants/``
(git-ignored).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Mutants that cannot change behaviour, by mutmut's name, with why.
EQUIVALENT = {
    "servgap.stats.adjust.x_holm__mutmut_3": "np.full_like(..., None, dtype=float) fills NaN, as np.nan does",
    "servgap.stats.adjust.x_holm__mutmut_4": "dtype=None keeps the float dtype of the p-values",
    "servgap.stats.adjust.x_holm__mutmut_7": "without dtype the float dtype of the p-values is kept",
    "servgap.stats.adjust.x_holm__mutmut_17": "argsort kind: tied p-values get the same adjusted value "
                                              "through the running maximum, whatever their order",
    "servgap.stats.adjust.x_holm__mutmut_19": "argsort kind (as above)",
    "servgap.stats.adjust.x_holm__mutmut_21": "argsort kind (as above; numpy accepts 'STABLE')",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_3": "np.full_like(..., None, dtype=float) fills NaN",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_4": "dtype=None keeps the float dtype",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_7": "without dtype the float dtype is kept",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_15": "method='bh' is scipy's default",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_17": "scipy reads the method case-insensitively",
    "servgap.stats.adjust.x_adjust__mutmut_9": "astype(None) of float p-values is float",
    "servgap.stats.adjust.x_adjust__mutmut_12": "astype(float) copies by default, as copy=True asks",
    "servgap.stats.adjust.x_significant__mutmut_11": "rounding 1 − confidence to 13 digits instead of 12 "
                                                     "changes nothing for a confidence given to 12 digits",
}


def run(paths: list[str]) -> str:
    command = ["mutmut", "run"]
    if paths:
        # mutmut takes mutant-name globs: servgap/stats/adjust.py → servgap.stats.adjust.*
        command += [re.sub(r"\.py$", "", path).replace("/", ".") + ".*" for path in paths]
    if "--report-only" not in sys.argv:
        subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    finished = subprocess.run(["mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
                              check=False)
    return finished.stdout


def main() -> None:
    results = run([argument for argument in sys.argv[1:] if not argument.startswith("--")])
    per_module: dict[str, Counter[str]] = {}
    for line in results.splitlines():
        match = re.match(r"\s*(\S+): (\w[\w ]*)$", line)
        if not match:
            continue
        name, status = match.groups()
        # Functions mutate as module.x_name__mutmut_N, methods as module.xǁClassǁname__mutmut_N.
        module = re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]
        key = "equivalent" if name in EQUIVALENT and status == "survived" else status
        per_module.setdefault(module, Counter())[key] += 1
    print(f"{'module':45} {'killed':>7} {'survived':>9} {'equivalent':>11} {'score':>7}")
    totals: Counter[str] = Counter()
    for module, counts in sorted(per_module.items()):
        totals.update(counts)
        scored = counts["killed"] + counts["survived"]
        score = counts["killed"] / scored if scored else float("nan")
        print(f"{module:45} {counts['killed']:7} {counts['survived']:9} {counts['equivalent']:11} {score:7.1%}")
    scored = totals["killed"] + totals["survived"]
    if scored:
        print(f"{'all':45} {totals['killed']:7} {totals['survived']:9} {totals['equivalent']:11} "
              f"{totals['killed'] / scored:7.1%}")
    for name, reason in EQUIVALENT.items():
        print(f"equivalent: {name}: {reason}")


if __name__ == "__main__":
    main()
