"""Sample size for a proportion with finite population correction, and allocation to strata.

    n0 = z² · p · (1 − p) / e²          (Cochran 1977, eq. 4.2; z the two-sided normal quantile)
    n  = n0 / (1 + (n0 − 1) / N)        (finite population correction, Cochran eq. 4.3)

rounded up; never more than N. Each stratum (commune × group) gets its own n so that the commune
result reaches the chosen margin of error."""

from __future__ import annotations

import math
from statistics import NormalDist


def z_value(confidence: float) -> float:
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def sample_size(*, margin: float, confidence: float, proportion: float, population: int | None = None) -> int:
    if not 0 < margin < 1 or not 0 < confidence < 1 or not 0 < proportion < 1:
        raise ValueError("margin, confidence and proportion must lie strictly between 0 and 1")
    z = z_value(confidence)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    if population is None:
        return math.ceil(n0)
    if population <= 0:
        return 0
    n = n0 / (1 + (n0 - 1) / population)
    return min(population, math.ceil(n - 1e-9))
