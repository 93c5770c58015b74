"""Keep what the user typed when a form comes back with errors."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def posted_or(posted: Any, prefix: str, pk: int, saved: Any) -> Any:
    if posted is not None:
        return posted.get(f"{prefix}{pk}", "")
    return "" if saved is None else saved
