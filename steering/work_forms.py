"""Forms of the committee's work pages; each hands its cleaned data to one service in
`steering.committee_work`, which checks what the actor may target."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steering.models import InspectionFinding, MediaCoverage, Organisation, RegimePeriod, SessionKind, SessionTopic
from units.models import CommitteeMember, SteeringCommittee, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegimeForm(forms.Form):
    period = forms.ChoiceField(label=_("Kỳ"), choices=RegimePeriod.choices, initial=RegimePeriod.QUARTER)
    meetings_per_period = forms.IntegerField(label=_("Số cuộc họp tối thiểu mỗi kỳ"), min_value=1, max_value=31, initial=1)
    basis = forms.CharField(label=_("Căn cứ (quy chế hoạt động)"), max_length=300, required=False)


class ScheduleMeetingForm(forms.Form):
    title = forms.CharField(label=_("Nội dung cuộc họp"), max_length=300)
    scheduled_on = forms.DateField(label=_("Ngày họp dự kiến"), widget=DATE)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    chaired_by = forms.CharField(label=_("Người chủ trì"), max_length=200, required=False)


class HoldMeetingForm(forms.Form):
    """The held date, the chair, the minutes and one present/absent choice (with a note) per member
    serving that day."""

    held_on = forms.DateField(label=_("Ngày họp"), widget=DATE)
    chaired_by = forms.CharField(label=_("Người chủ trì"), max_length=200, required=False)
    minutes = forms.FileField(label=_("Biên bản cuộc họp"), required=False)

    def __init__(self, *args: Any, members: list[CommitteeMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"present_{member.pk}"] = forms.TypedChoiceField(
                label=f"{member.full_name} – {member.get_position_display()}",
                choices=[("1", _("Có mặt")), ("0", _("Vắng"))],
                coerce=lambda v: v == "1",
                widget=forms.RadioSelect,
                initial="1",
            )
            self.fields[f"note_{member.pk}"] = forms.CharField(
                label=_("Ghi chú về %(name)s (lý do vắng, người dự thay)") % {"name": member.full_name}, max_length=300, required=False
            )

    def member_rows(self) -> list[tuple[CommitteeMember, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"present_{m.pk}"], self[f"note_{m.pk}"]) for m in self.members]

    def attendance(self) -> dict[int, tuple[bool, str]]:
        return {m.pk: (self.cleaned_data[f"present_{m.pk}"], self.cleaned_data[f"note_{m.pk}"]) for m in self.members}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=500)


class MinutesForm(forms.Form):
    minutes = forms.FileField(label=_("Biên bản cuộc họp"))


class ConclusionForm(forms.Form):
    text = forms.CharField(label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    as_task = forms.BooleanField(label=_("Giao thành nhiệm vụ để theo dõi"), required=False)
    owners = forms.ModelMultipleChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), required=False)
    owner_agencies = forms.CharField(label=_("Cơ quan chủ trì khác"), max_length=500, required=False)
    deadline_text = forms.CharField(
        label=_("Thời hạn"), max_length=100, required=False, help_text=_("Một ngày (dd/mm/yyyy) hoặc một kỳ như “quý III/2024”.")
    )
    follower = forms.ModelChoiceField(label=_("Thành viên BCĐ theo dõi"), queryset=CommitteeMember.objects.none(), required=False)

    def __init__(self, *args: Any, units: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = units  # type: ignore[attr-defined]
        self.fields["follower"].queryset = members  # type: ignore[attr-defined]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Tên cấp ủy, cơ quan"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại"), choices=Organisation.Kind.choices)
    unit = forms.ModelChoiceField(label=_("Địa bàn (nếu là cấp ủy huyện, xã)"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=SessionKind.choices)
    topic = forms.ChoiceField(label=_("Chủ đề"), choices=SessionTopic.choices)
    organisation = forms.ModelChoiceField(label=_("Cấp ủy, cơ quan tổ chức"), queryset=Organisation.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Hoặc đơn vị tổ chức"), queryset=Unit.objects.none(), required=False)
    title = forms.CharField(label=_("Tên hội nghị, lớp"), max_length=300)
    held_on = forms.DateField(label=_("Ngày tổ chức"), widget=DATE)
    participants = forms.IntegerField(label=_("Số người tham dự"), min_value=1)
    audience = forms.CharField(label=_("Thành phần tham dự"), max_length=300, required=False)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    document = forms.FileField(label=_("Tài liệu"), required=False)

    def __init__(self, *args: Any, units: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class MediaForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Loại tin, bài"), choices=MediaCoverage.Kind.choices)
    outlet = forms.CharField(label=_("Cơ quan báo chí, kênh"), max_length=200)
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    published_on = forms.DateField(label=_("Ngày đăng, phát"), widget=DATE)
    url = forms.URLField(label=_("Đường dẫn"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Ban chỉ đạo"), queryset=SteeringCommittee.objects.none())
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=100)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    adopted_on = forms.DateField(label=_("Ngày ban hành"), widget=DATE)
    scope = forms.CharField(label=_("Nội dung kiểm tra, giám sát"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    file = forms.FileField(label=_("Tệp kế hoạch"), required=False)

    def __init__(self, *args: Any, committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]


class VisitForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Đơn vị được kiểm tra"), queryset=Unit.objects.none())
    planned_on = forms.DateField(label=_("Ngày dự kiến"), widget=DATE)
    team = forms.CharField(label=_("Đoàn kiểm tra"), max_length=300, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = units  # type: ignore[attr-defined]


FINDING_ROWS = 3


class VisitResultForm(forms.Form):
    visited_on = forms.DateField(label=_("Ngày kiểm tra"), widget=DATE)
    summary = forms.CharField(label=_("Nhận xét chung"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    report = forms.FileField(label=_("Báo cáo kết quả"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(FINDING_ROWS):
            self.fields[f"finding_kind_{i}"] = forms.ChoiceField(label=_("Loại"), choices=InspectionFinding.Kind.choices)
            self.fields[f"finding_text_{i}"] = forms.CharField(
                label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}), max_length=3000, required=False
            )

    def finding_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"finding_kind_{i}"], self[f"finding_text_{i}"]) for i in range(FINDING_ROWS)]

    def findings(self) -> list[tuple[str, str]]:
        return [(self.cleaned_data[f"finding_kind_{i}"], self.cleaned_data[f"finding_text_{i}"]) for i in range(FINDING_ROWS)]


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    deadline_text = forms.CharField(
        label=_("Thời hạn khắc phục"), max_length=100, help_text=_("Một ngày (dd/mm/yyyy) hoặc một kỳ như “quý III/2024”.")
    )
    follower = forms.ModelChoiceField(label=_("Thành viên BCĐ theo dõi"), queryset=CommitteeMember.objects.none(), required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follower"].queryset = members  # type: ignore[attr-defined]
