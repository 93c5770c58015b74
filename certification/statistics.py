"""Statistics of appraisal quality, apart from the database: the mean gap between two levels' totals
on a district's sampled files, with its 95 % confidence interval.

The sampled files are a random sample of the district's forwarded files, so their mean district −
province gap estimates the district's inflation. The interval is t-based (Student's t with n − 1
degrees of freedom, the usual small-sample interval for a mean): mean ± t(0.975, n − 1) · s / √n.
With fewer than two files there is no interval (the table says "too few files")."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scipy.stats import t as student_t

CONFIDENCE = 0.95


@dataclass(frozen=True)
class GapEstimate:
    n: int
    mean: float | None
    sd: float | None = None
    lci: float | None = None
    uci: float | None = None

    @property
    def enough(self) -> bool:
        return self.lci is not None

    @property
    def above_zero(self) -> bool:
        """The whole interval lies above 0: the district scores higher than the province."""
        return self.lci is not None and self.lci > 0


def mean_interval(values: Sequence[Decimal | float]) -> GapEstimate:
    """The mean of `values` with its t-based 95 % interval (None bounds when n < 2)."""
    xs = [float(v) for v in values]
    n = len(xs)
    if n == 0:
        return GapEstimate(0, None)
    mean = sum(xs) / n
    if n < 2:
        return GapEstimate(1, round(mean, 2))
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    half = float(student_t.ppf(0.5 + CONFIDENCE / 2, n - 1)) * sd / math.sqrt(n)
    return GapEstimate(n, round(mean, 2), round(sd, 2), round(mean - half, 2), round(mean + half, 2))
