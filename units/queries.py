"""Reads of the unit tree shared by the public portal, the staff pages and the API."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from units.models import Unit, UnitKind


def home_province() -> Unit | None:
    """The province this installation serves, in the configured code list edition."""
    return Unit.objects.filter(kind=UnitKind.PROVINCE, code=settings.PROVINCE_CODE, edition=settings.PROVINCE_STRUCTURE).first()


def children_with_counts(unit: Unit) -> QuerySet[Unit]:
    """Direct children of `unit`, each annotated with how many communes lie below it."""
    return (
        Unit.objects.filter(parent=unit)
        .annotate(commune_count=Count("children", filter=Q(children__kind=UnitKind.COMMUNE)))
        .order_by("kind", "name")
    )


def search_units(text: str, *, limit: int = 30, edition: str | None = None) -> list[Unit]:
    """Units whose name or code contains `text`, ignoring diacritics and case; higher levels first,
    then exact-prefix matches of the short name."""
    qs = Unit.objects.search(text).select_related("parent")
    if edition:
        qs = qs.filter(edition=edition)
    return list(qs.order_by("depth", "name")[:limit])


def commune_count(unit: Unit) -> int:
    return Unit.objects.subtree_of(unit).filter(kind=UnitKind.COMMUNE).count()
