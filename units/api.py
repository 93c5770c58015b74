"""Units and steering committees in the API. Units are public data; committees are staff data and
every lookup goes through the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from core.staff_access import get_scoped_or_404, scope_queryset, staff_auth
from units import queries
from units.models import SteeringCommittee, Unit

router = Router(tags=["Đơn vị hành chính / Units"])
STAFF_AUTH = staff_auth()


class UnitOut(Schema):
    id: int
    code: str
    edition: str
    name: str
    short_name: str
    type_name: str
    kind: str
    parent_id: int | None
    depth: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_id: int | None
    latitude: float | None
    longitude: float | None
    households: int | None


class UnitTreeOut(UnitOut):
    children: list[UnitTreeOut] = Field(default_factory=list)


@router.get("/units/tree", response=UnitTreeOut, summary="Cây đơn vị của một tỉnh")
def unit_tree(request: HttpRequest, province_code: str | None = None, edition: str | None = None, depth: int = 2) -> dict[str, Any]:
    """A province with its descendants down to `depth` levels: by default the home province in the
    structure in force today; `edition` picks another code list (2024: the three-tier history)."""
    from django.conf import settings

    code = province_code or settings.PROVINCE_CODE
    provinces = Unit.objects.filter(kind="province", code=code)
    root = get_object_or_404(provinces.filter(edition=edition) if edition else provinces.in_force().order_by("-valid_from")[:1])
    depth = max(0, min(depth, 4))
    rows = list(Unit.objects.subtree_of(root).filter(depth__lte=root.depth + depth).order_by("path"))
    nodes = {u.pk: {**UnitOut.from_orm(u).dict(), "children": []} for u in rows}
    for u in rows:
        if u.parent_id in nodes and u.pk != root.pk:
            nodes[u.parent_id]["children"].append(nodes[u.pk])
    return nodes[root.pk]


@router.get("/units/search", response=list[UnitOut], summary="Tìm đơn vị (không phân biệt dấu)")
def unit_search(request: HttpRequest, q: str, limit: int = 20, edition: str | None = None) -> list[Unit]:
    return queries.search_units(q[:100], limit=max(1, min(limit, 100)), edition=edition)


@router.get("/units/{unit_id}", response=UnitOut, summary="Một đơn vị")
def unit_detail(request: HttpRequest, unit_id: int) -> Unit:
    return get_object_or_404(Unit, pk=unit_id)


class MemberOut(Schema):
    id: int
    full_name: str
    job_title: str
    position: str
    followed_unit_ids: list[int]


class CommitteeOut(Schema):
    id: int
    unit_id: int
    parent_id: int | None
    kind: str
    name: str
    decision_ref: str
    established_on: dt.date | None
    is_active: bool


class CommitteeDetailOut(CommitteeOut):
    members: list[MemberOut]


@router.get("/committees", response=list[CommitteeOut], auth=STAFF_AUTH, summary="Ban Chỉ đạo trong phạm vi")
def committee_list(request: HttpRequest) -> list[SteeringCommittee]:
    return list(scope_queryset(SteeringCommittee.objects.all(), request.user).order_by("unit__path", "name"))


@router.get("/committees/{committee_id}", response=CommitteeDetailOut, auth=STAFF_AUTH, summary="Một Ban Chỉ đạo và thành viên")
def committee_detail(request: HttpRequest, committee_id: int) -> dict[str, Any]:
    committee = get_scoped_or_404(SteeringCommittee.objects.all(), request.user, pk=committee_id)
    members = [
        {
            "id": m.pk,
            "full_name": m.full_name,
            "job_title": m.job_title,
            "position": m.position,
            "followed_unit_ids": [u.pk for u in m.followed_units.all()],
        }
        for m in committee.members.prefetch_related("followed_units")
    ]
    return {**CommitteeOut.from_orm(committee).dict(), "members": members}
