"""Reads: household counts, matters per scope, the published tally with its arithmetic."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from core.workdays import Deadline, province_calendar
from participation import conf, rules
from participation.models import Ballot, Household, HouseholdStatus, Matter, MatterState, Method, VoteCode
from units.models import Unit, UnitKind


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
