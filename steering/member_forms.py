"""Forms of the members' pages: a guidance visit or urging of a locality."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateField
from steering.models import GuidanceKind
from units.models import CommitteeMember, Unit


class GuidanceForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none(), error_messages={"required": _("Chọn địa bàn.")})
    kind = forms.ChoiceField(label=_("Hình thức"), choices=GuidanceKind.choices)
    happened_on = DateField(label=_("Ngày"))
    content = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, error_messages={"required": _("Hãy ghi nội dung.")}
    )
    file = forms.FileField(label=_("Tệp kèm theo (biên bản, văn bản đôn đốc)"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class UrgingForm(GuidanceForm):
    """An urging about a task: which member urges (the task's followers the user records for)."""

    member = forms.ModelChoiceField(
        label=_("Thành viên BCĐ đôn đốc"), queryset=CommitteeMember.objects.none(), error_messages={"required": _("Chọn thành viên.")}
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], members: QuerySet[CommitteeMember], **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        del self.fields["kind"]
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members
        self.order_fields(["member", "unit", "happened_on", "content", "file"])
