"""Staff forms of the register: a document and its disclosure, a notice-board photo taken on the
phone, the taking-down date, a day of loudspeaker reading, a correction, the commune's contacts and
an obligation of the draft version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import model_choice_field
from disclosure.models import Form, Obligation, PostingPhoto
from units.models import Unit, UnitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        required=required,
        help_text=help_text,
        error_messages={"invalid": _("Ngày không hợp lệ (dd/mm/yyyy)."), "required": _("Nhập ngày.")},
    )


class PlaceFields(forms.Form):
    at_office = forms.BooleanField(label=_("Niêm yết tại trụ sở UBND xã"), required=False, initial=True)
    villages = forms.ModelMultipleChoiceField(
        label=_("Niêm yết tại nhà văn hoá thôn, tổ dân phố"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    # Declared last: from here on, `forms` in this class body is the field, not django.forms.
    forms = forms.MultipleChoiceField(
        label=_("Hình thức công khai"),
        choices=Form.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )

    def limit_villages(self, communes: list[Unit]) -> None:
        villages = Unit.objects.filter(parent__in=communes, kind=UnitKind.VILLAGE).in_force().order_by("name")
        model_choice_field(self, "villages").queryset = villages
        if not villages.exists():  # a commune without villages on record: nothing to choose
            self.fields["villages"].widget = forms.MultipleHiddenInput()


class DisclosureForm(PlaceFields):
    field_order = [
        "unit",
        "obligation",
        "title",
        "document_number",
        "document_date",
        "issuer",
        "document",
        "disclosed_on",
        "forms",
        "at_office",
        "villages",
        "correction_reason",
    ]

    unit = forms.ModelChoiceField(label=_("Xã, phường"), queryset=Unit.objects.none(), empty_label=None)
    obligation = forms.ModelChoiceField(
        label=_("Nhóm nội dung phải công khai"),
        queryset=Obligation.objects.none(),
        error_messages={"required": _("Chọn nhóm nội dung.")},
    )
    title = forms.CharField(label=_("Trích yếu văn bản"), max_length=500)
    document_number = forms.CharField(label=_("Số, ký hiệu"), max_length=100)
    document_date = _date(_("Ngày văn bản"))
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, initial=_("UBND xã"))
    document = forms.FileField(
        label=_("Tệp văn bản (PDF, JPEG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    disclosed_on = _date(
        _("Ngày bắt đầu công khai"), required=False, help_text=_("Để trống nếu chưa công khai: hệ thống sẽ nhắc trước hạn.")
    )
    correction_reason = forms.CharField(
        label=_("Lý do đính chính"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, communes: list[Unit], obligations: list[Obligation], correcting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.filter(pk__in=[c.pk for c in communes]).order_by("name")
        model_choice_field(self, "obligation").queryset = Obligation.objects.filter(pk__in=[o.pk for o in obligations]).order_by("number")
        self.limit_villages(communes)
        if not correcting:
            del self.fields["correction_reason"]
        else:
            self.fields["correction_reason"].required = True


class DiscloseForm(PlaceFields):
    field_order = ["disclosed_on", "forms", "at_office", "villages"]

    disclosed_on = _date(_("Ngày bắt đầu công khai"))


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Chụp ảnh bảng niêm yết"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        error_messages={"required": _("Chọn hoặc chụp một ảnh.")},
    )
    purpose = forms.ChoiceField(label=_("Ảnh"), choices=PostingPhoto.Purpose.choices, initial=PostingPhoto.Purpose.POSTED)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)

    def browser_position(self) -> tuple[float, float] | None:
        lat, lon = self.cleaned_data.get("latitude"), self.cleaned_data.get("longitude")
        return (lat, lon) if lat is not None and lon is not None else None


class EndPostingForm(forms.Form):
    ended_on = _date(_("Ngày gỡ xuống"))


class BroadcastForm(forms.Form):
    day = _date(_("Ngày phát loa"))
    note = forms.CharField(label=_("Ghi chú (giờ phát, người đọc)"), max_length=300, required=False)


class ContactForm(forms.Form):
    address = forms.CharField(label=_("Địa chỉ trụ sở"), max_length=300, required=False)
    reception_schedule = forms.CharField(
        label=_("Lịch tiếp công dân"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=40, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False, error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})


class ObligationForm(forms.Form):
    source = forms.CharField(label=_("Căn cứ"), max_length=300)
    at_villages = forms.BooleanField(label=_("Niêm yết cả ở nhà văn hoá thôn"), required=False)
    deadline_working_days = forms.IntegerField(label=_("Thời hạn công khai (ngày làm việc)"), min_value=1, max_value=120)
    deadline_source = forms.CharField(label=_("Căn cứ thời hạn"), max_length=300)
    permanent = forms.BooleanField(label=_("Niêm yết thường xuyên"), required=False)
    min_posting_days = forms.IntegerField(label=_("Thời gian niêm yết tối thiểu (ngày liên tục)"), min_value=0, max_value=366)
    loudspeaker_days = forms.IntegerField(label=_("Số ngày đọc trên loa (liên tục)"), min_value=0, max_value=60)
    # Declared last: from here on, `forms` in this class body is the field, not django.forms.
    forms = forms.MultipleChoiceField(
        label=_("Hình thức bắt buộc"), choices=Form.choices, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    field_order = ["source", "forms", "at_villages", "deadline_working_days", "deadline_source", "permanent", "min_posting_days"]
