"""Reads of the unit tree shared by the public portal, the staff pages and the API."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from core.text import search_key
from units.models import Unit, UnitKind


def home_province() -> Unit | None:
    """The province the public home page opens on: PROVINCE_CODE in the structure in force today
    (a deployment serves every province it has loaded; this one is shown first)."""
    return Unit.objects.in_force().filter(kind=UnitKind.PROVINCE, code=settings.PROVINCE_CODE).order_by("-valid_from").first()


def provinces_in_force() -> QuerySet[Unit]:
    """The provinces in force today, by name (the province switcher on public and staff pages)."""
    return Unit.objects.in_force().filter(kind=UnitKind.PROVINCE).order_by("name")


def children_with_counts(unit: Unit) -> QuerySet[Unit]:
    """Direct children of `unit`, each annotated with how many communes lie below it."""
    return (
        Unit.objects.filter(parent=unit)
        .annotate(commune_count=Count("children", filter=Q(children__kind=UnitKind.COMMUNE)))
        .order_by("kind", "name")
    )


def search_units(text: str, *, limit: int = 30, edition: str | None = None) -> list[Unit]:
    """Units whose name or code contains `text`, ignoring diacritics and case. Matches at the start
    of a word come first ("an" finds Xã An Hà before Huyện Lạng Giang), then units in force today
    before those of an earlier structure, then higher levels, then by name, so a short query is not
    crowded out of the first page by matches inside words or by history."""
    key = search_key(text)
    word_start = Q(search_text__startswith=key) | Q(search_text__contains=f" {key}")
    in_force = Q(pk__in=Unit.objects.in_force().values("pk"))
    qs = (
        Unit.objects.search(text)
        .exclude(kind=UnitKind.NATION)
        .select_related("parent")
        .annotate(
            rank=Case(When(word_start, then=Value(0)), default=Value(1), output_field=IntegerField()),
            history=Case(When(in_force, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
    )
    if edition:
        qs = qs.filter(edition=edition)
    return list(qs.order_by("rank", "history", "depth", "name")[:limit])


def commune_count(unit: Unit) -> int:
    return Unit.objects.subtree_of(unit).filter(kind=UnitKind.COMMUNE).count()
