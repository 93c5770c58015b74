"""Staff pages of the recognition cycle. Every file is loaded through the user's scope (missing and
not-yours are the same 404); every write goes through certification.services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.models import User
from accounts.permissions import PROVINCE_ADMIN_ROLES, staff_view
from accounts.scope import can_reach, get_scoped_or_404, visible_units
from certification import conf, criteria_io, documents, queries, scoring, services
from certification import permissions as perms
from certification.forms import (
    CampaignForm,
    DecisionForm,
    DeclarationForm,
    DocumentForm,
    DocumentTemplateForm,
    ImportForm,
    ReasonForm,
    SiteVisitForm,
    TeamForm,
    document_response,
)
from certification.models import (
    CERTIFICATE_PLACEHOLDERS,
    DECISION_PLACEHOLDERS,
    TRANSITIONS,
    Campaign,
    CriteriaSet,
    CriterionKind,
    DocumentKind,
    DocumentTemplate,
    DossierDocument,
    FileState,
    Level,
    ProvinceCheck,
    ProvinceSample,
    Recognition,
    Registration,
)
from core import transitions
from core.downloads import download
from core.forms import apply_validation_error
from units.models import Unit, UnitKind

FILES_PER_PAGE = 50


def _flash_errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _load_file(request: AuthenticatedHttpRequest, pk: int) -> Registration:
    return perms.access_file(actor=request.user, file_id=pk)


# --- Criteria sets ---------------------------------------------------------------------------
@staff_view
def criteria_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    sets = perms.criteria_sets_for(request.user).annotate(criteria_count=Count("criteria")).order_by("family", "-version")
    return render(request, "certification/criteria_list.html", {"sets": sets, "can_manage": perms.can_manage_criteria(request.user)})


@staff_view
def criteria_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_object_or_404(perms.criteria_sets_for(request.user), pk=pk)
    groups = criteria_set.groups.prefetch_related("criteria")
    return render(
        request,
        "certification/criteria_detail.html",
        {
            "set": criteria_set,
            "groups": groups,
            "bands": criteria_set.star_bands.all(),
            "can_manage": perms.can_manage_criteria(request.user),
        },
    )


@staff_view
def criteria_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_object_or_404(perms.criteria_sets_for(request.user), pk=pk)
    return download(criteria_io.export_workbook(services.spec_of(criteria_set)), f"{criteria_set.family}-v{criteria_set.version}.xlsx")


@staff_view
def criteria_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not perms.can_manage_criteria(request.user):
        raise PermissionDenied
    into = None
    if request.GET.get("into"):
        into = get_object_or_404(perms.criteria_sets_for(request.user), pk=request.GET["into"], status=CriteriaSet.Status.DRAFT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            spec = criteria_io.parse_workbook(form.cleaned_data["file"])
            if into is not None:
                criteria_set = services.replace_draft_content(criteria_set=into, spec=spec, by=request.user)
            else:
                criteria_set = services.create_criteria_set(spec=spec, by=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã nhập bộ tiêu chí (bản dự thảo)."))
            return redirect("certification:criteria_detail", pk=criteria_set.pk)
    return render(request, "certification/criteria_import.html", {"form": form, "into": into})


@staff_view
@require_POST
def criteria_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    criteria_set = get_object_or_404(perms.criteria_sets_for(request.user), pk=pk)
    operations: dict[str, Callable[..., Any]] = {"publish": services.publish_criteria_set, "revise": services.revise_criteria_set}
    if action not in operations:
        raise PermissionDenied
    try:
        result = operations[action](criteria_set=criteria_set, by=request.user)
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("certification:criteria_detail", pk=pk)
    messages.success(request, _("Đã ban hành.") if action == "publish" else _("Đã tạo phiên bản dự thảo mới."))
    return redirect("certification:criteria_detail", pk=result.pk)


# --- Campaigns ---------------------------------------------------------------------------------
@staff_view
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaigns = (
        perms.campaigns_for(request.user)
        .select_related("criteria_set", "province")
        .annotate(registered=Count("registrations"), recognised=Count("registrations", filter=Q(registrations__state=FileState.RECOGNISED)))
    )
    own_communes: QuerySet[Unit] = Unit.objects.none()
    if not any(can_reach(request.user, c.province, perms.PROVINCE_ROLES) for c in campaigns[:1]):
        from accounts.scope import visible_units

        own_communes = visible_units(request.user, perms.COMMUNE_ROLES).filter(kind=UnitKind.COMMUNE)
    return render(
        request,
        "certification/campaign_list.html",
        {"campaigns": campaigns, "can_create": perms.can_manage_criteria(request.user), "own_communes": own_communes},
    )


@staff_view
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    provinces = perms.campaign_provinces(request.user)
    if not provinces:
        raise PermissionDenied
    chosen = request.POST.get("province") or request.GET.get("province")
    province = next((p for p in provinces if str(p.pk) == chosen), provinces[0] if len(provinces) == 1 else None)
    if province is None:
        return render(request, "certification/campaign_province.html", {"provinces": provinces})
    form = CampaignForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["target_share"] = data.pop("target_percent") / Decimal("100")
        try:
            campaign = services.create_campaign(by=request.user, province=province, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("certification:campaign_detail", pk=campaign.pk)
    return render(request, "certification/campaign_form.html", {"form": form, "province": province, "choose": len(provinces) > 1})


@staff_view
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    files = queries.files_for(request.user, campaign)
    state = request.GET.get("state", "")
    if state in FileState.values:
        files = files.filter(state=state)
    rows, total = queries.target_progress(campaign=campaign)
    visible_rows = [r for r in rows if can_reach(request.user, r.unit)] if rows else []
    page = Paginator(files.order_by("district__name", "unit__name"), FILES_PER_PAGE).get_page(request.GET.get("page"))
    # The decisions taken in the campaign (a number restarts each 1 January, so number and date
    # name one), each reached through a file of the reader's scope that it recognised.
    decisions = (
        Recognition.objects.filter(registration__in=queries.files_for(request.user, campaign))
        .values("decision_number", "decision_date")
        .annotate(count=Count("id"), file_id=Min("registration_id"))
        .order_by("-decision_date", "decision_number")
    )
    return render(
        request,
        "certification/campaign_detail.html",
        {
            "campaign": campaign,
            "page": page,
            "rows": visible_rows,
            "total": total,
            "states": FileState.choices,
            "state": state,
            "forwardable": [r.unit for r in visible_rows if can_reach(request.user, r.unit, {"district_committee"})],
            "is_province": can_reach(request.user, campaign.province, perms.PROVINCE_ROLES),
            "decisions": decisions,
            "can_edit_texts": perms.can_edit_document_template(request.user, campaign.province),
        },
    )


@staff_view
def commune_file(request: AuthenticatedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """A commune's entry into the campaign: its file if registered, else eligibility and the register button."""
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    unit = get_scoped_or_404(Unit.objects.filter(kind=UnitKind.COMMUNE), request.user, unit_path="path", pk=unit_pk)
    existing = Registration.objects.filter(campaign=campaign, unit=unit).first()
    if existing is not None:
        return redirect("certification:file_detail", pk=existing.pk)
    if request.method == "POST":
        try:
            registration = services.register(campaign=campaign, unit=unit, by=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Đã đăng ký. Tiếp theo: tải hồ sơ và tự chấm điểm."))
            return redirect("certification:file_detail", pk=registration.pk)
    problems = services.eligibility_problems(campaign=campaign, unit=unit)
    return render(
        request,
        "certification/commune_file.html",
        {"campaign": campaign, "unit": unit, "problems": problems, "can_register": perms.can_register(request.user, unit)},
    )


@staff_view
def forward(request: AuthenticatedHttpRequest, pk: int, district_pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("certification:campaign_detail", pk=pk)
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    district = get_scoped_or_404(Unit.objects.filter(kind=UnitKind.DISTRICT), request.user, unit_path="path", pk=district_pk)
    try:
        services.forward_district(campaign=campaign, district=district, by=request.user)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Đã gửi danh sách đề nghị lên tỉnh."))
    return redirect("certification:campaign_detail", pk=pk)


@staff_view
def overdue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    return render(
        request, "certification/overdue.html", {"campaign": campaign, "items": queries.overdue_files(user=request.user, campaign=campaign)}
    )


@staff_view
def targets(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    rows, total = queries.target_progress(campaign=campaign)
    history = queries.target_history(province=campaign.province)
    chart = {
        "labels": [str(r.unit.short_name or r.unit.name) for r in rows] + [_("Toàn tỉnh")],
        "share": [r.share for r in rows] + [total.share],
        "target": [round(float(r.target_share) * 100, 1) for r in rows] + [round(float(total.target_share) * 100, 1)],
        "years": [h.unit.year for h in history],  # type: ignore[attr-defined]  # a campaign, see queries.target_history
        "year_share": [h.share for h in history],
        "year_target": [round(float(h.target_share) * 100, 1) for h in history],
        "label_share": _("Tỷ lệ xã đạt (%)"),
        "label_target": _("Chỉ tiêu (%)"),
    }
    return render(
        request, "certification/targets.html", {"campaign": campaign, "rows": rows, "total": total, "history": history, "chart": chart}
    )


def _province_only(request: AuthenticatedHttpRequest, campaign: Campaign) -> None:
    if not can_reach(request.user, campaign.province, perms.PROVINCE_ROLES):
        raise PermissionDenied


@staff_view
def quality(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Appraisal quality per district, from the province's check samples: the province sees every
    district, a district only itself."""
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    districts = perms.quality_districts(request.user, campaign)
    checks = ProvinceCheck.objects.select_related("registration__unit").order_by("-drawn", "registration__unit__name")
    samples = (
        ProvinceSample.objects.filter(campaign=campaign).select_related("district", "drawn_by").prefetch_related(Prefetch("checks", checks))
    )
    if districts is not None:
        samples = samples.filter(district_id__in=districts)
    return render(
        request,
        "certification/quality.html",
        {
            "campaign": campaign,
            "quality": queries.appraisal_quality(campaign=campaign, districts=districts),
            "samples": samples,
            "is_province": districts is None,
            "copy_min": queries.COPY_MIN_FILES,
            "share_pct": round(100 * conf.SAMPLE_SHARE),
            "sample_min": max(1, conf.SAMPLE_MIN),
        },
    )


@staff_view
def quality_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    districts = perms.quality_districts(request.user, campaign)
    return download(
        documents.quality_workbook(campaign, queries.appraisal_quality(campaign=campaign, districts=districts).rows),
        f"chat-luong-tham-dinh-{campaign.year}.xlsx",
    )


@staff_view
def decision_list(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The campaign's recognised communes within the reader's scope, in the state format."""
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    if fmt not in documents.FORMATS:
        raise Http404
    content, filename = documents.decision_list_file(campaign, queries.recognised_in(request.user, campaign), fmt)
    return download(content, filename)


# --- A commune's file ------------------------------------------------------------------------------
def _score_table(registration: Registration) -> list[dict[str, Any]]:
    selfs = {s.criterion_id: s for s in registration.self_scores.select_related("evidence_file")}
    appraisal: dict[tuple[str, int], Any] = {(s.level, s.criterion_id): s for s in registration.appraisal_scores.all()}
    rows = []
    for criterion in registration.campaign.criteria_set.criteria.select_related("group"):
        rows.append(
            {
                "criterion": criterion,
                "self": selfs.get(criterion.pk),
                "district": appraisal.get((Level.DISTRICT, criterion.pk)),
                "province": appraisal.get((Level.PROVINCE, criterion.pk)),
            }
        )
    return rows


def _with_evidence(registration: Registration, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row gets its criterion's current evidence files (links that open them)."""
    evidence: dict[int, list[DossierDocument]] = {}
    for doc in registration.documents.filter(kind=DocumentKind.EVIDENCE, withdrawn_at__isnull=True).select_related("file"):
        assert doc.criterion_id is not None
        evidence.setdefault(doc.criterion_id, []).append(doc)
    for row in rows:
        row["evidence"] = evidence.get(row["criterion"].pk, [])
    return rows


@staff_view
def evidence(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """One dossier document or evidence file, for those whose scope covers the file. PDF, JPEG and
    PNG (their type checked by content when stored) open in the browser; a PDF in a sandbox with
    no scripts; anything else downloads. Never sniffed, never cached by a shared cache."""
    return document_response(perms.access_document(actor=request.user, document_id=pk))


@staff_view
@require_POST
def withdraw_document(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    registration = _load_file(request, pk)
    try:
        services.withdraw_document(registration=registration, document_id=doc_pk, by=request.user)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Đã rút tài liệu (vẫn lưu trong lịch sử hồ sơ)."))
    back = request.POST.get("next", "")
    return redirect(
        back if back == reverse("certification:self_assessment", args=[pk]) else reverse("certification:file_detail", args=[pk])
    )


@staff_view
def file_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = _load_file(request, pk)
    user = request.user
    members = registration.members.select_related("user")
    result, missing = services.decision_preview(registration)
    all_documents = list(registration.documents.select_related("file", "criterion", "uploaded_by", "withdrawn_by"))
    current_kinds = {d.kind for d in all_documents if d.withdrawn_at is None}
    context = {
        "reg": registration,
        "rows": _with_evidence(registration, _score_table(registration)),
        "documents": [d for d in all_documents if d.withdrawn_at is None and d.criterion_id is None],
        "history": [d for d in all_documents if d.withdrawn_at is not None],
        "agreements": registration.agreements.select_related("agreed_by"),
        "missing_documents": [DocumentKind(k).label for k in services.REQUIRED_DOCUMENTS if k not in current_kinds],
        "district_members": [m for m in members if m.level == Level.DISTRICT],
        "province_members": [m for m in members if m.level == Level.PROVINCE],
        "visits": registration.site_visits.all(),
        "recognition": getattr(registration, "recognition", None),
        "preview": result,
        "preview_missing": missing,
        "province_check": ProvinceCheck.objects.filter(registration=registration).select_related("checked_by").first(),
        "decision_block": services.decision_block(registration),
        "can_edit": perms.can_edit_file(user, registration) and not registration.is_locked_for_commune,
        "can_sign": perms.can_sign_off(user, registration) and not registration.is_locked_for_commune,
        "can_district": perms.can_run_district_step(user, registration),
        "can_province": perms.can_run_province_step(user, registration),
        "can_form_district": perms.can_form_team(user, registration, Level.DISTRICT),
        "can_form_province": perms.can_form_team(user, registration, Level.PROVINCE),
        "my_district": perms.membership(user, registration, Level.DISTRICT),
        "my_province": perms.membership(user, registration, Level.PROVINCE),
        "can_score_district": perms.can_score(user, registration, Level.DISTRICT),
        "can_score_province": perms.can_score(user, registration, Level.PROVINCE),
        "can_lead_district": perms.can_lead(user, registration, Level.DISTRICT),
        "can_lead_province": perms.can_lead(user, registration, Level.PROVINCE),
        "reason_form": ReasonForm(),
        "document_form": DocumentForm(),
        "declaration_form": DeclarationForm(),
        "visit_form": SiteVisitForm(),
        "decision_form": DecisionForm(),
        "S": FileState,
        "moves": transitions.allowed_actions(TRANSITIONS, registration.state),
    }
    return render(request, "certification/file_detail.html", context)


@staff_view
def upload_document(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = _load_file(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.upload_document(
                registration=registration, kind=form.cleaned_data["kind"], fileobj=upload, name=upload.name, by=request.user
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Đã tải lên tài liệu."))
    elif request.method == "POST":
        messages.error(request, _("Vui lòng chọn loại tài liệu và tệp."))
    return redirect("certification:file_detail", pk=pk)


@staff_view
def self_assessment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The self-scoring form: one card per criterion, usable on a phone; saving keeps a draft."""
    registration = _load_file(request, pk)
    if not perms.can_edit_file(request.user, registration):
        raise PermissionDenied
    rows = _score_table(registration)
    errors: list[str] = []
    if request.method == "POST":
        entries = []
        for row in rows:
            c = row["criterion"]
            if c.kind == CriterionKind.COMPUTED:
                continue
            # Each attached file is its own act, stored before the scores are checked: a bad score
            # elsewhere on the form never loses a file the commune attached.
            for upload in request.FILES.getlist(f"file_{c.pk}"):
                try:
                    services.attach_evidence(
                        registration=registration, criterion_id=c.pk, fileobj=upload, name=upload.name or "", by=request.user
                    )
                except ValidationError as exc:
                    errors.extend(exc.messages)
            entries.append(
                services.SelfScoreEntry(
                    criterion_id=c.pk,
                    score=request.POST.get(f"score_{c.pk}", ""),
                    evidence_link=request.POST.get(f"link_{c.pk}", ""),
                    explanation=request.POST.get(f"explanation_{c.pk}", ""),
                )
            )
        autosave = request.headers.get("X-Autosave") == "1"
        try:
            services.save_self_scores(registration=registration, entries=entries, by=request.user)
        except ValidationError as exc:
            errors.extend(exc.messages)
            if autosave:
                return JsonResponse({"saved": False, "errors": errors}, status=422)
        else:
            if errors:
                if autosave:
                    return JsonResponse({"saved": True, "errors": errors}, status=422)
            elif autosave:
                return JsonResponse({"saved": True, "errors": []})
            else:
                messages.success(request, _("Đã lưu bản nháp tự đánh giá."))
                return redirect("certification:file_detail", pk=pk)
    return render(
        request,
        "certification/self_assessment.html",
        {
            "reg": registration,
            "rows": _with_evidence(registration, rows),
            "errors": errors,
            "posted": request.POST if request.method == "POST" else None,
        },
    )


def _citizens(registration: Registration) -> dict[str, Any]:
    start, end = services.metric_period(registration.campaign)
    return {
        "citizens": scoring.citizen_figures(unit=registration.unit, campaign=registration.campaign),
        "period": (start, end),
        "open_harassment": scoring.open_harassment(unit=registration.unit, campaign=registration.campaign),
        "substantiated_harassment": scoring.substantiated_harassment(unit=registration.unit, campaign=registration.campaign),
    }


def _member_rows(registration: Registration, level: str, rows: list[dict[str, Any]], me: Any) -> list[Any]:
    """Each row gets the team members' own scores side by side, the spread, mine and the agreed one."""
    members = list(registration.members.filter(level=level).select_related("user"))
    table = services.member_score_table(registration, level)
    for row in rows:
        own = table.get(row["criterion"].pk, {})
        row["members"] = [(m, own.get(m.user_id)) for m in members]
        values = [r.score for r in own.values()]
        row["spread"] = (max(values) - min(values)) if len(values) > 1 else None
        row["mine"] = own.get(me.pk)
        row["agreed"] = row["district" if level == Level.DISTRICT else "province"]
    return members


@staff_view
def appraise(request: AuthenticatedHttpRequest, pk: int, level: str) -> HttpResponse:
    """A team member's own scores beside every other member's (with the spread), the citizens'
    figures for the campaign's period, and for the leader the form recording the agreed score."""
    registration = _load_file(request, pk)
    if level not in Level.values:
        raise PermissionDenied
    if not perms.can_score(request.user, registration, level):
        raise PermissionDenied
    rows = _with_evidence(registration, _score_table(registration))
    members = _member_rows(registration, level, rows, request.user)
    errors: list[str] = []
    is_leader = perms.can_lead(request.user, registration, level)
    if request.method == "POST":
        agree = request.POST.get("step") == "agree"
        prefix = "agreed_" if agree else "score_"
        entries = [
            services.ScoreEntry(
                r["criterion"].pk,
                request.POST.get(f"{prefix}{r['criterion'].pk}", ""),
                request.POST.get(f"{'agreed_comment' if agree else 'comment'}_{r['criterion'].pk}", ""),
            )
            for r in rows
            if r["criterion"].kind != CriterionKind.COMPUTED
        ]
        try:
            if agree:
                services.agree_team_score(
                    registration=registration, level=level, entries=entries, dissent=request.POST.get("dissent", ""), by=request.user
                )
            else:
                services.save_appraisal_scores(registration=registration, level=level, entries=entries, by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Đã ghi điểm thống nhất của tổ.") if agree else _("Đã lưu điểm của bạn."))
            return redirect("certification:appraise", pk=pk, level=level)
    return render(
        request,
        "certification/appraise.html",
        {
            "reg": registration,
            "rows": rows,
            "members": members,
            "level": level,
            "errors": errors,
            "is_leader": is_leader,
            "agreement": registration.agreements.filter(level=level).select_related("agreed_by").first(),
            "posted": request.POST if request.method == "POST" else None,
            **_citizens(registration),
        },
    )


@staff_view
def team(request: AuthenticatedHttpRequest, pk: int, level: str) -> HttpResponse:
    registration = _load_file(request, pk)
    if level not in Level.values or not perms.can_form_team(request.user, registration, level):
        raise PermissionDenied
    unit = perms.level_unit(registration, level)
    assert unit is not None
    candidates = User.objects.filter(
        is_active=True, role_assignments__unit__path__in=[unit.path], role_assignments__role__in=list(perms.level_roles(level))
    ).distinct()
    current = registration.members.filter(level=level)
    initial = {"members": [m.user_id for m in current], "leader": next((m.user_id for m in current if m.is_leader), None)}
    form = TeamForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_team(
                registration=registration,
                level=level,
                members=list(form.cleaned_data["members"]),
                leader=form.cleaned_data["leader"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lập tổ thẩm định."))
            return redirect("certification:file_detail", pk=pk)
    return render(request, "certification/team.html", {"reg": registration, "form": form, "level": level})


@staff_view
@require_POST
def declare(request: AuthenticatedHttpRequest, pk: int, level: str) -> HttpResponse:
    registration = _load_file(request, pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn một lựa chọn cam kết."))
        return redirect("certification:file_detail", pk=pk)
    try:
        services.declare_interest(
            registration=registration,
            level=level,
            has_conflict=form.cleaned_data["has_conflict"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect("certification:file_detail", pk=pk)


@staff_view
@require_POST
def site_visit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = _load_file(request, pk)
    form = SiteVisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập đủ ngày, thành phần và kết quả kiểm tra."))
    else:
        try:
            services.record_site_visit(registration=registration, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _flash_errors(request, exc)
    return redirect("certification:file_detail", pk=pk)


# Actions that take only the file (and a reason where the service asks for one).
ACTIONS: dict[str, tuple[Callable[..., Any], bool, str]] = {
    "submit": (services.submit_self_assessment, False, "Đã ký duyệt và nộp hồ sơ."),
    "agree": (services.agree_team_score, False, "Đã ghi điểm thống nhất của tổ."),
    "province_check": (services.complete_province_check, False, "Đã ghi nhận tỉnh thẩm định lại hồ sơ."),
    "district_propose": (services.district_propose, False, "Đã đề nghị công nhận."),
    "district_return": (services.district_return, True, "Đã trả lại hồ sơ cho xã."),
    "district_decline": (services.district_decline, True, "Đã ghi không đề nghị công nhận."),
    "province_send_back": (services.province_send_back, True, "Đã trả lại hồ sơ."),
    "refuse": (services.refuse, True, "Đã quyết định không công nhận."),
    "reopen": (services.reopen, True, "Đã mở lại hồ sơ."),
    "revoke": (services.revoke, True, "Đã thu hồi công nhận."),
}


# Steps that cannot be undone by the one who takes them: the page asks to confirm each.
IRREVERSIBLE = frozenset({"submit", "district_propose", "revoke"})


@staff_view
@require_POST
def act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    registration = _load_file(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    service, needs_reason, done = ACTIONS[action]
    if action in IRREVERSIBLE and request.POST.get("confirm") != "1":
        messages.error(request, _("Vui lòng đánh dấu ô xác nhận trước khi thực hiện thao tác không hoàn tác được này."))
        return redirect("certification:file_detail", pk=pk)
    kwargs: dict[str, Any] = {"registration": registration, "by": request.user}
    if needs_reason:
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        service(**kwargs)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _(done))
    return redirect("certification:file_detail", pk=pk)


@staff_view
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = _load_file(request, pk)
    if not perms.can_run_province_step(request.user, registration):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    result, missing = services.decision_preview(registration)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            services.recognise(registration=registration, by=request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã công nhận."))
            return redirect("certification:file_detail", pk=pk)
    return render(
        request,
        "certification/decide.html",
        {
            "reg": registration,
            "form": form,
            "preview": result,
            "missing": missing,
            "rows": _with_evidence(registration, _score_table(registration)),
            "documents": registration.documents.filter(withdrawn_at__isnull=True, criterion__isnull=True).select_related("file"),
            **_citizens(registration),
            "decision_block": services.decision_block(registration),
        },
    )


def _recognition(registration: Registration) -> Recognition:
    recognition = Recognition.objects.filter(registration=registration).first()
    if recognition is None:
        raise Http404
    return recognition


@staff_view
def decision_document(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The decision that recognised the file's commune (as issued, even if later revoked), with
    every commune it recognised in its annex."""
    registration = _load_file(request, pk)
    if fmt not in documents.FORMATS:
        raise Http404
    content, filename = documents.recognition_decision_file(_recognition(registration), fmt)
    return download(content, filename, inline=fmt == "pdf")


@staff_view
def certificate(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The certificate of a recognition in force (none once revoked)."""
    registration = _load_file(request, pk)
    if fmt not in documents.FORMATS or registration.state != FileState.RECOGNISED:
        raise Http404
    content, filename = documents.certificate_file(_recognition(registration), fmt)
    return download(content, filename, inline=fmt == "pdf")


# --- The texts of the documents ------------------------------------------------------------------
@staff_view
def document_templates(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The provinces whose document texts the user edits: in force first, then earlier ones."""
    provinces = (
        visible_units(request.user, PROVINCE_ADMIN_ROLES)
        .filter(kind=UnitKind.PROVINCE)
        .order_by(F("valid_to").desc(nulls_first=True), "name")
    )
    if not provinces:
        raise PermissionDenied
    saved = dict(DocumentTemplate.objects.filter(province__in=provinces).values_list("province_id", "updated_at"))
    rows = [(p, saved.get(p.pk)) for p in provinces]
    return render(request, "certification/document_templates.html", {"rows": rows})


@staff_view
def document_template(request: AuthenticatedHttpRequest, province_pk: int) -> HttpResponse:
    province = get_scoped_or_404(
        Unit.objects.filter(kind=UnitKind.PROVINCE), request.user, unit_path="path", roles=PROVINCE_ADMIN_ROLES, pk=province_pk
    )
    template = documents.template_for(province)
    form = DocumentTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_document_template(
                province=province,
                texts={name: data.get(name) or "" for name in DocumentTemplate.TEXT_FIELDS},
                executors_article=data.get("executors_article"),
                by=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu mẫu văn bản."))
            return redirect("certification:document_template", province_pk=province.pk)
    return render(
        request,
        "certification/document_template.html",
        {
            "province": province,
            "form": form,
            "saved": template.pk is not None,
            "template": template,
            "decision_placeholders": DECISION_PLACEHOLDERS.items(),
            "certificate_placeholders": CERTIFICATE_PLACEHOLDERS.items(),
        },
    )


def staff_home_section(*, request: HttpRequest, user: Any) -> dict[str, Any] | None:
    campaign = perms.campaigns_for(user).order_by("-year").first()
    if campaign is None:
        return None
    files = queries.files_for(user, campaign)
    counts = dict(files.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {
        "campaign": campaign,
        "counts": [(FileState(s).label, n) for s, n in counts.items()],
        "url": reverse("certification:campaign_detail", args=[campaign.pk]),
    }
