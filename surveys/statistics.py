"""The statistics of the satisfaction index, apart from the database: estimation, raking, the
disclosure-control plan, rounding for publication and rank ranges. surveys.queries reads the
responses into `Row`s and builds the published tables with these functions.

The index: per unit, group and element, the share satisfied (4–5 on the 5-point scale) and the mean
score, weighted to the population with 95 % confidence intervals.

Estimation is design-based (the `svy` library, Taylor linearisation): strata are the campaign's
commune × form cells, the design weight of a response is N_h / n_h (stratum population over complete
responses received in it). The finite population correction uses N_h only when every stratum's
population is known (entered or imported by the province, with its source: Stratum.population_source);
otherwise no correction is applied (the intervals are then wider, never falsely narrow) and the
results page says so. A respondent's score on an
element is the mean of their Likert answers feeding it; "satisfied" is the share of those answers at
4 or 5. Cells with fewer responses than the campaign's threshold are suppressed.

When the campaign has known population margins (KnownMargin: shares of the categories of
single-choice questions such as sex or age group), the design weights are raked to them (svy's
iterative proportional fitting, starting from the design weights, over the whole campaign's
responses) and every estimate and interval uses the raked weights. Responses lacking an answer to a
margin variable (or answering a category without a known share) are left out of the fit and keep
their design weight; the fitted responses keep their design-weight total, so the overall total is
preserved. A category with a known share but no response cannot be fitted: it is dropped and the
other shares of that variable are renormalised."""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from surveys import conf
from surveys.models import Campaign

ALL = "all"


@dataclass(frozen=True)
class Interval:
    est: float
    lci: float
    uci: float
    se: float


@dataclass
class IndexCell:
    key: str
    label: str
    n: int | None  # None when suppressed: the count of a hidden cell is hidden too
    share: Interval | None = None
    mean: Interval | None = None
    suppressed: bool = False
    rank_best: int | None = None
    rank_worst: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def share_pct(self) -> float | None:
        return None if self.share is None else round(self.share.est * 100, 1)

    @property
    def share_ci_pct(self) -> str:
        from django.utils.formats import number_format

        if self.share is None:
            return ""
        return f"{number_format(self.share.lci * 100, 1)}–{number_format(self.share.uci * 100, 1)}"


@dataclass
class Row:
    stratum: int
    weight: float
    population: int
    commune: int
    district: int
    group: str
    scores: dict[str, tuple[float, float]]  # element -> (mean score, share satisfied)
    attrs: dict[str, str] = field(default_factory=dict)  # margin variable -> category answered
    population_known: bool = True  # the stratum's N comes from the province's data (FPC allowed)
    instrument: str = ""  # the questionnaire's code (several may be fielded to one group)


def margin_error(rows: list[Row], margins: dict[str, dict[str, float]]) -> float:
    """The largest relative misfit |achieved − target| / target over every margin category, among
    the rows that have all margin variables (targets renormalised over the categories present)."""
    fitted = [r for r in rows if all(r.attrs.get(v) in cats for v, cats in margins.items())]
    total = sum(r.weight for r in fitted)
    worst = 0.0
    for v, cats in margins.items():
        present = {c: s for c, s in cats.items() if any(r.attrs[v] == c for r in fitted)}
        norm = sum(present.values())
        for c, s in present.items():
            if s > 0:
                got = sum(r.weight for r in fitted if r.attrs[v] == c) / total
                worst = max(worst, abs(got - s / norm) / (s / norm))
    return worst


