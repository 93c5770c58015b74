"""The citizen's side: report without an account, follow by tracking code, rate a counter."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.forms import apply_validation_error
from feedback import intake, queries, services, throttle
from feedback.forms import AddInfoForm, RatingForm, ReopenForm, SubmitForm, TrackForm, commune_queryset, communes_of, province_queryset
from feedback.models import Case, Category, Counter, RatingReason, Status
from units.models import Unit, UnitKind
from units.queries import home_province, search_units
from units.structure import UnitNotInForce


def uploads_from(request: HttpRequest) -> list[services.Upload]:
    return [services.Upload(f, f.name or "") for f in request.FILES.getlist("files") if f]


def _done(request: HttpRequest, submission: services.Submission) -> HttpResponse:
    response = render(
        request, "feedback/public/done.html", {"case": submission.case, "code": submission.tracking_code, "created": submission.created}
    )
    response["Cache-Control"] = "no-store"
    return response


def _initial_from(data: Any) -> dict[str, Any]:
    """What the reporter typed, to show again unbound (choosing a province validates nothing)."""
    multi = ("files",)
    return {k: v for k, v in data.items() if k not in multi and k != "csrfmiddlewaretoken"}


def prefill(request: HttpRequest) -> dict[str, str]:
    """What a link into the form may fill in: the province (`tinh`), the commune (`unit`, its id), the category
    (`category`, one of ours, else ignored) and the start of the description (`ref`, e.g. the
    disclosed item a citizen says was not posted). Only a starting point: the citizen edits it."""
    initial = {"unit": request.GET.get("unit", "")[:20], "province": request.GET.get("tinh", "")[:20]}
    category = request.GET.get("category", "")
    if category in Category.values:
        initial["category"] = category
    ref = request.GET.get("ref", "").strip()
    if ref:
        initial["description"] = ref[:1000]
    return initial


@never_cache
def submit(request: HttpRequest) -> HttpResponse:
    """The report form. The reporter picks the province (34), then the commune in force there (or
    finds it on the search page); without JavaScript the "show communes" button reloads the form
    with what was typed. The answer to a successful POST is the page with the tracking code; a
    reload re-sends the same idempotency key and gets the same code, creating nothing. A commune
    no longer in force is refused with its successor offered as a one-click choice."""
    files_dropped = False
    retry_after = 0
    successor: Unit | None = None
    if request.method == "POST" and request.POST.get("pick_province"):
        # Only listing the chosen province's communes: nothing is validated or sent.
        initial = _initial_from(request.POST)
        initial.pop("unit", None)
        form = SubmitForm(initial=initial)
        files_dropped = bool(request.FILES)
        return _submit_page(request, form, files_dropped=files_dropped, status=200)
    data: Any = request.POST
    if request.method == "POST" and request.POST.get("use_successor"):
        data = request.POST.copy()
        data["unit"] = request.POST["use_successor"]
        data.pop("province", None)
    form = SubmitForm(
        data if request.method == "POST" else None,
        request.FILES or None,
        initial=prefill(request),
    )
    if request.method == "POST":
        key = request.POST.get("idempotency_key", "")[:64]
        if form.is_valid():
            cleaned = form.cleaned_data
            try:
                report = services.Report(
                    category=cleaned["category"],
                    kind=cleaned["kind"],
                    concerned_unit=cleaned["unit"],
                    about_officials=cleaned["about_officials"],
                    description=cleaned["description"],
                    contact=form.contact(),
                    allow_publication=cleaned["allow_publication"],
                    uploads=uploads_from(request),
                )
                submission = intake.submit_from_client(request, report=report, idempotency_key=key)
            except intake.Throttled as exc:
                form.add_error(None, str(exc) + " " + _("Nội dung bạn nhập vẫn được giữ."))
                retry_after = exc.retry_after
            except intake.IdempotencyKeyReused:
                form.add_error(None, _("Biểu mẫu này đã được dùng để gửi một phản ánh khác. Vui lòng tải lại trang để gửi phản ánh mới."))
            except UnitNotInForce as refusal:
                form.add_error("unit", refusal.messages)
                successor = refusal.successor
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return _done(request, submission)
        files_dropped = bool(request.FILES)
    status = (429 if retry_after else 400) if request.method == "POST" else 200
    response = _submit_page(request, form, files_dropped=files_dropped, successor=successor, status=status)
    return throttle.with_retry_after(response, retry_after) if retry_after else response


def _submit_page(
    request: HttpRequest, form: SubmitForm, *, files_dropped: bool, status: int, successor: Unit | None = None
) -> HttpResponse:
    selected = form.selected_unit()
    province = form.selected_province() or (None if form.is_bound else home_province())
    return render(
        request,
        "feedback/public/submit.html",
        {
            "form": form,
            "provinces": province_queryset(),
            "province": province,
            "communes": communes_of(province),
            "selected_unit": selected,
            "successor": successor,
            "files_dropped": files_dropped,
        },
        status=status,
    )


def commune_options(request: HttpRequest) -> HttpResponse:
    """The `<option>`s of the communes in force in a province (the form's commune list, swapped in
    by htmx when the province changes; without JavaScript the form reloads instead)."""
    province = province_queryset().filter(pk=int(request.GET["province"])).first() if request.GET.get("province", "").isdigit() else None
    selected = request.GET.get("unit", "")  # kept when it is one of the province's communes
    context = {"communes": communes_of(province), "province": province, "selected": selected}
    return render(request, "feedback/public/_commune_options.html", context)


def unit_search(request: HttpRequest) -> HttpResponse:
    """Communes matching the text, diacritics ignored ("dong hung" finds Đông Hưng)."""
    # "unit_query" is the name of the search box on the report form (sent by htmx as typed).
    text = (request.GET.get("q") or request.GET.get("unit_query") or "").strip()[:100]
    results: list[Unit] = []
    former: list[Unit] = []
    if len(text) >= 2:
        in_force_ids = set(commune_queryset().search(text).values_list("pk", flat=True)[:200])
        results = [u for u in search_units(text, limit=400) if u.pk in in_force_ids][:15]
        # A commune merged on 1 July 2025, found by its old name, leads to the commune it is now part of.
        former = list(
            Unit.objects.filter(kind=UnitKind.COMMUNE, successor__isnull=False)
            .exclude(pk__in=in_force_ids)
            .search(text)
            .select_related("successor", "successor__parent")
            .order_by("name")[:10]
        )
    selected = request.GET.get("unit", "")
    template = "feedback/public/_unit_results.html" if request.headers.get("HX-Request") else "feedback/public/unit_search.html"
    response = render(request, template, {"q": text, "results": results, "former": former, "selected": selected})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _track_page(
    request: HttpRequest, case: Case, code: str, *, info_form: Any = None, reopen_form: Any = None, status: int = 200
) -> HttpResponse:
    limit = services.reopen_deadline(case)
    from django.utils import timezone

    can_reopen = case.status in (Status.ANSWERED, Status.CLOSED) and limit is not None and timezone.localdate() <= limit
    response = render(
        request,
        "feedback/public/track.html",
        {
            "case": case,
            "code": code,
            "events": queries.public_events(case),
            "info_form": info_form or AddInfoForm(),
            "reopen_form": reopen_form or ReopenForm(),
            "can_add_info": case.is_open,
            "can_confirm": case.status == Status.ANSWERED,
            "can_reopen": can_reopen,
            "reopen_until": limit,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


def _find(request: HttpRequest) -> tuple[Case | None, str]:
    code = request.POST.get("code", "")[:40]
    return services.find_by_code(code), code.strip().upper()


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """Look a case up by its code. The code travels in the POST body, never in a URL or a log."""
    form = TrackForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        wait = throttle.tracking_wait(request)
        if wait:
            form.add_error(None, _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau."))
        else:
            case, code = _find(request)
            if case is not None:
                return _track_page(request, case, code)
            form.add_error("code", _("Không tìm thấy phản ánh với mã này. Kiểm tra lại từng ký tự."))
    response = render(request, "feedback/public/track_lookup.html", {"form": form}, status=429 if wait else (400 if form.errors else 200))
    return throttle.with_retry_after(response, wait) if wait else response


@require_POST
def track_add_info(request: HttpRequest) -> HttpResponse:
    case, code = _find(request)
    if case is None:
        return render(request, "feedback/public/track_lookup.html", {"form": TrackForm()}, status=404)
    form = AddInfoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case = services.reporter_add_info(case=case, text=form.cleaned_data["text"], uploads=uploads_from(request))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _track_page(request, case, code)
    return _track_page(request, case, code, info_form=form, status=400)


@require_POST
def track_confirm(request: HttpRequest) -> HttpResponse:
    case, code = _find(request)
    if case is None:
        return render(request, "feedback/public/track_lookup.html", {"form": TrackForm()}, status=404)
    try:
        case = services.reporter_confirm(case=case)
    except ValidationError:
        return _track_page(request, case, code, status=400)
    return _track_page(request, case, code)


@require_POST
def track_reopen(request: HttpRequest) -> HttpResponse:
    case, code = _find(request)
    if case is None:
        return render(request, "feedback/public/track_lookup.html", {"form": TrackForm()}, status=404)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            case = services.reporter_reopen(case=case, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _track_page(request, case, code)
    return _track_page(request, case, code, reopen_form=form, status=400)


def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The counter's one-tap rating page (opened from the QR sheet)."""
    counter = get_object_or_404(Counter.objects.select_related("unit"), token=token, is_active=True)
    form = RatingForm(request.POST or None)
    device = throttle.device_id(request) or throttle.new_device_id()
    context: dict[str, Any] = {"counter": counter, "form": form, "reasons": RatingReason.choices}
    status, wait = 200, 0
    if request.method == "POST":
        if form.is_valid():
            wait = throttle.rating_wait(request, counter_id=counter.pk, device=device)
            if wait:
                context["limited"] = True
                status = 429
            else:
                rating = services.rate_counter(
                    counter=counter,
                    score=form.cleaned_data["score"],
                    reasons=form.cleaned_data["reasons"],
                    comment=form.cleaned_data["comment"],
                )
                context["rating"] = rating
                response = render(request, "feedback/public/rated.html", context)
                throttle.set_device_cookie(response, device)
                return response
        else:
            status = 400
    response = render(request, "feedback/public/rate.html", context, status=status)
    throttle.set_device_cookie(response, device)
    return throttle.with_retry_after(response, wait) if wait else response


# --- Sections on other pages -----------------------------------------------------------------
def portal_unit_section(*, request: HttpRequest, unit: Unit, **_: Any) -> dict[str, Any] | None:
    return {"published": list(queries.published_for_unit(unit)), "unit": unit}


def portal_home_section(*, request: HttpRequest, **_: Any) -> dict[str, Any] | None:
    return {}
