"""Zone of tolerance (docs/method.md §2): where perceptions fall between adequate and desired service.

For three-column data (adequate A, desired D, perceived P), per respondent:

.. math:: MSA = P - A, \\qquad MSS = P - D, \\qquad \\text{width} = D - A

averaged per item over the respondents who gave all three ratings, and per dimension over
respondent dimension scores (the same "at least half the items" rule as the gap). The zone is
``below`` when mean MSA < 0, ``above`` when mean MSS > 0, else ``within``.

References
----------
Zeithaml, Berry and Parasuraman (1993), JAMS 21(1), 1–12; Parasuraman, Zeithaml and Berry (1994),
Journal of Retailing 70(3), 201–230 (the three-column format, MSA and MSS).
"""

from __future__ import annotations

import math

import numpy as np

from servgap.results import Tolerance, ToleranceRow
from servgap.stats.moments import FloatArray, Moments


def zone(msa: float, mss: float) -> str | None:
    """``below`` if MSA < 0, ``above`` if MSS > 0, else ``within`` (None when undefined); docs/method.md
    §2, after Zeithaml, Berry and Parasuraman (1993).

    Examples
    --------
    Item R1 of the worked fixture: MSA +0.6667 and MSS −2.0 lie within the zone.

    >>> zone(2 / 3, -2.0), zone(-0.1, -2.0), zone(1.0, 0.2), zone(float("nan"), 0.0)
    ('within', 'below', 'above', None)
    """
    if not (math.isfinite(msa) and math.isfinite(mss)):
        return None
    if msa < 0:
        return "below"
    if mss > 0:
        return "above"
    return "within"


class ToleranceAccumulator:
    """Adds blocks of A, D and P ratings; :meth:`result` gives the item and dimension rows."""

    def __init__(self, items: int, groups: list[slice], required: list[int]) -> None:
        self.groups = groups
        self.required = required
        self.item_moments = {key: Moments(items) for key in ("a", "d", "p", "msa", "mss")}
        self.item_below = np.zeros(items, dtype=np.int64)
        dimensions = len(groups)
        self.dimension_moments = {key: Moments(dimensions) for key in ("a", "d", "p", "msa", "mss")}
        self.dimension_below = np.zeros(dimensions, dtype=np.int64)

    def add(self, adequate: FloatArray, desired: FloatArray, perception: FloatArray) -> FloatArray:
        """Fold a block in; returns the block's respondent dimension MSA (rows × dimensions)."""
        complete = ~np.isnan(adequate) & ~np.isnan(desired) & ~np.isnan(perception)
        zeroed = {key: np.where(complete, values, 0.0)
                  for key, values in (("a", adequate), ("d", desired), ("p", perception))}
        zeroed["msa"] = zeroed["p"] - zeroed["a"]
        zeroed["mss"] = zeroed["p"] - zeroed["d"]
        for key, moments in self.item_moments.items():
            moments.add_present(zeroed[key], complete)
        self.item_below += (complete & (perception < adequate)).sum(axis=0)
        rows = complete.shape[0]
        # Respondent scores are Σ/count of each respondent's own differences (Σ(P − A)/count, not
        # P̄ − Ā): whole-number answers then give equal MSAs as equal floats, which rank tests need.
        scores = {key: np.full((rows, len(self.groups)), np.nan) for key in zeroed}
        for position, (columns, need) in enumerate(zip(self.groups, self.required, strict=True)):
            count = complete[:, columns].sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                for key in zeroed:
                    scores[key][:, position] = np.where(count >= need,
                                                        zeroed[key][:, columns].sum(axis=1) / count, np.nan)
        for key, moments in self.dimension_moments.items():
            moments.add(scores[key])
        self.dimension_below += (scores["msa"] < 0).sum(axis=0)
        return scores["msa"]

    @staticmethod
    def _rows(ids: list[str], moments: dict[str, Moments], below: np.ndarray, confidence: float) -> list[ToleranceRow]:
        summaries = {key: value.summary(confidence) for key, value in moments.items()}
        rows = []
        for position, identifier in enumerate(ids):
            n = int(summaries["msa"].n[position])

            def mean(key: str, index: int = position) -> float:
                return float(summaries[key].mean[index])

            msa, mss = mean("msa"), mean("mss")
            rows.append(ToleranceRow(
                id=identifier, n=n, adequate=mean("a"), desired=mean("d"), perception=mean("p"), msa=msa,
                msa_ci=(float(summaries["msa"].ci_low[position]), float(summaries["msa"].ci_high[position])),
                mss=mss, mss_ci=(float(summaries["mss"].ci_low[position]), float(summaries["mss"].ci_high[position])),
                width=mean("d") - mean("a"), zone=zone(msa, mss),
                share_below=float(below[position] / n) if n else math.nan,
            ))
        return rows

    def result(self, item_ids: list[str], dimension_ids: list[str], confidence: float) -> Tolerance:
        """MSA, MSS, width, zone and share below the minimum, per item and dimension, with intervals."""
        return Tolerance(
            items=self._rows(item_ids, self.item_moments, self.item_below, confidence),
            dimensions=self._rows(dimension_ids, self.dimension_moments, self.dimension_below, confidence),
        )
