"""Reads of survey results for pages, exports, the API and the metric: the campaign's complete
responses as weighted rows (design weights, raked to the campaign's known margins when it has any),
the disclosure plan, index tables per unit, group and element, year-on-year comparison, progress and
open answers. The statistics themselves (estimation, raking, suppression, rounding, ranks) are in
surveys.statistics."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from core.metrics import MetricValue
from surveys import conf
from surveys.models import Campaign, CampaignState, Element, Group, Instrument, KnownMargin, Question, QuestionKind, Response, Stratum
from surveys.statistics import (
    ALL,
    MEAN_DECIMALS,
    SHARE_DECIMALS,
    Disclosure,
    IndexCell,
    Row,
    composition,
    difference,
    disclosure_plan,
    estimate,
    rake_rows,
    rounded,
    set_rank_ranges,
)
from units.models import Unit
from units.structure import LineageIndex


@dataclass(frozen=True)
class Weighting:
    """Which weights the estimates use: design weights, or design weights raked to known margins."""

    variables: tuple[str, ...] = ()  # labels of the margin variables raked to

    @property
    def adjusted(self) -> bool:
        return bool(self.variables)

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        if not self.variables:
            return _("Trọng số thiết kế")
        return _("Trọng số hiệu chỉnh theo cơ cấu: %(vars)s") % {"vars": ", ".join(self.variables)}


def known_margins(campaign: Campaign) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """{variable: {category: share}} and {variable: label} of the campaign's known margins."""
    margins: dict[str, dict[str, float]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for m in KnownMargin.objects.filter(campaign=campaign):
        margins[m.variable][m.category] = m.share
        labels[m.variable] = m.label
    return dict(margins), labels


def weighting(campaign: Campaign) -> Weighting:
    _margins, labels = known_margins(campaign)
    return Weighting(variables=tuple(labels[v] for v in sorted(labels)))


def _likert_elements(campaign: Campaign) -> dict[int, dict[str, str]]:
    """form id -> {question code: element} for Likert questions that feed an element."""
    out: dict[int, dict[str, str]] = defaultdict(dict)
    qs = Question.objects.filter(version__campaign_forms__campaign=campaign, kind=QuestionKind.LIKERT).exclude(element="")
    for form_id, code, element in qs.values_list("version__campaign_forms__id", "code", "element"):
        out[form_id][code] = element
    return out


def response_rows(
    *, campaign: Campaign, roots: Iterable[Unit] | None = None, responses: QuerySet[Response] | None = None, rake: bool = True
) -> list[Row]:
    """One row per complete response within `roots` (all of the campaign if None), with its design
    weight from the whole campaign's counts, raked to the campaign's known margins if it has any
    (the fit runs over all of the campaign's responses, then the rows outside `roots` are dropped;
    `rake=False` keeps the design weights)."""
    strata = {
        s.pk: s
        for s in Stratum.objects.filter(form__campaign=campaign)
        .select_related("unit", "form__version__instrument")
        .annotate(n_complete=Count("responses", filter=Q(responses__is_complete=True, responses__excluded=False)))
    }
    elements = _likert_elements(campaign)
    margins = known_margins(campaign)[0] if rake else {}
    qs = responses if responses is not None else Response.objects.filter(stratum__form__campaign=campaign)
    qs = qs.filter(is_complete=True, excluded=False)  # flagged responses the rule leaves out: not in the index
    if roots is not None and not margins:
        qs = qs.filter(_under(roots, "stratum__unit__path"))
    rows = []
    for stratum_id, answers in qs.values_list("stratum_id", "answers").iterator(chunk_size=2000):
        stratum = strata[stratum_id]
        by_element: dict[str, list[int]] = defaultdict(list)
        for code, element in elements[stratum.form_id].items():
            value = answers.get(code)
            if isinstance(value, int):
                by_element[element].append(value)
                by_element[ALL].append(value)
        scores = {e: (sum(v) / len(v), sum(1 for x in v if x >= conf.SATISFIED_FROM) / len(v)) for e, v in by_element.items()}
        rows.append(
            Row(
                stratum=stratum_id,
                weight=stratum.population / max(stratum.n_complete, 1),
                population=stratum.population,
                commune=stratum.unit_id,
                district=stratum.unit.parent_id or stratum.unit_id,
                group=stratum.form.group,
                population_known=bool(stratum.population_source),
                instrument=stratum.form.version.instrument.code,
                scores=scores,
                attrs={v: str(answers[v]) for v in margins if answers.get(v) not in (None, "")},
            )
        )
    if margins:
        rake_rows(rows, margins)
        if roots is not None:
            keep = set(Stratum.objects.filter(_under(roots, "unit__path"), form__campaign=campaign).values_list("pk", flat=True))
            rows = [r for r in rows if r.stratum in keep]
    return rows


def _under(roots: Iterable[Unit], lookup: str) -> Q:
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(**{f"{lookup}__startswith": root.path})
    return q


@dataclass
class Reading:
    """What one reader sees of a campaign: the rows within their units (of one group, or all), the
    communes those units cover and the campaign's disclosure plan."""

    campaign: Campaign
    rows: list[Row]
    communes: frozenset[int]
    group: str
    plan: Disclosure
    # The reader's units within the campaign (None: the whole campaign), to name what a figure
    # covers: a commune's reader sees its own figures under its own name, not its district's.
    roots: tuple[Unit, ...] | None = None


def reading(*, campaign: Campaign, roots: Iterable[Unit] | None = None, group: str = ALL) -> Reading:
    """The campaign's rows read once (weights raked over the whole campaign), its disclosure plan,
    and the part of the rows within `roots` (all if None) and of `group` (ALL for every group)."""
    rows = response_rows(campaign=campaign)
    plan = disclosure_plan(campaign=campaign, rows=rows)
    if roots is not None:
        keep = set(Stratum.objects.filter(_under(roots, "unit__path"), form__campaign=campaign).values_list("pk", flat=True))
        rows = [r for r in rows if r.stratum in keep]
    communes = frozenset(r.commune for r in rows)
    if group != ALL:
        rows = [r for r in rows if r.group == group]
    return Reading(campaign=campaign, rows=rows, communes=communes, group=group, plan=plan, roots=None if roots is None else tuple(roots))


def _part_label(view: Reading, district: Unit) -> str:
    """The district's name when the reader covers the whole district, else the names of the
    reader's units inside it (the figures are theirs alone)."""
    if view.roots is None or any(district.path.startswith(r.path) for r in view.roots):
        return district.name
    inside = [r.name for r in view.roots if r.path.startswith(district.path)]
    return ", ".join(sorted(inside)) or district.name


def _label_map(by: str | None, keys: Iterable[str], view: Reading | None = None) -> dict[str, str]:
    if by == "district" and view is not None:
        return {str(u.pk): _part_label(view, u) for u in Unit.objects.filter(pk__in=[int(k) for k in keys])}
    if by in ("commune", "district"):
        return {str(u.pk): u.name for u in Unit.objects.filter(pk__in=[int(k) for k in keys])}
    if by == "group":
        return {k: str(Group(k).label) for k in keys}
    return {k: k for k in keys}


def index_cells(*, view: Reading, element: str = ALL, by: str | None = None, weighted: bool = True) -> list[IndexCell]:
    """Table cells of what `view` reads, overall or per `by` ("commune", "district", "group"),
    with the campaign's disclosure plan applied (a suppressed cell carries neither figures nor its
    count), figures rounded for publication, and rank ranges (by share satisfied): a unit's rank is
    given as the range it could hold given the intervals, so units whose intervals overlap are not
    ranked apart."""
    results = estimate(view.rows, element=element, by=by, weighted=weighted)
    labels = _label_map(by, results.keys(), view)
    cells = []
    for key, res in results.items():
        group, communes = view.group, view.communes
        if by == "commune":
            communes = frozenset({int(key)})
        elif by == "district":
            communes = view.communes & view.plan.communes_of.get(int(key), frozenset())
        elif by == "group":
            group = key
        cell = IndexCell(key=key, label=labels.get(key, key), n=res["n"])
        if view.plan.shown(element, group, communes):
            cell.share, cell.mean = rounded(res["share"], SHARE_DECIMALS), rounded(res["mean"], MEAN_DECIMALS)
        else:
            cell.suppressed, cell.n = True, None
        cells.append(cell)
    set_rank_ranges(cells)
    cells.sort(key=lambda c: (c.share is None, -(c.share.est if c.share else 0), c.label))
    return cells


def element_cells(*, view: Reading, weighted: bool = True) -> list[IndexCell]:
    cells = []
    for element in [ALL, *Element.values]:
        found = index_cells(view=view, element=element, weighted=weighted)
        if found:
            cell = found[0]
            cell.key = element
            cell.label = str(Element(element).label) if element != ALL else "Chung"
            cells.append(cell)
    return cells


def previous_campaign(campaign: Campaign) -> Campaign | None:
    return Campaign.objects.filter(unit=campaign.unit, year=campaign.year - 1, state=CampaignState.CLOSED).order_by("-ends_on").first()


def year_comparison(*, campaign: Campaign, roots: list[Unit], by: str = "district", group: str = ALL) -> dict[str, Any]:
    """This year's share satisfied against last year's campaign of the same unit, per domain, like
    with like: only the respondent groups both campaigns fielded (`group` if one is asked), each
    change tested (difference, its 95 % interval, p-value). Says why when no comparison is possible."""
    from django.utils.translation import gettext as _

    previous = previous_campaign(campaign)
    if previous is None:
        return {"possible": False, "note": _("Không có đợt khảo sát năm trước của cùng đơn vị để so sánh."), "rows": []}
    now_groups = set(campaign.forms.values_list("group", flat=True))
    before_groups = set(previous.forms.values_list("group", flat=True))
    common = sorted(now_groups & before_groups) if group == ALL else sorted({group} & now_groups & before_groups)
    if not common:
        return {
            "possible": False,
            "note": _("Năm trước không khảo sát nhóm đối tượng này: không so sánh được."),
            "rows": [],
        }
    compared = [ALL] if now_groups == before_groups and group == ALL else common
    rows = []
    for part in compared:
        now = {c.key: c for c in index_cells(view=reading(campaign=campaign, roots=roots, group=part), by=by)}
        before = {c.key: c for c in index_cells(view=reading(campaign=previous, roots=roots, group=part), by=by)}
        for key, cell in now.items():
            old = before.get(key)
            diff = difference(cell.share, old.share) if cell.share and old and old.share else None
            rows.append(
                {
                    "label": cell.label,
                    "group": "" if part == ALL else str(Group(part).label),
                    "now": cell,
                    "before": old,
                    "change": round(diff.est * 100, 1) if diff else None,
                    "change_ci": f"{diff.lci * 100:.1f} đến {diff.uci * 100:.1f}".replace(".", ",") if diff else "",
                    "p": diff.p if diff else None,
                    "differs": diff.significant if diff else False,
                }
            )
    basis = (
        _("Cả hai năm khảo sát cùng các nhóm đối tượng: so sánh chung.")
        if compared == [ALL]
        else _("Chỉ so sánh các nhóm đối tượng cả hai năm cùng khảo sát: %(g)s.") % {"g": ", ".join(str(Group(g).label) for g in common)}
    )
    return {"possible": True, "note": basis, "rows": sorted(rows, key=lambda d: (d["group"], d["label"]))}


def population_note(campaign: Campaign) -> dict[str, Any]:
    """How many strata have a population size from the province's data (with its source)."""
    strata = Stratum.objects.filter(form__campaign=campaign)
    total = strata.count()
    known = strata.exclude(population_source="").count()
    sources = sorted(set(strata.exclude(population_source="").values_list("population_source", flat=True)))
    return {"total": total, "known": known, "all_known": total > 0 and known == total, "sources": sources}


def instrument_cells(*, view: Reading) -> list[IndexCell]:
    """The index per questionnaire over the whole view (each form fielded shows its own result).
    Published only when the view's place and group are, and then all or none: a form under the
    threshold hides every form's figure, so that no total minus the others gives it back."""
    results = estimate(view.rows, by="instrument")
    titles = dict(Instrument.objects.filter(code__in=results.keys()).values_list("code", "title"))
    shown = view.plan.shown(ALL, view.group, view.communes) and all(r["n"] >= view.plan.threshold for r in results.values())
    cells = []
    for key, res in sorted(results.items()):
        cell = IndexCell(key=key, label=f"{key} – {titles.get(key, key)}", n=res["n"])
        if shown:
            cell.share, cell.mean = rounded(res["share"], SHARE_DECIMALS), rounded(res["mean"], MEAN_DECIMALS)
        else:
            cell.suppressed, cell.n = True, None
        cells.append(cell)
    return cells


def pooled_composition(view: Reading) -> list[tuple[str, float, int]]:
    """The pooled (all groups) figure's make-up: group, its share of the weight in %, responses."""
    return [(str(Group(g).label), round(share * 100, 1), n) for g, (share, n) in composition(view.rows).items()]


def campaigns_covering(*, unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Campaign]:
    ancestors = [int(p) for p in unit.path.strip("/").split("/") if p]
    return (
        Campaign.objects.filter(Q(unit_id__in=ancestors) | Q(unit__path__startswith=unit.path))
        .exclude(state=CampaignState.DRAFT)
        .filter(starts_on__lte=end, ends_on__gte=start)
        .order_by("-ends_on")
    )


def satisfaction_index(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    """The share of satisfied answers for `unit`'s subtree in the latest campaign over [start, end]
    (the metric "surveys.satisfaction_index" that certification and the chairman rating read)."""
    campaign = campaigns_covering(unit=unit, start=start, end=end).first()
    if campaign is None:
        return _satisfaction_value(None)
    return _satisfaction_value(reading(campaign=campaign, roots=[unit]))


def _satisfaction_value(view: Reading | None) -> MetricValue:
    if view is None:
        return MetricValue(None, "%", 0, "", note="Chưa có đợt khảo sát trong kỳ.")
    campaign = view.campaign
    cells = index_cells(view=view)
    if not cells or cells[0].share is None:
        return MetricValue(
            None,
            "%",
            0,
            campaign.title,
            note=f"Chưa công bố: dưới {campaign.min_responses} phiếu, hoặc ẩn để không suy ra được số liệu bị ẩn khác.",
        )
    cell, share = cells[0], cells[0].share
    return MetricValue(
        round(share.est * 100, 1),
        "%",
        cell.n or 0,
        campaign.title,
        note=f"Khoảng tin cậy 95 %: {share.lci * 100:.1f}–{share.uci * 100:.1f} %",
        link=reverse("surveys:results", args=[campaign.pk]),
        interval=(round(share.lci * 100, 1), round(share.uci * 100, 1)),
    )


def _index_value(campaign: Campaign, cell: Any, note_prefix: str = "") -> MetricValue:
    if cell is None or cell.share is None:
        note = f"Chưa công bố: dưới {campaign.min_responses} phiếu, hoặc ẩn để không suy ra được số liệu bị ẩn khác."
        return MetricValue(None, "%", 0, campaign.title, note=note, link=reverse("surveys:results", args=[campaign.pk]))
    share = cell.share
    return MetricValue(
        round(share.est * 100, 1),
        "%",
        cell.n or 0,
        campaign.title,
        note=f"{note_prefix}Khoảng tin cậy 95 %: {share.lci * 100:.1f}–{share.uci * 100:.1f} %",
        link=reverse("surveys:results", args=[campaign.pk]),
        interval=(round(share.lci * 100, 1), round(share.uci * 100, 1)),
    )


def satisfaction_index_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """satisfaction_index for many units: each commune's cell from one reading per campaign (the
    latest campaign covering it or a predecessor commune; the unit's own figure, else its
    predecessor's, as compute_over does for an estimate), so the reads do not grow with the
    communes; a unit above a commune is read as satisfaction_index reads it."""
    out: dict[int, MetricValue] = {}
    communes = [u for u in units if u.kind == "commune"]
    for unit in units:
        if unit.kind != "commune":
            out[unit.pk] = satisfaction_index(unit=unit, start=start, end=end)
    if not communes:
        return out
    index = LineageIndex(communes)
    paths = list(index.by_path)
    ancestors = {int(p) for path in paths for p in path.strip("/").split("/") if p}
    under = Q(pk__in=[])
    for top in index.tops():
        under |= Q(unit__path__startswith=top)
    campaigns = list(
        Campaign.objects.filter(Q(unit_id__in=ancestors) | under)
        .exclude(state=CampaignState.DRAFT)
        .filter(starts_on__lte=end, ends_on__gte=start)
        .select_related("unit")
        .order_by("-ends_on")
    )
    chosen: dict[int, Campaign] = {}
    for covering in campaigns:
        cpath = covering.unit.path
        for path, owners in index.by_path.items():
            if path.startswith(cpath) or cpath.startswith(path):
                for owner in owners:
                    chosen.setdefault(owner, covering)
    cells_of: dict[int, dict[int, Any]] = {}
    for distinct in {c.pk: c for c in chosen.values()}.values():
        cells_of[distinct.pk] = {int(c.key): c for c in index_cells(view=reading(campaign=distinct), by="commune")}
    commune_paths = dict(Unit.objects.filter(pk__in=[k for by_pk in cells_of.values() for k in by_pk]).values_list("pk", "path"))
    for unit in communes:
        campaign = chosen.get(unit.pk)
        if campaign is None:
            out[unit.pk] = MetricValue(None, "%", 0, "", note="Chưa có đợt khảo sát trong kỳ.")
            continue
        own_cells = cells_of[campaign.pk]
        if unit.pk in own_cells:
            out[unit.pk] = _index_value(campaign, own_cells[unit.pk])
            continue
        older = [c for pk, c in own_cells.items() if unit.pk in index.owners(commune_paths.get(pk, "")) and c.share is not None]
        older.sort(key=lambda c: -(c.n or 0))
        prefix = f"Số liệu của đơn vị cũ {older[0].label} (trước sáp nhập). " if older else ""
        out[unit.pk] = _index_value(campaign, older[0] if older else None, prefix)
    return out


def chairman_index(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    """The share of satisfied answers to the chairman questionnaire (conf.CHAIRMAN_INSTRUMENT) in
    `unit`'s subtree, in the latest campaign over [start, end] that fielded it (a predecessor's when
    the unit has none); None where it was not fielded or its figure is not published (too few
    responses)."""
    return chairman_index_many(units=[unit], start=start, end=end)[unit.pk]


def _chairman_value(view: Reading | None) -> MetricValue:
    code = conf.CHAIRMAN_INSTRUMENT
    if view is None:
        return MetricValue(None, "%", 0, "", note=f"Chưa có đợt khảo sát nào dùng phiếu {code} trong kỳ.")
    campaign = view.campaign
    cell = next((c for c in instrument_cells(view=view) if c.key == code), None)
    link = reverse("surveys:results", args=[campaign.pk])
    if cell is None or cell.share is None:
        return MetricValue(
            None, "%", 0, campaign.title, note=f"Phiếu {code} chưa công bố: chưa đủ {campaign.min_responses} phiếu.", link=link
        )
    interval = (round(cell.share.lci * 100, 1), round(cell.share.uci * 100, 1))
    return MetricValue(
        round(cell.share.est * 100, 1),
        "%",
        cell.n or 0,
        f"{campaign.title} (phiếu {code})",
        note=f"Khoảng tin cậy 95 %: {interval[0]:.1f}–{interval[1]:.1f} %",
        link=link,
        interval=interval,
    )


def _readings_of_units(units: list[Unit], start: dt.date, end: dt.date, *, instrument: str = "") -> dict[int, Reading | None]:
    """What `reading(campaign=<the unit's latest covering campaign>, roots=[unit])` gives for each
    of `units`, with each campaign's rows, weights and disclosure plan read once for all of them
    (not once per unit): the batch of the per-unit figures."""
    campaigns = Campaign.objects.exclude(state=CampaignState.DRAFT).filter(starts_on__lte=end, ends_on__gte=start)
    if instrument:
        campaigns = campaigns.filter(forms__version__instrument__code=instrument).distinct()
    covering = list(campaigns.select_related("unit").order_by("-ends_on"))
    chosen: dict[int, Campaign | None] = {}
    for unit in units:
        ancestors = {int(p) for p in unit.path.strip("/").split("/") if p}
        chosen[unit.pk] = next((c for c in covering if c.unit_id in ancestors or c.unit.path.startswith(unit.path)), None)
    result: dict[int, Reading | None] = {u.pk: None for u in units}
    for campaign in {c.pk: c for c in chosen.values() if c is not None}.values():
        rows = response_rows(campaign=campaign)
        plan = disclosure_plan(campaign=campaign, rows=rows)
        strata = list(Stratum.objects.filter(form__campaign=campaign).values_list("pk", "unit__path"))
        for unit in units:
            if chosen[unit.pk] is None or chosen[unit.pk].pk != campaign.pk:  # type: ignore[union-attr]
                continue
            keep = {pk for pk, path in strata if path.startswith(unit.path)}
            mine = [r for r in rows if r.stratum in keep]
            communes = frozenset(r.commune for r in mine)
            result[unit.pk] = Reading(campaign=campaign, rows=mine, communes=communes, group=ALL, plan=plan, roots=(unit,))
    return result


def chairman_index_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """chairman_index for many units, each campaign's rows read once for all of them: the unit's own
    figure, else its latest predecessor's (an estimate is not added up, as compute_over does for
    LATEST), the predecessors found through units.structure.LineageIndex."""
    index = LineageIndex(units)
    own_paths = {unit.path for unit in units}
    older = list(Unit.objects.filter(path__in=[p for p in index.by_path if p not in own_paths]).order_by("-pk"))
    views = _readings_of_units([*units, *older], start, end, instrument=conf.CHAIRMAN_INSTRUMENT)
    out: dict[int, MetricValue] = {}
    for unit in units:
        value = _chairman_value(views[unit.pk])
        if value.value is None:
            for before in older:
                if unit.pk in index.by_path.get(before.path, set()) and views[before.pk] is not None:
                    found = _chairman_value(views[before.pk])
                    if found.value is not None:
                        note = f"Số liệu của đơn vị cũ {before} (trước sáp nhập). {found.note}".strip()
                        value = MetricValue(
                            found.value, found.unit, found.basis, found.source, note=note, link=found.link, interval=found.interval
                        )
                        break
        out[unit.pk] = value
    return out


def open_answers(*, campaign: Campaign, roots: list[Unit], limit: int = 200) -> list[dict[str, Any]]:
    """Long and short text answers for reading, with the commune and question, in the order of their
    content digest (not of arrival: no response keeps when it came)."""
    text_questions = {
        (form_id, code): text
        for form_id, code, text in Question.objects.filter(
            version__campaign_forms__campaign=campaign, kind__in=[QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT]
        ).values_list("version__campaign_forms__id", "code", "text")
    }
    if not text_questions:
        return []  # nothing to read: do not scan the campaign's responses
    path_q = Q(pk__in=[])
    for root in roots:
        path_q |= Q(stratum__unit__path__startswith=root.path)
    out = []
    # Only responses that hold at least one text question's key are read (blank values are
    # skipped below), instead of scanning every response of the campaign.
    codes = sorted({code for _form_id, code in text_questions})
    qs = (
        Response.objects.filter(path_q, stratum__form__campaign=campaign, answers__has_any_keys=codes)
        .select_related("stratum__unit")
        .order_by("fingerprint")  # by content, never by arrival
    )
    for response in qs.iterator(chunk_size=500):
        for (form_id, code), text in text_questions.items():
            if form_id == response.stratum.form_id and response.answers.get(code):
                out.append({"unit": response.stratum.unit.name, "question": text, "answer": response.answers[code]})
                if len(out) >= limit:
                    return out
    return out


def progress(*, campaign: Campaign, roots: list[Unit]) -> dict[str, int]:
    path_q = Q(pk__in=[])
    for root in roots:
        path_q |= Q(unit__path__startswith=root.path)
    strata = Stratum.objects.filter(path_q, form__campaign=campaign)
    totals = {"strata": 0, "quota": 0, "received": 0, "full": 0}
    for quota, received in strata.values_list("quota", "received"):
        totals["strata"] += 1
        totals["quota"] += quota
        totals["received"] += received
        totals["full"] += received >= quota
    return totals


def flag_counts(*, campaign: Campaign, roots: list[Unit]) -> list[tuple[str, int]]:
    """How many responses carry each data-quality flag, and how many are incomplete."""
    from surveys.models import Flag

    path_q = Q(pk__in=[])
    for root in roots:
        path_q |= Q(stratum__unit__path__startswith=root.path)
    tally: dict[str, int] = defaultdict(int)
    rows = Response.objects.filter(path_q, stratum__form__campaign=campaign).values_list("flags", "is_complete", "excluded")
    for flags, complete, excluded in rows:
        for f in flags:
            tally[f] += 1
        tally["incomplete"] += not complete
        tally["excluded"] += excluded and complete
    from django.utils.translation import gettext as _

    return [(str(f.label), tally[f.value]) for f in Flag] + [
        (_("Phiếu chưa hoàn thành"), tally["incomplete"]),
        (_("Phiếu bị loại khỏi chỉ số (theo quy tắc bên dưới)"), tally["excluded"]),
    ]
