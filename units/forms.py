from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import model_choice_field
from units.models import CommitteeMember, SteeringCommittee, Unit, UnitKind


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, **kwargs)


class CommitteeForm(forms.ModelForm):  # type: ignore[type-arg]  # ModelForm[Model] is not subscriptable at runtime
    class Meta:
        model = SteeringCommittee
        fields = ["kind", "parent", "name", "decision_ref", "established_on", "is_active"]
        widgets = {"established_on": DateInput()}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = SteeringCommittee.objects.filter(unit=unit, kind=SteeringCommittee.Kind.COMMITTEE)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        parent = model_choice_field(self, "parent")
        parent.queryset = qs
        parent.required = False


class MemberForm(forms.ModelForm):  # type: ignore[type-arg]  # ModelForm[Model] is not subscriptable at runtime
    followed_units = forms.ModelMultipleChoiceField(
        label=_("Địa bàn theo dõi, phụ trách"), queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    class Meta:
        model = CommitteeMember
        fields = ["full_name", "job_title", "position", "email", "phone", "since", "until"]
        widgets = {"since": DateInput(), "until": DateInput()}

    def __init__(self, *args: Any, committee: SteeringCommittee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [UnitKind.DISTRICT, UnitKind.COMMUNE]
        followed_units = model_choice_field(self, "followed_units")
        followed_units.queryset = (
            Unit.objects.filter(path__startswith=committee.unit.path, kind__in=kinds).exclude(pk=committee.unit_id).order_by("path")
        )
        # Django's per-field hook for option labels: indent each unit under its parent.
        followed_units.label_from_instance = lambda obj: ("— " * max(obj.depth - committee.unit.depth - 1, 0)) + obj.name  # type: ignore[method-assign]
        if self.instance.pk:
            self.initial["followed_units"] = list(self.instance.followed_units.values_list("pk", flat=True))
