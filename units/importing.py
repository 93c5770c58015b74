"""Loading administrative units: the official code lists from the `vietnamadminunits` dataset
(pre-2025 three levels, the 2025 two levels and the old → new mapping), and villages from a
spreadsheet. Every import is idempotent: running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.tables import cell_text, data_rows, find_columns, read_table
from core.text import search_key
from units.models import Unit, UnitKind
from units.structure import two_tier_from

STRUCTURES = ("2024", "2025")
# The national root above every province of every code list: one deployment can serve several
# provinces (a ministry, a merged province), and a role at the root covers them all.
NATION_CODE = "VN"
NATION_EDITION = "national"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0
    closed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return _("%(c)d tạo mới, %(u)d cập nhật, %(n)d không đổi, %(l)d liên kết kế thừa, %(k)d hết hiệu lực, %(e)d lỗi") % {
            "c": self.created,
            "u": self.updated,
            "n": self.unchanged,
            "l": self.linked,
            "k": self.closed,
            "e": len(self.errors),
        }


def _dataset(sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    import sqlite3

    import vietnamadminunits

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params).fetchall()]


def _mapping_2025() -> dict[str, Any]:
    import vietnamadminunits

    path = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    with path.open(encoding="utf-8") as fh:
        mapping: dict[str, Any] = json.load(fh)
    return mapping


def _tidy_type(type_name: str) -> str:
    return (type_name or "").strip().capitalize()


def _tidy_name(name: str, type_name: str) -> str:
    name = " ".join((name or "").split())
    tidy = _tidy_type(type_name)
    if tidy and name.lower().startswith(tidy.lower()):
        name = tidy + name[len(tidy) :]
    return name


def _upsert(report: ImportReport, *, edition: str, code: str, values: dict[str, Any]) -> Unit:
    unit = Unit.objects.filter(edition=edition, code=code).first()
    if unit is None:
        unit = Unit(edition=edition, code=code, **values)
        unit.save()
        report.created += 1
        return unit
    _update(report, unit, values)
    return unit


def _update(report: ImportReport, unit: Unit, values: dict[str, Any]) -> None:
    """Save the fields of `unit` that differ from `values`, and count it as updated or unchanged."""
    changed = [k for k, v in values.items() if getattr(unit, k) != v]
    if changed:
        for k in changed:
            setattr(unit, k, values[k])
        unit.save()
        report.updated += 1
    else:
        report.unchanged += 1


def national_root() -> Unit:
    """The root above every province (created on first use)."""
    root = Unit.objects.filter(edition=NATION_EDITION, code=NATION_CODE).first()
    if root is None:
        root = Unit(edition=NATION_EDITION, code=NATION_CODE, name="Cả nước", short_name="Việt Nam", kind=UnitKind.NATION)
        root.save()
    return root


def province_codes(structure: str) -> list[str]:
    """Every province code in the official list of `structure` (63 in 2024, 34 in 2025)."""
    sql = {
        "2024": "SELECT DISTINCT provinceCode FROM admin_units_legacy ORDER BY provinceCode",
        "2025": "SELECT DISTINCT provinceCode FROM admin_units ORDER BY provinceCode",
    }[structure]
    return [r["provinceCode"] for r in _dataset(sql, ())]


def _upsert_many(report: ImportReport, *, edition: str, items: list[tuple[str, dict[str, Any]]]) -> None:
    """`_upsert` for many units at once: changed ones are saved one by one, new ones inserted together."""
    existing = {u.code: u for u in Unit.objects.filter(edition=edition, code__in=[code for code, _values in items])}
    fresh: list[Unit] = []
    for code, values in items:
        unit = existing.get(code)
        if unit is None:
            fresh.append(Unit(edition=edition, code=code, **values))
        else:
            _update(report, unit, values)
    if fresh:
        Unit.insert_many(fresh)
        report.created += len(fresh)


@transaction.atomic
def import_official_units(*, province_code: str, structure: str, link: bool = True) -> ImportReport:
    """Load one province from the official code list of `structure` ("2024": province → district →
    commune; "2025": province → commune) under the national root, then (unless `link` is False, for
    a caller that loads several provinces and links once) link predecessors to successors where
    both exist."""
    if structure not in STRUCTURES:
        raise ValueError(_("Cấu trúc không hợp lệ: %(s)s (chỉ nhận 2024 hoặc 2025).") % {"s": structure})
    report = ImportReport()
    if structure == "2024":
        rows = _dataset("SELECT * FROM admin_units_legacy WHERE provinceCode = ? ORDER BY districtCode, wardCode", (province_code,))
    else:
        rows = _dataset("SELECT * FROM admin_units WHERE provinceCode = ? ORDER BY wardCode", (province_code,))
    if not rows:
        raise ValueError(_("Không tìm thấy tỉnh có mã %(code)s trong danh mục %(s)s.") % {"code": province_code, "s": structure})
    first = rows[0]
    province = _upsert(
        report,
        edition=structure,
        code=province_code,
        values={
            "name": first["province"],
            "short_name": first["provinceShort"],
            # Stored data, like the names: the official Vietnamese type, whatever language is active.
            "type_name": "Tỉnh" if first["province"].startswith("Tỉnh") else "Thành phố",
            "kind": UnitKind.PROVINCE,
            "parent": national_root(),
            "latitude": first["provinceLat"],
            "longitude": first["provinceLon"],
            "valid_from": two_tier_from() if structure == "2025" else None,
        },
    )
    districts: dict[str, Unit] = {}
    wards: list[tuple[str, dict[str, Any]]] = []
    for row in rows:
        parent = province
        if structure == "2024":
            dcode = row["districtCode"]
            if dcode not in districts:
                districts[dcode] = _upsert(
                    report,
                    edition=structure,
                    code=dcode,
                    values={
                        "name": _tidy_name(row["district"], row["districtType"]),
                        "short_name": row["districtShort"],
                        "type_name": _tidy_type(row["districtType"]),
                        "kind": UnitKind.DISTRICT,
                        "parent": province,
                        "latitude": row["districtLat"],
                        "longitude": row["districtLon"],
                        "valid_from": None,
                    },
                )
            parent = districts[dcode]
        if not row.get("wardCode"):
            continue
        wards.append(
            (
                row["wardCode"],
                {
                    "name": _tidy_name(row["ward"], row["wardType"]),
                    "short_name": row["wardShort"],
                    "type_name": _tidy_type(row["wardType"]),
                    "kind": UnitKind.COMMUNE,
                    "parent": parent,
                    "latitude": row["wardLat"],
                    "longitude": row["wardLon"],
                    "valid_from": two_tier_from() if structure == "2025" else None,
                },
            )
        )
    _upsert_many(report, edition=structure, items=wards)
    if link:
        report.linked, report.closed = link_2025_successors()
    return report


def import_all_provinces(*, structure: str) -> ImportReport:
    """Every province of `structure`'s list, then the successor links once."""
    total = ImportReport()
    for code in province_codes(structure):
        one = import_official_units(province_code=code, structure=structure, link=False)
        total.created += one.created
        total.updated += one.updated
        total.unchanged += one.unchanged
    with transaction.atomic():
        total.linked, total.closed = link_2025_successors()
    return total


