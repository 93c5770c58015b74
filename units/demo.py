"""Demo data: Bắc Giang's real units (the 2024 list) and sample villages; with the `with_2025`
option, once every capability's demo has loaded, the two-level structure from 1 July 2025 too.
Idempotent: a second run only tops up what is missing."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.management import call_command

from units.importing import import_villages
from units.models import Unit, UnitKind

SAMPLE_VILLAGES = Path(__file__).resolve().parent / "sample_data" / "thon_mau_bac_giang.csv"


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    if not Unit.objects.filter(kind=UnitKind.PROVINCE, code="24", edition="2024").exists():
        call_command("import_units", province="24", structure="2024", stdout=stdout)
    if SAMPLE_VILLAGES.exists() and not Unit.objects.filter(kind=UnitKind.VILLAGE, edition="2024").exists():
        report = import_villages(content=SAMPLE_VILLAGES.read_bytes(), filename=SAMPLE_VILLAGES.name, edition="2024")
        stdout.write(f"Thôn, tổ dân phố mẫu: {report.summary()}")


def finish(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    if (options or {}).get("with_2025"):
        call_command("import_units", province="24", structure="2025", stdout=stdout)
