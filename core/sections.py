"""Named slots that capabilities fill without editing each other's templates: a commune's public
page, the public home page and the staff home page each render whatever sections the installed
apps declared (in their manifests, `capability.py`), in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Slots in use: "portal.home", "portal.unit" (context: unit), "staff.home" (context: user).
SLOTS = ("portal.home", "portal.unit", "staff.home")


@dataclass(frozen=True)
class Section:
    slot: str
    template: str
    order: int
    context: Callable[..., dict[str, Any] | None]


_SECTIONS: dict[str, list[Section]] = {slot: [] for slot in SLOTS}


def register(slot: str, template: str, *, order: int, context: Callable[..., dict[str, Any] | None]) -> None:
    """`context(request=..., **slot_kwargs)` returns the section's template context, or None to
    leave the section out (for instance when the user may not see it)."""
    if slot not in _SECTIONS:
        raise ValueError(f"unknown slot {slot!r}")
    if any(s.template == template for s in _SECTIONS[slot]):
        return
    _SECTIONS[slot].append(Section(slot, template, order, context))
    _SECTIONS[slot].sort(key=lambda s: s.order)


def sections(slot: str) -> list[Section]:
    return list(_SECTIONS[slot])
