"""The periodic report as files: one unit's report and the level above's totals, as a Word document
in the state format (core.state_documents, Decree 30/2020) and as an Excel workbook."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from core import state_documents as sd
from supervision import queries
from supervision.models import IndicatorKind, ReportForm, UnitReport
from units.models import Unit

HEADER = ("STT", "Chỉ tiêu", "Số liệu", "Số liệu trên nền tảng", "Giải trình, ghi chú")
AGGREGATE_HEADER = ("STT", "Chỉ tiêu", "Tổng hợp", "Số báo cáo có số liệu", "Cách tổng hợp")


def number_text(value: Decimal | None) -> str:
    """1.250 or 30,5 (Vietnamese separators, no trailing zeros); blank when None."""
    if value is None:
        return ""
    whole, _dot, frac = f"{value:,.2f}".partition(".")
    frac = frac.rstrip("0")
    return whole.replace(",", ".") + ("," + frac if frac else "")


def _place(unit: Unit) -> str:
    if unit.short_name:
        return unit.short_name
    for prefix in (f"{unit.type_name} ", "Tỉnh ", "Thành phố ", "Xã ", "Phường "):
        if prefix.strip() and unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def _subject(form: ReportForm) -> str:
    """The form's title as the document's summary, under the kind "BÁO CÁO" already printed above it."""
    title = form.title
    if title.lower().startswith("báo cáo "):
        title = title[len("báo cáo ") :]
    return title[:1].upper() + title[1:]


def _period(report_start: dt.date, report_end: dt.date) -> str:
    return f"từ ngày {report_start:%d/%m/%Y} đến ngày {report_end:%d/%m/%Y}"


def _report_rows(report: UnitReport) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    values = report.values.select_related("indicator__section").order_by("indicator__section__order", "indicator__order")
    section_id = None
    for n, v in enumerate(values, start=1):
        if v.indicator.section_id != section_id:
            section_id = v.indicator.section_id
            rows.append(("", v.indicator.section.title, "", "", ""))
        figure = number_text(v.number) if v.indicator.kind == IndicatorKind.NUMBER else v.text
        platform = number_text(v.prefilled) if v.prefilled is not None else v.prefill_note
        rows.append((str(n), v.indicator.label, figure, platform, v.deviation_note))
    return rows


def report_document(report: UnitReport) -> sd.StateDocument:
    day = report.submitted_on or timezone.localdate()
    return sd.StateDocument(
        heading=sd.Heading(issuing_body=("Ủy ban nhân dân", report.unit.name), place_date=sd.date_line(_place(report.unit), day)),
        kind="Báo cáo",
        summary=f"{_subject(report.form)} {_period(report.period_start, report.period_end)}",
        paragraphs=(
            f"Thực hiện chế độ báo cáo định kỳ, {report.unit.name} báo cáo {report.reviewer.name} kết quả thực hiện dân chủ ở cơ sở "
            f"{_period(report.period_start, report.period_end)} như sau:",
        ),
        table=sd.DataTable(HEADER, tuple(_report_rows(report)), (10, 62, 22, 30, 41), frozenset({0, 2, 3})),
        closing="Trên đây là báo cáo kết quả thực hiện dân chủ ở cơ sở của đơn vị./.",
        recipients=(report.reviewer.name, "Lưu: VT"),
    )


def _aggregate_rows(lines: list[queries.AggregateLine]) -> tuple[list[tuple[str, ...]], dict[int, list[Decimal | None]]]:
    """The table rows of one level's totals (a section's title row before its indicators), and the
    figures by row index for the workbook's number cells."""
    rows: list[tuple[str, ...]] = []
    numbers: dict[int, list[Decimal | None]] = {}
    section_id = None
    for n, line in enumerate(lines, start=1):
        if line.indicator.section_id != section_id:
            section_id = line.indicator.section_id
            rows.append(("", line.indicator.section.title, "", "", ""))
        numbers[len(rows)] = [line.value]
        rows.append((str(n), line.indicator.label, number_text(line.value), str(line.reports), line.indicator.get_aggregation_display()))
    return rows, numbers


def _levels_annex(compiled: queries.Compiled, title: str, reference: str) -> sd.Annex:
    rows: list[tuple[str, ...]] = []
    for level in compiled.levels:
        rows.append(("", f"{level.unit.name} ({level.accepted} báo cáo)", "", "", ""))
        rows += [
            (str(n), line.indicator.label, number_text(line.value), str(line.reports), line.indicator.get_aggregation_display())
            for n, line in enumerate(level.lines, start=1)
        ]
    return sd.Annex(
        title="Phụ lục",
        summary=f"Tổng hợp theo cấp huyện {title}",
        reference=reference,
        table=sd.DataTable(AGGREGATE_HEADER, tuple(rows), (10, 70, 25, 25, 35), frozenset({0, 2, 3})),
    )


