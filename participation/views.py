"""Staff pages: villages in scope and their household registers (the commune and the village
head only), a village's matters, a matter with its actions, and the vote slips."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.models import User
from accounts.permissions import staff_view
from accounts.scope import can_reach, role_roots, scope_queryset
from core import links, transitions
from core.forms import apply_validation_error
from participation import crypto, printing, queries, rules, services
from participation.forms import (
    SUMMARY_GROUP_ROWS,
    CommuneMatterForm,
    ConsultationForm,
    HouseholdForm,
    ImportForm,
    MatterForm,
    StaffOpinionForm,
    parse_day,
    summary_groups,
    take_staff_action,
)
from participation.models import (
    MATTER_TRANSITIONS,
    CommuneMatter,
    CommuneMatterState,
    Consultation,
    Household,
    Initiative,
    Matter,
    MatterAction,
    Method,
    VoteCode,
)
from participation.permissions import (
    COMMUNE_ROLES,
    REGISTER_ROLES,
    access_commune_matter,
    access_consultation,
    access_household,
    access_matter,
    access_village,
    can_manage_register,
    can_organise,
    can_recognise,
)
from units.models import Unit, UnitKind


@staff_view
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    villages = scope_queryset(Unit.objects.filter(kind=UnitKind.VILLAGE).in_force(), request.user, unit_path="path").select_related(
        "parent"
    )
    matters = scope_queryset(Matter.objects.select_related("village"), request.user, unit_path="village__path")
    commune_matters = scope_queryset(CommuneMatter.objects.select_related("commune"), request.user, unit_path="commune__path")
    communes = _communes(request.user)
    return render(
        request,
        "participation/index.html",
        {
            "villages": villages.order_by("parent__name", "name")[:200],
            "matters": matters.order_by("-created_at")[:100],
            "commune_matters": commune_matters.order_by("-created_at")[:50],
            "commune_form": CommuneMatterForm(communes=communes) if communes.exists() else None,
        },
    )


@staff_view
@require_POST
def commune_matter_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CommuneMatterForm(request.POST, communes=_communes(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_commune_matter(
                commune=data["commune"],
                by=request.user,
                subject=data["subject"],
                method=data["method"],
                title=data["title"],
                description=data["description"],
                options=form.option_list(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã tạo nội dung cho %(n)d thôn.") % {"n": item.village_matters.count()})
            return redirect("participation:commune_matter", pk=item.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("participation:index")


@staff_view
def commune_matter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A commune-wide matter: each village's part and result, and once all have one, the count of
    villages against the commune's rule; the commune's staff record the commune-wide result."""
    item = access_commune_matter(actor=request.user, item_id=pk)
    manages = can_reach(request.user, item.commune, COMMUNE_ROLES)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        try:
            services.decide_commune_matter(
                item=item,
                by=request.user,
                on=parse_day(request.POST, "decided_on") or timezone.localdate(),
                reference=request.POST.get("reference", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã tổng hợp kết quả toàn xã."))
        return redirect("participation:commune_matter", pk=item.pk)
    matters, counts = queries.commune_tally(item)
    return render(
        request,
        "participation/commune_matter.html",
        {
            "item": item,
            "rows": [(m, queries.arithmetic(m)) for m in matters],
            "counts": counts,
            "rule": rules.commune_rule_text(item.subject),
            "manages": manages,
            "collecting": item.state == CommuneMatterState.COLLECTING,
            "today": timezone.localdate(),
        },
    )


@staff_view
def village(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = access_village(actor=request.user, village_id=pk)
    manages = can_manage_register(request.user, unit)
    household_form = HouseholdForm(request.POST if request.method == "POST" and "code" in request.POST else None)
    import_form = ImportForm()
    matter_form = MatterForm()
    if request.method == "POST" and "code" in request.POST and manages and household_form.is_valid():
        try:
            services.save_household(village=unit, by=request.user, **household_form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(household_form, exc)
        else:
            messages.success(request, _("Đã lưu hộ %(c)s.") % {"c": household_form.cleaned_data["code"]})
            return redirect("participation:village", pk=unit.pk)
    households: list[tuple[Household, str]] = []
    if manages:
        households = [(h, crypto.decrypt_phone(h.phone_encrypted)) for h in Household.objects.filter(village=unit).order_by("code")]
    return render(
        request,
        "participation/village.html",
        {
            "village": unit,
            "manages": manages,
            "can_organise": can_organise(request.user, unit),
            "households": households,
            "total": queries.households_total(unit),
            "household_form": household_form,
            "import_form": import_form,
            "matter_form": matter_form,
            "matters": Matter.objects.filter(village=unit).order_by("-created_at"),
            "initiatives": Initiative.objects.filter(village=unit)
            .select_related("matter")
            .annotate(backing=Count("codes", filter=Q(codes__supported=True))),
        },
    )


@staff_view
@require_POST
def village_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = access_village(actor=request.user, village_id=pk, write=True)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chọn tệp để nhập."))
        return redirect("participation:village", pk=unit.pk)
    upload = form.cleaned_data["file"]
    try:
        report = services.import_households(village=unit, by=request.user, content=upload.read(), filename=upload.name or "")
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("participation:village", pk=unit.pk)
    if report.errors:
        messages.error(request, _("Không nhập dòng nào vì tệp có lỗi:"))
        for number, error in report.errors[:50]:
            messages.error(request, _("Dòng %(n)d: %(e)s") % {"n": number, "e": error})
    else:
        messages.success(request, report.summary())
    return redirect("participation:village", pk=unit.pk)


@staff_view
@require_POST
def matter_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = access_village(actor=request.user, village_id=pk, write=True)
    form = MatterForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            matter = services.create_matter(
                village=unit,
                by=request.user,
                subject=data["subject"],
                method=data["method"],
                title=data["title"],
                description=data["description"],
                options=form.option_list(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("participation:matter", pk=matter.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("participation:village", pk=unit.pk)


def matter_context(user: User, matter: Matter) -> dict[str, Any]:
    manages = can_manage_register(user, matter.village)
    allowed = transitions.allowed_actions(MATTER_TRANSITIONS, matter.state)
    return {
        "matter": matter,
        "options": list(matter.options.all()),
        "arithmetic": queries.arithmetic(matter),
        "agreement": getattr(matter, "online_agreement", None),
        "turnout": queries.turnout(matter) if matter.method == Method.ONLINE else None,
        "send_deadline": queries.send_deadline(matter),
        "recognise_deadline": queries.recognise_deadline(matter),
        "can_organise": can_organise(user, matter.village),
        "can_recognise": can_recognise(user, matter),
        "manages": manages,
        "allowed": allowed,
        "households": list(Household.objects.filter(village=matter.village, status="active").order_by("code")) if manages else [],
        "not_voted": list(
            VoteCode.objects.filter(matter=matter, revoked=False, has_voted=False).select_related("household").order_by("household__code")
        )
        if manages
        else [],
        "attendance": list(matter.attendance.select_related("household").order_by("household__code")) if manages else [],
        "total": queries.households_total(matter.village),
        "actions": MatterAction,
    }


@staff_view
def matter_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    matter = access_matter(actor=request.user, matter_id=pk)
    return render(request, "participation/matter.html", matter_context(request.user, matter))


@staff_view
@require_POST
def matter_act(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    matter = access_matter(actor=request.user, matter_id=pk)
    action = request.POST.get("action", "")
    try:
        result = take_staff_action(
            action=action,
            matter=matter,
            by=request.user,
            data=request.POST,
            lists={k: request.POST.getlist(k) for k in ("present", "paper")},
        )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if action == "paper":
            messages.success(request, _("Đã nhập phiếu giấy. Biên nhận: %(r)s") % {"r": ", ".join(result)})
        else:
            messages.success(request, _("Đã lưu."))
    return redirect("participation:matter", pk=matter.pk)


def _slips(request: HttpRequest, matter: Matter, issued: list[services.IssuedCode]) -> HttpResponse:
    pdf = printing.vote_slips(matter=matter, issued=issued, vote_url=links.absolute_url("participation_public:vote"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="phieu-ma-bieu-quyet-{matter.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view
@require_POST
def matter_open_vote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Open the vote: the answer is the slips PDF, the only time the codes exist in the clear."""
    matter = access_matter(actor=request.user, matter_id=pk, write=True)
    try:
        issued = services.open_vote(matter=matter, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("participation:matter", pk=matter.pk)
    matter.refresh_from_db()
    return _slips(request, matter, issued)


@staff_view
@require_POST
def matter_reissue(request: AuthenticatedHttpRequest, pk: int, household_pk: int) -> HttpResponse:
    matter = access_matter(actor=request.user, matter_id=pk, write=True)
    household = access_household(actor=request.user, household_id=household_pk)
    if household.village_id != matter.village_id or not role_roots(request.user, REGISTER_ROLES):
        raise PermissionDenied
    try:
        issued = services.reissue_code(matter=matter, by=request.user, household=household)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("participation:matter", pk=matter.pk)
    return _slips(request, matter, [issued])


# --- Consultations ------------------------------------------------------------------------------


def _communes(user: User) -> Any:
    return scope_queryset(Unit.objects.filter(kind=UnitKind.COMMUNE).in_force(), user, unit_path="path", roles=COMMUNE_ROLES)


@staff_view
def consultations(request: AuthenticatedHttpRequest) -> HttpResponse:
    communes = _communes(request.user)
    form = ConsultationForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.publish_consultation(
                unit=data["unit"],
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                draft=data["draft"],
                clauses=form.clause_list(),
                published_on=data["published_on"],
                closes_on=data["closes_on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("participation:consultation", pk=consultation.pk)
    listed = scope_queryset(Consultation.objects.select_related("unit"), request.user).annotate(opinion_count=Count("opinions"))
    return render(
        request,
        "participation/consultations.html",
        {"consultations": listed.order_by("-published_on")[:100], "form": form, "can_publish": communes.exists()},
    )


@staff_view
def consultation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access_consultation(actor=request.user, consultation_id=pk)
    manages = can_reach(request.user, item.unit, COMMUNE_ROLES)
    form = StaffOpinionForm(request.POST if request.POST.get("form") == "opinion" else None, consultation=item)
    if request.method == "POST" and manages:
        try:
            if request.POST.get("form") == "opinion":
                if form.is_valid():
                    data = form.cleaned_data
                    services.enter_opinion(
                        consultation=item,
                        by=request.user,
                        channel=data["channel"],
                        text=data["text"],
                        clause=data["clause"],
                        author_name=data["author_name"],
                        received_on=data["received_on"],
                    )
                    messages.success(request, _("Đã ghi ý kiến."))
                    return redirect("participation:consultation", pk=item.pk)
            elif request.POST.get("form") == "summary":
                services.summarise_consultation(
                    consultation=item, by=request.user, summary=request.POST.get("summary", ""), groups=summary_groups(item, request.POST)
                )
                messages.success(request, _("Đã công khai báo cáo tổng hợp ý kiến."))
                return redirect("participation:consultation", pk=item.pk)
        except ValidationError as exc:
            if request.POST.get("form") == "opinion":
                apply_validation_error(form, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
    return render(
        request,
        "participation/consultation.html",
        {
            "consultation": item,
            "opinions": list(item.opinions.select_related("group").order_by("id")),
            "groups": list(item.groups.all()),
            "manages": manages,
            "form": form,
            "closed": timezone.localdate() > item.closes_on,
            "group_rows": range(1, SUMMARY_GROUP_ROWS + 1),
        },
    )


@staff_view
@require_POST
def initiative_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a citizen initiative; the answer is the slips PDF with each household's backing code."""
    unit = access_village(actor=request.user, village_id=pk, write=True)
    try:
        initiative, issued = services.open_initiative(
            village=unit,
            by=request.user,
            title=request.POST.get("title", ""),
            proposal=request.POST.get("proposal", ""),
            proposed_by=request.POST.get("proposed_by", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("participation:village", pk=unit.pk)
    pdf = printing.initiative_slips(initiative=initiative, issued=issued, url=links.absolute_url("participation_public:initiative"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="phieu-ma-kien-nghi-{initiative.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view
@require_POST
def initiative_to_matter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Put an initiative that reached its backing to the community: it becomes a matter of the village."""
    item = get_object_or_404(Initiative.objects.select_related("village"), pk=pk)
    access_village(actor=request.user, village_id=item.village_id, write=True)
    form = MatterForm(
        {"options": "\n".join(services.DEFAULT_OPTIONS), **request.POST.dict(), "title": item.title, "description": item.proposal}
    )
    if form.is_valid():
        try:
            matter = services.put_initiative_to_community(
                initiative=item,
                by=request.user,
                subject=form.cleaned_data["subject"],
                method=form.cleaned_data["method"],
                options=form.option_list(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Kiến nghị đã thành nội dung bàn và quyết định của thôn."))
            return redirect("participation:matter", pk=matter.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("participation:village", pk=item.village_id)
