"""Files staff take away: the dashboard as an Excel workbook, a counter's printable QR sheet."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.pdf import vietnamese_fonts
from feedback import conf, queries
from feedback.models import Counter, Score
from units.models import Unit, UnitKind


def _pct(value: float | None) -> str | float:
    return "" if value is None else value


def dashboard_workbook(*, unit: Unit, start: dt.date, end: dt.date, seen_from: Unit | None = None) -> bytes:
    """Figures of `unit` and of each unit below it as `seen_from` sees them (queries.figures: no
    report routed away from it by day, category or channel), and ratings per counter and month.
    No reporter's data is exported."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tổng hợp")
    ws.append([_("Phản ánh, kiến nghị – %(u)s, từ %(a)s đến %(b)s") % {"u": unit.name, "a": f"{start:%d/%m/%Y}", "b": f"{end:%d/%m/%Y}"}])
    ws["A1"].font = Font(bold=True)
    header = [
        _("Đơn vị"),
        _("Số phản ánh"),
        _("Đã trả lời"),
        _("Tỷ lệ đúng hạn (%)"),
        _("Đang quá hạn"),
        _("Số ngày trả lời (trung vị)"),
        _("Tỷ lệ mở lại (%)"),
        _("Chuyển cấp trên do quá hạn"),
        _("Lượt đánh giá quầy"),
        _("Tỷ lệ hài lòng (%)"),
        _("Do cấp trên xử lý (tổng theo quý, từ %(n)d phản ánh)") % {"n": conf.ROUTED_AWAY_MIN_CASES},
    ]
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    units = [unit, *Unit.objects.filter(parent=unit).exclude(kind=UnitKind.VILLAGE).order_by("name")]
    for u in units:
        f = queries.figures(unit=u, start=start, end=end, seen_from=seen_from or unit)
        ws.append(
            [
                u.name,
                f.total,
                f.answered,
                _pct(f.on_time_rate),
                f.overdue,
                _pct(f.median_days_to_answer),
                _pct(f.reopen_rate),
                f.escalated,
                f.rating_total,
                _pct(f.satisfaction),
                "" if f.handled_elsewhere is None else f.handled_elsewhere,
            ]
        )
    ws.column_dimensions["A"].width = 36
    f = queries.figures(unit=unit, start=start, end=end, seen_from=seen_from or unit)
    ws2 = wb.create_sheet(_("Theo lĩnh vực, kênh"))
    ws2.append([_("Lĩnh vực"), _("Số phản ánh")])
    for label, n in f.by_category:
        ws2.append([label, n])
    ws2.append([])
    ws2.append([_("Kênh tiếp nhận"), _("Số phản ánh")])
    for label, n in f.by_channel:
        ws2.append([label, n])
    ws2.column_dimensions["A"].width = 50
    ws3 = wb.create_sheet(_("Đánh giá quầy"))
    ws3.append(
        [_("Xã"), _("Quầy"), _("Tháng"), _("Tổng"), str(Score.SATISFIED.label), str(Score.ACCEPTABLE.label), str(Score.NOT_SATISFIED.label)]
    )
    for r in queries.counter_ratings(unit=unit, start=start, end=end):
        ws3.append(
            [
                r["counter__unit__name"],
                r["counter__name"],
                f"{r['month']:%m/%Y}",
                r["total"],
                r["satisfied"],
                r["acceptable"],
                r["not_satisfied"],
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def counter_qr_pdf(*, counter: Counter, url: str) -> bytes:
    """An A4 sheet to print and put on the counter: the commune, the counter, a large QR code
    linking to the one-tap rating, and what happens to a rating (Decree 61/2018, art. 27.3:
    respondents' information stays confidential)."""
    import qrcode
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    regular, bold = vietnamese_fonts()
    img = qrcode.make(url, box_size=10, border=2)
    png = io.BytesIO()
    img.save(png, format="PNG")
    png.seek(0)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    pdf.setTitle(f"{counter.name} – {counter.unit.name}")
    pdf.setFont(bold, 20)
    pdf.drawCentredString(width / 2, height - 35 * mm, counter.unit.name.upper())
    pdf.setFont(regular, 16)
    pdf.drawCentredString(width / 2, height - 47 * mm, counter.name)
    if counter.officer_name:
        pdf.drawCentredString(width / 2, height - 56 * mm, _("Cán bộ trực: %(n)s") % {"n": counter.officer_name})
    pdf.setFont(bold, 24)
    pdf.drawCentredString(width / 2, height - 75 * mm, _("Ông/bà hài lòng với cán bộ một cửa?"))
    size = 120 * mm
    pdf.drawImage(ImageReader(png), (width - size) / 2, height - 80 * mm - size, size, size)
    pdf.setFont(regular, 13)
    lines = [
        _("Quét mã bằng camera điện thoại để đánh giá: Hài lòng – Chấp nhận được – Không hài lòng."),
        _("Không cần đăng nhập, không cần số điện thoại. Đánh giá được giữ bí mật."),
        _("Nếu bị gây phiền hà, sách nhiễu, hãy chọn lý do: phản ánh được chuyển lên cấp trên xử lý."),
    ]
    y = height - 90 * mm - size
    for line in lines:
        pdf.drawCentredString(width / 2, y, line)
        y -= 8 * mm
    pdf.setFont(regular, 9)
    pdf.drawCentredString(width / 2, 15 * mm, url)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
