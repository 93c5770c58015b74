"""The province's check sample: which of a district's forwarded files the province appraises itself.

A stratified random sample, reproducible from its seed: the files are grouped into strata (the star
band the district's total proposes), each stratum gets one file when the sample is large enough, the rest
in proportion to its size (largest remainders; the sample is at least the minimum), and within a stratum the files are
drawn with `random.Random(seed)` from the list ordered by id. The same seed, share and files always
give the same draw (`draw`), so anyone can re-draw a recorded sample and compare. Pure computation,
no database writes."""

from __future__ import annotations

import math
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

NO_BAND = "0"  # a proposed total below every band (it cannot be recognised as it stands)


@dataclass(frozen=True)
class Candidate:
    file_id: int
    stratum: str


@dataclass(frozen=True)
class Draw:
    seed: int
    share: float
    minimum: int
    drawn: tuple[int, ...]  # file ids, in the order drawn
    allocation: dict[str, tuple[int, int]]  # stratum -> (files, drawn)


def new_seed() -> int:
    """A fresh seed (63 bits, so it fits a signed bigint column)."""
    return secrets.randbits(63)


def band_of(total: Decimal | None, bands: Iterable[tuple[int, Decimal]]) -> str:
    """The stratum of a proposed total: the stars of the highest band it reaches, as text."""
    if total is None:
        return NO_BAND
    reached = [stars for stars, minimum in bands if total >= minimum]
    return str(max(reached)) if reached else NO_BAND


def sample_size(population: int, share: float, minimum: int) -> int:
    """ceil(share × population), at least `minimum`, never more than the population."""
    if population <= 0:
        return 0
    wanted = math.ceil(max(0.0, share) * population - 1e-9)
    return min(population, max(wanted, minimum))


def _allocate(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Allocate `total` over the strata: one file to each stratum first when the sample is large
    enough for every stratum to be seen, the rest in proportion to what is left of each stratum by
    largest remainder (ties: the larger stratum, then the higher label); never more than a stratum
    holds."""
    out = dict.fromkeys(sizes, 0)
    if total <= 0 or not sizes:
        return out
    if total >= len(sizes):
        out = dict.fromkeys(sizes, 1)
    left = total - sum(out.values())
    rest = {k: sizes[k] - out[k] for k in sizes}
    population = sum(rest.values())
    if left <= 0 or population <= 0:
        return out
    exact = {k: left * n / population for k, n in rest.items()}
    for k in sizes:
        out[k] += min(rest[k], math.floor(exact[k]))
    order = sorted(sizes, key=lambda k: (-(exact[k] - math.floor(exact[k])), -sizes[k], k))
    left = total - sum(out.values())
    while left > 0:
        grew = False
        for k in order:
            if left and out[k] < sizes[k]:
                out[k] += 1
                left -= 1
                grew = True
        if not grew:
            break
    return out


def draw(candidates: Sequence[Candidate], *, share: float, minimum: int, seed: int) -> Draw:
    """Draw the sample from `candidates` (see the module note). Deterministic in its arguments."""
    strata: dict[str, list[int]] = defaultdict(list)
    for c in candidates:
        strata[c.stratum].append(c.file_id)
    sizes = {k: len(v) for k, v in strata.items()}
    quota = _allocate(sizes, sample_size(len(candidates), share, minimum))
    rng = random.Random(seed)
    drawn: list[int] = []
    for stratum in sorted(strata, reverse=True):  # highest band first, a fixed order
        drawn += rng.sample(sorted(strata[stratum]), quota[stratum])
    return Draw(
        seed=seed,
        share=share,
        minimum=minimum,
        drawn=tuple(drawn),
        allocation={k: (sizes[k], quota[k]) for k in sorted(strata, reverse=True)},
    )
