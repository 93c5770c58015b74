"""Figures other capabilities read by key (the chairman responsibility rating): the share of a
unit's decided certification files that were recognised."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse

from certification.models import FileState, Registration
from core.metrics import MetricValue

SOURCE = "Hồ sơ đánh giá, công nhận chính quyền thân thiện"
# A file counts once the province has decided on it, or the district has declined to propose it.
DECIDED = (FileState.RECOGNISED, FileState.REFUSED, FileState.REVOKED, FileState.DISTRICT_DECLINED)


def recognised_share(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    return recognised_share_many(units=[unit], start=start, end=end)[unit.pk]


def recognised_share_many(*, units: list[Any], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Of the files decided in the campaigns of the years [start, end] touches, in each unit's
    subtree: how many were recognised (a revoked recognition counts as not recognised). One query
    for all the units; the link opens the file when there is one, else the campaign."""
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(unit__path__startswith=unit.path)
    files = list(
        Registration.objects.filter(q, campaign__year__gte=start.year, campaign__year__lte=end.year, state__in=DECIDED)
        .order_by("-campaign__year", "unit__path")
        .values_list("pk", "campaign_id", "unit__path", "state")
    )
    result = {}
    for unit in units:
        mine = [f for f in files if f[2].startswith(unit.path)]
        recognised = sum(1 for f in mine if f[3] == FileState.RECOGNISED)
        if not mine:
            result[unit.pk] = MetricValue(None, "%", 0, SOURCE, note="Chưa có hồ sơ nào được quyết định trong kỳ.")
            continue
        if len(mine) == 1:
            link = reverse("certification:file_detail", args=[mine[0][0]])
        else:
            link = reverse("certification:campaign_detail", args=[mine[0][1]])
        value = round(100 * recognised / len(mine), 1)
        result[unit.pk] = MetricValue(value, "%", len(mine), SOURCE, link=link, numerator=float(recognised))
    return result
