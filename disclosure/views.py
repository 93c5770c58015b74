"""Staff pages: the register of the communes in scope with their figures, a document and its
disclosure, the proof of posting taken on the phone, corrections, the quarterly register, the
commune's contacts and the obligations. Every object is loaded within the user's scope ("missing"
and "not yours" are the same 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from accounts.scope import role_roots, visible_units
from core.downloads import download
from core.forms import apply_validation_error
from disclosure import chain, deadlines, exports, queries, services
from disclosure.forms import BroadcastForm, ContactForm, DiscloseForm, DisclosureForm, EndPostingForm, ObligationForm, PhotoForm
from disclosure.models import CommuneContact, Disclosure, Obligation, ObligationSet, PostingPhoto, SetState
from disclosure.permissions import (
    access_disclosure,
    access_posting,
    can_keep_register,
    can_manage_obligations,
    register_units,
    visible_disclosures,
)
from units.models import Unit, UnitKind
from units.structure import UnitNotInForce

PER_PAGE = 50


def _scope_root(request: AuthenticatedHttpRequest) -> Unit | None:
    """The unit the figures are about: ?don_vi=<id> within scope, else the user's highest root."""
    roots = sorted(role_roots(request.user), key=lambda u: (u.depth, u.name))
    chosen = request.GET.get("don_vi", "")
    if chosen.isdigit():
        unit = visible_units(request.user).filter(pk=int(chosen)).first()
        if unit is None:
            raise Http404
        return unit
    in_force = [u for u in roots if u.is_in_force]
    candidates = in_force or roots
    return candidates[0] if candidates else None


