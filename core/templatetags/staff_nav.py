from typing import Any

from django import template
from django.urls import reverse

from core.navigation import entries_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_nav_items(context: dict[str, Any]) -> list[dict[str, Any]]:
    request = context["request"]
    items = []
    for entry in entries_for(request.user):
        url = reverse(entry.url_name)
        active = request.path == url or (url != reverse("accounts:home") and request.path.startswith(url))
        items.append({"label": entry.label, "url": url, "active": active})
    return items