def link_2025_successors() -> tuple[int, int]:
    """Point every 2024-list unit that has a 2025 successor in the database at it, and close its
    validity on 30 Jun 2025; close the abolished districts too. Returns how many links were made
    or changed, and how many districts were closed."""
    mapping = _mapping_2025()
    new_provinces = {search_key(u.name).replace(" ", ""): u for u in Unit.objects.filter(edition="2025", kind=UnitKind.PROVINCE)}
    if not new_provinces:
        return 0, 0
    legacy_rows = _dataset("SELECT provinceKey, districtKey, wardKey, provinceCode, districtCode, wardCode FROM admin_units_legacy", ())
    old_key_to_code = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": r["wardCode"] for r in legacy_rows}
    old_province_key_to_code = {r["provinceKey"]: r["provinceCode"] for r in legacy_rows}
    new_rows = _dataset("SELECT provinceKey, wardKey, wardCode, provinceCode FROM admin_units", ())
    new_code = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in new_rows}
    last_day = two_tier_from() - dt.timedelta(days=1)
    changes = closed = 0
    old_units = {u.code: u for u in Unit.objects.filter(edition="2024", kind=UnitKind.COMMUNE)}

    def link(old: Unit, new: Unit) -> None:
        nonlocal changes
        if old.successor_id != new.pk or old.valid_to != last_day:
            old.successor = new
            old.valid_to = last_day
            old.save()
            changes += 1

    for new_province_key, new_province in new_provinces.items():
        for old_province_key in mapping["DICT_PROVINCE"].get(new_province_key, []):
            old_code = old_province_key_to_code.get(old_province_key)
            old_province = Unit.objects.filter(edition="2024", kind=UnitKind.PROVINCE, code=old_code).first()
            if old_province:
                link(old_province, new_province)
                # Districts are abolished, not merged: they close with the old structure.
                for district in Unit.objects.filter(edition="2024", kind=UnitKind.DISTRICT, parent=old_province, valid_to__isnull=True):
                    district.valid_to = last_day
                    district.save()
                    closed += 1
        wards = mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_province_key, {})
        new_by_code = {u.code: u for u in Unit.objects.filter(edition="2025", kind=UnitKind.COMMUNE, path__startswith=new_province.path)}
        for new_ward_key, old_keys in wards.items():
            new_unit = new_by_code.get(new_code.get((new_province_key, new_ward_key), ""))
            if new_unit is None:
                continue
            for old_key in old_keys:
                old_unit = old_units.get(old_key_to_code.get(old_key, ""))
                if old_unit is not None:
                    link(old_unit, new_unit)
        for old_key, splits in mapping["DICT_PROVINCE_WARD_DIVIDED"].get(new_province_key, {}).items():
            default = next((s for s in splits if s.get("isDefaultNewWard")), None)
            old_unit = old_units.get(old_key_to_code.get(old_key, ""))
            if default and old_unit is not None:
                new_unit = new_by_code.get(new_code.get((new_province_key, default["newWardKey"]), ""))
                if new_unit is not None:
                    link(old_unit, new_unit)
    return changes, closed


