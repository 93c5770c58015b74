"""Reads: boards and recommendations in a user's scope, the overdue list, figures per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.scope import scope_queryset
from supervision import clocks, composition, conf
from supervision.models import Board, Meeting, MeetingKind, Recommendation, RecommendationState
from units.models import Unit, UnitKind
from units.structure import lineage_paths


def recommendations_in_scope(user: Any) -> QuerySet[Recommendation]:
    return scope_queryset(Recommendation.objects.select_related("board__unit"), user, unit_path="board__unit__path")


def overdue(user: Any, on: dt.date) -> QuerySet[Recommendation]:
    """Unanswered recommendations past their due day, oldest first."""
    return recommendations_in_scope(user).filter(state=RecommendationState.SENT, due_on__lt=on).order_by("due_on", "pk")


def board_breaches(board: Board, on: dt.date) -> list[composition.Breach]:
    villages = Unit.objects.in_force(on).filter(parent=board.unit, kind=UnitKind.VILLAGE)
    return composition.check(kind=board.kind, members=board.members.all(), villages=villages, on=on)


@dataclass(frozen=True)
class Figures:
    sent: int  # recommendations sent in the period
    due: int  # of those, due by the day figures are read
    answered: int
    answered_on_time: int
    overdue: int  # unanswered past due

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.answered_on_time / self.due, 1) if self.due else None


def figures(*, unit: Unit, start: dt.date, end: dt.date, today: dt.date) -> Figures:
    """Recommendations to the communes of `unit`'s subtree (and its predecessors') sent in
    [start, end]."""
    paths = Q(pk__in=[])
    for path in lineage_paths(unit):
        paths |= Q(board__unit__path__startswith=path)
    rows = list(Recommendation.objects.filter(paths, sent_on__gte=start, sent_on__lte=end).exclude(state=RecommendationState.WITHDRAWN))
    due = [r for r in rows if r.due_on < today or r.answered_on is not None]
    answered = [r for r in rows if r.answered_on is not None]
    on_time = [r for r in answered if not clocks.answered_late(r)]
    late_open = [r for r in rows if clocks.is_overdue(r, today)]
    return Figures(sent=len(rows), due=len(due), answered=len(answered), answered_on_time=len(on_time), overdue=len(late_open))


def meetings_in_scope(user: Any) -> QuerySet[Meeting]:
    return scope_queryset(Meeting.objects.select_related("unit", "unit__parent"), user)


def communes_without_dialogue(user: Any, year: int) -> QuerySet[Unit]:
    """Communes in force at the year's end in the user's scope that held no dialogue conference that
    year (the Law asks for at least conf.DIALOGUES_PER_YEAR)."""
    end = dt.date(year, 12, 31)
    held = (
        Meeting.objects.filter(kind=MeetingKind.DIALOGUE, held_on__year=year)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=conf.DIALOGUES_PER_YEAR)
        .values("unit_id")
    )
    communes = scope_queryset(Unit.objects.in_force(end).filter(kind=UnitKind.COMMUNE), user, unit_path="path")
    return communes.exclude(pk__in=held).order_by("name")
