"""The slips the village head hands to each household: the household's code and name (so the slip
reaches the right door), the one-time vote code, and a QR code of the vote page with the code in
the URL fragment (never sent to the server). Printed once, when the vote opens: only hashes of the
codes are kept."""

from __future__ import annotations

import io
from collections.abc import Sequence

import qrcode
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.pdf import vietnamese_fonts
from participation.models import Initiative, Matter
from participation.services import IssuedCode, format_code
from units.models import Unit

PER_PAGE = 6


def _qr_image(text: str) -> ImageReader:
    png = io.BytesIO()
    qrcode.make(text, box_size=6, border=1).save(png, format="PNG")
    png.seek(0)
    return ImageReader(png)


def vote_slips(*, matter: Matter, issued: Sequence[IssuedCode], vote_url: str) -> bytes:
    """Six slips per A4 page, one per household, in the register's order."""
    closes = timezone.localtime(matter.closes_at).strftime("%H:%M %d/%m/%Y") if matter.closes_at else ""
    return code_slips(
        village=matter.village,
        what=f"Biểu quyết: {matter.title}",
        rule=f"Hạn biểu quyết: {closes}. Đổi phiếu được đến hạn; phiếu sau cùng được tính.",
        issued=issued,
        url=vote_url,
    )


def initiative_slips(*, initiative: Initiative, issued: Sequence[IssuedCode], url: str) -> bytes:
    return code_slips(
        village=initiative.village,
        what=f"Kiến nghị: {initiative.title}",
        rule=f"Hộ đồng ý ủng hộ thì nhập mã; cần {initiative.needed}/{initiative.households_total} hộ ủng hộ.",
        issued=issued,
        url=url,
    )


def code_slips(*, village: Unit, what: str, rule: str, issued: Sequence[IssuedCode], url: str) -> bytes:
    regular, bold = vietnamese_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"Phiếu mã – {village.name}")
    width, height = A4
    slip_h = (height - 16 * mm) / PER_PAGE
    for n, item in enumerate(issued):
        if n and n % PER_PAGE == 0:
            pdf.showPage()
        top = height - 8 * mm - (n % PER_PAGE) * slip_h
        pdf.setDash(3, 3)
        pdf.line(8 * mm, top - slip_h, width - 8 * mm, top - slip_h)
        pdf.setDash()
        pdf.drawImage(_qr_image(f"{url}#{item.code}"), width - 45 * mm, top - 40 * mm, 34 * mm, 34 * mm)
        pdf.setFont(bold, 11)
        pdf.drawString(12 * mm, top - 8 * mm, f"{village.name} – Hộ {item.household.code}: {item.household.head_name}"[:90])
        pdf.setFont(regular, 9)
        pdf.drawString(12 * mm, top - 14 * mm, what[:100])
        pdf.drawString(12 * mm, top - 19 * mm, rule[:110])
        pdf.setFont(bold, 15)
        pdf.drawString(12 * mm, top - 29 * mm, f"Mã: {format_code(item.code)}")
        pdf.setFont(regular, 8)
        pdf.drawString(12 * mm, top - 35 * mm, f"Quét mã QR hoặc mở {url} và nhập mã. Giữ kín mã; mã chỉ in một lần.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
