"""Printable outputs: the certificate (PDF), the decision list (PDF and Word, in the state document
format of Decree 30/2020/ND-CP: national title, motto, number/symbol, summary, recipients) and
the appraisal-quality table (Excel)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from certification.models import Campaign, Recognition, Registration
from certification.queries import QualityRow
from core.pdf import markup_text, vietnamese_fonts

QUOC_HIEU = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = vietnamese_fonts(serif=True)
    return {
        "center": ParagraphStyle("c", fontName=regular, fontSize=12, leading=16, alignment=1),
        "center_bold": ParagraphStyle("cb", fontName=bold, fontSize=13, leading=18, alignment=1),
        "title": ParagraphStyle("t", fontName=bold, fontSize=22, leading=30, alignment=1, textColor=colors.HexColor("#a10000")),
        "body": ParagraphStyle("b", fontName=regular, fontSize=12, leading=16),
        "small": ParagraphStyle("s", fontName=regular, fontSize=10, leading=13),
    }


def _header(authority: str, styles: dict[str, ParagraphStyle], number: str = "") -> Table:
    left = [Paragraph(markup_text(authority.upper()), styles["center_bold"]), Paragraph(markup_text(number), styles["center"])]
    right = [Paragraph(QUOC_HIEU, styles["center_bold"]), Paragraph(TIEU_NGU, styles["center_bold"])]
    table = Table([[left, right]], colWidths=[7 * cm, 10 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def certificate_pdf(registration: Registration, recognition: Recognition) -> bytes:
    styles = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.5 * cm, bottomMargin=1.5 * cm)
    province = registration.campaign.province
    stars = "★" * recognition.stars
    story = [
        _header(f"UBND {province.name}", styles, f"Số: {recognition.decision_number}"),
        Spacer(1, 1 * cm),
        Paragraph("GIẤY CHỨNG NHẬN", styles["title"]),
        Paragraph("ĐẠT CHUẨN CHÍNH QUYỀN THÂN THIỆN, VÌ NHÂN DÂN PHỤC VỤ", styles["center_bold"]),
        Spacer(1, 0.6 * cm),
        Paragraph(
            f"Chứng nhận: <b>{markup_text(registration.unit.name)}</b>"
            + (f", {markup_text(registration.district.name)}" if registration.district else ""),
            styles["center"],
        ),
        Paragraph(
            f"Đạt chuẩn năm {registration.campaign.year} – mức {recognition.stars} sao {stars} ({recognition.total} điểm)", styles["center"]
        ),
        Paragraph(
            f"Theo Quyết định số {markup_text(recognition.decision_number)} ngày {recognition.decision_date:%d/%m/%Y}; "
            f"có giá trị đến ngày {recognition.valid_until:%d/%m/%Y}.",
            styles["center"],
        ),
        Spacer(1, 1 * cm),
        Paragraph(
            f"{markup_text(province.short_name or province.name)}, ngày {recognition.decision_date:%d} "
            f"tháng {recognition.decision_date:%m} năm {recognition.decision_date:%Y}",
            styles["center"],
        ),
        Paragraph(markup_text(recognition.signer), styles["center_bold"]),
    ]
    doc.build(story)
    return out.getvalue()


def _decision_rows(recognised: list[Registration]) -> list[list[str]]:
    rows = []
    for i, reg in enumerate(recognised, start=1):
        rec = reg.recognition
        rows.append(
            [
                str(i),
                reg.unit.name,
                reg.district.name if reg.district else "",
                f"{rec.stars}",
                f"{rec.total}",
                rec.decision_number,
                f"{rec.decision_date:%d/%m/%Y}",
            ]
        )
    return rows


DECISION_HEADER = ["STT", "Đơn vị", "Huyện", "Số sao", "Điểm", "Số quyết định", "Ngày"]


def decision_list_pdf(campaign: Campaign, recognised: list[Registration]) -> bytes:
    styles = _styles()
    regular, bold = vietnamese_fonts(serif=True)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=2 * cm, rightMargin=1.5 * cm, topMargin=1.5 * cm, bottomMargin=1.5 * cm)
    data = [DECISION_HEADER, *_decision_rows(recognised)]
    table = Table(data, repeatRows=1, colWidths=[1 * cm, 4.5 * cm, 3.5 * cm, 1.4 * cm, 1.5 * cm, 3 * cm, 2.3 * cm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), regular),
                ("FONTNAME", (0, 0), (-1, 0), bold),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story = [
        _header(f"UBND {campaign.province.name}", styles),
        Spacer(1, 0.6 * cm),
        Paragraph("DANH SÁCH", styles["center_bold"]),
        Paragraph(f"xã, phường, thị trấn được công nhận đạt chuẩn chính quyền thân thiện năm {campaign.year}", styles["center"]),
        Spacer(1, 0.4 * cm),
        table,
        Spacer(1, 0.6 * cm),
        Paragraph(f"Tổng số: {len(recognised)} đơn vị.", styles["body"]),
    ]
    doc.build(story)
    return out.getvalue()


def decision_list_docx(campaign: Campaign, recognised: list[Registration]) -> bytes:
    """Word, Times New Roman 13–14 as Decree 30/2020/ND-CP prescribes for administrative documents."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run(f"UBND {campaign.province.name}".upper()).bold = True
    left.add_paragraph("Số: ……/QĐ-UBND")
    right.paragraphs[0].add_run(QUOC_HIEU).bold = True
    motto = right.add_paragraph()
    motto.add_run(TIEU_NGU).bold = True
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("QUYẾT ĐỊNH")
    run.bold = True
    run.font.size = Pt(14)
    summary = document.add_paragraph(f"Về việc công nhận xã, phường, thị trấn đạt chuẩn chính quyền thân thiện năm {campaign.year}")
    summary.alignment = WD_ALIGN_PARAGRAPH.CENTER
    summary.runs[0].bold = True
    document.add_paragraph(f"Danh sách kèm theo ({len(recognised)} đơn vị):")
    table = document.add_table(rows=1, cols=len(DECISION_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, DECISION_HEADER, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in _decision_rows(recognised):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    recipients = document.add_paragraph()
    r = recipients.add_run("Nơi nhận:")
    r.bold = True
    r.italic = True
    for line in (
        "- Như Điều 3;",
        "- Thường trực Tỉnh ủy, HĐND tỉnh;",
        "- Ban Chỉ đạo Quy chế dân chủ tỉnh;",
        "- UBND các huyện, thành phố;",
        "- Lưu: VT.",
    ):
        document.add_paragraph(line).runs[0].font.size = Pt(11)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def quality_workbook(campaign: Campaign, rows: list[QualityRow]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = f"Chất lượng thẩm định {campaign.year}"[:31]
    header = [
        "Hạng",
        "Huyện",
        "Đăng ký",
        "Huyện đề nghị",
        "Được công nhận",
        "Tỉnh không công nhận",
        "Tỷ lệ đề nghị bị từ chối (%)",
        "Chênh lệch điểm huyện − tỉnh trên mẫu (TB)",
        "Khoảng tin cậy 95% – dưới",
        "Khoảng tin cậy 95% – trên",
        "Số hồ sơ mẫu tỉnh đã chấm lại",
        "Hồ sơ đề nghị tỉnh chưa kiểm tra",
        "Tự chấm cao hơn huyện (TB)",
        "Hồ sơ huyện trùng điểm tự chấm",
        "Tiêu chí chênh lệch nhiều nhất",
        "Cảnh báo",
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rank, r in enumerate(rows, start=1):
        sheet.append(
            [
                rank,
                r.district.name,
                r.registered,
                r.proposed,
                r.recognised,
                r.refused,
                r.refusal_share,
                r.gap.mean,
                r.gap.lci,
                r.gap.uci,
                r.gap.n,
                r.not_checked,
                r.self_inflation,
                f"{r.copied}/{r.compared}",
                "; ".join(f"{code}: {gap:+.2f}" for code, gap in r.criterion_gaps),
                "; ".join([*r.flags, *r.disagreements]),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
