"""Forms of the staff pages; each hands its cleaned data to one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import choice_field
from supervision.models import Aggregation, BoardKind, IndicatorKind, MeetingKind, PeriodKind, Position
from units.models import Unit, UnitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoardForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại ban"), choices=BoardKind.choices)
    unit = forms.ModelChoiceField(label=_("Xã, phường"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Tên ban"), max_length=300)
    project = forms.CharField(label=_("Chương trình, dự án (Ban Giám sát đầu tư của cộng đồng)"), max_length=300, required=False)
    term_start = forms.DateField(label=_("Nhiệm kỳ từ"), widget=DATE)
    term_end = forms.DateField(label=_("Nhiệm kỳ đến"), widget=DATE)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = communes


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    position = forms.ChoiceField(label=_("Chức danh"), choices=Position.choices, initial=Position.MEMBER)
    village = forms.ModelChoiceField(label=_("Thôn, tổ dân phố"), queryset=Unit.objects.none(), required=False)
    term_start = forms.DateField(label=_("Từ ngày"), widget=DATE)
    term_end = forms.DateField(label=_("Đến ngày"), widget=DATE, required=False)

    def __init__(self, *args: Any, commune: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.in_force().filter(parent=commune, kind=UnitKind.VILLAGE).order_by("name")


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))
    notified_on = forms.DateField(label=_("Ngày thông báo"), widget=DATE)
    starts_on = forms.DateField(label=_("Bắt đầu"), widget=DATE)
    ends_on = forms.DateField(label=_("Kết thúc"), widget=DATE)


class CaseLinkForm(forms.Form):
    reference = forms.CharField(label=_("Mã phản ánh công khai (PA-…)"), max_length=40)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class RecommendationForm(forms.Form):
    subject = forms.CharField(label=_("Trích yếu"), max_length=300)
    content = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 4}))
    sent_on = forms.DateField(label=_("Ngày gửi Ủy ban nhân dân xã"), widget=DATE)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 4}))
    answered_on = forms.DateField(label=_("Ngày trả lời"), widget=DATE)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Lý do rút kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("Quý"), min_value=1, max_value=4)
    content = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 4}))
    sent_on = forms.DateField(label=_("Ngày gửi Ủy ban MTTQ xã"), widget=DATE)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại hội nghị"), choices=MeetingKind.choices)
    unit = forms.ModelChoiceField(label=_("Xã (đối thoại) hoặc thôn, tổ dân phố (hội nghị thường niên)"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Tên hội nghị"), max_length=300)
    notified_on = forms.DateField(label=_("Ngày thông báo"), widget=DATE)
    held_on = forms.DateField(label=_("Ngày tổ chức"), widget=DATE)
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class AttendanceForm(forms.Form):
    attendees = forms.IntegerField(label=_("Số người dự"), min_value=0, max_value=1_000_000)
    households_represented = forms.IntegerField(label=_("Số hộ có đại diện dự"), min_value=0, max_value=1_000_000, required=False)


class IssueForm(forms.Form):
    raised = forms.CharField(label=_("Ý kiến, kiến nghị của Nhân dân"), widget=forms.Textarea(attrs={"rows": 2}))
    promised = forms.CharField(label=_("Nội dung trả lời, cam kết"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    responsible = forms.CharField(label=_("Người, bộ phận thực hiện"), max_length=200, required=False)
    promised_by = forms.DateField(label=_("Hạn thực hiện"), widget=DATE, required=False)


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("Kết quả theo dõi"), max_length=2000)
    done = forms.BooleanField(label=_("Đã thực hiện xong"), required=False)


# --- The province's periodic report forms ----------------------------------------------------------
class FormSettingsForm(forms.Form):
    title = forms.CharField(label=_("Tên mẫu báo cáo"), max_length=300)
    period_kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PeriodKind.choices)
    due_working_days = forms.IntegerField(
        label=_("Hạn gửi (số ngày làm việc sau khi hết kỳ)"),
        min_value=1,
        error_messages={"invalid": _("Nhập số ngày làm việc là một số nguyên."), "min_value": _("Hạn gửi ít nhất 1 ngày làm việc.")},
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Tên phần"), max_length=300)


class IndicatorForm(forms.Form):
    """One indicator of a draft; its platform source is picked among the figures the capabilities
    register (core.metrics), or none (the unit types it)."""

    section = forms.ChoiceField(label=_("Thuộc phần"))
    code = forms.CharField(
        label=_("Mã chỉ tiêu"),
        max_length=60,
        help_text=_("Chữ thường không dấu, số, dấu gạch; giữ nguyên mã qua các phiên bản để tổng hợp được."),
    )
    label = forms.CharField(label=_("Tên chỉ tiêu"), max_length=300)
    kind = forms.ChoiceField(label=_("Kiểu"), choices=IndicatorKind.choices, initial=IndicatorKind.NUMBER)
    metric_key = forms.ChoiceField(label=_("Nguồn số liệu trên nền tảng"), required=False)
    aggregation = forms.ChoiceField(label=_("Cách tổng hợp lên cấp trên"), choices=Aggregation.choices, initial=Aggregation.SUM)

    def __init__(self, *args: Any, sections: list[tuple[int, str]], metrics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "section").choices = [(str(pk), title) for pk, title in sections]
        choice_field(self, "metric_key").choices = [("", _("Không — đơn vị tự nhập")), *metrics]
