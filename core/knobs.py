"""Knobs an app reads from settings when it uses them, never copied at import: each app's
`conf.py` names which of its values are environment settings (defined in grassroots/settings.py and
listed in the README table), so a test overrides them with the `settings` fixture and a change to
the environment needs no code. Values the province edits at run time are database rows instead."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings


def read_from_settings(module: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level `__getattr__` (PEP 562) for `module`: `conf.NAME` reads `settings.<names[NAME]>`
    each time it is used."""

    def __getattr__(name: str) -> Any:
        if name in names:
            return getattr(settings, names[name])
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
