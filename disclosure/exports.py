"""Files out: the quarterly register (Excel, and Word or PDF to post, in the state format of Decree
30/2020/ND-CP through core.state_documents), and the open-data CSV with its data dictionary."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core import state_documents as sd
from core.downloads import download
from disclosure import queries
from disclosure.models import Disclosure
from units.models import Unit

REGISTER_HEADER = [
    "STT",
    "Số hiệu trong sổ",
    "Nhóm",
    "Trích yếu",
    "Số, ký hiệu",
    "Ngày văn bản",
    "Cơ quan ban hành",
    "Hạn công khai",
    "Ngày công khai",
    "Hình thức",
    "Nơi niêm yết (từ – đến)",
    "Đúng hạn",
    "Có bằng chứng",
]


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def quarter_items(unit: Unit, year: int, quarter: int) -> list[Disclosure]:
    start, end = quarter_bounds(year, quarter)
    return list(
        queries.with_proof(
            Disclosure.objects.filter(unit=unit, disclosed_on__gte=start, disclosed_on__lte=end).order_by("disclosed_on", "reference")
        )
    )


def _row(n: int, d: Disclosure) -> list[str]:
    places = "; ".join(
        f"{p.place} ({p.started_on:%d/%m/%Y} – {p.ended_on:%d/%m/%Y})" if p.ended_on else f"{p.place} ({p.started_on:%d/%m/%Y} – nay)"
        for p in d.postings.all()
    )
    return [
        str(n),
        d.reference + (f" (đính chính {d.corrects.reference})" if d.corrects_id and d.corrects else ""),
        str(d.obligation.number),
        d.title,
        d.document_number,
        f"{d.document_date:%d/%m/%Y}",
        d.issuer,
        f"{d.due_on:%d/%m/%Y}",
        f"{d.disclosed_on:%d/%m/%Y}" if d.disclosed_on else "",
        ", ".join(d.form_labels),
        places,
        "Có" if d.on_time else "Không",
        "Có" if queries.proof_of(d).proven else "Chưa",
    ]


def register_xlsx(unit: Unit, year: int, quarter: int, head: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Quy {quarter}-{year}"
    sheet.append([f"SỔ THEO DÕI CÔNG KHAI THÔNG TIN – {unit.name.upper()} – QUÝ {quarter}/{year}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(REGISTER_HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, d in enumerate(quarter_items(unit, year, quarter), start=1):
        sheet.append(_row(n, d))
    sheet.append([])
    sheet.append([f"Mã kiểm tra sổ (mục cuối): {head}"])
    for column, width in zip("ABCDEFGHIJKLM", (5, 22, 6, 50, 16, 12, 24, 12, 12, 30, 40, 9, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


STATE_HEADER = ("STT", "Số hiệu", "Nhóm", "Trích yếu", "Ngày văn bản", "Hạn", "Ngày công khai", "Nơi niêm yết", "Đúng hạn", "Bằng chứng")
# Millimetres of the 165 mm A4 text width (core.state_documents).
STATE_WIDTHS = (9.0, 22.0, 9.0, 40.0, 15.0, 15.0, 15.0, 20.0, 10.0, 10.0)


def register_document(unit: Unit, year: int, quarter: int, head: str, *, day: dt.date) -> sd.StateDocument:
    """The quarterly register to post (Law 10/2022/QH15: the commune keeps and posts a register of
    what it disclosed), in the state format of Decree 30/2020/ND-CP (core.state_documents)."""
    rows = []
    for n, d in enumerate(quarter_items(unit, year, quarter), start=1):
        full = _row(n, d)
        rows.append(
            (full[0], full[1], full[2], f"{full[3]} ({full[4]}, {full[6]})", full[5], full[7], full[8], full[10], full[11], full[12])
        )
    return sd.StateDocument(
        heading=sd.Heading(issuing_body=("ỦY BAN NHÂN DÂN", unit.name.upper()), place_date=sd.date_line(unit.short_name or unit.name, day)),
        kind="SỔ THEO DÕI",
        summary=f"Công khai thông tin quý {quarter} năm {year}",
        paragraphs=() if rows else ("Trong quý không có văn bản nào được công khai.",),
        table=sd.DataTable(STATE_HEADER, tuple(rows), STATE_WIDTHS, frozenset({0, 2, 4, 5, 6, 8, 9})) if rows else None,
        closing=f"Tổng số: {len(rows)} văn bản. Mã kiểm tra sổ (mục cuối khi in): {head}./.",
    )


def register_docx(unit: Unit, year: int, quarter: int, head: str, *, day: dt.date) -> bytes:
    return sd.render_docx(register_document(unit, year, quarter, head, day=day))


def register_pdf(unit: Unit, year: int, quarter: int, head: str, *, day: dt.date) -> bytes:
    return sd.render_pdf(register_document(unit, year, quarter, head, day=day))


# --- Open data ----------------------------------------------------------------------------------
OPEN_DATA_COLUMNS: list[tuple[str, object]] = [
    ("so_hieu", _("Số hiệu của văn bản trong sổ công khai (CK-mã xã-năm-số thứ tự)")),
    ("ma_xa", _("Mã đơn vị hành chính của xã (mã thống kê)")),
    ("ten_xa", _("Tên xã, phường")),
    ("danh_muc", _("Năm của bảng danh mục đơn vị hành chính (2024, 2025)")),
    ("nhom", _("Nhóm nội dung phải công khai (1–14, Điều 11 Luật 10/2022/QH15)")),
    ("ten_nhom", _("Tên nhóm nội dung")),
    ("trich_yeu", _("Trích yếu văn bản")),
    ("so_ky_hieu", _("Số, ký hiệu văn bản")),
    ("ngay_van_ban", _("Ngày văn bản (YYYY-MM-DD)")),
    ("co_quan_ban_hanh", _("Cơ quan ban hành")),
    ("han_cong_khai", _("Hạn công khai tính theo ngày làm việc (YYYY-MM-DD)")),
    ("ngay_cong_khai", _("Ngày bắt đầu công khai (YYYY-MM-DD)")),
    ("dung_han", _("1 nếu công khai trước hoặc đúng hạn, 0 nếu trễ")),
    ("hinh_thuc", _("Các hình thức công khai, cách nhau bởi dấu |")),
    ("so_diem_niem_yet", _("Số nơi niêm yết (trụ sở, nhà văn hoá thôn)")),
    ("co_bang_chung", _("1 nếu việc niêm yết, phát loa có bằng chứng đủ theo quy định, 0 nếu chưa")),
    ("dinh_chinh_cho", _("Số hiệu văn bản được đính chính (nếu có)")),
    ("sha256_van_ban", _("Mã SHA-256 của tệp văn bản (để đối chiếu)")),
]


def open_data_rows(items: Iterable[Disclosure]) -> Iterable[list[str]]:
    for d in items:
        yield [
            d.reference,
            d.unit.code,
            d.unit.name,
            d.unit.edition,
            str(d.obligation.number),
            d.obligation.title,
            d.title,
            d.document_number,
            d.document_date.isoformat(),
            d.issuer,
            d.due_on.isoformat(),
            d.disclosed_on.isoformat() if d.disclosed_on else "",
            "1" if d.on_time else "0",
            "|".join(d.forms),
            str(len(d.postings.all())),
            "1" if queries.proof_of(d).proven else "0",
            d.corrects.reference if d.corrects_id and d.corrects else "",
            d.document_file.sha256 if d.document_file_id and d.document_file else "",
        ]


def _safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula is quoted."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def open_data_csv(items: QuerySet[Disclosure], *, filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _label in OPEN_DATA_COLUMNS])
    for row in open_data_rows(queries.with_proof(items)):
        writer.writerow([_safe(v) for v in row])
    return download("\ufeff" + out.getvalue(), filename)
