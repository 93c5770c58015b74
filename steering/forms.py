"""Forms of the task page: an owner's progress report; the directive owner's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    complete = forms.BooleanField(label=_("Đã hoàn thành, đề nghị công nhận"), required=False)
    document = forms.FileField(label=_("Tài liệu kèm theo"), required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Nhận xét (bắt buộc khi trả lại)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
