"""Public pages of task 5: the good practices the province has published (a list, a practice with
its photos and documents), and the section on a commune's (or district's) portal page. Nothing
says who proposed or reviewed a practice."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from steering.models import PracticeAttachment
from steering.practice_queries import published_practices
from units.models import Unit

PER_PAGE = 20


def practice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(published_practices(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "steering/public/practice_list.html", {"page": page})


def practice_detail(request: HttpRequest, practice_id: int) -> HttpResponse:
    practice = get_object_or_404(published_practices(), pk=practice_id)
    attachments = list(practice.attachments.all())
    return render(
        request,
        "steering/public/practice_detail.html",
        {"practice": practice, "photos": [a for a in attachments if a.is_photo], "documents": [a for a in attachments if not a.is_photo]},
    )


def practice_file(request: HttpRequest, practice_id: int, attachment_id: int) -> FileResponse:
    practice = get_object_or_404(published_practices(), pk=practice_id)
    attachment = PracticeAttachment.objects.select_related("file").filter(practice=practice, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=attachment.file.content_type, as_attachment=False, filename=attachment.file.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def portal_unit_section(*, request: HttpRequest, unit: Unit) -> dict[str, Any] | None:
    """The unit's published good practices (its own and those inside it), newest first."""
    practices = list(published_practices(unit)[:3])
    if not practices:
        return None
    return {"practices": practices}