# --- Villages ---------------------------------------------------------------------------------

VILLAGE_COLUMNS = {
    "ma_xa": ("mã xã", "ma xa", "ma_xa", "commune_code"),
    "ten": ("tên thôn", "ten thon", "ten", "tên", "name"),
    "loai": ("loại", "loai", "type"),
    "ma_thon": ("mã thôn", "ma thon", "ma_thon", "code"),
    "so_ho": ("số hộ", "so ho", "so_ho", "households"),
}
VILLAGE_TYPES = ("Thôn", "Tổ dân phố", "Bản", "Ấp", "Khu phố", "Làng", "Xóm", "Khối")
CODE_MAX_LENGTH = Unit._meta.get_field("code").max_length or 20
# The household column holds a PositiveIntegerField; PostgreSQL's integer stops here.
HOUSEHOLDS_MAX = 2_147_483_647


def _households(value: Any) -> int | None:
    """A household count from a cell: an Excel number, or text with "." or "," as thousands
    separators ("1.204"). None for an empty cell or anything that is not a whole number ≥ 0."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value) or value != int(value):
            return None
        number = int(value)
    else:
        text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
        if not text.isascii() or not text.isdigit():
            return None
        number = int(text)
    return number if 0 <= number <= HOUSEHOLDS_MAX else None


def _village_code(commune: Unit, name: str) -> str:
    """A stable code for a village listed without one: the commune's code and the name's search
    key, hashed when that would not fit the code column."""
    slug = search_key(name).replace(" ", "-")
    code = f"{commune.code}.{slug}"
    if len(code) > CODE_MAX_LENGTH:
        code = f"{commune.code}.{hashlib.sha256(slug.encode()).hexdigest()[:10]}"
    return code


def import_villages(*, content: bytes, filename: str, edition: str) -> ImportReport:
    """Load villages and residential groups (thôn, tổ dân phố) with household counts from a CSV or
    Excel file with the columns: mã xã, tên thôn, loại, mã thôn (optional), số hộ (optional).

    Rows are checked first; with any bad row nothing is written and every error is listed with its
    row number."""
    report = ImportReport()
    table = read_table(content, filename)
    columns = find_columns(table, VILLAGE_COLUMNS, required=("ma_xa", "ten"))
    communes = {u.code: u for u in Unit.objects.filter(edition=edition, kind=UnitKind.COMMUNE)}
    planned: list[tuple[int, dict[str, Any], str]] = []
    seen: set[str] = set()

    def cell(row: list[Any], key: str) -> str:
        return cell_text(row, columns, key)

    for number, row in data_rows(table):
        commune_code = cell(row, "ma_xa")
        if commune_code.isdigit():
            commune_code = commune_code.zfill(5)
        name = " ".join(cell(row, "ten").split())
        commune = communes.get(commune_code)
        if commune is None:
            report.errors.append((number, _("Mã xã “%(c)s” không có trong danh mục %(e)s.") % {"c": commune_code, "e": edition}))
            continue
        if not name:
            report.errors.append((number, _("Thiếu tên thôn, tổ dân phố.")))
            continue
        type_name = cell(row, "loai") or next((t for t in VILLAGE_TYPES if name.lower().startswith(t.lower())), "Thôn")
        idx = columns.get("so_ho")
        households = _households(row[idx] if idx is not None and idx < len(row) else None)
        if households is None and cell(row, "so_ho"):
            report.errors.append((number, _("Số hộ “%(v)s” phải là số nguyên không âm.") % {"v": cell(row, "so_ho")}))
            continue
        code = cell(row, "ma_thon") or _village_code(commune, name)
        if len(code) > CODE_MAX_LENGTH:
            report.errors.append((number, _("Mã thôn “%(c)s” dài quá %(n)d ký tự.") % {"c": code, "n": CODE_MAX_LENGTH}))
            continue
        if code in seen:
            report.errors.append((number, _("Thôn “%(n)s” (mã %(c)s) bị lặp trong tệp.") % {"n": name, "c": code}))
            continue
        seen.add(code)
        values: dict[str, Any] = {
            "name": name,
            "short_name": name,
            "type_name": type_name,
            "kind": UnitKind.VILLAGE,
            "parent": commune,
            "households": households,
        }
        planned.append((number, values, code))
    # A code already in the list must be this commune's own village: a village code that is a
    # commune's code, or a village of another commune, would otherwise be silently taken over.
    existing = {u.code: u for u in Unit.objects.filter(edition=edition, code__in=[c for _n, _v, c in planned]).select_related("parent")}
    for number, values, code in planned:
        other = existing.get(code)
        if other is not None and (other.kind != UnitKind.VILLAGE or other.parent_id != values["parent"].pk):
            where = f"{other.name} ({other.parent.name})" if other.parent else other.name
            report.errors.append((number, _("Mã “%(c)s” đã dùng cho %(w)s; hãy dùng mã khác.") % {"c": code, "w": where}))
    report.errors.sort()
    if report.errors:
        return report
    with transaction.atomic():
        for _number, values, code in planned:
            _upsert(report, edition=edition, code=code, values=values)
    return report