def aggregate_document(*, form: ReportForm, reviewer: Unit, start: dt.date, end: dt.date) -> sd.StateDocument:
    """The level's compiled report; where districts stood between it and the communes (periods
    before 1 July 2025), each district's totals in an annex."""
    compiled = queries.compile_report(form=form, top=reviewer, start=start)
    rows, _numbers = _aggregate_rows(compiled.total.lines)
    day = timezone.localdate()
    summary = f"Tổng hợp {_subject(form).lower()} {_period(start, end)}"
    paragraphs = [f"Tổng hợp từ {compiled.total.accepted} báo cáo đã được tiếp nhận của các đơn vị thuộc {reviewer.name}."]
    if compiled.levels:
        paragraphs.append(f"Số liệu tổng hợp của từng huyện, thị xã, thành phố ({len(compiled.levels)} đơn vị) tại Phụ lục kèm theo.")
    return sd.StateDocument(
        heading=sd.Heading(
            issuing_body=("Ban Chỉ đạo thực hiện", "dân chủ ở cơ sở", reviewer.name), place_date=sd.date_line(_place(reviewer), day)
        ),
        kind="Báo cáo",
        summary=summary,
        paragraphs=tuple(paragraphs),
        table=sd.DataTable(AGGREGATE_HEADER, tuple(rows), (10, 70, 25, 25, 35), frozenset({0, 2, 3})),
        closing="./.",
        recipients=("Lưu: VT",),
        annexes=(
            (_levels_annex(compiled, _period(start, end), f"(Kèm theo Báo cáo tổng hợp ngày {day:%d/%m/%Y} của {reviewer.name})"),)
            if compiled.levels
            else ()
        ),
    )


def _workbook(
    title: str, subtitle: str, header: tuple[str, ...], rows: list[tuple[str, ...]], numbers: dict[int, list[Decimal | None]]
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append([subtitle])
    ws.append(list(header))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, row in enumerate(rows):
        cells: list[object] = list(row)
        figure = numbers.get(i)
        if figure is not None:
            cells[2] = float(figure[0]) if figure[0] is not None else ""
            if len(figure) > 1:
                cells[3] = float(figure[1]) if figure[1] is not None else row[3]
        ws.append(cells)
        if not row[0]:
            ws.cell(row=ws.max_row, column=2).font = Font(bold=True)
    for col, width in zip("ABCDE", (6, 60, 14, 24, 40), strict=True):
        ws.column_dimensions[col].width = width
    for row_cells in ws.iter_rows(min_row=4):
        row_cells[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_workbook(report: UnitReport) -> bytes:
    rows = _report_rows(report)
    numbers: dict[int, list[Decimal | None]] = {}
    values = list(report.values.select_related("indicator__section").order_by("indicator__section__order", "indicator__order"))
    i = 0
    section_id = None
    for v in values:
        if v.indicator.section_id != section_id:
            section_id = v.indicator.section_id
            i += 1
        if v.indicator.kind == IndicatorKind.NUMBER:
            numbers[i] = [v.number, v.prefilled]
        i += 1
    return _workbook(
        f"{report.form.title} – {report.unit.name}",
        f"Kỳ báo cáo {_period(report.period_start, report.period_end)}; trạng thái: {report.get_state_display()}",
        HEADER,
        rows,
        numbers,
    )


def aggregate_workbook(*, form: ReportForm, reviewer: Unit, start: dt.date, end: dt.date) -> bytes:
    """The totals on the first sheet; with districts in between, a second sheet with one column
    per district beside the total."""
    compiled = queries.compile_report(form=form, top=reviewer, start=start)
    rows, numbers = _aggregate_rows(compiled.total.lines)
    content = _workbook(
        f"Tổng hợp {form.title.lower()} – {reviewer.name}",
        f"Kỳ báo cáo {_period(start, end)}; {compiled.total.accepted} báo cáo đã tiếp nhận",
        AGGREGATE_HEADER,
        rows,
        numbers,
    )
    if not compiled.levels:
        return content
    wb = load_workbook(io.BytesIO(content))
    ws = wb.create_sheet("Theo cấp huyện")
    ws.append([f"Tổng hợp theo cấp huyện – {reviewer.name}", "", f"Kỳ báo cáo {_period(start, end)}"])
    ws["A1"].font = Font(bold=True)
    ws.append(["Chỉ tiêu", *(f"{lv.unit.name} ({lv.accepted})" for lv in compiled.levels), f"{reviewer.name} ({compiled.total.accepted})"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, line in enumerate(compiled.total.lines):
        values = [lv.lines[i].value for lv in compiled.levels] + [line.value]
        ws.append([line.indicator.label, *(float(v) if v is not None else "" for v in values)])
    ws.column_dimensions["A"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_file(report: UnitReport, fmt: str) -> tuple[bytes, str, str]:
    name = f"bao-cao-{report.unit.code}-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}"
    if fmt == "xlsx":
        return report_workbook(report), f"{name}.xlsx", XLSX
    return sd.render_docx(report_document(report)), f"{name}.docx", DOCX


def aggregate_file(*, form: ReportForm, reviewer: Unit, start: dt.date, end: dt.date, fmt: str) -> tuple[bytes, str, str]:
    name = f"tong-hop-{reviewer.code}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "xlsx":
        return aggregate_workbook(form=form, reviewer=reviewer, start=start, end=end), f"{name}.xlsx", XLSX
    return sd.render_docx(aggregate_document(form=form, reviewer=reviewer, start=start, end=end)), f"{name}.docx", DOCX


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
