"""Printable outputs. In the state format (Decree 30/2020/ND-CP, appendix I; laid out by
core.state_documents), with the texts the province edits (`DocumentTemplate`):

- the recognition decision: one decision recognises every commune that carries its number and year
  (numbers restart each 1 January), with the list of those communes and their stars in an annex;
- the decision list: the campaign's communes holding a recognition, with their decisions;
- the certificate (giấy công nhận) of one commune, its stars drawn.

Each comes out as Word (.docx) and PDF. Also the appraisal-quality table (Excel)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from certification.models import Campaign, DocumentTemplate, Recognition, Registration
from certification.queries import QualityRow
from core import state_documents as sd
from core.text import search_key
from units.models import Unit
from units.structure import current_unit, in_force_on, two_tier_from

FORMATS = ("pdf", "docx")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def template_for(province: Unit) -> DocumentTemplate:
    """The province's saved texts, or the starting texts for a province of its structure."""
    saved = DocumentTemplate.objects.filter(province=province).first()
    if saved is not None:
        return saved
    return DocumentTemplate.defaults_for(province, two_tier=in_force_on(province, two_tier_from()))


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each {placeholder} it may use replaced; anything else in braces stays as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())


def place_name(province: Unit, on: dt.date) -> str:
    """The place in the date line: the province in force on the document's date ("Bắc Ninh" for a
    2026 decision of the new Bắc Ninh, "Bắc Giang" for a 2024 decision of Bắc Giang)."""
    unit = current_unit(province, on) or province
    if unit.short_name:
        return unit.short_name
    for prefix in (f"{unit.type_name} ", "Tỉnh ", "Thành phố "):
        if prefix.strip() and unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def _date_words(day: dt.date) -> str:
    # "ngày 03 tháng 12 năm 2026", the date line's spelling
    return sd.date_line("", day).removeprefix(", ")


def _number(recognition: Recognition, template: DocumentTemplate) -> str:
    return sd.number_line(recognition.decision_number, template.symbol).removeprefix("Số: ")


def _heading(template: DocumentTemplate, *, number: str = "", place_date: str = "") -> sd.Heading:
    return sd.Heading(
        issuing_body=_lines(template.issuing_body),
        parent_body=_lines(template.parent_body),
        number=f"Số: {number}" if number else "",
        place_date=place_date,
    )


def decision_members(recognition: Recognition) -> QuerySet[Recognition]:
    """Every recognition the same decision carries: same province, same number, same year."""
    campaign = recognition.registration.campaign
    return (
        Recognition.objects.filter(
            registration__campaign__province=campaign.province,
            decision_number=recognition.decision_number,
            decision_date__year=recognition.decision_date.year,
        )
        .select_related("registration__unit", "registration__district", "registration__campaign")
        .order_by("registration__district__name", "registration__unit__name")
    )


def _file_name(kind: str, number: str, year: int, extension: str) -> str:
    slug = "-".join(re.findall(r"[a-z0-9]+", search_key(number))) or "so"
    return f"{kind}-{slug}-{year}.{extension}"


def recognition_decision(recognition: Recognition) -> sd.StateDocument:
    """The decision that recognised `recognition`'s commune, with all the communes it recognised."""
    registration = recognition.registration
    campaign = registration.campaign
    template = template_for(campaign.province)
    members = list(decision_members(recognition))
    values = {"nam": str(campaign.year), "so_don_vi": str(len(members))}
    number = _number(recognition, template)
    day = recognition.decision_date
    articles = tuple(fill(a, values) for a in template.article_list())
    executors = template.executors_article
    recipients = ((f"Như Điều {executors}",) if executors and executors <= len(articles) else ()) + _lines(template.recipients)
    with_district = any(r.registration.district_id for r in members)
    header = ("STT", "Tên đơn vị", *(("Huyện",) if with_district else ()), "Số sao", "Hiệu lực đến")
    rows = tuple(
        (
            str(i),
            r.registration.unit.name,
            *((r.registration.district.name if r.registration.district else "",) if with_district else ()),
            str(r.stars),
            f"{r.valid_until:%d/%m/%Y}",
        )
        for i, r in enumerate(members, start=1)
    )
    widths = (13, 62 if with_district else 100, *((38,) if with_district else ()), 24, 28)  # mm of 165
    centred = frozenset({0, len(header) - 2, len(header) - 1})
    annex = sd.Annex(
        title=template.annex_title,
        summary=fill(template.annex_summary, values),
        reference=f"(Kèm theo Quyết định số {number} {_date_words(day)} của {template.issuer_name})",
        table=sd.DataTable(header, rows, widths, centred),
        closing=f"Danh sách có {len(members)} đơn vị./.",
    )
    return sd.StateDocument(
        heading=_heading(template, number=number, place_date=sd.date_line(place_name(campaign.province, day), day)),
        kind="Quyết định",
        summary=fill(template.decision_summary, values),
        authority=template.authority,
        legal_bases=tuple(fill(line, values) for line in _lines(template.legal_bases)),
        articles=articles,
        recipients=recipients,
        signature=sd.Signature(_lines(template.signature_titles), recognition.signer),
        annexes=(annex,),
    )


