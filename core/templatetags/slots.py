from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.sections import sections

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context: dict[str, Any], name: str, **kwargs: Any) -> SafeString:
    """Render every section registered for slot `name`: {% slot "portal.unit" unit=unit %}."""
    request = context.get("request")
    parts = []
    for section in sections(name):
        extra = section.context(request=request, **kwargs)
        if extra is None:
            continue
        parts.append(render_to_string(section.template, {**kwargs, **extra}, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is an auto-escaped template render
