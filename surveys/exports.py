"""Anonymised microdata and the indices, to CSV and Excel, with a data dictionary.

Microdata carry no token, device, date, time or row id (responses store none that follows arrival):
rows are ordered by a content digest, rows of a commune and group whose index is suppressed are
left out (statistics.disclosure_plan), and free-text answers are left out because they can name
people (they are read on the results page)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import Q
from openpyxl import Workbook

from surveys import queries, statistics
from surveys.models import Campaign, Element, Question, QuestionKind, Response, Stratum
from units.models import Unit

BASE_COLUMNS = [
    ("huyen", "Huyện / thành phố"),
    ("xa", "Xã / phường / thị trấn"),
    ("ma_xa", "Mã đơn vị hành chính của xã (GSO)"),
    ("nhom", "Nhóm đối tượng"),
    ("phieu", "Mã phiếu và phiên bản"),
    ("hinh_thuc", "Hình thức thu: token, open (đường dẫn mở), interviewer (nhập phiếu giấy)"),
    ("tang", "Mã tầng mẫu (xã × phiếu)"),
    ("quy_mo_tang", "Quy mô tổng thể của tầng (N_h)"),
    ("trong_so", "Trọng số thiết kế N_h / n_h"),
    ("co_canh_bao", "Cờ chất lượng: duplicate, straight_line, too_fast"),
]


def _questions(campaign: Campaign) -> list[Question]:
    seen: dict[str, Question] = {}
    for q in (
        Question.objects.filter(version__campaign_forms__campaign=campaign)
        .exclude(kind__in=[QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT])
        .select_related("version__instrument")
        .order_by("version__instrument__code", "position")
    ):
        seen.setdefault(f"{q.version.instrument.code}_{q.code}", q)
    return list(seen.values())


def microdata(*, campaign: Campaign, roots: list[Unit]) -> tuple[list[str], list[list[Any]]]:
    questions = _questions(campaign)
    header = [c for c, _label in BASE_COLUMNS] + [f"{q.version.instrument.code}_{q.code}" for q in questions]
    strata = {s.pk: s for s in Stratum.objects.filter(form__campaign=campaign).select_related("unit__parent", "form__version__instrument")}
    # The column is the design weight N_h / n_h, the same for every response of a stratum.
    weights = {r.stratum: r.weight for r in queries.response_rows(campaign=campaign, roots=roots, rake=False)}
    # A commune × group whose index is suppressed has its rows left out too: with the commune and
    # group on every row they would give back exactly what the index hides.
    plan = queries.reading(campaign=campaign).plan
    hidden = {s.pk for s in strata.values() if not plan.shown(statistics.ALL, s.form.group, [s.unit_id])}
    path_q = Q(pk__in=[])
    for root in roots:
        path_q |= Q(stratum__unit__path__startswith=root.path)
    rows = []
    for response in (
        Response.objects.filter(path_q, stratum__form__campaign=campaign, is_complete=True)
        .order_by("fingerprint")
        .iterator(chunk_size=2000)
    ):
        if response.stratum_id in hidden:
            continue
        s = strata[response.stratum_id]
        code = s.form.version.instrument.code
        row: list[Any] = [
            s.unit.parent.name if s.unit.parent else "",
            s.unit.name,
            s.unit.code,
            s.form.group,
            str(s.form.version),
            response.mode,
            s.pk,
            s.population,
            round(weights.get(s.pk, 0), 4),
            " ".join(response.flags),
        ]
        for q in questions:
            value = response.answers.get(q.code) if q.version.instrument.code == code else None
            row.append(" ".join(value) if isinstance(value, list) else value)
        rows.append(row)
    return header, rows


def dictionary(*, campaign: Campaign) -> list[list[str]]:
    out = [[c, label, ""] for c, label in BASE_COLUMNS]
    for q in _questions(campaign):
        coding = (
            "1–5 (1 rất không hài lòng … 5 rất hài lòng)"
            if q.kind == QuestionKind.LIKERT
            else "; ".join(f"{v}={label}" for v, label in q.choices)
        )
        element = str(Element(q.element).label) if q.element else ""
        out.append([f"{q.version.instrument.code}_{q.code}", q.text, f"{q.get_kind_display()}. {coding} {element}".strip()])
    return out


def index_rows(*, campaign: Campaign, roots: list[Unit]) -> list[list[Any]]:
    view = queries.reading(campaign=campaign, roots=roots)
    out: list[list[Any]] = [
        [
            "phan_to",
            "gia_tri",
            "so_phieu",
            "ty_le_hai_long",
            "can_duoi_95",
            "can_tren_95",
            "diem_tb",
            "diem_tb_duoi_95",
            "diem_tb_tren_95",
            "an_do_it_phieu",
        ]
    ]
    tables = [("yeu_to", c) for c in queries.element_cells(view=view)]
    for by in ("group", "district", "commune"):
        tables += [(by, c) for c in queries.index_cells(view=view, by=by)]
    for by, c in tables:
        if c.share is None or c.mean is None:
            out.append([by, c.label, "", "", "", "", "", "", "", "x"])
        else:
            out.append(
                [
                    by,
                    c.label,
                    c.n,
                    c.share.est,
                    c.share.lci,
                    c.share.uci,
                    c.mean.est,
                    c.mean.lci,
                    c.mean.uci,
                    "",
                ]
            )
    return out


def to_csv(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def workbook(*, campaign: Campaign, roots: list[Unit]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "chi_so"
    for row in index_rows(campaign=campaign, roots=roots):
        sheet.append(row)
    header, rows = microdata(campaign=campaign, roots=roots)
    data = wb.create_sheet("du_lieu")
    data.append(header)
    for row in rows:
        data.append(row)
    words = wb.create_sheet("tu_dien")
    words.append(["bien", "noi_dung", "ma_hoa"])
    for row in dictionary(campaign=campaign):
        words.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
