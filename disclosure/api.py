"""Public read API for disclosures: list by commune, category and date, and one item with its
files. Nothing personal: who recorded an item and the notice-board photos are never exposed."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError

from disclosure import queries
from disclosure.models import Disclosure
from units.models import Unit, UnitKind

router = Router(tags=["disclosure"])
MAX_LIMIT = 200


class PostingOut(Schema):
    place: str
    started_on: dt.date
    ended_on: dt.date | None


class DisclosureFileOut(Schema):
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


class DisclosureOut(Schema):
    reference: str
    commune_code: str
    commune_name: str
    edition: str
    category: int
    category_title: str
    title: str
    document_number: str
    document_date: dt.date
    issuer: str
    due_on: dt.date
    disclosed_on: dt.date | None
    on_time: bool | None
    forms: list[str]
    proven: bool
    corrects: str | None
    url: str


class DisclosureDetailOut(DisclosureOut):
    due_reasoning: str
    postings: list[PostingOut]
    broadcast_days: list[dt.date]
    files: list[DisclosureFileOut]


def _out(d: Disclosure) -> dict[str, object]:
    return {
        "reference": d.reference,
        "commune_code": d.unit.code,
        "commune_name": d.unit.name,
        "edition": d.unit.edition,
        "category": d.obligation.number,
        "category_title": d.obligation.title,
        "title": d.title,
        "document_number": d.document_number,
        "document_date": d.document_date,
        "issuer": d.issuer,
        "due_on": d.due_on,
        "disclosed_on": d.disclosed_on,
        "on_time": d.on_time,
        "forms": list(d.forms),
        "proven": queries.proof_of(d).proven,
        "corrects": d.corrects.reference if d.corrects_id and d.corrects else None,
        "url": reverse("disclosure_public:item", args=[d.reference]),
    }


@router.get("/disclosures", response=list[DisclosureOut], summary="Văn bản đã công khai")
def list_disclosures(
    request: HttpRequest,
    commune: str = "",
    edition: str = "2025",
    category: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[dict[str, object]]:
    """Newest first. `commune` is the GSO code in `edition` (its predecessors' items included);
    `since`/`until` bound the disclosure date; `limit` up to 200."""
    if not 0 <= offset <= 100_000 or not 1 <= limit <= MAX_LIMIT:
        raise HttpError(400, f"offset phải từ 0 đến 100000, limit từ 1 đến {MAX_LIMIT}.")
    unit = None
    if commune:
        unit = Unit.objects.filter(edition=edition[:10], code=commune[:20], kind=UnitKind.COMMUNE).first()
        if unit is None:
            raise HttpError(404, "Không tìm thấy xã này.")
    items = queries.public_disclosures(unit)
    if category is not None:
        items = items.filter(obligation__number=category)
    if since is not None:
        items = items.filter(disclosed_on__gte=since)
    if until is not None:
        items = items.filter(disclosed_on__lte=until)
    return [_out(d) for d in queries.with_proof(items)[offset : offset + limit]]


@router.get("/disclosures/{reference}", response=DisclosureDetailOut, summary="Một văn bản đã công khai")
def disclosure_detail(request: HttpRequest, reference: str) -> dict[str, object]:
    d = get_object_or_404(queries.with_proof(queries.public_disclosures()), reference=reference[:40])
    files = []
    if d.document_file is not None:
        f = d.document_file
        files.append(
            {
                "name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "url": reverse("disclosure_public:document", args=[d.reference]),
            }
        )
    return {
        **_out(d),
        "due_reasoning": d.due_reasoning,
        "postings": [{"place": p.place, "started_on": p.started_on, "ended_on": p.ended_on} for p in d.postings.all()],
        "broadcast_days": [b.day for b in d.broadcasts.all()],
        "files": files,
    }