def recognition_decision_file(recognition: Recognition, fmt: str) -> tuple[bytes, str]:
    document = recognition_decision(recognition)
    content = sd.render_pdf(document) if fmt == "pdf" else sd.render_docx(document)
    return content, _file_name("quyet-dinh", recognition.decision_number, recognition.decision_date.year, fmt)


def _points(total: Decimal) -> str:
    """93 or 93,5 (a decimal comma, no trailing zeros)."""
    return f"{total:.2f}".rstrip("0").rstrip(".").replace(".", ",")


DECISION_HEADER = ("STT", "Đơn vị", "Huyện", "Số sao", "Điểm", "Quyết định", "Hiệu lực đến")


def decision_list(campaign: Campaign, recognised: Iterable[Registration]) -> sd.StateDocument:
    """The campaign's recognised communes (as many as the reader's scope holds), each with its
    decision; dated by the latest of those decisions (today when there is none)."""
    template = template_for(campaign.province)
    registrations = list(recognised)
    rows = tuple(
        (
            str(i),
            reg.unit.name,
            reg.district.name if reg.district else "",
            str(reg.recognition.stars),
            _points(reg.recognition.total),
            f"{sd.number_line(reg.recognition.decision_number, template.symbol).removeprefix('Số: ')} "
            f"ngày {reg.recognition.decision_date:%d/%m/%Y}",
            f"{reg.recognition.valid_until:%d/%m/%Y}",
        )
        for i, reg in enumerate(registrations, start=1)
    )
    day = max((reg.recognition.decision_date for reg in registrations), default=timezone.localdate())
    return sd.StateDocument(
        heading=_heading(template, place_date=sd.date_line(place_name(campaign.province, day), day)),
        kind=template.annex_title,
        summary=fill(template.annex_summary, {"nam": str(campaign.year), "so_don_vi": str(len(registrations))}),
        # Widths in millimetres of the 165 mm text width: a date, a score and "STT" on one line.
        table=sd.DataTable(DECISION_HEADER, rows, (13, 35, 28, 13, 15, 37, 24), frozenset({0, 3, 4, 6})),
        closing=f"Tổng số: {len(registrations)} đơn vị./.",
    )


def decision_list_file(campaign: Campaign, recognised: Iterable[Registration], fmt: str) -> tuple[bytes, str]:
    document = decision_list(campaign, recognised)
    content = sd.render_pdf(document) if fmt == "pdf" else sd.render_docx(document)
    return content, f"danh-sach-cong-nhan-{campaign.year}.{fmt}"


def certificate(recognition: Recognition) -> sd.Certificate:
    registration = recognition.registration
    campaign = registration.campaign
    template = template_for(campaign.province)
    number = _number(recognition, template)
    day = recognition.decision_date
    values = {
        "nam": str(campaign.year),
        "don_vi": registration.unit.name,
        "so_sao": str(recognition.stars),
        "so_quyet_dinh": number,
        "ngay_quyet_dinh": f"{day:%d/%m/%Y}",
        "hieu_luc_den": f"{recognition.valid_until:%d/%m/%Y}",
    }
    holder_lines = (f"{registration.district.name}",) if registration.district else ()
    return sd.Certificate(
        heading=_heading(template),
        authority=template.certificate_authority,
        title=template.certificate_title,
        holder=registration.unit.name,
        lines=holder_lines + tuple(fill(line, values) for line in _lines(template.certificate_text)),
        stars=recognition.stars,
        references=(
            f"Quyết định số {number} ngày {day:%d/%m/%Y} của {template.issuer_name}.",
            f"Có giá trị đến ngày {recognition.valid_until:%d/%m/%Y}.",
        ),
        place_date=sd.date_line(place_name(campaign.province, day), day),
        signature=sd.Signature(_lines(template.certificate_signature_titles), recognition.signer),
    )


def certificate_file(recognition: Recognition, fmt: str) -> tuple[bytes, str]:
    document = certificate(recognition)
    content = sd.certificate_pdf(document) if fmt == "pdf" else sd.certificate_docx(document)
    registration = recognition.registration
    return content, f"giay-cong-nhan-{registration.unit.code}-{registration.campaign.year}.{fmt}"


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
