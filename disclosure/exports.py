"""Files out: the quarterly register (Excel, and Word to post: national title, motto, the commune
People's Committee as issuer, Times New Roman as Decree 30/2020/ND-CP prescribes — a plain document
built here, not a shared state-format module), and the open-data CSV with its data dictionary."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.downloads import download
from disclosure import queries
from disclosure.models import Disclosure
from units.models import Unit

QUOC_HIEU = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
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


def register_docx(unit: Unit, year: int, quarter: int, head: str) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run(f"UBND {unit.name}".upper()).bold = True
    right.paragraphs[0].add_run(QUOC_HIEU).bold = True
    right.add_paragraph().add_run(TIEU_NGU).bold = True
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"SỔ THEO DÕI CÔNG KHAI THÔNG TIN QUÝ {quarter} NĂM {year}")
    run.bold = True
    run.font.size = Pt(14)
    items = quarter_items(unit, year, quarter)
    table = document.add_table(rows=1, cols=len(REGISTER_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, REGISTER_HEADER, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for n, d in enumerate(items, start=1):
        for cell, text in zip(table.add_row().cells, _row(n, d), strict=True):
            cell.text = text
    if not items:
        document.add_paragraph("Trong quý không có văn bản nào được công khai.")
    document.add_paragraph(f"Mã kiểm tra sổ (mục cuối khi in): {head}").runs[0].font.size = Pt(10)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


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
