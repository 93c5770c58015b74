"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2/), JSON only, so existing Open311
clients and a Zalo mini app can report and follow cases. Our categories are the service codes;
anonymity, the Idempotency-Key header, rate limits and routing are those of the web form.

A request's id is its tracking code (only the reporter knows it); published cases appear in the
public list under "cong-khai-<number>" without any personal data."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from feedback import intake, queries, services, throttle
from feedback.models import CONDUCT_CATEGORIES, Case, Category, Channel, Kind, Status
from units.models import Unit, UnitKind

PUBLIC_PREFIX = "cong-khai-"


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(status: int, description: str) -> JsonResponse:
    return _json([{"code": status, "description": description}], status=status)


def _group(code: str) -> str:
    if code.startswith("democracy_"):
        return _("Thực hiện dân chủ ở cơ sở")
    if code in CONDUCT_CATEGORIES:
        return _("Bộ phận một cửa")
    return _("Khác")


@require_GET
def service_list(request: HttpRequest) -> JsonResponse:
    return _json(
        [
            {
                "service_code": code,
                "service_name": str(label),
                "description": str(label),
                "metadata": True,
                "type": "realtime",
                "keywords": "",
                "group": _group(code),
            }
            for code, label in Category.choices
        ]
    )


@require_GET
def service_definition(request: HttpRequest, code: str) -> JsonResponse:
    if code not in Category.values:
        return _error(404, _("Không có dịch vụ “%(c)s”.") % {"c": code[:40]})
    return _json(
        {
            "service_code": code,
            "attributes": [
                {
                    "variable": True,
                    "code": "commune",
                    "datatype": "string",
                    "required": False,
                    "datatype_description": _("Mã xã, phường, thị trấn (mã thống kê); nếu bỏ trống, xác định theo toạ độ lat/long."),
                    "order": 1,
                    "description": _("Xã, phường, thị trấn được phản ánh"),
                },
                {
                    "variable": True,
                    "code": "kind",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "order": 2,
                    "description": _("Loại đơn"),
                    "values": [{"key": k, "name": str(v)} for k, v in Kind.choices],
                },
                {
                    "variable": True,
                    "code": "about_officials",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "order": 3,
                    "description": _("Về hành vi của cán bộ, lãnh đạo xã"),
                    "values": [{"key": "true", "name": _("Có")}, {"key": "false", "name": _("Không")}],
                },
            ],
        }
    )


def _nearest_commune(lat: float, lon: float) -> Unit | None:
    communes = Unit.objects.filter(
        kind=UnitKind.COMMUNE, edition=settings.PROVINCE_STRUCTURE, latitude__isnull=False, longitude__isnull=False
    )
    best, best_d = None, math.inf
    for unit in communes.only("id", "latitude", "longitude", "path", "kind", "parent_id", "name"):
        d = (unit.latitude - lat) ** 2 + ((unit.longitude - lon) * math.cos(math.radians(lat))) ** 2  # type: ignore[operator]
        if d < best_d:
            best, best_d = unit, d
    # Farther than ~0.2° (about 20 km) from every commune centre: outside the province.
    return best if best_d < 0.04 else None


def _status(case: Case) -> str:
    return "closed" if case.status in (Status.ANSWERED, Status.CLOSED, Status.DECLINED) else "open"


def _request_out(case: Case, request_id: str, *, public: bool) -> dict[str, Any]:
    return {
        "service_request_id": request_id,
        "status": _status(case),
        "status_notes": str(case.get_status_display()),
        "service_name": str(case.get_category_display()),
        "service_code": case.category,
        "description": case.public_summary if public else case.description,
        "agency_responsible": case.handling_unit.name,
        "service_notice": case.due_explanation,
        "requested_datetime": timezone.localtime(case.received_at).isoformat(),
        "updated_datetime": timezone.localtime(
            case.events.order_by("-at").values_list("at", flat=True).first() or case.received_at
        ).isoformat(),
        "expected_datetime": case.due_on.isoformat() if case.due_on else None,
        "address": case.concerned_unit.name,
        "address_id": case.concerned_unit.code,
        "zipcode": None,
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": None,
        "answer": case.answer if case.status in (Status.ANSWERED, Status.CLOSED) and (public is False or case.published_at) else "",
    }


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _post_request(request: HttpRequest) -> JsonResponse:
    data = request.POST
    code = data.get("service_code", "")
    if code not in Category.values:
        return _error(400, _("Thiếu hoặc sai service_code."))
    lat, lon = _float(data.get("lat")), _float(data.get("long"))
    commune_code = data.get("attribute[commune]", "").strip()
    if commune_code:
        unit = Unit.objects.filter(code=commune_code[:20], edition=settings.PROVINCE_STRUCTURE, kind=UnitKind.COMMUNE).first()
    elif lat is not None and lon is not None:
        unit = _nearest_commune(lat, lon)
    else:
        return _error(400, _("Cần attribute[commune] (mã xã) hoặc toạ độ lat/long."))
    if unit is None:
        return _error(400, _("Không xác định được xã, phường, thị trấn trong tỉnh từ mã hoặc toạ độ đã gửi."))
    name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p).strip()
    try:
        submission = intake.submit_from_client(
            request,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            category=code,
            kind=data.get("attribute[kind]", Kind.FEEDBACK) or Kind.FEEDBACK,
            about_officials=data.get("attribute[about_officials]", "") == "true",
            concerned_unit=unit,
            description=data.get("description", ""),
            contact={"name": name, "phone": data.get("phone", ""), "email": data.get("email", "")},
            latitude=lat,
            longitude=lon,
            channel=Channel.API,
        )
    except intake.Throttled as exc:
        return throttle.with_retry_after(_error(429, str(exc)), exc.retry_after)
    except intake.IdempotencyKeyReused as exc:
        return _error(422, str(exc))
    except ValidationError as exc:
        return _error(400, " ".join(exc.messages))
    case = submission.case
    notice = _("Mã tra cứu của bạn: %(c)s. Hãy ghi lại: mã chỉ hiện một lần. Hạn trả lời: %(d)s.") % {
        "c": submission.tracking_code,
        "d": case.due_on.strftime("%d/%m/%Y") if case.due_on else "—",
    }
    return _json(
        [{"service_request_id": submission.tracking_code, "service_notice": notice, "account_id": None}],
        status=201 if submission.created else 200,
    )


@csrf_exempt  # a public, anonymous, token-less endpoint for apps: no cookie, so no CSRF to forge
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _post_request(request)
    qs = Case.objects.filter(published_at__isnull=False, allow_publication=True).select_related("concerned_unit", "handling_unit")
    code = request.GET.get("service_code", "")
    if code:
        qs = qs.filter(category__in=code.split(","))
    return _json([_request_out(c, f"{PUBLIC_PREFIX}{c.pk}", public=True) for c in qs.order_by("-published_at")[:200]])


@require_GET
def request_detail(request: HttpRequest, request_id: str) -> JsonResponse:
    if request_id.startswith(PUBLIC_PREFIX):
        pk = request_id[len(PUBLIC_PREFIX) :]
        case = Case.objects.filter(pk=int(pk), published_at__isnull=False, allow_publication=True).first() if pk.isdigit() else None
        public = True
    else:
        case = services.find_by_code(request_id)
        public = False
    if case is None:
        return _error(404, _("Không tìm thấy yêu cầu “%(r)s”.") % {"r": request_id[:40]})
    out = _request_out(case, request_id, public=public)
    if not public:
        out["events"] = [
            {"at": timezone.localtime(e.at).isoformat(), "action": str(e.get_action_display())} for e in queries.public_events(case)
        ]
    return _json([out])
