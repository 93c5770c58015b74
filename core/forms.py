"""What every form page needs from a service's refusal: its ValidationError shown on the fields it
names, or above the form, so what the user typed is kept and the message is the service's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.text import parse_yes_no


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's (multiple) model choice field `name`, typed, to narrow its queryset to what the
    acting user may pick."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, typed, to set its choices when the form is built."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


class _RawCheckbox(forms.CheckboxInput):
    # Django's checkbox turns any value but "false" into True before the field sees it.
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class YesNoField(forms.BooleanField):
    """A checkbox that also takes the usual spellings of yes and no (core.text.parse_yes_no) and
    refuses anything else instead of reading it as yes, as Django's BooleanField does."""

    widget = _RawCheckbox

    default_error_messages = {"invalid": _("Giá trị “%(value)s” không hợp lệ: dùng có/không (true/false).")}

    def to_python(self, value: object) -> bool:
        parsed = parse_yes_no(value)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": str(value)[:20]})
        return parsed
