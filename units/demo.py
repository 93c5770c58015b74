"""Demo data: the structure in force today and its history.

- the 2025 list (two tiers) for all 34 provinces under the national root: the new Bắc Ninh, which
  Bắc Giang joined on 1 July 2025, is the demo province; the others carry units only;
- the 2024 list (three tiers) of the two provinces the new Bắc Ninh was formed from (Bắc Giang, 24,
  and the old Bắc Ninh, 27), closed on 30/06/2025 and linked to their successors: the seed's 2023–2024
  records stay on these units;
- sample villages of five Bắc Giang communes on both lists: the 2024 villages closed and linked to the
  same villages under the new communes.

Idempotent: a second run only tops up what is missing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from units.importing import import_all_provinces, import_official_units, import_villages, link_2025_successors
from units.models import Unit, UnitKind
from units.structure import two_tier_from

SAMPLE_VILLAGES = Path(__file__).resolve().parent / "sample_data" / "thon_mau_bac_giang.csv"
# The 2024-list provinces the demo province was formed from (Bắc Giang, the old Bắc Ninh).
HISTORY_PROVINCES = ("24", "27")
DEMO_PROVINCE_CODE = "24"


def demo_province() -> Unit:
    """The demo province in the structure in force (the new Bắc Ninh, 2025 list)."""
    return Unit.objects.get(kind=UnitKind.PROVINCE, code=DEMO_PROVINCE_CODE, edition="2025")


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    for code in HISTORY_PROVINCES:
        if not Unit.objects.filter(kind=UnitKind.PROVINCE, code=code, edition="2024").exists():
            report = import_official_units(province_code=code, structure="2024", link=False)
            stdout.write(f"Đơn vị hành chính tỉnh {code} (danh mục 2024): {report.summary()}")
    if Unit.objects.filter(kind=UnitKind.PROVINCE, edition="2025").count() < 34:
        report = import_all_provinces(structure="2025")
        stdout.write(f"Đơn vị hành chính 34 tỉnh, thành phố (danh mục 2025): {report.summary()}")
    else:
        link_2025_successors()
    _villages(stdout)


def _villages(stdout: Any) -> None:
    if not SAMPLE_VILLAGES.exists():
        return
    content = SAMPLE_VILLAGES.read_bytes()
    if not Unit.objects.filter(kind=UnitKind.VILLAGE, edition="2024").exists():
        report = import_villages(content=content, filename=SAMPLE_VILLAGES.name, edition="2024")
        stdout.write(f"Thôn, tổ dân phố mẫu (2024): {report.summary()}")
    if Unit.objects.filter(kind=UnitKind.VILLAGE, edition="2025").exists():
        return
    # The villages stayed where they were; their commune changed. The same rows, with each
    # commune's code replaced by its successor's, load them under the new communes.
    successors = {
        u.code: u.successor.code
        for u in Unit.objects.filter(edition="2024", kind=UnitKind.COMMUNE, successor__isnull=False).select_related("successor")
        if u.successor is not None
    }
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(rows[0])
    for row in rows[1:]:
        if row and row[0] in successors:
            writer.writerow([successors[row[0]], *row[1:]])
    report = import_villages(content=out.getvalue().encode(), filename="thon_mau_2025.csv", edition="2025")
    stdout.write(f"Thôn, tổ dân phố mẫu (2025): {report.summary()}")
    last_day = two_tier_from() - dt.timedelta(days=1)
    new_villages = {
        (v.parent.code if v.parent else "", v.name): v
        for v in Unit.objects.filter(edition="2025", kind=UnitKind.VILLAGE).select_related("parent")
    }
    for old in Unit.objects.filter(edition="2024", kind=UnitKind.VILLAGE).select_related("parent"):
        new = new_villages.get((successors.get(old.parent.code if old.parent else "", ""), old.name))
        if new is not None:
            old.successor = new
            old.valid_to = last_day
            old.save()
            new.valid_from = two_tier_from()
            new.save()
