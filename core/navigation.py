"""The staff area's navigation. Each app registers its entries in its AppConfig.ready(), so the
menu grows as capabilities land and never shows a page a user may not open."""

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


_ENTRIES: list[NavEntry] = []


def register(label: str | Promise, url_name: str, *, order: int, visible: Callable[[Any], bool] = lambda user: True) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(label, url_name, order, visible))
    _ENTRIES.sort(key=lambda e: e.order)


def entries_for(user: Any) -> list[NavEntry]:
    return [e for e in _ENTRIES if e.visible(user)]
