"""Public pages: what a commune disclosed (by category, searchable, the permanent ones pinned), one
item with its document and where it was posted, the register's verification, the open data, and
the section on the commune's page. Nothing personal: never who recorded an item, never the photos."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure import chain, exports, queries
from disclosure.models import CommuneContact, Disclosure
from units.models import Unit, UnitKind
from units.structure import lineage

PER_PAGE = 30
# The democracy-practice category of a citizen's report that an item was not disclosed as recorded.
NOT_POSTED_CATEGORY = "democracy_not_disclosed"


def report_link(disclosure: Disclosure) -> str:
    """The public feedback form, prefilled with the commune, the category and the item: capabilities
    never import each other, they link."""
    try:
        base = reverse("feedback_public:submit")
    except NoReverseMatch:
        return ""
    text = _("Về văn bản công khai %(ref)s (%(number)s, ngày %(date)s: %(title)s): chưa được niêm yết / không đúng như tôi thấy. ") % {
        "ref": disclosure.reference,
        "number": disclosure.document_number,
        "date": f"{disclosure.document_date:%d/%m/%Y}",
        "title": disclosure.title[:200],
    }
    unit = disclosure.unit if disclosure.unit.is_in_force else (disclosure.unit.successor or disclosure.unit)
    return f"{base}?{urlencode({'unit': unit.pk, 'category': NOT_POSTED_CATEGORY, 'ref': text})}"


def _commune(edition: str, code: str) -> Unit:
    return get_object_or_404(Unit.objects.select_related("parent", "successor"), edition=edition, code=code, kind=UnitKind.COMMUNE)


def _plain_figures(unit: Unit) -> dict[str, Any]:
    today = timezone.localdate()
    start, end = queries.year_window(today)
    f = queries.figures(unit, start, end, today=today)
    return {"figures": f, "year": today.year, "missing": f.missing.get(unit.pk, [])}


def portal_unit_section(*, request: HttpRequest, unit: Unit) -> dict[str, Any] | None:
    if unit.kind != UnitKind.COMMUNE:
        return None
    items = queries.public_disclosures(unit)
    pinned = list(items.filter(obligation__permanent=True, corrections__isnull=True)[:10])
    recent = list(items.exclude(pk__in=[d.pk for d in pinned])[:5])
    contact = CommuneContact.objects.filter(unit=unit).first()
    return {
        "pinned": pinned,
        "recent": recent,
        "contact": contact,
        "history": [u for u in lineage(unit) if u.pk != unit.pk],
        **_plain_figures(unit),
    }


def commune_disclosures(request: HttpRequest, edition: str, code: str) -> HttpResponse:
    unit = _commune(edition, code)
    items = queries.public_disclosures(unit)
    text = request.GET.get("q", "").strip()[:100]
    items = queries.search(items, text)
    numbers = sorted({o.number for o in queries.current_obligations()})
    try:
        chosen = int(request.GET.get("nhom", "") or 0)
    except ValueError:
        chosen = 0
    if chosen in numbers:
        items = items.filter(obligation__number=chosen)
    pinned = [d for d in items if d.obligation.permanent and not d.corrections.exists()] if not text else []
    others = items.exclude(pk__in=[d.pk for d in pinned])
    page = Paginator(others, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosure/public/commune.html",
        {
            "unit": unit,
            "pinned": pinned,
            "page_obj": page,
            "q": text,
            "obligations": queries.current_obligations(),
            "chosen": chosen,
            "history": [u for u in lineage(unit) if u.pk != unit.pk],
        },
    )


def item(request: HttpRequest, reference: str) -> HttpResponse:
    disclosure = get_object_or_404(queries.with_proof(queries.public_disclosures()), reference=reference)
    return render(
        request,
        "disclosure/public/item.html",
        {
            "d": disclosure,
            "proof": queries.proof_of(disclosure),
            "postings": list(disclosure.postings.all()),
            "broadcast_days": [b.day for b in disclosure.broadcasts.all()],
            "report_link": report_link(disclosure),
            "corrections": list(disclosure.corrections.all()),
        },
    )


def document(request: HttpRequest, reference: str) -> FileResponse:
    disclosure = get_object_or_404(queries.public_disclosures().filter(document_file__isnull=False), reference=reference)
    stored = disclosure.document_file
    assert stored is not None
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type, as_attachment=False, filename=stored.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def verify(request: HttpRequest, edition: str, code: str) -> HttpResponse:
    unit = _commune(edition, code)
    verdict = chain.verify(unit)
    return render(request, "disclosure/public/verify.html", {"unit": unit, "verdict": verdict, "checked_at": timezone.now()})


def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/public/open_data.html", {"columns": exports.OPEN_DATA_COLUMNS})


def open_data_csv(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("nam", "") or timezone.localdate().year)
    except ValueError as exc:
        raise Http404 from exc
    if not 2000 <= year <= 2100:
        raise Http404
    rows = queries.public_disclosures().filter(disclosed_on__gte=dt.date(year, 1, 1), disclosed_on__lte=dt.date(year, 12, 31))
    return exports.open_data_csv(rows, filename=f"cong-khai-{year}.csv")
