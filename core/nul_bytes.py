"""Refuse text with NUL characters before it reaches a view. PostgreSQL cannot store U+0000 in a
text column, so such a value, stored by any app, raised a server error (500) on PostgreSQL while
SQLite kept it silently; no legitimate form, query or JSON field contains one. The request gets a
400 with a Vietnamese message instead, JSON under /api/, a page elsewhere."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _lists_have_nul(items: Iterable[tuple[str, list[Any]]]) -> bool:
    return any(NUL in key or any(isinstance(v, str) and NUL in v for v in values) for key, values in items)


def request_has_nul(request: HttpRequest) -> bool:
    """True if the path, the query string, a form field or file name, or a JSON string holds U+0000."""
    if NUL in request.path or _lists_have_nul(request.GET.lists()):
        return True
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if limit is not None and declared > limit and request.content_type != "multipart/form-data":
        # Too big to read here: the view (or Django) refuses it in its own format (Open311 answers 413).
        return False
    try:
        return _body_has_nul(request)
    except (RequestDataTooBig, TooManyFieldsSent) as exc:
        # A multipart body cannot be read twice: the view learns why from `body_refusal` and answers
        # in its own format (Open311 gives 413), instead of finding the form empty.
        request.body_refusal = exc  # type: ignore[attr-defined]
        return False


def _body_has_nul(request: HttpRequest) -> bool:
    if request.content_type == "application/json":
        try:
            return _has_nul(json.loads(request.body or b"null"))
        except (ValueError, UnicodeDecodeError):
            return False  # not JSON at all: the view's own parser answers that
    if request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        if _lists_have_nul(request.POST.lists()):
            return True
        return any(isinstance(f, UploadedFile) and NUL in (f.name or "") for f in request.FILES.values())
    return False


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            message = _("Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL). Vui lòng xoá ký tự đó rồi gửi lại.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
