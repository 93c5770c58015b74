"""The staff area's navigation. Each app declares its entries in its manifest (`capability.py`, read
by core.capabilities), so the menu grows as capabilities land and never shows a page a user may not
open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    order: int
    visible: Callable[[Any], bool]
    # "auto": entries of one URL namespace share a drop-down titled by the first one; None: a
    # top-level link of its own; any other text: the title of the drop-down it joins.
    group: str | Promise | None = "auto"


_ENTRIES: list[NavEntry] = []


def register(
    label: str | Promise,
    url_name: str,
    *,
    order: int,
    visible: Callable[[Any], bool] = lambda user: True,
    group: str | Promise | None = "auto",
) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(label, url_name, order, visible, group))
    _ENTRIES.sort(key=lambda e: e.order)


def entries_for(user: Any) -> list[NavEntry]:
    return [e for e in _ENTRIES if e.visible(user)]


@dataclass
class NavGroup:
    """What the menu shows: one link, or a drop-down of several."""

    label: str | Promise
    entries: list[NavEntry]


def menu_for(user: Any) -> list[NavGroup]:
    groups: list[NavGroup] = []
    by_key: dict[str, NavGroup] = {}
    for entry in entries_for(user):
        if entry.group is None:
            groups.append(NavGroup(entry.label, [entry]))
            continue
        key = entry.url_name.split(":")[0] if entry.group == "auto" else f"group:{entry.group}"
        if key not in by_key:
            by_key[key] = NavGroup(entry.label if entry.group == "auto" else entry.group, [])
            groups.append(by_key[key])
        by_key[key].entries.append(entry)
    return groups
