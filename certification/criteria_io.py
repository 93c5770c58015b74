"""Criteria sets to and from Excel (officials draft them in Excel) and the shipped sample set.

The workbook has three sheets: "Thông tin" (key/value rows), "Tiêu chí" (one row per criterion,
group columns repeated) and "Mức sao". Parsing reports every bad row by its sheet and number."""

from __future__ import annotations

import io
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from certification.models import CriterionKind
from certification.services import CriterionSpec, GroupSpec, SetSpec

SAMPLE_FILE = Path(__file__).parent / "sample_data" / "bo-tieu-chi-mau.json"

INFO_SHEET, CRITERIA_SHEET, BANDS_SHEET = "Thông tin", "Tiêu chí", "Mức sao"
INFO_KEYS = {"Mã bộ tiêu chí": "family", "Tên": "name", "Điểm đạt chuẩn": "pass_mark", "Mô tả": "description", "Bộ mẫu": "is_sample"}
CRITERIA_HEADER = [
    "Mã nhóm",
    "Tên nhóm",
    "Mã tiêu chí",
    "Nội dung",
    "Điểm tối đa",
    "Điểm liệt",
    "Tài liệu kiểm chứng",
    "Loại",
    "Mã số liệu",
    "Mức số liệu đạt tối đa",
]
KIND_LABELS = {"Chấm điểm": CriterionKind.SCORED, "Có/Không": CriterionKind.YES_NO, "Số liệu hệ thống": CriterionKind.COMPUTED}
KIND_NAMES = {v: k for k, v in KIND_LABELS.items()}


def load_sample_spec() -> SetSpec:
    """The shipped "Bộ tiêu chí mẫu" (a sample the province replaces)."""
    data = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    return SetSpec(
        family=data["family"],
        name=data["name"],
        description=data["description"],
        is_sample=data["is_sample"],
        pass_mark=Decimal(data["pass_mark"]),
        bands=[(int(s), Decimal(m)) for s, m in data["bands"]],
        groups=[
            GroupSpec(
                g["code"],
                g["name"],
                [
                    CriterionSpec(
                        code=c["code"],
                        text=c["text"],
                        max_points=Decimal(c["max_points"]),
                        mandatory_min=Decimal(c["mandatory_min"]) if c.get("mandatory_min") else None,
                        evidence_expected=c.get("evidence_expected", ""),
                        kind=c.get("kind", CriterionKind.SCORED),
                        metric_key=c.get("metric_key", ""),
                        metric_full_value=Decimal(c["metric_full_value"]) if c.get("metric_full_value") else None,
                    )
                    for c in g["criteria"]
                ],
            )
            for g in data["groups"]
        ],
    )


