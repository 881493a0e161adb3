"""Regenerate the synthetic example data of examples/restaurant and examples/airline.

Every file written here is synthetic (made with servgap's simulation functions, fixed seeds); none
is a real survey. Run from the repository root:  python examples/make_examples.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from servgap.checks.config import load_config
from servgap.data.simulate import simulate_ratings, simulate_responses, simulate_staff

ROOT = Path(__file__).resolve().parent.parent


def write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False)
    print(f"wrote {path.relative_to(ROOT)} ({len(frame)} rows)")


def restaurant() -> None:
    loaded = load_config(ROOT / "configs" / "restaurant.yaml")
    config, factors = loaded.config, loaded.factors
    folder = ROOT / "examples" / "restaurant"
    customers = pd.read_csv(folder / "responses.csv")
    items = [item.id for _, item in config.items()]
    expectation = customers[[f"E_{i}" for i in items]].mean().to_numpy()
    dimension = np.array([d.id for d, _ in config.items()])
    # Managers underrate what guests expect of reliability and responsiveness (gap 1) and put
    # more weight on tangibles than guests do.
    manager_levels = expectation + np.select([dimension == "reliability", dimension == "responsiveness"],
                                             [-0.9, -0.7], 0.1)
    write(simulate_ratings(config, 8, seed=11, levels=manager_levels, pattern="M_{item}", id_prefix="M",
                           spread=0.5, points=np.array([0.35, 0.2, 0.1, 0.2, 0.15])), folder / "managers.csv")
    # Audits find delivery below the standard at busy times (gap 3), most of all in responsiveness.
    standards = np.array([config.management.standards.get(i, np.nan) for i in items])
    delivered = np.where(np.isnan(standards), 5.0, standards) - np.select(
        [dimension == "responsiveness", dimension == "reliability"], [1.2, 0.6], 0.3)
    write(simulate_ratings(config, 24, seed=12, levels=delivered, pattern="AUD_{item}", id_prefix="A",
                           spread=0.6), folder / "audits.csv")
    # Staff report weak customer research and upward communication, and much role ambiguity.
    low = {"market_research": 2.2, "upward_communication": 2.5, "role_ambiguity": 3.9, "role_conflict": 3.6,
           "over_promising": 3.8, "horizontal_communication": 2.6}
    write(simulate_staff(factors, 45, seed=13, levels=low), folder / "staff.csv")


def airline() -> None:
    loaded = load_config(ROOT / "configs" / "airline.yaml")
    config, factors = loaded.config, loaded.factors
    folder = ROOT / "examples" / "airline"
    items = [item.id for _, item in config.items()]
    # The seed's story: passengers value information about delays, responsibility for delays,
    # courteous crew, on-time departure and leg room more than management believes; management
    # values safety announcements, seat comfort, drinks, cancellations and meal speed more.
    passengers_first = {"inf1", "inf2", "crw1", "pun1", "cmf1"}
    managers_first = {"saf1", "cmf2", "crw3", "pun2", "crw2"}
    passenger_levels = np.array([6.5 if i in passengers_first else 5.0 if i in managers_first else 5.8
                                 for i in items])
    manager_levels = np.array([6.4 if i in managers_first else 4.9 if i in passengers_first else 5.7
                               for i in items])
    shortfalls = np.array([1.3 if i in passengers_first else 0.4 for i in items])
    write(simulate_responses(config, 320, seed=21, expectation_levels=passenger_levels, shortfalls=shortfalls,
                             segment="route"), folder / "passengers.csv")
    write(simulate_ratings(config, 12, seed=22, levels=manager_levels, pattern="M_{item}", id_prefix="M",
                           spread=0.5), folder / "managers.csv")
    standards = np.array([config.management.standards[i] for i in items])
    write(simulate_ratings(config, 30, seed=23, levels=standards - np.where(
        [i.startswith("inf") for i in items], 1.4, 0.4), pattern="AUD_{item}", id_prefix="A", spread=0.6),
        folder / "audits.csv")
    write(simulate_staff(factors, 60, seed=24, levels={"market_research": 2.4, "upward_communication": 2.3,
                                                       "management_layers": 4.0, "over_promising": 3.9}),
          folder / "staff.csv")


if __name__ == "__main__":
    restaurant()
    airline()
