from typing import Any

from django import template
from django.urls import reverse

from core.navigation import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_nav_items(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The staff menu: each item a link, or a drop-down (`children`) when its group has several."""
    request = context["request"]
    home = reverse("accounts:home")

    def link(entry: Any) -> dict[str, Any]:
        url = reverse(entry.url_name)
        active = request.path == url or (url != home and request.path.startswith(url))
        return {"label": entry.label, "url": url, "active": active}

    items = []
    for group in menu_for(request.user):
        links = [link(e) for e in group.entries]
        if len(links) == 1:
            items.append(links[0])
        else:
            items.append({"label": group.label, "children": links, "active": any(c["active"] for c in links), "key": f"nav-{len(items)}"})
    return items