def rake_rows(rows: list[Row], margins: dict[str, dict[str, float]], *, max_iter: int | None = None) -> bool:
    """Rake the rows' weights in place to the known shares `margins` ({variable: {category: share}})
    with svy's iterative proportional fitting, starting from the current (design) weights: stop when
    every margin is met to conf.RAKE_TOL (relative misfit) or after conf.RAKE_MAX_ITER sweeps, keeping
    the last iterate. Rows missing a variable keep their weight; the fitted rows keep their total.
    Returns whether the fit converged."""
    import polars as pl
    import svy

    def fits(r: Row) -> bool:
        return all(r.attrs.get(v) in cats for v, cats in margins.items())

    if not margins or not any(fits(r) for r in rows):
        return True
    present = {v: {r.attrs[v] for r in rows if fits(r)} for v in margins}
    columns = {f"m{i}": v for i, v in enumerate(margins)}  # question codes need not be column-safe
    frame = pl.DataFrame(
        {
            "w": [r.weight for r in rows],
            "fit": [fits(r) for r in rows],
            **{col: [r.attrs[v] if fits(r) else "" for r in rows] for col, v in columns.items()},
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raked = svy.Sample(frame, svy.Design(wgt="w")).weighting.rake(
            shares={col: {c: s for c, s in margins[v].items() if c in present[v]} for col, v in columns.items()},
            where=pl.col("fit"),
            tol=conf.RAKE_TOL,
            max_iter=max_iter or conf.RAKE_MAX_ITER,
            on_nonconvergence="ignore",
        )
    data = raked.data
    assert isinstance(data, pl.DataFrame)  # a Sample built from a DataFrame gives one back
    for r, w in zip(rows, data["rk_wgt"].to_list(), strict=True):
        r.weight = float(w)
    return margin_error(rows, margins) <= conf.RAKE_TOL


def estimate(rows: list[Row], *, element: str = ALL, by: str | None = None, weighted: bool = True) -> dict[str, dict[str, Any]]:
    """Estimates of the mean score and the share satisfied, overall or per domain `by` ("commune",
    "district", "group"). Unweighted: simple random sampling formulas (one stratum, equal weights)."""
    import polars as pl
    import svy

    data = [r for r in rows if element in r.scores]
    if not data:
        return {}
    frame = pl.DataFrame(
        {
            "stratum": [r.stratum if weighted else 0 for r in data],
            "w": [r.weight if weighted else 1.0 for r in data],
            "N": [r.population for r in data],
            "mean": [r.scores[element][0] for r in data],
            "share": [r.scores[element][1] for r in data],
            "domain": [str(getattr(r, by)) if by else ALL for r in data],
        }
    )
    counts: dict[str, int] = defaultdict(int)
    for d in frame["domain"].to_list():
        counts[d] += 1
    design_args: dict[str, Any] = {"wgt": "w"}
    if weighted:
        # A stratum with a single response has no within-stratum variance: centre it on the mean.
        design_args.update(stratum="stratum", singleton=svy.Singleton(svy.SingletonMethod.CENTER))
        if all(r.population_known for r in data):
            design_args["pop_size"] = "N"  # the finite population correction, on known sizes only
    out: dict[str, dict[str, Any]] = {d: {"n": n} for d, n in counts.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sample = svy.Sample(frame, svy.Design(**design_args))
        for measure in ("mean", "share"):
            result = sample.estimation.mean(measure, by="domain" if by else None)
            assert not isinstance(result, list)  # one variable asked, one estimate returned
            for rec in result.to_polars().to_dicts():
                d = str(rec.get("domain", ALL))
                se = rec["se"] if rec["se"] == rec["se"] else 0.0  # NaN when a domain has one response
                est = rec["est"]
                lci = rec["lci"] if rec["lci"] == rec["lci"] else est
                uci = rec["uci"] if rec["uci"] == rec["uci"] else est
                # A share lies in [0, 1] and a score in [1, 5]: the symmetric interval is cut there.
                low, high = (0.0, 1.0) if measure == "share" else (float(conf.LIKERT_MIN), float(conf.LIKERT_MAX))
                out[d][measure] = Interval(est=est, lci=max(low, lci), uci=min(high, uci), se=se)
    return out


# --- Disclosure control -------------------------------------------------------------------------
# Every published figure (results page, exports, API, metric) is a cell of one lattice per element:
# group (one group, or ALL) × place (a commune "c<id>", a district "d<id>", the campaign's unit "r").
# A cell resting on fewer responses than the campaign's threshold is suppressed (primary), and so is
# any further cell needed so that no published total minus published parts gives it back
# (complementary suppression, as statistics offices do for tables with totals): in every relation
# "total = sum of parts" (a place's groups; a district's communes; the campaign's districts), the
# suppressed parts under a published total are never exactly one and together rest on at least the
# threshold; a suppressed total is never the sum of published parts; and a group at a place shows
# all of its elements and its overall score, or none of them. Published figures are rounded:
# shares to 0.1 percentage point, mean scores to 2 decimals; a suppressed cell shows no count.
SHARE_DECIMALS = 3  # a share of 0.667 is published as 66.7 %
MEAN_DECIMALS = 2

CellKey = tuple[str, str, str]  # (element, group, place)


@dataclass
class Disclosure:
    """The campaign-wide suppression plan: the same cell is hidden on every page, export and API
    answer, whoever reads it."""

    threshold: int
    counts: dict[CellKey, int]
    suppressed: set[CellKey]
    communes_of: dict[int, frozenset[int]]  # district id -> its communes that have responses

    @property
    def communes(self) -> frozenset[int]:
        return frozenset(c for cs in self.communes_of.values() for c in cs)

    def places(self, communes: Iterable[int]) -> list[str]:
        """The lattice places whose union is exactly `communes`: the campaign, whole districts,
        then single communes."""
        wanted = frozenset(communes)
        if wanted and wanted == self.communes:
            return ["r"]
        out = []
        for district, members in sorted(self.communes_of.items()):
            inside = members & wanted
            if inside and inside == members:
                out.append(f"d{district}")
            else:
                out += [f"c{c}" for c in sorted(inside)]
        return out

    def shown(self, element: str, group: str, communes: Iterable[int]) -> bool:
        """A cell over `communes` may be published only if every lattice cell it is made of is."""
        places = self.places(communes)
        return bool(places) and all((element, group, p) not in self.suppressed for p in places)


def _relations(counts: dict[CellKey, int], communes_of: dict[int, frozenset[int]]) -> list[tuple[CellKey, list[CellKey]]]:
    elements = {k[0] for k in counts}
    groups = sorted({k[1] for k in counts} - {ALL})
    places = ["r"] + [f"d{d}" for d in communes_of] + [f"c{c}" for cs in communes_of.values() for c in cs]
    out: list[tuple[CellKey, list[CellKey]]] = []
    for e in elements:
        for p in places:
            out.append(((e, ALL, p), [(e, g, p) for g in groups]))
        for g in [ALL, *groups]:
            out.append(((e, g, "r"), [(e, g, f"d{d}") for d in communes_of]))
            for d, members in communes_of.items():
                out.append(((e, g, f"d{d}"), [(e, g, f"c{c}") for c in sorted(members)]))
    return [(parent, [c for c in children if counts.get(c, 0) > 0]) for parent, children in out if counts.get(parent, 0) > 0]


def disclosure_plan(*, campaign: Campaign, rows: list[Row]) -> Disclosure:
    """Primary and complementary suppression over all of the campaign's complete responses `rows`
    (see the note above). Greedy, to a fixed point: a relation needing one more hidden cell hides
    its smallest published part, or its total when no part is left."""
    counts: dict[CellKey, int] = defaultdict(int)
    members: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        members[r.district].add(r.commune)
        for e in r.scores:
            for g in (r.group, ALL):
                for p in ("r", f"d{r.district}", f"c{r.commune}"):
                    counts[(e, g, p)] += 1
    communes_of = {d: frozenset(cs) for d, cs in members.items()}
    threshold = campaign.min_responses
    suppressed = {k for k, n in counts.items() if n < threshold}
    relations = _relations(counts, communes_of)
    columns: dict[tuple[str, str], set[CellKey]] = defaultdict(set)
    for key in counts:
        columns[key[1:]].add(key)
    changed = True
    while changed:
        changed = False
        for parent, children in relations:
            hidden = [c for c in children if c in suppressed]
            if parent in suppressed:
                if hidden or not children:
                    continue  # two unknowns in this relation at least
            elif not hidden or (len(hidden) > 1 and sum(counts[c] for c in hidden) >= threshold):
                continue
            visible = sorted((c for c in children if c not in suppressed), key=lambda c: (counts[c], c))
            suppressed.add(visible[0] if visible else parent)
            changed = True
        # The overall score of a group at a place is a mix of its elements' scores (PKS07 has one
        # question per element): its elements are published all together or not at all.
        for column in columns.values():
            if not column <= suppressed and column & suppressed:
                suppressed |= column
                changed = True
    return Disclosure(threshold=threshold, counts=dict(counts), suppressed=suppressed, communes_of=communes_of)


def rounded(interval: Interval, decimals: int) -> Interval:
    """The interval as published: `decimals` places (the standard error one more)."""
    return Interval(
        est=round(interval.est, decimals),
        lci=round(interval.lci, decimals),
        uci=round(interval.uci, decimals),
        se=round(interval.se, decimals + 1),
    )


def set_rank_ranges(cells: list[IndexCell]) -> None:
    """Rank ranges by share satisfied: a unit's rank is the range it could hold given the intervals,
    so units whose intervals overlap are not ranked apart. Suppressed cells get no rank."""
    shown = [c for c in cells if c.share is not None]
    for c in shown:
        assert c.share is not None
        better = sum(1 for o in shown if o is not c and o.share is not None and o.share.lci > c.share.uci)
        not_worse = sum(1 for o in shown if o is not c and o.share is not None and o.share.uci >= c.share.lci)
        c.rank_best, c.rank_worst = better + 1, not_worse + 1


def intervals_differ(a: Interval | None, b: Interval | None) -> bool:
    """Whether two 95 % intervals do not overlap (used for rank ranges, not to test a change)."""
    return a is not None and b is not None and (a.lci > b.uci or b.lci > a.uci)


Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Difference:
    """`now - before` for two independent samples (two campaigns): the estimate, its 95 % interval,
    the z statistic and the two-sided p-value (normal approximation, se = sqrt(se_now² + se_before²))."""

    est: float
    lci: float
    uci: float
    z: float | None
    p: float | None

    @property
    def significant(self) -> bool:
        return self.p is not None and self.p < 0.05


def difference(now: Interval, before: Interval) -> Difference:
    import math

    est = now.est - before.est
    se = math.sqrt(now.se**2 + before.se**2)
    if se == 0:
        return Difference(est=est, lci=est, uci=est, z=None, p=None)
    z = est / se
    return Difference(est=est, lci=est - Z_95 * se, uci=est + Z_95 * se, z=z, p=math.erfc(abs(z) / math.sqrt(2)))


def composition(rows: list[Row]) -> dict[str, tuple[float, int]]:
    """What a pooled figure is made of: each group's share of the total weight and its responses."""
    total = sum(r.weight for r in rows)
    out: dict[str, tuple[float, int]] = {}
    for group in sorted({r.group for r in rows}):
        mine = [r for r in rows if r.group == group]
        out[group] = (sum(r.weight for r in mine) / total if total else 0.0, len(mine))
    return out
