"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2/), in JSON and XML, so existing
Open311 clients and a Zalo mini app can report and follow cases. Our categories are the service
codes; anonymity, the Idempotency-Key header, rate limits and routing are those of the web form
(feedback.intake).

A request has two identifiers. Its `service_request_id` is a public id ("PA-…"): it unlocks nothing
and shows only what the public may see. The tracking code is the reporter's secret: POST returns it
once as `token` (and in `service_notice`), and it is only ever sent back in a header or a POST body,
never in a URL. Every answer under the prefix, errors included, is Open311-shaped in the format the
path asks for (`.json` or `.xml`)."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core.text import parse_yes_no
from feedback import intake, queries, services, throttle
from feedback.models import CONDUCT_CATEGORIES, Case, Category, Channel, Kind, Status
from units.structure import UnitNotInForce

PAGE_SIZE, MAX_PAGE_SIZE = 100, 200
TRACKING_CODE_HEADER = "X-Tracking-Code"

# The element a list's items take in XML, by the list's own element (GeoReport v2's XML examples).
_XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "events": "event",
}


# --- Output ----------------------------------------------------------------------------------
def _xml_fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        child = _XML_ITEMS.get(element.tag, "item")
        for item in value:
            _xml_fill(ET.SubElement(element, child), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def _reply(fmt: str, data: Any, *, root: str, status: int = 200) -> HttpResponse:
    """`data` as JSON, or as XML under `root` (a list's items named after `root`)."""
    if fmt == "xml":
        element = ET.Element(root)
        _xml_fill(element, data)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _reply(fmt, [{"code": status, "description": description}], root="errors", status=status)


def _unit_refusal(fmt: str, refusal: UnitNotInForce) -> HttpResponse:
    """A commune not in force on the report's date: 422, naming the successor's code to send
    instead (in the description, and as `successor_code` for a client to act on)."""
    successor = refusal.successor
    error: dict[str, Any] = {"code": 422, "description": refusal.messages[0]}
    if successor is not None:
        error["description"] += " " + _("Mã xã cần gửi: %(code)s (%(name)s).") % {"code": successor.code, "name": successor.name}
        error["successor_code"] = successor.code
        error["successor_name"] = successor.name
    return _reply(fmt, [error], root="errors", status=422)


def _format_of(path: str) -> str:
    return "xml" if path.endswith(".xml") else "json"


def open311_view(methods: tuple[str, ...]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """An endpoint answering only `methods`; other methods, oversized or malformed bodies become
    Open311 errors in the endpoint's format instead of Django's HTML pages."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # public, anonymous, token-less endpoints for apps: no cookie, so no CSRF to forge
        def endpoint(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = _error(fmt, 405, _("Phương thức %(m)s không được hỗ trợ ở đây.") % {"m": (request.method or "")[:10]})
                response["Allow"] = ", ".join(methods)
                return response
            try:
                request.POST  # noqa: B018 - read the body here, where its size errors can be answered
                refusal = getattr(request, "body_refusal", None)  # met already by core.nul_bytes
                if refusal is not None:
                    raise refusal
            except RequestDataTooBig:
                return _error(fmt, 413, _("Nội dung gửi lên quá lớn."))
            except TooManyFieldsSent:
                return _error(fmt, 400, _("Nội dung gửi lên có quá nhiều trường."))
            return view(request, *args, fmt=fmt, **kwargs)

        endpoint.__name__ = view.__name__
        endpoint.__doc__ = view.__doc__
        return endpoint

    return wrap


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under the prefix."""
    return _error(_format_of(request.path), 404, _("Không có địa chỉ này trong Open311 GeoReport v2."))


# --- Discovery and services ------------------------------------------------------------------
@open311_view(("GET",))
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(request.path.rsplit("/", 1)[0] + "/")
    return _reply(
        fmt,
        {
            "changeset": "2026-03-01T00:00:00+07:00",
            "contact": settings.DEFAULT_FROM_EMAIL,
            "key_service": "",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base.rstrip("/"),
                    "changeset": "2026-03-01T00:00:00+07:00",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        root="discovery",
    )


def _group(code: str) -> str:
    if code.startswith("democracy_"):
        return _("Thực hiện dân chủ ở cơ sở")
    if code in CONDUCT_CATEGORIES:
        return _("Bộ phận một cửa")
    return _("Khác")


@open311_view(("GET",))
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    services_out = [
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
    return _reply(fmt, services_out, root="services")


def _yes_no_attribute(code: str, order: int, description: str) -> dict[str, Any]:
    return {
        "variable": True,
        "code": code,
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": _("true/false (cũng nhận 1/0, yes/no, có/không); mặc định false."),
        "order": order,
        "description": description,
        "values": [{"key": "true", "name": _("Có")}, {"key": "false", "name": _("Không")}],
    }


@open311_view(("GET",))
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    if code not in Category.values:
        return _error(fmt, 404, _("Không có dịch vụ “%(c)s”.") % {"c": code[:40]})
    attributes = [
        {
            "variable": True,
            "code": "commune",
            "datatype": "string",
            "required": False,
            "datatype_description": _(
                "Mã xã, phường, thị trấn (mã thống kê); có thể gửi ở address_id. Nếu bỏ trống, xác định theo toạ độ lat/long."
            ),
            "order": 1,
            "description": _("Xã, phường, thị trấn được phản ánh"),
        },
        {
            "variable": True,
            "code": "kind",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "",
            "order": 2,
            "description": _("Loại đơn"),
            "values": [{"key": k, "name": str(v)} for k, v in Kind.choices],
        },
        _yes_no_attribute("about_officials", 3, _("Về hành vi của cán bộ, lãnh đạo xã")),
        _yes_no_attribute(
            "allow_publication", 4, _("Đồng ý công khai nội dung (đã lược bỏ thông tin cá nhân) và câu trả lời; mặc định không")
        ),
    ]
    return _reply(fmt, {"service_code": code, "attributes": attributes}, root="service_definition")


# --- Requests --------------------------------------------------------------------------------
def _status(case: Case) -> str:
    return "closed" if case.status in (Status.ANSWERED, Status.CLOSED, Status.DECLINED) else "open"


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _public_day(moment: dt.datetime | None) -> str | None:
    # Anyone may read these: the day only (as an ISO 8601 time at local midnight, which Open311
    # clients parse), never the time a report was made or answered.
    if moment is None:
        return None
    day = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.isoformat()


def _public_coordinate(value: float | None) -> float | None:
    # Two decimals (about 1 km): the area, not the house.
    return round(value, 2) if value is not None else None


def _is_published(case: Case) -> bool:
    return bool(case.published_at and case.allow_publication)


def _request_out(case: Case, *, public: bool) -> dict[str, Any]:
    """One case as GeoReport v2 shows it. `public`: what anyone may see (the moderated summary and
    answer, the day and the area, only once a moderator published them); otherwise the reporter's own
    view."""
    published = _is_published(case)
    answered = case.status in (Status.ANSWERED, Status.CLOSED)
    expected = dt.datetime.combine(case.due_on, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone()) if case.due_on else None
    updated = getattr(case, "last_event_at", None) or case.received_at
    out: dict[str, Any] = {
        "service_request_id": case.public_id,
        "status": _status(case),
        "status_notes": str(case.get_status_display()),
        "service_name": str(case.get_category_display()),
        "service_code": case.category,
        "description": case.description,
        "agency_responsible": case.handling_unit.name,
        "service_notice": case.due_explanation,
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(updated),
        "expected_datetime": _iso(expected),
        "address": case.concerned_unit.name,
        "address_id": case.concerned_unit.code,
        "zipcode": None,
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": None,
        "answer": case.answer if answered else "",
    }
    if public:
        out.update(
            description=case.public_summary if published else "",
            requested_datetime=_public_day(case.received_at),
            updated_datetime=_public_day(updated),
            lat=_public_coordinate(case.latitude) if published else None,
            long=_public_coordinate(case.longitude) if published else None,
            answer=case.public_answer if published else "",  # moderated, never the answer as sent to the reporter
        )
    return out


def _cases() -> QuerySet[Case]:
    return Case.objects.select_related("concerned_unit", "handling_unit").annotate(last_event_at=Max("events__at"))


def _float(value: str | None) -> float | None:
    """A coordinate as sent; raises ValueError for text that is not a finite number."""
    if value in (None, ""):
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    code = data.get("service_code", "")
    if code not in Category.values:
        return _error(fmt, 400, _("Thiếu hoặc sai service_code."))
    try:
        lat, lon = _float(data.get("lat")), _float(data.get("long"))
    except ValueError:
        return _error(fmt, 400, _("Toạ độ lat/long phải là số thập phân hữu hạn (ví dụ 21.27, 106.19)."))
    flags = {name: parse_yes_no(data.get(f"attribute[{name}]", "")) for name in ("about_officials", "allow_publication")}
    wrong = [f"attribute[{name}]" for name, value in flags.items() if value is None]
    if wrong:
        return _error(fmt, 400, _("Giá trị không hợp lệ ở %(f)s: dùng true hoặc false.") % {"f": ", ".join(wrong)})
    commune_code = (data.get("attribute[commune]", "") or data.get("address_id", "")).strip()
    if commune_code:
        unit = services.commune_by_code(commune_code)
    elif lat is not None and lon is not None:
        unit = services.commune_near(lat, lon)
    else:
        return _error(fmt, 400, _("Cần attribute[commune] hoặc address_id (mã xã), hoặc toạ độ lat/long."))
    if unit is None:
        return _error(fmt, 400, _("Không xác định được xã, phường, thị trấn trong tỉnh từ mã hoặc toạ độ đã gửi."))
    name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p).strip()
    try:
        report = services.Report(
            category=code,
            kind=data.get("attribute[kind]", Kind.FEEDBACK) or Kind.FEEDBACK,
            about_officials=bool(flags["about_officials"]),
            allow_publication=bool(flags["allow_publication"]),
            concerned_unit=unit,
            description=data.get("description", ""),
            contact={"name": name, "phone": data.get("phone", ""), "email": data.get("email", "")},
            latitude=lat,
            longitude=lon,
            location_text=data.get("address_string", ""),
            channel=Channel.API,
        )
        submission = intake.submit_from_client(request, report=report, idempotency_key=request.headers.get("Idempotency-Key", ""))
    except intake.Throttled as exc:
        return throttle.with_retry_after(_error(fmt, 429, str(exc)), exc.retry_after)
    except intake.IdempotencyKeyReused as exc:
        return _error(fmt, 422, str(exc))
    except UnitNotInForce as refusal:
        return _unit_refusal(fmt, refusal)
    except ValidationError as exc:
        return _error(fmt, 400, " ".join(exc.messages))
    case = submission.case
    notice = _("Mã tra cứu của bạn: %(c)s. Hãy ghi lại: mã chỉ hiện một lần. Hạn trả lời: %(d)s.") % {
        "c": submission.tracking_code,
        "d": case.due_on.strftime("%d/%m/%Y") if case.due_on else "—",
    }
    out = [{"service_request_id": case.public_id, "token": submission.tracking_code, "service_notice": notice, "account_id": None}]
    return _reply(fmt, out, root="service_requests", status=201 if submission.created else 200)


def _moment(value: str, *, end: bool) -> dt.datetime | None:
    """A W3C date-time (or a plain date: its start, or its end for end_date); raises ValueError."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _page_number(value: str | None, default: int, *, most: int) -> int:
    number = int(value) if value not in (None, "") else default
    if number < 1:
        raise ValueError(value)
    return min(number, most)


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GeoReport's filters. `service_request_id` (comma list) names cases and overrides the rest,
    as the spec says; otherwise only published cases are listed, newest first, `page_size` (at most
    200) a page, `page` from 1 (an extension of the spec)."""
    params = request.GET
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        cases = list(_cases().filter(public_id__in=ids[:MAX_PAGE_SIZE]).order_by("-received_at"))
        return _reply(fmt, [_request_out(c, public=True) for c in cases], root="service_requests")
    try:
        start = _moment(params["start_date"], end=False) if params.get("start_date") else None
        end = _moment(params["end_date"], end=True) if params.get("end_date") else None
    except (ValueError, OverflowError):
        return _error(fmt, 400, _("start_date/end_date phải theo ISO 8601, ví dụ 2026-03-01T00:00:00+07:00."))
    try:
        page = _page_number(params.get("page"), 1, most=10**6)
        size = _page_number(params.get("page_size"), PAGE_SIZE, most=MAX_PAGE_SIZE)
    except (ValueError, OverflowError):
        return _error(fmt, 400, _("page và page_size phải là số nguyên dương."))
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        return _error(fmt, 400, _("status chỉ nhận open hoặc closed."))
    qs = _cases().filter(published_at__isnull=False, allow_publication=True)
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__in=codes)
    if statuses == {"open"}:
        qs = qs.exclude(status__in=(Status.ANSWERED, Status.CLOSED, Status.DECLINED))
    elif statuses == {"closed"}:
        qs = qs.filter(status__in=(Status.ANSWERED, Status.CLOSED, Status.DECLINED))
    if start:
        qs = qs.filter(received_at__gte=start)
    if end:
        qs = qs.filter(received_at__lte=end)
    window = qs.order_by("-received_at", "-id")[(page - 1) * size : page * size]
    return _reply(fmt, [_request_out(c, public=True) for c in window], root="service_requests")


@open311_view(("GET", "POST"))
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    return _list_requests(request, fmt)


def _tracking_code(request: HttpRequest) -> str:
    return (request.headers.get(TRACKING_CODE_HEADER) or request.POST.get("token") or "").strip()[:40]


@open311_view(("GET", "POST"))
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    """The public view of one case. With the tracking code in the `X-Tracking-Code` header or a
    POSTed `token`, the reporter's view (description, answer, events) of that same case."""
    case = _cases().filter(public_id=request_id).first() if request_id.isascii() else None
    if case is None:
        return _error(fmt, 404, _("Không tìm thấy yêu cầu này."))
    code = _tracking_code(request)
    if not code:
        return _reply(fmt, [_request_out(case, public=True)], root="service_requests")
    wait = throttle.tracking_wait(request)
    if wait:
        return throttle.with_retry_after(_error(fmt, 429, _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau.")), wait)
    owned = services.find_by_code(code)
    if owned is None or owned.pk != case.pk:
        return _error(fmt, 403, _("Mã tra cứu không đúng với yêu cầu này."))
    out = _request_out(case, public=False)
    out["events"] = [{"at": _iso(e.at), "action": str(e.get_action_display())} for e in queries.public_events(case)]
    return _reply(fmt, [out], root="service_requests")
