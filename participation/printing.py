"""The slips the village head hands to each household: the household's code and name (so the slip
reaches the right door), the one-time vote code, and a QR code of the vote page with the code in
the URL fragment (never sent to the server). Printed once, when the vote opens: only hashes of the
codes are kept."""

from __future__ import annotations

import io
from collections.abc import Sequence

import qrcode
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.pdf import vietnamese_fonts
from participation.models import Matter
from participation.services import IssuedCode, format_code

PER_PAGE = 6


def _qr_image(text: str) -> ImageReader:
    png = io.BytesIO()
    qrcode.make(text, box_size=6, border=1).save(png, format="PNG")
    png.seek(0)
    return ImageReader(png)


def vote_slips(*, matter: Matter, issued: Sequence[IssuedCode], vote_url: str) -> bytes:
    """Six slips per A4 page, one per household, in the register's order."""
    regular, bold = vietnamese_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"Phiếu mã biểu quyết – {matter.village.name}")
    width, height = A4
    slip_h = (height - 16 * mm) / PER_PAGE
    closes = matter.closes_at.strftime("%H:%M %d/%m/%Y") if matter.closes_at else ""
    for n, item in enumerate(issued):
        if n and n % PER_PAGE == 0:
            pdf.showPage()
        top = height - 8 * mm - (n % PER_PAGE) * slip_h
        pdf.setDash(3, 3)
        pdf.line(8 * mm, top - slip_h, width - 8 * mm, top - slip_h)
        pdf.setDash()
        pdf.drawImage(_qr_image(f"{vote_url}#{item.code}"), width - 45 * mm, top - 40 * mm, 34 * mm, 34 * mm)
        pdf.setFont(bold, 11)
        pdf.drawString(12 * mm, top - 8 * mm, f"{matter.village.name} – Hộ {item.household.code}: {item.household.head_name}"[:90])
        pdf.setFont(regular, 9)
        pdf.drawString(12 * mm, top - 14 * mm, f"Biểu quyết: {matter.title}"[:100])
        pdf.drawString(12 * mm, top - 19 * mm, f"Hạn biểu quyết: {closes}. Đổi phiếu được đến hạn; phiếu sau cùng được tính.")
        pdf.setFont(bold, 15)
        pdf.drawString(12 * mm, top - 29 * mm, f"Mã: {format_code(item.code)}")
        pdf.setFont(regular, 8)
        pdf.drawString(12 * mm, top - 35 * mm, f"Quét mã QR hoặc mở {vote_url} và nhập mã. Giữ kín mã; mã chỉ in một lần.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
