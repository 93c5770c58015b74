"""Reads: household counts, matters per scope, the published tally with its arithmetic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.workdays import Deadline, province_calendar
from participation import conf, rules
from participation.models import (
    Ballot,
    CommuneMatter,
    CommuneMatterState,
    Consultation,
    ConsultationState,
    Household,
    HouseholdStatus,
    Matter,
    MatterState,
    Method,
    Opinion,
    VoteCode,
)
from units.models import Unit, UnitKind
from units.structure import lineage


def households_total(village: Unit) -> int:
    """All households of the village in the register (those in residence): every threshold counts them."""
    return Household.objects.filter(village=village, status=HouseholdStatus.ACTIVE).count()


def public_matters(unit: Unit) -> QuerySet[Matter]:
    """Matters announced or decided in `unit`'s villages (a commune or a village), newest first."""
    return (
        Matter.objects.filter(village__path__startswith=unit.path)
        .exclude(state__in=(MatterState.DRAFT, MatterState.CANCELLED))
        .select_related("village")
        .prefetch_related("options")
        .order_by("-created_at")
    )


def public_commune_matters(unit: Unit) -> QuerySet[CommuneMatter]:
    """Commune-wide matters of `unit`'s commune (on a village's page, its commune's), newest first."""
    commune_path = unit.parent.path if unit.kind == UnitKind.VILLAGE and unit.parent else unit.path
    return (
        CommuneMatter.objects.filter(commune__path__startswith=commune_path)
        .exclude(state=CommuneMatterState.CANCELLED)
        .select_related("commune")
        .order_by("-created_at")
    )


DECIDED_STATES = (MatterState.DECIDED, MatterState.SENT, MatterState.RECOGNISED)


def commune_tally(item: CommuneMatter) -> tuple[list[Matter], list[rules.VillageCount]]:
    """Each village's matter and, once every village has its result, the commune-wide count per
    option (the villages where that option passed by the village's own rule)."""
    matters = list(item.village_matters.select_related("village").prefetch_related("options").order_by("village__name"))
    if not matters or any(m.state not in DECIDED_STATES for m in matters):
        return matters, []
    passed: dict[str, int] = {}
    labels: list[str] = []
    for m in matters:
        for result in rules.assess(m.subject, m.households_total or 0, [(o.label, o.votes) for o in m.options.all()]):
            if result.label not in passed:
                labels.append(result.label)
                passed[result.label] = 0
            passed[result.label] += int(result.passed)
    return matters, rules.assess_commune(item.subject, len(matters), [(label, passed[label]) for label in labels])


def open_online_matters(unit: Unit | None = None) -> QuerySet[Matter]:
    qs = Matter.objects.filter(state=MatterState.VOTING, method=Method.ONLINE).select_related("village", "village__parent")
    if unit is not None:
        qs = qs.filter(village__path__startswith=unit.path)
    return qs.prefetch_related("options").order_by("closes_at")


def communes_with_matters() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=UnitKind.COMMUNE, children__kind=UnitKind.VILLAGE).distinct()


def arithmetic(matter: Matter) -> list[rules.Arithmetic]:
    """The pass rule applied to the recorded votes (after the result), for the result page."""
    if matter.households_total is None or matter.decided_on is None:
        return []
    return rules.assess(matter.subject, matter.households_total, [(o.label, o.votes) for o in matter.options.all()])


def published_tally(matter: Matter) -> list[tuple[str, str]]:
    """Every (receipt, choice) of a closed online vote, in receipt order, for anyone to recount;
    nothing before the close."""
    if matter.method != Method.ONLINE or matter.decided_on is None:
        return []
    return list(Ballot.objects.filter(matter=matter).order_by("receipt").values_list("receipt", "option__label"))


@dataclass(frozen=True)
class Turnout:
    issued: int
    voted: int
    on_paper: int


def turnout(matter: Matter) -> Turnout:
    codes = VoteCode.objects.filter(matter=matter, revoked=False)
    return Turnout(issued=codes.count(), voted=codes.filter(has_voted=True).count(), on_paper=codes.filter(on_paper=True).count())


def send_deadline(matter: Matter) -> Deadline | None:
    if matter.decided_on is None:
        return None
    return province_calendar().deadline(matter.decided_on, conf.SEND_WORKING_DAYS)


def recognise_deadline(matter: Matter) -> Deadline | None:
    if matter.sent_on is None:
        return None
    return province_calendar().deadline(matter.sent_on, conf.RECOGNISE_WORKING_DAYS)


# --- Consultations ------------------------------------------------------------------------------


def open_consultations(unit: Unit | None = None, *, today: dt.date | None = None) -> QuerySet[Consultation]:
    """Drafts open for opinions today (in `unit`'s subtree when given), closing soonest first."""
    day = today or timezone.localdate()
    qs = Consultation.objects.filter(state=ConsultationState.OPEN, published_on__lte=day, closes_on__gte=day).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("closes_on")


def public_consultations(unit: Unit) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(unit__path__startswith=unit.path, published_on__lte=timezone.localdate())
        .select_related("unit")
        .annotate(opinion_count=Count("opinions"))
        .order_by("-published_on")
    )


@dataclass(frozen=True)
class ConsultationFigures:
    held: int
    opinions: int
    answered: int

    @property
    def answered_share(self) -> float | None:
        return 100 * self.answered / self.opinions if self.opinions else None


def consultation_figures(*, unit: Unit, start: dt.date, end: dt.date) -> ConsultationFigures:
    """Consultations published in the period in `unit`'s subtree (and its predecessors'), the
    opinions they received, and how many of those the commune's summary answered."""
    paths = [u.path for u in lineage(unit)]
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(unit__path__startswith=path)
    consultations = Consultation.objects.filter(q, published_on__gte=start, published_on__lte=end)
    opinions = Opinion.objects.filter(consultation__in=consultations)
    return ConsultationFigures(held=consultations.count(), opinions=opinions.count(), answered=opinions.filter(group__isnull=False).count())
