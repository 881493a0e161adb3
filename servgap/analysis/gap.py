"""The gap, P − E: the one place the respondents' item gaps are formed (docs/method.md §1).

The engine forms them block by block with its moments; the Wilcoxon tests, the bootstrap and the
wave comparison, which need every respondent's differences, take them from here.
"""

from __future__ import annotations

import numpy as np

from servgap.data.responses import Responses
from servgap.instrument.models import Facet
from servgap.stats.moments import FloatArray

#: Respondents per block when the gaps are formed: two blocks of answers stay small beside the result.
ROWS = 65_536


def item_gaps(responses: Responses, out: FloatArray | None = None, rows: np.ndarray | None = None) -> FloatArray:
    """Respondents × items array of P − E (reverse-keyed items recoded first); NaN where either rating
    is missing, and everywhere when the instrument has no expectation ratings. Written into ``out``
    (respondents × items, e.g. a view of a wider array) when given; only the respondents at the
    positions ``rows``, in that order, when given.

    Examples
    --------
    >>> import numpy as np
    >>> from servgap.analysis.gap import item_gaps
    >>> # for respondent r1 of the worked fixture (docs/method.md §7): P − E on T1, T2, R1, R2, R3
    >>> from servgap.data.responses import read_responses
    >>> from servgap.checks.config import load_config
    >>> from pathlib import Path
    >>> fixtures = Path(__file__).parents[2] / "tests" / "fixtures"
    >>> config = load_config(fixtures / "mini.yaml").config
    >>> gaps = item_gaps(read_responses(config, fixtures / "mini.csv").responses)
    >>> gaps[0].tolist()
    [-1.0, 0.0, -2.0, -1.0, -1.0]
    """
    shape = (responses.rows_read if rows is None else len(rows), len(responses.item_ids))
    if out is None:
        out = np.empty(shape)
    if Facet.EXPECTATION not in responses.facets:
        out[:] = np.nan
        return out
    # Formed block by block into ``out``: the whole E and P matrices are never held beside it.
    for start in range(0, shape[0], ROWS):
        part = slice(start, min(start + ROWS, shape[0]))
        chosen = part if rows is None else rows[part]
        out[part] = responses.block(Facet.PERCEPTION, chosen)
        out[part] -= responses.block(Facet.EXPECTATION, chosen)
    return out
