"""Who may manage the steering committees. Roles belong to `accounts`, which `units` does not
import: the check reaches them through `core.staff_access`."""

from __future__ import annotations

from typing import Any

from core.staff_access import administers_unit
from units.models import Unit


def can_manage_committees(user: Any, unit: Unit) -> bool:
    # Notice, task 6 and the standing office's remit: the province's standing office keeps the
    # steering committees of every level up to date.
    return administers_unit(user, unit)
