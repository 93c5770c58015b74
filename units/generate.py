"""The national-scale data set's units (core.generation): the 2025 list's 34 provinces and 3,321
communes, and the 2024 list they were formed from (the history a period before 1 July 2025 reads),
imported from the official lists when the database does not hold them yet. The scale factor does
not apply: every commune is there at any scale."""

from __future__ import annotations

from typing import Any

from units.importing import import_all_provinces
from units.models import Unit, UnitKind


def run(*, plan: Any) -> None:
    for structure in ("2025", "2024"):
        held = Unit.objects.filter(edition=structure, kind=UnitKind.COMMUNE).count()
        if held:
            plan.say(f"units: danh mục {structure} đã có ({held} xã), giữ nguyên.")
            continue
        report = import_all_provinces(structure=structure)
        plan.say(f"units: danh mục {structure}: {report.summary()}")