@staff_view
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    root = _scope_root(request)
    if root is None:
        raise Http404
    today = timezone.localdate()
    start, end = queries.year_window(today)
    items = visible_disclosures(request.user).filter(queries.subtree_filter(root))
    text = request.GET.get("q", "").strip()[:100]
    items = queries.search(items, text).select_related("unit", "obligation")
    page = Paginator(items.order_by("-document_date", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    rows = queries.per_commune(root, start, end, today=today) if root.kind != UnitKind.COMMUNE else []
    figures = queries.total(rows) if rows else queries.figures(root, start, end, today=today)
    return render(
        request,
        "disclosure/register.html",
        {
            "root": root,
            "page": page,
            "q": text,
            "figures": figures,
            "rows": rows,
            "overdue": list(queries.overdue(root, today=today)[:50]),
            "writable": register_units(request.user),
            "can_manage_obligations": can_manage_obligations(request.user),
            "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
        },
    )


def _form_context(request: AuthenticatedHttpRequest, **kwargs: Any) -> dict[str, Any]:
    return {"communes": register_units(request.user), "obligations": queries.current_obligations(), **kwargs}


@staff_view
def create(request: AuthenticatedHttpRequest, corrects_id: int | None = None) -> HttpResponse:
    corrects = access_disclosure(actor=request.user, disclosure_id=corrects_id, write=True) if corrects_id else None
    communes = [corrects.unit] if corrects else register_units(request.user)
    if not communes:
        raise Http404
    obligations = queries.current_obligations()
    initial: dict[str, Any] = {"at_office": True}
    if corrects:
        initial.update(
            unit=corrects.unit,
            title=corrects.title,
            document_number=corrects.document_number,
            document_date=corrects.document_date,
            issuer=corrects.issuer,
            disclosed_on=corrects.disclosed_on,
            forms=corrects.forms,
            obligation=next((o for o in obligations if o.number == corrects.obligation.number), None),
        )
    form = DisclosureForm(
        request.POST or None, request.FILES or None, communes=communes, obligations=obligations, correcting=bool(corrects), initial=initial
    )
    successor = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("document")
        try:
            disclosure = services.record_disclosure(
                by=request.user,
                unit=data["unit"],
                obligation=data["obligation"],
                title=data["title"],
                document_number=data["document_number"],
                document_date=data["document_date"],
                issuer=data["issuer"],
                document=upload,
                document_name=upload.name if upload else "",
                disclosed_on=data.get("disclosed_on"),
                forms=data["forms"],
                at_office=data["at_office"],
                villages=data["villages"],
                corrects=corrects,
                correction_reason=data.get("correction_reason", ""),
            )
        except UnitNotInForce as exc:
            successor = exc.successor
            apply_validation_error(form, exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã ghi vào sổ công khai: %(ref)s.") % {"ref": disclosure.reference})
            return redirect("disclosure:detail", disclosure.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "disclosure/form.html",
        {"form": form, "corrects": corrects, "successor": successor, "files_dropped": bool(request.FILES) and status == 400},
        status=status,
    )


@staff_view
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    disclosure = access_disclosure(actor=request.user, disclosure_id=pk)
    disclosure = queries.with_proof(Disclosure.objects.filter(pk=disclosure.pk)).get()
    writable = can_keep_register(request.user, disclosure.unit)
    disclose_form = DiscloseForm(initial={"at_office": True, "forms": disclosure.obligation.forms, "disclosed_on": timezone.localdate()})
    disclose_form.limit_villages([disclosure.unit])
    entries = queries.entries(disclosure.unit).filter(object_pk__in=_object_pks(disclosure))
    return render(
        request,
        "disclosure/detail.html",
        {
            "d": disclosure,
            "writable": writable and not disclosure.corrections.exists(),
            "proof": queries.proof_of(disclosure),
            "postings": [
                (p, deadlines.posting_required_until(p, disclosure.obligation), deadlines.is_short(p, disclosure.obligation))
                for p in disclosure.postings.all()
            ],
            "photo_form": PhotoForm(),
            "end_form": EndPostingForm(initial={"ended_on": timezone.localdate()}),
            "broadcast_form": BroadcastForm(initial={"day": timezone.localdate()}),
            "disclose_form": disclose_form,
            "entries": [e for e in entries if (e.object_label, e.object_pk) in _object_keys(disclosure)],
        },
    )


def _object_keys(d: Disclosure) -> set[tuple[str, int]]:
    keys = {("disclosure.disclosure", d.pk)}
    for p in d.postings.all():
        keys.add(("disclosure.posting", p.pk))
        keys |= {("disclosure.postingphoto", ph.pk) for ph in p.photos.all()}
    keys |= {("disclosure.broadcast", b.pk) for b in d.broadcasts.all()}
    return keys


def _object_pks(d: Disclosure) -> list[int]:
    return [pk for _label, pk in _object_keys(d)]


def _back(request: AuthenticatedHttpRequest, pk: int, error: ValidationError | None = None) -> HttpResponse:
    if error is not None:
        for message in error.messages:
            messages.error(request, message)
    return redirect("disclosure:detail", pk)


@staff_view
@require_POST
def disclose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    disclosure = access_disclosure(actor=request.user, disclosure_id=pk, write=True)
    form = DiscloseForm(request.POST)
    form.limit_villages([disclosure.unit])
    if not form.is_valid():
        return _back(request, pk, ValidationError([e for errors in form.errors.values() for e in errors]))
    try:
        services.disclose(
            by=request.user,
            disclosure=disclosure,
            disclosed_on=form.cleaned_data["disclosed_on"],
            forms=form.cleaned_data["forms"],
            at_office=form.cleaned_data["at_office"],
            villages=form.cleaned_data["villages"],
        )
    except ValidationError as exc:
        return _back(request, pk, exc)
    messages.success(request, _("Đã ghi ngày công khai."))
    return _back(request, pk)


@staff_view
@require_POST
def photo(request: AuthenticatedHttpRequest, posting_id: int) -> HttpResponse:
    posting = access_posting(actor=request.user, posting_id=posting_id, write=True)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _back(request, posting.disclosure_id, ValidationError([e for errors in form.errors.values() for e in errors]))
    upload = form.cleaned_data["photo"]
    try:
        saved = services.add_photo(
            by=request.user,
            posting=posting,
            upload=upload,
            name=upload.name,
            purpose=form.cleaned_data["purpose"],
            browser_position=form.browser_position(),
        )
    except ValidationError as exc:
        return _back(request, posting.disclosure_id, exc)
    if saved.proven:
        messages.success(request, _("Đã lưu ảnh: chứng minh được việc niêm yết."))
    else:
        messages.warning(request, _("Đã lưu ảnh nhưng chưa chứng minh được: %(why)s") % {"why": saved.unproven_reason})
    return _back(request, posting.disclosure_id)


@staff_view
def photo_file(request: AuthenticatedHttpRequest, photo_id: int) -> FileResponse:
    photo = get_object_or_404(PostingPhoto.objects.select_related("file", "posting"), pk=photo_id)
    access_posting(actor=request.user, posting_id=photo.posting_id)
    response = FileResponse(photo.file.file.open("rb"), content_type=photo.file.content_type, filename=photo.file.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view
@require_POST
def end_posting(request: AuthenticatedHttpRequest, posting_id: int) -> HttpResponse:
    posting = access_posting(actor=request.user, posting_id=posting_id, write=True)
    form = EndPostingForm(request.POST)
    if not form.is_valid():
        return _back(request, posting.disclosure_id, ValidationError([e for errors in form.errors.values() for e in errors]))
    try:
        services.end_posting(by=request.user, posting=posting, ended_on=form.cleaned_data["ended_on"])
    except ValidationError as exc:
        return _back(request, posting.disclosure_id, exc)
    messages.success(request, _("Đã ghi ngày gỡ xuống: kết thúc niêm yết tại %(place)s.") % {"place": posting.place})
    return _back(request, posting.disclosure_id)


@staff_view
@require_POST
def broadcast(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    disclosure = access_disclosure(actor=request.user, disclosure_id=pk, write=True)
    form = BroadcastForm(request.POST)
    if not form.is_valid():
        return _back(request, pk, ValidationError([e for errors in form.errors.values() for e in errors]))
    try:
        services.log_broadcast(by=request.user, disclosure=disclosure, day=form.cleaned_data["day"], note=form.cleaned_data["note"])
    except ValidationError as exc:
        return _back(request, pk, exc)
    messages.success(request, _("Đã ghi buổi phát loa."))
    return _back(request, pk)


@staff_view
def quarterly(request: AuthenticatedHttpRequest, unit_id: int, year: int, quarter: int, fmt: str) -> HttpResponse:
    unit = visible_units(request.user).filter(pk=unit_id, kind=UnitKind.COMMUNE).first()
    if unit is None or not 1 <= quarter <= 4 or not 2000 <= year <= 2100 or fmt not in ("xlsx", "docx", "pdf"):
        raise Http404
    head = chain.verify(unit).head
    if fmt == "xlsx":
        content = exports.register_xlsx(unit, year, quarter, head)
    else:
        build = exports.register_docx if fmt == "docx" else exports.register_pdf
        content = build(unit, year, quarter, head, day=timezone.localdate())
    return download(content, f"so-cong-khai-{unit.code}-{year}-Q{quarter}.{fmt}", inline=fmt == "pdf")


@staff_view
def contact(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    unit = next((u for u in register_units(request.user) if u.pk == unit_id), None)
    if unit is None:
        raise Http404
    current = CommuneContact.objects.filter(unit=unit).first()
    initial = (
        {"address": current.address, "reception_schedule": current.reception_schedule, "phone": current.phone, "email": current.email}
        if current
        else {}
    )
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(by=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã cập nhật thông tin liên hệ trên trang của xã."))
            return redirect("disclosure:register")
    return render(request, "disclosure/contact.html", {"form": form, "unit": unit}, status=400 if form.errors else 200)


# --- Obligations -------------------------------------------------------------------------------
@staff_view
def obligations(request: AuthenticatedHttpRequest) -> HttpResponse:
    manager = can_manage_obligations(request.user)
    if request.method == "POST":
        if not manager:
            raise Http404
        if request.POST.get("action") == "revise":
            draft = services.revise_obligations(by=request.user)
            messages.success(request, _("Đã tạo dự thảo phiên bản %(v)d.") % {"v": draft.version})
        elif request.POST.get("action") == "publish":
            draft = get_object_or_404(ObligationSet, pk=request.POST.get("set", "0") if request.POST.get("set", "").isdigit() else 0)
            try:
                services.publish_obligations(by=request.user, obligation_set=draft)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Phiên bản %(v)d đã được áp dụng.") % {"v": draft.version})
        return redirect("disclosure:obligations")
    sets = list(ObligationSet.objects.prefetch_related("obligations"))
    return render(request, "disclosure/obligations.html", {"sets": sets, "manager": manager, "draft_state": SetState.DRAFT})


@staff_view
def obligation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not can_manage_obligations(request.user):
        raise Http404
    obligation = get_object_or_404(Obligation.objects.select_related("obligation_set"), pk=pk, obligation_set__state=SetState.DRAFT)
    form = ObligationForm(request.POST or None, initial={f: getattr(obligation, f) for f in services.EDITABLE_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_obligation(by=request.user, obligation=obligation, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu nhóm %(n)d.") % {"n": obligation.number})
            return redirect("disclosure:obligations")
    return render(request, "disclosure/obligation_form.html", {"form": form, "obligation": obligation}, status=400 if form.errors else 200)
