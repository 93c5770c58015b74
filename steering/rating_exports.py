"""The chairman ratings of a province and period as files for the rating procedure: a Word report in
the state format (core.state_documents, Decree 30/2020) with the list and, as an annex, every
component's figure; and an Excel workbook with the same two sheets."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core import state_documents as sd
from steering.models import ChairmanRating, RatingFigure, RatingMethod
from units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIST_HEADER = ("STT", "Đơn vị", "Điểm", "Xếp loại", "Thành phần đủ dữ liệu")
FIGURE_HEADER = ("Đơn vị", "Thành phần", "Giá trị", "Tử số", "Mẫu số", "Điểm", "Trọng số áp dụng (%)", "Nguồn, ghi chú")
ANNEX_HEADER = ("STT", "Đơn vị", "Thành phần: giá trị (tử số/mẫu số) – điểm, trọng số áp dụng")


def number_text(value: float | None) -> str:
    """30,5 (Vietnamese decimal comma); "—" when None."""
    if value is None:
        return "—"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _figures(ratings: list[ChairmanRating]) -> dict[int, list[RatingFigure]]:
    by_rating: dict[int, list[RatingFigure]] = {r.pk: [] for r in ratings}
    for figure in RatingFigure.objects.filter(rating__in=ratings).order_by("rating_id", "order"):
        by_rating[figure.rating_id].append(figure)
    return by_rating


def _list_rows(ratings: list[ChairmanRating], figures: dict[int, list[RatingFigure]]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for n, r in enumerate(ratings, start=1):
        included = sum(1 for f in figures[r.pk] if f.included)
        score = number_text(float(r.score)) if r.score is not None else "Không đủ dữ liệu"
        rows.append((str(n), r.unit.name, score, r.band or "—", f"{included}/{len(figures[r.pk])}"))
    return rows


def _figure_text(f: RatingFigure) -> str:
    """One component in words: its figure, numerator/denominator, score and weight applied."""
    share = f"{number_text(f.numerator)}/{f.denominator}" if f.numerator is not None else f"{f.denominator}"
    figure = f"{number_text(f.value)} {f.measure}".strip() if f.value is not None else "—"
    if not f.included:
        return f"{f.label}: {figure} ({share}) – không đủ dữ liệu"
    return f"{f.label}: {figure} ({share}) – {number_text(f.score)} điểm, trọng số {number_text(f.weight_used)} %"


def _figure_rows(ratings: list[ChairmanRating], figures: dict[int, list[RatingFigure]]) -> list[tuple[str, ...]]:
    """One row per unit with every component in words (a cell per figure would make a Word table of
    thousands of cells for a province; the workbook has one row per figure)."""
    rows: list[tuple[str, ...]] = []
    for n, r in enumerate(ratings, start=1):
        rows.append((str(n), r.unit.name, "; ".join(_figure_text(f) for f in figures[r.pk])))
    return rows


def _period(start: dt.date, end: dt.date) -> str:
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def _place(province: Unit) -> str:
    name = province.short_name or province.name
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def ratings_document(
    *, province: Unit, method: RatingMethod, ratings: list[ChairmanRating], start: dt.date, end: dt.date
) -> sd.StateDocument:
    figures = _figures(ratings)
    bands = ", ".join(f"{b.label} từ {number_text(float(b.min_score))} điểm" for b in method.bands.all())
    summary = (
        f"Kết quả xếp loại trách nhiệm chủ tịch UBND về thực hiện dân chủ ở cơ sở, xây dựng chính quyền thân thiện {_period(start, end)}"
    )
    return sd.StateDocument(
        heading=sd.Heading(
            issuing_body=("Ban Chỉ đạo thực hiện", "dân chủ ở cơ sở", province.name),
            place_date=sd.date_line(_place(province), timezone.localdate()),
        ),
        kind="Báo cáo",
        summary=summary,
        paragraphs=(
            f"Thực hiện nhiệm vụ đưa kết quả thực hiện quy chế dân chủ ở cơ sở, xây dựng chính quyền thân thiện vào tiêu chí xếp loại "
            f"trách nhiệm chủ tịch UBND, Ban Chỉ đạo tổng hợp kết quả của {len(ratings)} đơn vị theo {method}"
            + (f" ({method.basis})" if method.basis else "")
            + ".",
            f"Các mức xếp loại: {bands}. Thành phần không đủ dữ liệu không được chấm điểm và không tính trọng số; "
            "trọng số của các thành phần còn lại được tính lại cho đủ 100 %. Số liệu chi tiết của từng thành phần tại Phụ lục.",
        ),
        table=sd.DataTable(LIST_HEADER, tuple(_list_rows(ratings, figures)), (10, 70, 20, 45, 25), frozenset({0, 2, 4})),
        closing="Trên đây là kết quả xếp loại, đề nghị các cơ quan có thẩm quyền xem xét trong quy trình đánh giá, xếp loại./.",
        recipients=("Thường trực Tỉnh ủy", "UBND tỉnh", "Lưu: VT"),
        annexes=(
            sd.Annex(
                title="Phụ lục",
                summary="Số liệu thành phần của từng đơn vị",
                reference=f"(Kèm theo Báo cáo kết quả xếp loại {_period(start, end)})",
                table=sd.DataTable(ANNEX_HEADER, tuple(_figure_rows(ratings, figures)), (10, 40, 140), frozenset({0})),
            ),
        ),
    )


def ratings_workbook(*, province: Unit, method: RatingMethod, ratings: list[ChairmanRating], start: dt.date, end: dt.date) -> bytes:
    figures = _figures(ratings)
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp loại"
    ws.append([f"Xếp loại trách nhiệm chủ tịch UBND – {province.name}"])
    ws["A1"].font = Font(bold=True)
    ws.append([f"Kỳ {_period(start, end)}; {method}"])
    ws.append(list(LIST_HEADER))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for n, r in enumerate(ratings, start=1):
        included = sum(1 for f in figures[r.pk] if f.included)
        ws.append(
            [n, r.unit.name, float(r.score) if r.score is not None else "Không đủ dữ liệu", r.band, f"{included}/{len(figures[r.pk])}"]
        )
    for col, width in zip("ABCDE", (6, 40, 12, 30, 14), strict=True):
        ws.column_dimensions[col].width = width
    detail = wb.create_sheet("Thành phần")
    detail.append([*list(FIGURE_HEADER), "Liên kết"])
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for r in ratings:
        for f in figures[r.pk]:
            detail.append(
                [
                    r.unit.name,
                    f.label,
                    f.value if f.value is not None else "",
                    f.numerator if f.numerator is not None else "",
                    f.denominator,
                    f.score if f.included else "Không đủ dữ liệu",
                    f.weight_used if f.weight_used is not None else "",
                    "; ".join(x for x in (f.source, f.note) if x),
                    f.link,
                ]
            )
    for col, width in zip("ABCDEFGHI", (32, 44, 10, 8, 8, 16, 12, 60, 40), strict=True):
        detail.column_dimensions[col].width = width
    for row in detail.iter_rows(min_row=2):
        row[7].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ratings_file(
    *, province: Unit, method: RatingMethod, ratings: list[ChairmanRating], start: dt.date, end: dt.date, fmt: str
) -> tuple[bytes, str, str]:
    name = f"xep-loai-chu-tich-{province.code}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "xlsx":
        return ratings_workbook(province=province, method=method, ratings=ratings, start=start, end=end), f"{name}.xlsx", XLSX
    document = ratings_document(province=province, method=method, ratings=ratings, start=start, end=end)
    return sd.render_docx(document), f"{name}.docx", DOCX
