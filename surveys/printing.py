"""Printable QR sheets (a commune's open link per form) and one-time token slips, as PDF."""

from __future__ import annotations

import io

import qrcode
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.pdf import vietnamese_fonts
from surveys.models import Stratum

FONT = "DejaVuSans"


def _font() -> str:
    return vietnamese_fonts()[0]


def _qr(url: str) -> ImageReader:
    image = qrcode.make(url, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _wrap(pdf: canvas.Canvas, text: str, x: float, y: float, width: float, size: int) -> float:
    words, line = text.split(), ""
    for word in words:
        trial = f"{line} {word}".strip()
        if pdf.stringWidth(trial, FONT, size) > width and line:
            pdf.drawString(x, y, line)
            y -= size * 1.3
            line = word
        else:
            line = trial
    if line:
        pdf.drawString(x, y, line)
        y -= size * 1.3
    return y


def qr_sheet(*, stratum: Stratum, url: str) -> bytes:
    """One A4 page to post at the commune office: the form's title, the commune and a large QR code."""
    _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    version = stratum.form.version
    pdf.setTitle(f"{version.instrument.code} – {stratum.unit.name}")
    pdf.setFont(FONT, 16)
    y = _wrap(pdf, version.title, 20 * mm, height - 30 * mm, width - 40 * mm, 16)
    pdf.setFont(FONT, 13)
    pdf.drawString(20 * mm, y - 4 * mm, f"{stratum.unit.name} · {stratum.form.campaign.title}")
    size = 120 * mm
    pdf.drawImage(_qr(url), (width - size) / 2, height / 2 - size / 2 - 10 * mm, size, size)
    pdf.setFont(FONT, 12)
    pdf.drawCentredString(width / 2, 45 * mm, "Quét mã QR bằng điện thoại để trả lời phiếu khảo sát (ẩn danh).")
    pdf.setFont(FONT, 9)
    pdf.drawCentredString(width / 2, 38 * mm, url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def token_slips(*, stratum: Stratum, entry_url: str, codes: list[str]) -> bytes:
    """Slips of 2 × 4 per A4 page, in the order given (services.issue_tokens shuffles it), each with
    its one-time code printed to type in at `entry_url` and a QR code of `entry_url#code`: the code
    rides in the URL fragment, which the phone never sends to the server."""
    _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    cols, rows = 2, 4
    cell_w, cell_h = (width - 20 * mm) / cols, (height - 20 * mm) / rows
    form_code = stratum.form.version.instrument.code
    for index, code in enumerate(codes):
        if index and index % (cols * rows) == 0:
            pdf.showPage()
        slot = index % (cols * rows)
        x = 10 * mm + (slot % cols) * cell_w
        y = height - 10 * mm - (slot // cols + 1) * cell_h
        pdf.rect(x + 2 * mm, y + 2 * mm, cell_w - 4 * mm, cell_h - 4 * mm)
        pdf.drawImage(_qr(f"{entry_url}#{code}"), x + 6 * mm, y + 16 * mm, 40 * mm, 40 * mm)
        pdf.setFont(FONT, 10)
        _wrap(pdf, f"{form_code} · {stratum.unit.name}", x + 50 * mm, y + cell_h - 14 * mm, cell_w - 56 * mm, 10)
        pdf.setFont(FONT, 8)
        _wrap(
            pdf,
            "Mã mời dùng một lần. Quét mã QR, hoặc mở địa chỉ dưới đây và nhập mã, để trả lời phiếu khảo sát ẩn danh.",
            x + 50 * mm,
            y + cell_h - 30 * mm,
            cell_w - 56 * mm,
            8,
        )
        pdf.setFont(FONT, 11)
        pdf.drawString(x + 50 * mm, y + 16 * mm, f"Mã: {code}")
        pdf.setFont(FONT, 7)
        pdf.drawString(x + 6 * mm, y + 9 * mm, entry_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
