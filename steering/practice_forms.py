"""Forms of task 5: a good practice with its photos and documents; a criticism and its follow-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateField
from units.models import Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _units(field: forms.Field, units: QuerySet[Unit]) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = units


class PracticeForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), error_messages={"required": _("Chọn đơn vị.")})
    title = forms.CharField(label=_("Tên mô hình, cách làm"), max_length=300, error_messages={"required": _("Hãy ghi tên mô hình.")})
    body = forms.CharField(
        label=_("Nội dung, kết quả"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        error_messages={"required": _("Hãy ghi nội dung.")},
    )
    period_start = DateField(label=_("Thực hiện từ ngày"))
    period_end = DateField(label=_("Đến ngày (nếu đã kết thúc)"), required=False)
    photos = MultipleFileField(
        label=_("Ảnh (JPEG, PNG)"), required=False, widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"})
    )
    documents = MultipleFileField(label=_("Tài liệu kèm theo"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], units)


class UnpublishForm(forms.Form):
    reason = forms.CharField(label=_("Lý do gỡ"), max_length=2000, required=False)


class CriticismForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị bị phê bình"), queryset=Unit.objects.none(), error_messages={"required": _("Chọn đơn vị.")}
    )
    criticised_on = DateField(label=_("Ngày phê bình"))
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, error_messages={"required": _("Hãy ghi lý do.")}
    )
    document_ref = forms.CharField(
        label=_("Văn bản phê bình (số, ký hiệu)"), max_length=200, error_messages={"required": _("Hãy ghi số, ký hiệu văn bản.")}
    )
    document = forms.FileField(label=_("Tệp văn bản"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], units)


class FollowUpForm(forms.Form):
    follow_up = forms.CharField(
        label=_("Kết quả khắc phục"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Hãy ghi kết quả.")},
    )
    on = DateField(label=_("Ngày ghi nhận"))
