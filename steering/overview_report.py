"""The periodic report to the Steering Committee on implementing the notice and the programme
(quarterly, six-monthly or annual), compiled from the overview's figures: a Word document in the
state format (core.state_documents, Decree 30/2020) that officials then edit, and its annexes as
an Excel workbook. Both read the same `Overview` the page shows, so their figures are the page's."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core import state_documents as sd
from steering.overview import FIGURES, Overview, display

SUMMARY_HEADER = ("STT", "Chỉ tiêu", "Kỳ báo cáo", "Kỳ trước", "Nguồn, ghi chú")
UNIT_FIGURES = ("Đơn vị", *(str(f.label) for f in FIGURES))


def _place(overview: Overview) -> str:
    unit = overview.unit
    for prefix in (f"{unit.type_name} " if unit.type_name else "", "Tỉnh ", "Thành phố ", "Huyện ", "Xã ", "Phường "):
        if prefix.strip() and unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def _period_text(overview: Overview) -> str:
    end = min(overview.period.end, timezone.localdate())
    return f"{overview.period.label.lower()} (từ ngày {overview.period.start:%d/%m/%Y} đến ngày {end:%d/%m/%Y})"


def summary_rows(overview: Overview) -> list[tuple[str, ...]]:
    """One line per headline figure: this period's value (against its target), the previous
    period's (blank for a current state), its source and note."""
    rows: list[tuple[str, ...]] = []
    for n, h in enumerate(overview.headline, start=1):
        value = h.text
        if h.target is not None and h.target.value is not None:
            value = f"{value} (chỉ tiêu {display(h.target)})"
        before = "" if h.figure.now_only else display(h.previous)
        note = "; ".join(part for part in (h.value.source, h.value.note) if part)
        rows.append((str(n), h.label, value, before, note))
    return rows


def unit_rows(overview: Overview) -> list[tuple[str, ...]]:
    return [(row.unit.name, *(c.text for c in row.cells)) for row in overview.rows]


def report_document(overview: Overview) -> sd.StateDocument:
    """The report as data: heading of the unit's steering committee, the figures, what falls short
    (the red figures) and a place for the committee's proposals, the per-unit annex."""
    unit = overview.unit
    period = _period_text(overview)
    red = [h for h in overview.headline if h.alert]
    shortfalls = tuple(f"- {h.label}: {h.text}. {h.value.note}".strip() for h in red) or ("- Không có chỉ tiêu nào dưới ngưỡng cảnh báo.",)
    annexes: tuple[sd.Annex, ...] = ()
    if overview.rows:
        widths = (30.0, *(12.0 for _f in FIGURES))
        annexes = (
            sd.Annex(
                title="Phụ lục",
                summary=f"Số liệu theo đơn vị {period}",
                reference=f"(Kèm theo Báo cáo của Ban Chỉ đạo {unit.name})",
                table=sd.DataTable(UNIT_FIGURES, tuple(unit_rows(overview)), widths, frozenset(range(1, len(UNIT_FIGURES)))),
            ),
        )
    return sd.StateDocument(
        heading=sd.Heading(
            issuing_body=("Ban Chỉ đạo thực hiện", "dân chủ ở cơ sở", unit.name),
            place_date=sd.date_line(_place(overview), timezone.localdate()),
        ),
        kind="Báo cáo",
        summary=f"Kết quả thực hiện Thông báo kết luận và Chương trình xây dựng chính quyền thân thiện {period}",
        paragraphs=(
            f"Thực hiện chế độ báo cáo của Ban Chỉ đạo, Ban Chỉ đạo thực hiện dân chủ ở cơ sở {unit.name} báo cáo kết quả "
            f"thực hiện {period} như sau (số liệu tổng hợp từ nền tảng tại ngày {timezone.localdate():%d/%m/%Y}):",
            "I. KẾT QUẢ THỰC HIỆN",
        ),
        table=sd.DataTable(SUMMARY_HEADER, tuple(summary_rows(overview)), (10, 55, 28, 22, 55), frozenset({0, 2, 3})),
        closing="\n".join(
            (
                "II. TỒN TẠI, HẠN CHẾ",
                *shortfalls,
                "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI VÀ ĐỀ XUẤT, KIẾN NGHỊ",
                "(Cơ quan thường trực bổ sung.)",
            )
        ),
        recipients=("Ban Chỉ đạo (để b/c)", "Các thành viên Ban Chỉ đạo", "Lưu: VT"),
        annexes=annexes,
    )


def report_docx(overview: Overview) -> bytes:
    return sd.render_docx(report_document(overview))


def report_xlsx(overview: Overview) -> bytes:
    """The annexes: the figures with their trend and sources, and the figures per unit."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append([f"Kết quả thực hiện {_period_text(overview)} – {overview.unit.name}"])
    ws["A1"].font = Font(bold=True)
    ws.append(list(SUMMARY_HEADER))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for row in summary_rows(overview):
        ws.append(list(row))
    for column, width in zip("ABCDE", (6, 40, 22, 14, 70), strict=True):
        ws.column_dimensions[column].width = width
    units = wb.create_sheet("Theo đơn vị")
    units.append(list(UNIT_FIGURES))
    for cell in units[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for unit_row in overview.rows:
        units.append([unit_row.unit.name, *(c.value.value for c in unit_row.cells)])
    units.column_dimensions["A"].width = 32
    units.freeze_panes = "B2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