def export_workbook(spec: SetSpec) -> bytes:
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    values = {
        "family": spec.family,
        "name": spec.name,
        "pass_mark": float(spec.pass_mark),
        "description": spec.description,
        "is_sample": "Có" if spec.is_sample else "Không",
    }
    for label, key in INFO_KEYS.items():
        info.append([label, values[key]])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 80
    sheet = wb.create_sheet(CRITERIA_SHEET)
    sheet.append(CRITERIA_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for g in spec.groups:
        for c in g.criteria:
            sheet.append(
                [
                    g.code,
                    g.name,
                    c.code,
                    c.text,
                    float(c.max_points),
                    float(c.mandatory_min) if c.mandatory_min is not None else None,
                    c.evidence_expected,
                    KIND_NAMES[CriterionKind(c.kind)],
                    c.metric_key or None,
                    float(c.metric_full_value) if c.metric_full_value is not None else None,
                ]
            )
    for col, width in zip("ABCDEFGHIJ", (8, 40, 10, 70, 10, 10, 40, 16, 24, 12), strict=True):
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    bands = wb.create_sheet(BANDS_SHEET)
    bands.append(["Số sao", "Tổng điểm tối thiểu"])
    for stars, minimum in spec.bands:
        bands.append([stars, float(minimum)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _decimal(raw: Any, *, required: bool) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise ValueError(_("thiếu giá trị"))
        return None
    try:
        return Decimal(str(raw).replace(",", ".").strip())
    except InvalidOperation as exc:
        raise ValueError(_("“%(raw)s” không phải là số") % {"raw": raw}) from exc


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


def parse_workbook(fileobj: IO[bytes]) -> SetSpec:
    """Read a workbook into a spec; ValidationError lists every problem with its sheet and row."""
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")) from exc
    errors: list[str] = []
    for name in (INFO_SHEET, CRITERIA_SHEET, BANDS_SHEET):
        if name not in wb.sheetnames:
            errors.append(_("Thiếu trang tính “%(name)s”.") % {"name": name})
    if errors:
        raise ValidationError(errors)
    info: dict[str, Any] = {}
    for row in wb[INFO_SHEET].iter_rows(values_only=True):
        if row and _text(row[0]) in INFO_KEYS:
            info[INFO_KEYS[_text(row[0])]] = row[1] if len(row) > 1 else None
    name = _text(info.get("name"))
    if not name:
        errors.append(_("Trang “%(sheet)s”: thiếu Tên bộ tiêu chí.") % {"sheet": INFO_SHEET})
    family = slugify(_text(info.get("family")) or name)[:60]
    pass_mark = Decimal("0")
    try:
        pass_mark = _decimal(info.get("pass_mark"), required=True) or Decimal("0")
    except ValueError as exc:
        errors.append(_("Trang “%(sheet)s”, Điểm đạt chuẩn: %(err)s.") % {"sheet": INFO_SHEET, "err": exc})

    groups: dict[str, GroupSpec] = {}
    rows = list(wb[CRITERIA_SHEET].iter_rows(values_only=True))
    header = [_text(v) for v in (rows[0] if rows else [])]
    if header[: len(CRITERIA_HEADER)] != CRITERIA_HEADER:
        errors.append(
            _("Trang “%(sheet)s”: dòng tiêu đề phải là: %(cols)s.") % {"sheet": CRITERIA_SHEET, "cols": ", ".join(CRITERIA_HEADER)}
        )
        rows = []
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (len(CRITERIA_HEADER) - len(row))
        if not any(_text(v) for v in cells):
            continue
        g_code, g_name, code, text = (_text(v) for v in cells[:4])
        problems = []
        if not g_code or not code or not text:
            problems.append(_("thiếu mã nhóm, mã tiêu chí hoặc nội dung"))
        try:
            max_points = _decimal(cells[4], required=True)
            mandatory = _decimal(cells[5], required=False)
            full = _decimal(cells[9], required=False)
        except ValueError as exc:
            problems.append(str(exc))
            max_points = mandatory = full = None
        kind_label = _text(cells[7]) or "Chấm điểm"
        kind = KIND_LABELS.get(kind_label)
        if kind is None:
            problems.append(_("loại “%(kind)s” không hợp lệ (Chấm điểm, Có/Không, Số liệu hệ thống)") % {"kind": kind_label})
        if max_points is not None and max_points <= 0:
            problems.append(_("điểm tối đa phải lớn hơn 0"))
        if max_points is not None and mandatory is not None and not (0 <= mandatory <= max_points):
            problems.append(_("điểm liệt phải nằm trong 0..điểm tối đa"))
        if kind == CriterionKind.COMPUTED and (not _text(cells[8]) or full is None):
            problems.append(_("tiêu chí số liệu cần mã số liệu và mức đạt tối đa"))
        if problems:
            errors.append(_("Trang “%(sheet)s”, dòng %(n)s: %(p)s.") % {"sheet": CRITERIA_SHEET, "n": number, "p": "; ".join(problems)})
            continue
        assert max_points is not None and kind is not None
        group = groups.setdefault(g_code, GroupSpec(g_code, g_name or g_code))
        group.criteria.append(CriterionSpec(code, text, max_points, mandatory, _text(cells[6]), kind, _text(cells[8]), full))

    bands: list[tuple[int, Decimal]] = []
    for number, row in enumerate(list(wb[BANDS_SHEET].iter_rows(values_only=True))[1:], start=2):
        if not row or not any(_text(v) for v in row):
            continue
        try:
            stars = int(str(row[0]).strip())
            minimum = _decimal(row[1] if len(row) > 1 else None, required=True)
            if stars < 1:
                raise ValueError(_("số sao phải từ 1"))
        except ValueError as exc:
            errors.append(_("Trang “%(sheet)s”, dòng %(n)s: %(p)s.") % {"sheet": BANDS_SHEET, "n": number, "p": exc})
            continue
        assert minimum is not None
        bands.append((stars, minimum))
    if errors:
        raise ValidationError(errors)
    return SetSpec(
        family=family,
        name=name,
        pass_mark=pass_mark,
        description=_text(info.get("description")),
        is_sample=_text(info.get("is_sample")).lower() in {"có", "co", "x", "1", "true"},
        bands=bands,
        groups=list(groups.values()),
    )
