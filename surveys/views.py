"""Staff pages: questionnaires and their builder, campaigns, QR sheets and token slips, paper entry,
results and exports. Every object is loaded within the user's scope ("missing" and "not yours" 404)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from accounts.scope import role_roots
from core.downloads import download
from core.forms import apply_validation_error
from surveys import conf, exports, printing, queries, services, statistics, xlsform
from surveys.forms import CampaignForm, MarginForm, PopulationForm, QuestionForm, SectionForm, TokenForm, question_items, raw_answers
from surveys.models import Campaign, CampaignState, Group, ImportState, InstrumentVersion, Mode, Question, Stratum, XlsformImport
from surveys.permissions import (
    CAMPAIGN_ROLES,
    access_campaign,
    access_stratum,
    campaign_filter,
    can_create_campaign,
    can_enter_paper_forms,
    can_manage_campaign,
    can_manage_instruments,
    result_roots,
)

STRATA_PER_PAGE = 50


# --- Questionnaires -----------------------------------------------------------------------------
def _version_or_404(request: AuthenticatedHttpRequest, pk: int) -> InstrumentVersion:
    if not can_manage_instruments(request.user):
        raise Http404
    return get_object_or_404(InstrumentVersion.objects.select_related("instrument"), pk=pk)


@staff_view
def instrument_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_instruments(request.user):
        raise Http404
    if request.method == "POST":
        created = services.load_instruments(by=request.user)
        messages.success(request, _("Đã nạp %(n)s phiếu mẫu.") % {"n": len(created)})
        return redirect("surveys:instrument_list")
    versions = InstrumentVersion.objects.select_related("instrument").annotate(n_questions=Count("questions"))
    return render(
        request,
        "surveys/instrument_list.html",
        {"versions": versions, "import_form": xlsform.ImportForm(), "imports": XlsformImport.objects.all()[:10]},
    )


@staff_view
def version_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = _version_or_404(request, pk)
    section_form = SectionForm(prefix="s")
    question_form = QuestionForm(prefix="q", version=version)
    edit_pk = request.GET.get("sua") or request.POST.get("question_pk")
    editing = version.questions.filter(pk=edit_pk).first() if edit_pk and str(edit_pk).isdigit() else None
    if editing:
        question_form = QuestionForm(prefix="q", version=version, instance=editing)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "section":
                section_form = SectionForm(request.POST, prefix="s")
                if section_form.is_valid():
                    services.save_section(by=request.user, version=version, title=section_form.cleaned_data["title"])
                    return redirect("surveys:version", pk=version.pk)
            elif action == "question":
                question_form = QuestionForm(request.POST, prefix="q", version=version, instance=editing)
                if question_form.is_valid():
                    services.save_question(by=request.user, version=version, question=question_form.instance)
                    messages.success(request, _("Đã lưu câu hỏi."))
                    return redirect("surveys:version", pk=version.pk)
            elif action == "publish":
                services.publish_version(by=request.user, version=version)
                messages.success(request, _("Đã ban hành phiếu; từ nay phiếu không sửa được."))
                return redirect("surveys:version", pk=version.pk)
            elif action == "revise":
                draft = services.start_revision(by=request.user, version=version)
                return redirect("surveys:version", pk=draft.pk)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
            if action == "question":
                apply_validation_error(question_form, exc)
    return render(
        request,
        "surveys/version_detail.html",
        {
            "version": version,
            "preview": question_items(version),
            "questions": version.questions.select_related("section"),
            "section_form": section_form,
            "question_form": question_form,
            "editing": editing,
        },
    )


@staff_view
@require_POST
def question_delete(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    version = _version_or_404(request, pk)
    question = get_object_or_404(Question, pk=question_pk, version=version)
    try:
        services.delete_question(by=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:version", pk=version.pk)


@staff_view
def version_xlsform(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = _version_or_404(request, pk)
    return download(xlsform.export_version(version), f"{version.instrument.code}-v{version.number}.xlsx")


@staff_view
@require_POST
def xlsform_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_instruments(request.user):
        raise Http404
    form = xlsform.ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = xlsform.request_import(by=request.user, upload=form.cleaned_data["file"], code=form.cleaned_data["code"])
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            # In embedded mode the job has already run (after the commit); with a worker it is pending.
            job.refresh_from_db()
            if job.state == ImportState.DONE and job.version_id:
                messages.success(request, _("Đã nhập phiếu thành bản nháp."))
                return redirect("surveys:version", pk=job.version_id)
            if job.state == ImportState.FAILED:
                messages.error(request, _("Không nhập được XLSForm: %(reason)s") % {"reason": job.reason})
            else:
                messages.info(request, _("Đã nhận tệp; phiếu đang được nhập. Trạng thái hiện ở bảng bên dưới."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("surveys:instrument_list")


# --- Campaigns ----------------------------------------------------------------------------------
@staff_view
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.filter(campaign_filter(request.user)).select_related("unit").distinct()
    page = Paginator(campaigns, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/campaign_list.html",
        {"page_obj": page, "can_create": can_create_campaign(request.user), "can_manage_instruments": can_manage_instruments(request.user)},
    )


@staff_view
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    roots = role_roots(request.user, CAMPAIGN_ROLES)
    if not roots:
        raise PermissionDenied
    unit = roots[0]
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.create_campaign(
                by=request.user,
                unit=unit,
                title=data["title"],
                year=data["year"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                forms=form.versions(),
                anonymous=data["anonymous"],
                verify_phone=data["verify_phone"],
                margin=data["margin"],
                confidence=data["confidence"],
                proportion=data["proportion"],
                min_responses=data["min_responses"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("surveys:campaign", pk=campaign.pk)
    return render(request, "surveys/campaign_form.html", {"form": form, "unit": unit})


# The state the campaign page's one button moves a campaign to.
_NEXT_STATE: dict[str, CampaignState] = {CampaignState.DRAFT: CampaignState.OPEN, CampaignState.OPEN: CampaignState.CLOSED}


def _strata_in_reach(request: AuthenticatedHttpRequest, campaign: Campaign) -> Any:
    path_q = Q(pk__in=[])
    for root in result_roots(request.user, campaign):
        path_q |= Q(unit__path__startswith=root.path)
    return Stratum.objects.filter(path_q, form__campaign=campaign)


@staff_view
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(actor=request.user, campaign_id=pk)
    roots = result_roots(request.user, campaign)
    strata = (
        _strata_in_reach(request, campaign).select_related("unit__parent", "form__version__instrument").order_by("unit__path", "form_id")
    )
    query = request.GET.get("q", "").strip()
    if query:
        strata = strata.filter(unit__name__icontains=query)
    page = Paginator(strata, STRATA_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "forms": campaign.forms.select_related("version__instrument"),
            "progress": queries.progress(campaign=campaign, roots=roots),
            "flags": queries.flag_counts(campaign=campaign, roots=roots),
            "duplicate_chars": conf.DUPLICATE_TEXT_CHARS,
            "page_obj": page,
            "q": query,
            "can_manage": can_manage_campaign(request.user, campaign),
            # Units whose own staff the user is: they may not type in paper forms there.
            "own_units": {r.pk for r in role_roots(request.user)},
            "token_form": TokenForm(),
            "next_state": _NEXT_STATE.get(campaign.state),
        },
    )


@staff_view
@require_POST
def campaign_state(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(actor=request.user, campaign_id=pk)
    if not can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    try:
        services.change_campaign_state(by=request.user, campaign=campaign, target=request.POST.get("state", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:campaign", pk=campaign.pk)


def _managed_campaign(request: AuthenticatedHttpRequest, pk: int) -> Campaign:
    campaign = access_campaign(actor=request.user, campaign_id=pk)
    if not can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    return campaign


@staff_view
def campaign_margins(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Known population margins the index is raked to (same right as managing the campaign)."""
    campaign = _managed_campaign(request, pk)
    questions = services.margin_questions(campaign)
    form = MarginForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_margins(
                by=request.user,
                campaign=campaign,
                variable=data["variable"],
                values=data["values"],
                totals=data["mode"] == "totals",
                label=data["label"].strip(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu cơ cấu tổng thể."))
            return redirect("surveys:margins", pk=campaign.pk)
    margins: dict[str, list[Any]] = {}
    for m in campaign.margins.all():
        margins.setdefault(m.variable, []).append(m)
    return render(
        request,
        "surveys/margins.html",
        {
            "campaign": campaign,
            "form": form,
            "margins": margins,
            "has_questions": bool(questions),
            "weighting": queries.weighting(campaign),
        },
    )


@staff_view
def campaign_populations(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Population sizes per stratum from the province's data, with their source (same right as
    managing the campaign): the finite population correction is applied only with them."""
    campaign = _managed_campaign(request, pk)
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            n = services.set_populations(
                by=request.user, campaign=campaign, group=data["group"], values=data["values"], source=data["source"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu quy mô tổng thể của %(n)s tầng.") % {"n": n})
            return redirect("surveys:populations", pk=campaign.pk)
    return render(
        request,
        "surveys/populations.html",
        {"campaign": campaign, "form": form, "note": queries.population_note(campaign)},
    )


@staff_view
@require_POST
def margin_remove(request: AuthenticatedHttpRequest, pk: int, variable: str) -> HttpResponse:
    campaign = _managed_campaign(request, pk)
    services.remove_margins(by=request.user, campaign=campaign, variable=variable)
    messages.success(request, _("Đã xoá cơ cấu «%(code)s».") % {"code": variable})
    return redirect("surveys:margins", pk=campaign.pk)


def _stratum_or_404(request: AuthenticatedHttpRequest, pk: int) -> Stratum:
    return access_stratum(actor=request.user, stratum_id=pk)


@staff_view
def stratum_qr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stratum = _stratum_or_404(request, pk)
    url = request.build_absolute_uri(reverse("surveys_public:open", args=[stratum.open_key]))
    return download(
        printing.qr_sheet(stratum=stratum, url=url), f"qr-{stratum.form.version.instrument.code}-{stratum.unit.code}.pdf", inline=True
    )


@staff_view
@require_POST
def stratum_tokens(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stratum = _stratum_or_404(request, pk)
    if not can_manage_campaign(request.user, stratum.form.campaign):
        raise PermissionDenied
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["count"]))
        return redirect("surveys:campaign", pk=stratum.form.campaign_id)
    raws = services.issue_tokens(by=request.user, stratum=stratum, count=form.cleaned_data["count"])
    entry_url = request.build_absolute_uri(reverse("surveys_public:token"))
    return download(
        printing.token_slips(stratum=stratum, entry_url=entry_url, codes=raws),
        f"ma-moi-{stratum.form.version.instrument.code}-{stratum.unit.code}.pdf",
    )


@staff_view
def stratum_entry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Typing in paper questionnaires: the same form, keyboard-first, saved as interviewer-entered."""
    stratum = _stratum_or_404(request, pk)
    version = stratum.form.version
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if not can_enter_paper_forms(request.user, stratum.unit):
        # The commune's own staff: say why instead of showing a form the service would refuse.
        refused = services.own_commune_refusal(stratum.unit)
        return render(request, "surveys/stratum_entry.html", {"stratum": stratum, "version": version, "refused": refused}, status=403)
    if request.method == "POST":
        values = raw_answers(version, request.POST)
        complete = request.POST.get("incomplete") != "1"
        try:
            services.submit_response(stratum=stratum, raw=values, mode=Mode.INTERVIEWER, by=request.user, complete=complete)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            messages.error(
                request,
                " ".join(exc.messages)
                if not errors
                else _("Vui lòng sửa các câu được đánh dấu. Những gì bạn đã nhập vẫn được giữ nguyên."),
            )
        except services.SubmissionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã lưu phiếu. Nhập phiếu tiếp theo."))
            return redirect("surveys:stratum_entry", pk=stratum.pk)
    return render(
        request,
        "surveys/stratum_entry.html",
        {"stratum": stratum, "version": version, "sections": question_items(version, values, errors), "errors": errors},
        status=400 if errors else 200,
    )


# --- Results ------------------------------------------------------------------------------------
def _chart(cells: list[statistics.IndexCell], title: str) -> str:
    shown = [c for c in cells if c.share is not None]
    return json.dumps(
        {
            "title": title,
            "labels": [c.label for c in shown],
            "values": [round(c.share.est * 100, 1) for c in shown if c.share],
            "low": [round(c.share.lci * 100, 1) for c in shown if c.share],
            "high": [round(c.share.uci * 100, 1) for c in shown if c.share],
        },
        ensure_ascii=False,
    )


@staff_view
def campaign_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(actor=request.user, campaign_id=pk)
    roots = result_roots(request.user, campaign)
    group = request.GET.get("nhom", "")
    view = queries.reading(campaign=campaign, roots=roots, group=group if group in Group.values else statistics.ALL)
    elements = queries.element_cells(view=view)
    groups = queries.index_cells(view=view, by="group")
    districts = queries.index_cells(view=view, by="district")
    communes = queries.index_cells(view=view, by="commune")
    return render(
        request,
        "surveys/results.html",
        {
            "campaign": campaign,
            "weighting": queries.weighting(campaign),
            "group": group,
            "groups_choices": Group.choices,
            "elements": elements,
            "groups": groups,
            "districts": districts,
            "communes": Paginator(communes, 50).get_page(request.GET.get("page")),
            "overall": elements[0] if elements else None,
            "chart_elements": _chart(elements[1:], _("Tỷ lệ hài lòng theo yếu tố (%)")),
            "chart_groups": _chart(groups, _("Tỷ lệ hài lòng theo nhóm đối tượng (%)")),
            "chart_districts": _chart(districts, _("Tỷ lệ hài lòng theo huyện (%)")),
            "years": queries.year_comparison(campaign=campaign, roots=roots, group=group if group in Group.values else statistics.ALL),
            "populations": queries.population_note(campaign),
            "instruments": queries.instrument_cells(view=view),
            # The pooled figure's make-up, when every group's own figure is published too.
            "composition": queries.pooled_composition(view)
            if group not in Group.values and groups and not any(c.suppressed for c in groups)
            else [],
            "open_answers": queries.open_answers(campaign=campaign, roots=roots, limit=50),
        },
    )


@staff_view
def campaign_export(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    campaign = access_campaign(actor=request.user, campaign_id=pk)
    roots = result_roots(request.user, campaign)
    if kind == "xlsx":
        return download(exports.workbook(campaign=campaign, roots=roots), f"khao-sat-{campaign.pk}-xlsx.xlsx")
    if kind == "du-lieu":
        header, rows = exports.microdata(campaign=campaign, roots=roots)
    elif kind == "chi-so":
        table = exports.index_rows(campaign=campaign, roots=roots)
        header, rows = table[0], table[1:]
    elif kind == "tu-dien":
        header, rows = ["bien", "noi_dung", "ma_hoa"], exports.dictionary(campaign=campaign)
    else:
        raise Http404
    return download(exports.to_csv(header, rows), f"khao-sat-{campaign.pk}-{kind}.csv")


def staff_home_section(*, request: HttpRequest, **_kwargs: Any) -> dict[str, Any] | None:
    campaigns = Campaign.objects.filter(campaign_filter(request.user), state=CampaignState.OPEN).select_related("unit").distinct()[:5]
    if not campaigns:
        return None
    return {"survey_campaigns": campaigns}
