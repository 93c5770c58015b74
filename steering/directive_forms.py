"""Forms of the staff pages that record a directive and add its tasks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateField
from steering.models import Directive
from units.models import CommitteeMember, Unit


class DirectiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=Directive.Kind.choices)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=100, error_messages={"required": _("Hãy ghi số, ký hiệu văn bản.")})
    issued_on = DateField(label=_("Ngày ban hành"))
    unit = forms.ModelChoiceField(
        label=_("Đơn vị ban hành"), queryset=Unit.objects.none(), error_messages={"required": _("Chọn đơn vị ban hành.")}
    )
    issuer = forms.CharField(
        label=_("Người ký, cơ quan ban hành"), max_length=300, error_messages={"required": _("Hãy ghi người ký hoặc cơ quan ban hành.")}
    )
    title = forms.CharField(
        label=_("Trích yếu"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi trích yếu văn bản.")},
    )
    file = forms.FileField(label=_("Tệp văn bản"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class TaskForm(forms.Form):
    number = forms.IntegerField(label=_("Số thứ tự"), min_value=1, max_value=32767)
    title = forms.CharField(
        label=_("Nhiệm vụ"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("Hãy ghi nhiệm vụ.")}
    )
    owners = forms.ModelMultipleChoiceField(
        label=_("Đơn vị chủ trì"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ phím Ctrl (hoặc chạm trên điện thoại) để chọn nhiều đơn vị."),
    )
    owner_agencies = forms.CharField(label=_("Cơ quan chủ trì khác (ghi bằng chữ)"), max_length=500, required=False)
    deadline_text = forms.CharField(
        label=_("Thời hạn"),
        max_length=200,
        help_text=_("Ghi như trong văn bản: một ngày dd/mm/yyyy hoặc một kỳ như “quý I/2024”, “năm 2024”."),
        error_messages={"required": _("Hãy ghi thời hạn.")},
    )
    follower = forms.ModelChoiceField(label=_("Thành viên BCĐ theo dõi"), queryset=CommitteeMember.objects.none(), required=False)
    expected_output = forms.CharField(label=_("Sản phẩm dự kiến"), max_length=500, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], members: QuerySet[CommitteeMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners, follower = self.fields["owners"], self.fields["follower"]
        assert isinstance(owners, forms.ModelMultipleChoiceField) and isinstance(follower, forms.ModelChoiceField)
        owners.queryset = units
        follower.queryset = members
