"""Reads of the committee's work: who may see and record meetings, sessions and inspections; the
meetings regime each committee must keep and whether it kept it (the notice: "some committees do
not keep the meetings regime" becomes a figure); who has not yet disseminated the Law (footnote 1)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scope import can_reach, role_roots, scope_queryset
from core.metrics import MetricValue
from steering.models import (
    DisseminationSession,
    InspectionPlan,
    InspectionVisit,
    MediaCoverage,
    Meeting,
    MeetingRegime,
    MeetingState,
    Organisation,
    RegimePeriod,
    SessionKind,
    SessionTopic,
)
from units.models import CommitteeMember, SteeringCommittee, Unit, UnitKind
from units.structure import current_unit, lineage_paths

# Recording a committee's meetings, a unit's sessions and media items: the officials of that unit
# (the committee's secretary sits in its standing office) or above it.
RECORDER_ROLES = frozenset(
    {Role.PROVINCE_OFFICE, Role.PROVINCE_LEADER, Role.DISTRICT_COMMITTEE, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}
)
# Planning and recording inspections, and the province's meetings regime: the committees' offices.
INSPECTOR_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.PROVINCE_LEADER, Role.DISTRICT_COMMITTEE})
REGIME_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.PROVINCE_LEADER})

MEETINGS_SOURCE = "Sổ theo dõi cuộc họp của các ban chỉ đạo"
_MONTHS = {RegimePeriod.MONTH: 1, RegimePeriod.QUARTER: 3, RegimePeriod.HALF: 6, RegimePeriod.YEAR: 12}


# --- permissions ---------------------------------------------------------------------------------
def can_record(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, RECORDER_ROLES)


def can_inspect(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, INSPECTOR_ROLES)


def can_set_regime(user: Any, unit: Unit) -> bool:
    """The province sets the meetings regime (its default and any committee's own)."""
    return any(root.kind == UnitKind.PROVINCE and unit.path.startswith(root.path) for root in role_roots(user, REGIME_ROLES))


def access_committee(*, actor: Any, committee_id: int, write: bool = False) -> SteeringCommittee:
    """A committee of a unit in the actor's scope (with `write`, one whose meetings they record); 404 otherwise."""
    committee = SteeringCommittee.objects.select_related("unit").filter(pk=committee_id).first()
    if committee is None or not can_reach(actor, committee.unit) or (write and not can_record(actor, committee.unit)):
        raise Http404
    return committee


def access_meeting(*, actor: Any, meeting_id: int, write: bool = False) -> Meeting:
    meeting = Meeting.objects.select_related("committee", "committee__unit", "minutes", "directive").filter(pk=meeting_id).first()
    if meeting is None or not can_reach(actor, meeting.committee.unit) or (write and not can_record(actor, meeting.committee.unit)):
        raise Http404
    return meeting


def access_plan(*, actor: Any, plan_id: int, write: bool = False) -> InspectionPlan:
    plan = InspectionPlan.objects.select_related("committee", "committee__unit").filter(pk=plan_id).first()
    if plan is None or not can_reach(actor, plan.committee.unit) or (write and not can_inspect(actor, plan.committee.unit)):
        raise Http404
    return plan


def access_visit(*, actor: Any, visit_id: int, write: bool = False) -> InspectionVisit:
    """A visit seen by the inspecting committee's officials and by the inspected unit's."""
    visit = (
        InspectionVisit.objects.select_related("plan", "plan__committee", "plan__committee__unit", "target", "directive")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise Http404
    unit = visit.plan.committee.unit
    if not (can_reach(actor, unit) or can_reach(actor, visit.target)) or (write and not can_inspect(actor, unit)):
        raise Http404
    return visit


def visible_committees(user: Any) -> QuerySet[SteeringCommittee]:
    return scope_queryset(SteeringCommittee.objects.select_related("unit"), user)


def serving_members(committee: SteeringCommittee, on: dt.date) -> list[CommitteeMember]:
    """The committee's members serving on `on` (the attendance list of a meeting that day)."""
    members = CommitteeMember.objects.filter(committee=committee).filter(Q(since__isnull=True) | Q(since__lte=on))
    return list(members.filter(Q(until__isnull=True) | Q(until__gte=on)).order_by("pk"))


# --- the meetings regime and its compliance --------------------------------------------------------
class _Regimes:
    """Every regime row, read once, and the province defaults' successors, so resolving the regime
    of many committees costs no query per committee."""

    def __init__(self) -> None:
        rows = list(MeetingRegime.objects.all())
        self.own = {r.committee_id: r for r in rows if r.committee_id}
        self.by_unit = {r.unit_id: r for r in rows if r.unit_id}
        self.provinces = {u.pk: u for u in Unit.objects.filter(kind=UnitKind.PROVINCE).select_related("successor")}

    def of(self, committee: SteeringCommittee) -> MeetingRegime | None:
        """The committee's own regime; else the nearest unit at or above its unit with a default;
        else the default of what its province became (a rule the new province sets applies to the
        old province's committees unless the old one had its own). Only full committees take a
        default."""
        if committee.pk in self.own:
            return self.own[committee.pk]
        if committee.kind != SteeringCommittee.Kind.COMMITTEE:
            return None
        chain = committee.unit.ancestor_ids()
        for unit_id in reversed(chain):
            if unit_id in self.by_unit:
                return self.by_unit[unit_id]
        province = next((self.provinces[i] for i in chain if i in self.provinces), None)
        if province is None:
            return None
        became = current_unit(province)
        return self.by_unit.get(became.pk) if became is not None and became.pk != province.pk else None


def regime_of(committee: SteeringCommittee) -> MeetingRegime | None:
    return _Regimes().of(committee)


def periods(kind: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The whole calendar periods (months, quarters, halves or years) lying within [start, end]."""
    months = _MONTHS[RegimePeriod(kind)]
    result: list[tuple[dt.date, dt.date]] = []
    year, month = start.year, ((start.month - 1) // months) * months + 1
    while True:
        first = dt.date(year, month, 1)
        last_month = month + months - 1
        last = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        if first > end or last > end:
            return result
        if first >= start:
            result.append((first, last))
        month += months
        if month > 12:
            year, month = year + 1, month - 12


@dataclass
class PeriodResult:
    first: dt.date
    last: dt.date
    held: int
    required: int

    @property
    def kept(self) -> bool:
        return self.held >= self.required

    @property
    def label(self) -> str:
        """The period as the notices write it: "tháng 5/2024", "quý II/2024", "6 tháng đầu năm 2024", "năm 2024"."""
        months = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        year = self.first.year
        if months == 1:
            return _("tháng %(month)s/%(year)s") % {"month": self.first.month, "year": year}
        if months == 3:
            return _("quý %(quarter)s/%(year)s") % {"quarter": ("I", "II", "III", "IV")[(self.first.month - 1) // 3], "year": year}
        if months == 6:
            return (_("6 tháng đầu năm %(year)s") if self.first.month == 1 else _("6 tháng cuối năm %(year)s")) % {"year": year}
        return _("năm %(year)s") % {"year": year}


@dataclass
class Compliance:
    """A committee's meetings over a window: each whole period of its regime that has ended (and
    that the committee and its unit existed for) with the meetings held in it. A period is kept
    when it had at least the required number; extra meetings in one period do not make up for a
    period without any."""

    committee: SteeringCommittee
    regime: MeetingRegime | None
    periods: list[PeriodResult] = field(default_factory=list)
    held_total: int = 0

    @property
    def due(self) -> int:
        return len(self.periods)

    @property
    def kept(self) -> int:
        return sum(1 for p in self.periods if p.kept)

    @property
    def required(self) -> int:
        return sum(p.required for p in self.periods)

    @property
    def missed(self) -> list[PeriodResult]:
        return [p for p in self.periods if not p.kept]

    @property
    def rate(self) -> float | None:
        return round(100 * self.kept / self.due, 1) if self.due else None


def _window(committee: SteeringCommittee, start: dt.date, end: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end] cut to the committee's life (its establishment, its unit's validity) and to the
    periods that have ended (a period in progress is not yet due)."""
    begins = max(d for d in (start, committee.established_on, committee.unit.valid_from) if d is not None)
    ends = min(d for d in (end, today - dt.timedelta(days=1), committee.unit.valid_to) if d is not None)
    return begins, ends


def compliance(committees: Iterable[SteeringCommittee], *, start: dt.date, end: dt.date, today: dt.date | None = None) -> list[Compliance]:
    """The compliance of each committee over [start, end] in four queries whatever their number
    (committees with no regime are listed with no periods)."""
    today = today or timezone.localdate()
    committees = list(committees)
    regimes = _Regimes()
    held: dict[int, list[dt.date]] = defaultdict(list)
    rows = Meeting.objects.filter(committee__in=committees, state=MeetingState.HELD, held_on__gte=start, held_on__lte=end)
    for committee_id, held_on in rows.values_list("committee_id", "held_on"):
        if held_on is not None:
            held[committee_id].append(held_on)
    result = []
    for committee in committees:
        regime = regimes.of(committee)
        item = Compliance(committee=committee, regime=regime, held_total=len(held[committee.pk]))
        if regime is not None:
            begins, ends = _window(committee, start, end, today)
            for first, last in periods(regime.period, begins, ends) if begins <= ends else []:
                count = sum(1 for d in held[committee.pk] if first <= d <= last)
                item.periods.append(PeriodResult(first, last, count, regime.meetings_per_period))
        result.append(item)
    return result


def committees_in(unit: Unit) -> QuerySet[SteeringCommittee]:
    """The committees a regime applies to in `unit`'s subtree: active full committees and any
    committee with its own regime."""
    subtree = SteeringCommittee.objects.filter(unit__path__startswith=unit.path).select_related("unit")
    return subtree.filter(Q(kind=SteeringCommittee.Kind.COMMITTEE, is_active=True) | Q(meeting_regime__isnull=False))


def meetings_regime_kept(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    """The core metric: the share of due periods in which the committees of `unit`'s subtree held
    the meetings their regime requires (basis: the committee-periods due)."""
    results = compliance(committees_in(unit), start=start, end=end)
    due = sum(c.due for c in results)
    link = f"{reverse('steering:meetings_index')}?don_vi={unit.pk}&tu={start:%Y-%m-%d}&den={end:%Y-%m-%d}"
    if not due:
        return MetricValue(
            None, "%", 0, MEETINGS_SOURCE, note=_("Chưa có kỳ họp nào đến hạn trong kỳ (hoặc chưa đặt chế độ họp)."), link=link
        )
    kept = sum(c.kept for c in results)
    return MetricValue(round(100 * kept / due, 1), "%", due, MEETINGS_SOURCE, link=link)


def meetings_of(committee: SteeringCommittee) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committee=committee).select_related("minutes", "directive")


# --- dissemination ---------------------------------------------------------------------------------
def visible_sessions(user: Any) -> QuerySet[DisseminationSession]:
    return scope_queryset(DisseminationSession.objects.select_related("unit", "organisation", "document"), user)


def visible_media(user: Any) -> QuerySet[MediaCoverage]:
    return scope_queryset(MediaCoverage.objects.select_related("unit"), user)


def organisations_in(unit: Unit) -> QuerySet[Organisation]:
    """The organisations of `unit`'s scope and of the units it succeeded: those leading a locality
    inside it, and, for a province, its own list (the new province sees the old provinces' lists)."""
    q = Q(pk__in=[])
    for path in lineage_paths(unit):
        q |= Q(unit__path__startswith=path) | Q(unit__isnull=True, province__path__startswith=path)
    return Organisation.objects.filter(is_active=True).filter(q)


def recordable_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose sessions `user` may record: those leading a locality in their scope,
    and the province's own list for the province's officials."""
    active = Organisation.objects.filter(is_active=True)
    local = scope_queryset(active.filter(unit__isnull=False), user, roles=RECORDER_ROLES)
    provincial = scope_queryset(active.filter(unit__isnull=True), user, unit_path="province__path", roles=RECORDER_ROLES)
    return (local | provincial).order_by("kind", "name")


@dataclass
class NotYetHeld:
    organisations: list[Organisation]
    units: list[Unit]
    organisations_total: int
    units_total: int


def _predecessors_of(units: list[Unit]) -> dict[int, int]:
    """Each predecessor (at any remove) of `units`, mapped to the unit of `units` it became."""
    result: dict[int, int] = {}
    frontier = {u.pk: u.pk for u in units}
    for _hop in range(10):
        found = dict(Unit.objects.filter(successor_id__in=list(frontier)).values_list("pk", "successor_id"))
        found = {pk: frontier[succ] for pk, succ in found.items() if pk not in result and succ is not None}
        if not found:
            break
        result.update(found)
        frontier = found
    return result


def not_yet_disseminated(*, unit: Unit, level: str, start: dt.date, end: dt.date, topic: str = SessionTopic.LAW) -> NotYetHeld:
    """Footnote 1's question for `unit`'s scope: which organisations, and which units of `level`
    in force on `end`, held no dissemination session on `topic` in [start, end]. A unit formed in
    the merger has held one when any of the units it was formed from did."""
    sessions = DisseminationSession.objects.filter(kind=SessionKind.DISSEMINATION, topic=topic, held_on__gte=start, held_on__lte=end)
    organisations = list(organisations_in(unit).select_related("unit").order_by("kind", "name"))
    done_orgs = set(sessions.filter(organisation__in=organisations).values_list("organisation_id", flat=True))
    units = list(Unit.objects.in_force(end).filter(path__startswith=unit.path, kind=level).order_by("path", "name"))
    became = {u.pk: u.pk for u in units} | _predecessors_of(units)
    done_units = {became[pk] for pk in sessions.filter(unit_id__in=list(became)).values_list("unit_id", flat=True)}
    return NotYetHeld(
        organisations=[o for o in organisations if o.pk not in done_orgs],
        units=[u for u in units if u.pk not in done_units],
        organisations_total=len(organisations),
        units_total=len(units),
    )


# --- inspections ------------------------------------------------------------------------------------
def visible_plans(user: Any) -> QuerySet[InspectionPlan]:
    return scope_queryset(InspectionPlan.objects.select_related("committee", "committee__unit"), user, unit_path="committee__unit__path")


def visits_of(plan: InspectionPlan) -> QuerySet[InspectionVisit]:
    return plan.visits.select_related("target", "directive").prefetch_related("findings", "recommendations__task")
