"""Forms of the certification pages. They only parse input; the services check the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from certification import conf
from certification.models import INLINE_TYPES, ApprovalChain, CriteriaSet, DocumentKind, DocumentTemplate, DossierDocument
from core.forms import model_choice_field
from units.models import Unit, UnitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel bộ tiêu chí (.xlsx)"), help_text=_("Dùng mẫu tải về từ một bộ tiêu chí có sẵn."))


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=conf.CAMPAIGN_FIRST_YEAR, max_value=conf.CAMPAIGN_LAST_YEAR)
    name = forms.CharField(label=_("Tên đợt"), max_length=300)
    criteria_set = forms.ModelChoiceField(label=_("Bộ tiêu chí (đã ban hành)"), queryset=CriteriaSet.objects.filter(status="published"))
    approval_chain = forms.ChoiceField(label=_("Quy trình"), choices=ApprovalChain.choices)
    target_percent = forms.DecimalField(
        label=_("Chỉ tiêu (% số xã đạt)"), min_value=0, max_value=100, initial=conf.DEFAULT_TARGET_SHARE * 100
    )
    registration_opens = forms.DateField(label=_("Mở đăng ký"), widget=DATE)
    registration_closes = forms.DateField(label=_("Hạn đăng ký"), widget=DATE)
    self_assessment_due = forms.DateField(label=_("Hạn tự đánh giá"), widget=DATE)
    district_appraisal_due = forms.DateField(label=_("Hạn thẩm định cấp huyện"), widget=DATE, required=False)
    province_appraisal_due = forms.DateField(label=_("Hạn thẩm định cấp tỉnh"), widget=DATE)
    district_targets = forms.CharField(
        label=_("Chỉ tiêu riêng theo huyện (không bắt buộc)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng: mã huyện = phần trăm, ví dụ “218 = 70”. Huyện không ghi dùng chỉ tiêu chung."),
    )

    def __init__(self, *args: Any, province: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = province
        # the province's own published sets and the national templates
        field = self.fields["criteria_set"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CriteriaSet.objects.filter(status="published").filter(Q(province=province) | Q(province__isnull=True))

    def clean_district_targets(self) -> dict[Unit, Decimal]:
        result: dict[Unit, Decimal] = {}
        errors = []
        districts = {u.code: u for u in Unit.objects.filter(parent=self.province, kind=UnitKind.DISTRICT)}
        for number, line in enumerate(self.cleaned_data["district_targets"].splitlines(), start=1):
            if not line.strip():
                continue
            code, _sep, value = line.partition("=")
            district = districts.get(code.strip())
            try:
                percent = Decimal(value.strip().rstrip("%").replace(",", "."))
            except InvalidOperation:
                percent = Decimal("-1")
            if district is None or not (0 <= percent <= 100):
                errors.append(
                    _("Dòng %(n)s: “%(line)s” không đúng dạng mã huyện = phần trăm (0–100).") % {"n": number, "line": line.strip()}
                )
                continue
            result[district] = percent / 100
        if errors:
            raise forms.ValidationError(errors)
        return result


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=[c for c in DocumentKind.choices if c[0] != DocumentKind.EVIDENCE])
    file = forms.FileField(label=_("Tệp (PDF hoặc ảnh)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Cam kết"),
        choices=[("0", _("Tôi không có xung đột lợi ích với đơn vị này")), ("1", _("Tôi có xung đột lợi ích (không tham gia chấm)"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Mối quan hệ (nếu có xung đột)"), required=False, max_length=500)


class SiteVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Ngày kiểm tra thực tế"), widget=DATE, initial=timezone.localdate)
    participants = forms.CharField(label=_("Thành phần"), widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("Kết quả kiểm tra"), widget=forms.Textarea(attrs={"rows": 3}))


class TeamForm(forms.Form):
    members: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label=_("Thành viên tổ thẩm định"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    leader: forms.ModelChoiceField[User] = forms.ModelChoiceField(label=_("Tổ trưởng"), queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "members").queryset = candidates
        model_choice_field(self, "leader").queryset = candidates


class DecisionForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE, initial=timezone.localdate)
    signer = forms.CharField(
        label=_("Người ký"), max_length=200, help_text=_("Họ và tên; thẩm quyền và chức vụ in theo mẫu văn bản công nhận của tỉnh.")
    )
    valid_until = forms.DateField(
        label=_("Hiệu lực đến"), widget=DATE, initial=lambda: dt.date(timezone.localdate().year + conf.VALIDITY_YEARS, 12, 31)
    )
    override_reason = forms.CharField(
        label=_("Lý do vẫn công nhận dù còn phản ánh sách nhiễu chưa giải quyết (nếu có)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận công nhận đơn vị; quyết định được thông báo cho xã và cấp trên trực tiếp."), required=True
    )


def document_response(document: DossierDocument) -> FileResponse:
    """A dossier document or evidence file served safely (pages and API alike): PDF, JPEG and PNG
    (their type checked by content when stored) open in the browser, a PDF in a sandbox with no
    scripts; anything else downloads as an opaque file. Never sniffed, never kept by a shared cache."""
    stored = document.file
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    inline = stored.content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        content_type=stored.content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=stored.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if stored.content_type == "application/pdf":
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; object-src 'self'; style-src 'unsafe-inline'"
    else:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


class DocumentTemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    """The province's document texts; the service checks them (placeholders, the executors'
    article, lengths) and saves them audited."""

    class Meta:
        model = DocumentTemplate
        fields = (*DocumentTemplate.TEXT_FIELDS[:8], "executors_article", *DocumentTemplate.TEXT_FIELDS[8:])
        widgets = {
            "issuing_body": forms.Textarea(attrs={"rows": 2}),
            "decision_summary": forms.Textarea(attrs={"rows": 2}),
            "annex_summary": forms.Textarea(attrs={"rows": 2}),
            "legal_bases": forms.Textarea(attrs={"rows": 7}),
            "articles": forms.Textarea(attrs={"rows": 10}),
            "recipients": forms.Textarea(attrs={"rows": 6}),
            "signature_titles": forms.Textarea(attrs={"rows": 3}),
            "certificate_text": forms.Textarea(attrs={"rows": 3}),
            "certificate_signature_titles": forms.Textarea(attrs={"rows": 2}),
        }
