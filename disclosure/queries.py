"""Reads: the obligations in force, a register's items with their proof, and the figures (on-time
rate, proven rate, missing categories, short postings, overdue items) per commune or province."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.metrics import MetricValue
from core.text import search_key
from disclosure import conf, deadlines
from disclosure.models import Disclosure, Form, Obligation, ObligationSet, Posting, PostingPhoto, RegisterEntry, SetState
from units.models import Unit, UnitKind
from units.structure import LineageIndex, lineage_paths


def obligations_in_force() -> ObligationSet | None:
    return ObligationSet.objects.filter(state=SetState.PUBLISHED).order_by("-version").first()


def current_obligations() -> list[Obligation]:
    current = obligations_in_force()
    return list(current.obligations.all()) if current else []


def subtree_filter(unit: Unit, lookup: str = "unit__path") -> Q:
    """Rows of `unit`'s subtree and of its predecessors' (a merged commune's history)."""
    q = Q(pk__in=[])
    for path in lineage_paths(unit):
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def with_proof(queryset: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    return queryset.select_related("unit", "obligation", "document_file").prefetch_related(
        Prefetch("postings", queryset=Posting.objects.select_related("village").prefetch_related("photos")),
        "broadcasts",
        "corrections",
    )


def standing(queryset: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    """Disclosures not replaced by a correction."""
    return queryset.filter(corrections__isnull=True)


@dataclass
class Proof:
    proven: bool
    reasons: list[str] = field(default_factory=list)


def proof_of(disclosure: Disclosure) -> Proof:
    """Whether the disclosure is proven: each notice-board posting has a photo that proves it, and
    the loudspeaker readings ran long enough. Undisclosed items are not proven."""
    if disclosure.disclosed_on is None:
        return Proof(False, [_("Chưa công khai.")])
    reasons: list[str] = []
    obligation = disclosure.obligation
    if Form.NOTICE_BOARD in disclosure.forms or Form.NOTICE_BOARD in obligation.forms:
        postings = list(disclosure.postings.all())
        if not postings:
            reasons.append(_("Chưa ghi điểm niêm yết."))
        for posting in postings:
            photos = [p for p in posting.photos.all() if p.purpose == PostingPhoto.Purpose.POSTED]
            if not photos:
                reasons.append(_("%(place)s: chưa có ảnh niêm yết.") % {"place": posting.place})
            elif not any(p.proven for p in photos):
                reasons.append(
                    _("%(place)s: ảnh chưa chứng minh được (%(why)s)") % {"place": posting.place, "why": photos[-1].unproven_reason}
                )
    if obligation.loudspeaker_days and not deadlines.loudspeaker_met((b.day for b in disclosure.broadcasts.all()), obligation):
        reasons.append(_("Chưa đủ %(n)d ngày phát loa liên tục.") % {"n": obligation.loudspeaker_days})
    return Proof(not reasons, reasons)


def short_postings(disclosure: Disclosure) -> list[Posting]:
    return [p for p in disclosure.postings.all() if deadlines.is_short(p, disclosure.obligation)]


@dataclass
class Figures:
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    disclosed: int = 0
    proven: int = 0
    short: int = 0
    missing: dict[int, list[int]] = field(default_factory=dict)  # commune id → category numbers

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None

    @property
    def proven_rate(self) -> float | None:
        return round(100 * self.proven / self.disclosed, 1) if self.disclosed else None


def disclosures_in(unit: Unit) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(subtree_filter(unit))


def _count(result: Figures, d: Disclosure, end: dt.date, horizon: dt.date) -> None:
    if d.disclosed_on is None or d.disclosed_on > end:
        if d.due_on < horizon:
            result.due += 1
            result.overdue += 1
            result.late += 1
        return
    result.due += 1
    result.disclosed += 1
    if d.disclosed_on <= d.due_on:
        result.on_time += 1
    else:
        result.late += 1
    if proof_of(d).proven:
        result.proven += 1
    result.short += len(short_postings(d))


def _in_window(unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Disclosure]:
    window = Q(due_on__gte=start, due_on__lte=end) | Q(disclosed_on__gte=start, disclosed_on__lte=end)
    return with_proof(standing(disclosures_in(unit)).filter(window))


def figures(unit: Unit, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> Figures:
    """Over disclosures falling due or disclosed in [start, end] in `unit`'s subtree (and its
    predecessors'): an item disclosed by its due date is on time (even before the due date has
    come); one still undisclosed after its due date (as of the period's end) is late and overdue;
    one not yet due and not yet disclosed is not counted. Proven is of those disclosed; short
    postings count each place taken down early. Per commune, the yearly categories with nothing."""
    today = today or timezone.localdate()
    horizon = min(today, end)
    result = Figures()
    for d in _in_window(unit, start, end):
        _count(result, d, end, horizon)
    result.missing = missing_categories(unit, end.year)
    return result


def communes_of(unit: Unit, on: dt.date | None = None) -> list[Unit]:
    if unit.kind == UnitKind.COMMUNE:
        return [unit]
    return list(Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.COMMUNE).in_force(on).order_by("name"))


def _commune_of_unit(communes: list[Unit]) -> dict[int, int]:
    """Each commune's id, and each of its predecessors' (at any remove), mapped to the commune."""
    owner = {c.pk: c.pk for c in communes}
    frontier = list(owner)
    for _hop in range(10):
        found = list(Unit.objects.filter(successor_id__in=frontier).exclude(pk__in=list(owner)).values_list("pk", "successor_id"))
        if not found:
            break
        for pk, successor in found:
            owner[pk] = owner[successor]
        frontier = [pk for pk, _s in found]
    return owner


def missing_categories(unit: Unit, year: int) -> dict[int, list[int]]:
    """Per commune in force at the end of `year` (or today), the yearly categories it (or a
    predecessor) disclosed nothing of in `year`."""
    day = min(dt.date(year, 12, 31), timezone.localdate())
    communes = communes_of(unit, day)
    owner = _commune_of_unit(communes)
    seen: dict[int, set[int]] = {c.pk: set() for c in communes}
    rows = standing(Disclosure.objects.filter(subtree_filter(unit), disclosed_on__year=year)).values_list("unit_id", "obligation__number")
    for unit_id, number in rows:
        if unit_id in owner:
            seen[owner[unit_id]].add(number)
    return {pk: sorted(conf.YEARLY_CATEGORIES - numbers) for pk, numbers in seen.items() if conf.YEARLY_CATEGORIES - numbers}


def overdue(unit: Unit, *, today: dt.date | None = None) -> QuerySet[Disclosure]:
    today = today or timezone.localdate()
    return standing(disclosures_in(unit)).filter(disclosed_on__isnull=True, due_on__lt=today).select_related("unit", "obligation")


def per_commune(unit: Unit, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> list[tuple[Unit, Figures]]:
    """Each commune's figures (its predecessors' records included), read in one pass over the
    subtree: those with something due first, the lowest on-time rate first."""
    today = today or timezone.localdate()
    horizon = min(today, end)
    communes = communes_of(unit)
    owner = _commune_of_unit(communes)
    per: dict[int, Figures] = {c.pk: Figures() for c in communes}
    for d in _in_window(unit, start, end):
        commune_id = owner.get(d.unit_id)
        if commune_id is not None:
            _count(per[commune_id], d, end, horizon)
    missing = missing_categories(unit, end.year)
    for pk, f in per.items():
        f.missing = {pk: missing[pk]} if pk in missing else {}
    rows = [(c, per[c.pk]) for c in communes]
    return sorted(rows, key=lambda row: (row[1].due == 0, row[1].on_time_rate if row[1].on_time_rate is not None else 101, row[0].name))


def total(rows: list[tuple[Unit, Figures]]) -> Figures:
    """The figures of several communes together (the province's, from its communes' rows)."""
    result = Figures()
    for _unit, f in rows:
        for name in ("due", "on_time", "late", "overdue", "disclosed", "proven", "short"):
            setattr(result, name, getattr(result, name) + getattr(f, name))
        result.missing.update(f.missing)
    return result


def year_window(end: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(end.year, 1, 1), end


# --- Metrics (core.metrics): compute(*, unit, start, end) -----------------------------------------
SOURCE = "Sổ công khai của xã (năng lực Công khai)"


def register_link(unit: Unit) -> str:
    """The register filtered to `unit` (its items, with each one's proof of posting)."""
    return reverse("disclosure:register") + "?" + urlencode({"don_vi": unit.pk})


def figures_many(
    index: LineageIndex, units: list[Unit], start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> dict[int, Figures]:
    """`figures` (without the missing categories) of each of `units` (indexed in `index`), its
    subtree and its predecessors' included, read in one pass over their disclosures however many
    units there are."""
    today = today or timezone.localdate()
    horizon = min(today, end)
    per: dict[int, Figures] = {u.pk: Figures() for u in units}
    window = Q(due_on__gte=start, due_on__lte=end) | Q(disclosed_on__gte=start, disclosed_on__lte=end)
    for d in with_proof(standing(Disclosure.objects.filter(index.q("unit__path"))).filter(window)):
        for owner in index.owners(d.unit.path):
            _count(per[owner], d, end, horizon)
    return per


def _on_time_value(unit: Unit, f: Figures, note_of: Callable[[str], str]) -> MetricValue:
    note = "" if f.due else _("Chưa có văn bản nào đến hạn công khai trong kỳ.")
    numerator = float(f.on_time) if f.due else None
    return MetricValue(f.on_time_rate, "%", f.due, SOURCE, note_of(note), link=register_link(unit), numerator=numerator)


def _proven_value(unit: Unit, f: Figures, note_of: Callable[[str], str]) -> MetricValue:
    note = "" if f.disclosed else _("Chưa có văn bản nào được công khai trong kỳ.")
    numerator = float(f.proven) if f.disclosed else None
    return MetricValue(f.proven_rate, "%", f.disclosed, SOURCE, note_of(note), link=register_link(unit), numerator=numerator)


def _many(
    units: list[Unit], start: dt.date, end: dt.date, value: Callable[[Unit, Figures, Callable[[str], str]], MetricValue]
) -> dict[int, MetricValue]:
    """The figure of each unit (its subtree and predecessors included), all read in one pass; the
    note names the predecessors whose records it includes."""
    index = LineageIndex(units)
    per = figures_many(index, units, start, end)
    return {unit.pk: value(unit, per[unit.pk], partial(index.note, unit.pk)) for unit in units}


def on_time_rate(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return on_time_rate_many(units=[unit], start=start, end=end)[unit.pk]


def on_time_rate_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """on_time_rate for many units in one read (figures' rule for due and on time), each with its
    predecessors' records; the link opens the register on the unit."""
    return _many(units, start, end, _on_time_value)


def proven_rate(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return proven_rate_many(units=[unit], start=start, end=end)[unit.pk]


def proven_rate_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """proven_rate for many units in one read, each with its predecessors' records."""
    return _many(units, start, end, _proven_value)


def short_posting_count(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    f = figures(unit, start, end)
    return MetricValue(float(f.short), "điểm niêm yết", f.disclosed, SOURCE)


def missing_category_count(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    missing = missing_categories(unit, end.year)
    total = sum(len(v) for v in missing.values())
    return MetricValue(float(total), "nhóm", len(communes_of(unit)), SOURCE)


def overdue_count_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Items in each unit's subtree (its predecessors' included) past their due date today and
    still not disclosed, for many units in one query."""
    index = LineageIndex(units)
    pending = standing(Disclosure.objects.filter(index.q("unit__path"))).filter(disclosed_on__isnull=True, due_on__lt=timezone.localdate())
    counts = dict.fromkeys((u.pk for u in units), 0)
    for row in pending.values("unit__path").annotate(n=Count("id")):
        for pk in index.owners(row["unit__path"]):
            counts[pk] += row["n"]
    return {
        u.pk: MetricValue(
            float(counts[u.pk]),
            "văn bản",
            counts[u.pk],
            SOURCE,
            index.note(u.pk, _("Nội dung quá hạn chưa công khai (tính đến hôm nay).")),
            link=reverse("disclosure:register") + "?" + urlencode({"don_vi": u.pk}),
        )
        for u in units
    }


def overdue_count(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return overdue_count_many(units=[unit], start=start, end=end)[unit.pk]


# --- Public reads ---------------------------------------------------------------------------------
def public_disclosures(unit: Unit | None = None) -> QuerySet[Disclosure]:
    """What citizens see: disclosed items (and the corrections of them), never who recorded them."""
    qs = Disclosure.objects.filter(disclosed_on__isnull=False)
    if unit is not None:
        qs = qs.filter(subtree_filter(unit))
    return qs.select_related("unit", "obligation", "document_file", "corrects").order_by("-disclosed_on", "-id")


def search(queryset: QuerySet[Disclosure], text: str) -> QuerySet[Disclosure]:
    """Diacritics-insensitive: "ngan sach" finds "ngân sách"."""
    key = search_key(text[:100])
    return queryset.filter(search_text__contains=key) if key else queryset


def entries(unit: Unit) -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.filter(unit=unit).order_by("seq")


def units_with_register() -> Iterable[Unit]:
    return Unit.objects.filter(pk__in=RegisterEntry.objects.values("unit_id").distinct())
