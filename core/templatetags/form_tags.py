"""`{{ field|widget }}`: render a form field's widget with Bootstrap classes and ARIA attributes,
set once here instead of in every form."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def widget(field: forms.BoundField) -> SafeString:
    w = field.field.widget
    if isinstance(w, forms.Select | forms.SelectMultiple):
        css = "form-select"
    elif isinstance(w, forms.CheckboxInput):
        css = "form-check-input"
    else:
        css = "form-control"
    css_class = f"{w.attrs.get('class', '')} {css}".strip() + (" is-invalid" if field.errors else "")
    attrs: dict[str, str | bool] = {"class": css_class}
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-help")
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.id_for_label}-err")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required:
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)
