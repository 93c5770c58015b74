"""What a community decision or a consultation puts on the public record: the document in the
state format (Decree 30/2020/ND-CP, core.state_documents) and the public record handed to the
commune's disclosure register through core.disclosures (conf: which acts count as disclosures and
under which category). Reads the models and computes; the services publish."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core import disclosures, links
from core import state_documents as sd
from participation import conf, rules
from participation.models import CommuneMatter, Consultation, Matter, Method
from units.models import Unit


def _issuer(commune: Unit) -> str:
    return f"UBND {commune.name}"


def _heading(commune: Unit, day: dt.date, number: str = "") -> sd.Heading:
    return sd.Heading(
        issuing_body=("ỦY BAN NHÂN DÂN", commune.name.upper()),
        number=sd.number_line(number, "BC-UBND") if number else "",
        place_date=sd.date_line(commune.short_name or commune.name, day),
    )


def consultation_document(consultation: Consultation) -> sd.StateDocument:
    """The commune's summary report: the opinions received by channel, then each group of opinions
    with whether it was taken up and why."""
    day = consultation.summarised_on or consultation.closes_on
    opinions = list(consultation.opinions.all())
    groups = list(consultation.groups.all())
    counts = {g.pk: 0 for g in groups}
    for o in opinions:
        if o.group_id in counts:
            counts[o.group_id] += 1
    rows = tuple(
        (str(n), g.topic, str(counts[g.pk]), "Tiếp thu" if g.taken_up else "Không tiếp thu", g.reason)
        for n, g in enumerate(groups, start=1)
    )
    return sd.StateDocument(
        heading=_heading(consultation.unit, day),
        kind="BÁO CÁO",
        summary=f"Tổng hợp, tiếp thu, giải trình ý kiến của Nhân dân về dự thảo “{consultation.title}”",
        paragraphs=(
            f"Dự thảo được công bố lấy ý kiến Nhân dân từ ngày {consultation.published_on:%d/%m/%Y} "
            f"đến hết ngày {consultation.closes_on:%d/%m/%Y}; đã nhận {len(opinions)} ý kiến.",
            consultation.summary,
        ),
        table=sd.DataTable(("STT", "Nhóm ý kiến", "Số ý kiến", "Tiếp thu", "Giải trình"), rows, (8, 45, 12, 20, 80), frozenset({0, 2}))
        if rows
        else None,
        closing="Báo cáo này được công khai theo Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15, Điều 11./.",
    )


def consultation_record(consultation: Consultation, *, document: bytes) -> disclosures.PublicRecord:
    day = consultation.summarised_on or consultation.closes_on
    return disclosures.PublicRecord(
        unit=consultation.unit,
        category=conf.CONSULTATION_DISCLOSURE_CATEGORY,
        title=f"Tổng hợp, tiếp thu, giải trình ý kiến Nhân dân về dự thảo: {consultation.title}",
        document_date=day,
        issuer=_issuer(consultation.unit),
        source_key=f"participation.consultation:{consultation.pk}",
        source_link=links.absolute_url("participation_public:consultation", consultation.pk),
        disclosed_on=day,
        document=document,
        document_name=f"tong-hop-y-kien-{consultation.pk}.pdf",
    )


def matter_category(matter: Matter) -> int | None:
    """The disclosure category a recognised decision falls under, or None when it is not one."""
    return conf.DISCLOSURE_CATEGORY_BY_SUBJECT.get(matter.subject)


def matter_document(matter: Matter, commune: Unit) -> sd.StateDocument:
    """The result and its recognition: the arithmetic over all households, the minutes."""
    day = matter.recognised_on or matter.decided_on or timezone.localdate()
    arithmetic = (
        rules.assess(matter.subject, matter.households_total or 0, [(o.label, o.votes) for o in matter.options.all()])
        if (matter.households_total)
        else []
    )
    method = {
        Method.MEETING: "hội nghị thôn (mỗi hộ một đại diện)",
        Method.BALLOT: "phát phiếu lấy ý kiến hộ gia đình",
        Method.ONLINE: "biểu quyết trực tuyến",
    }.get(Method(matter.method), matter.method)
    paragraphs = [
        f"{matter.village.name} bàn và quyết định nội dung “{matter.title}” ({matter.get_subject_display()}) "
        f"bằng hình thức {method}, có kết quả ngày {matter.decided_on:%d/%m/%Y}."
        if matter.decided_on
        else f"{matter.village.name} bàn và quyết định nội dung “{matter.title}”.",
        f"Tổng số hộ của thôn: {matter.households_total}; số hộ tham gia: {matter.represented}. "
        f"Điều kiện thông qua: {rules.rule_text(matter.subject)}.",
        *(a.explanation() + "." for a in arithmetic),
        "Kết quả: " + ("được thông qua." if matter.passed else "không được thông qua."),
    ]
    if matter.minutes:
        paragraphs.append(f"Biên bản: {matter.minutes}")
    if matter.recognised_on:
        paragraphs.append(f"UBND xã công nhận kết quả ngày {matter.recognised_on:%d/%m/%Y} (văn bản {matter.recognition_ref}).")
    return sd.StateDocument(
        heading=_heading(commune, day),
        kind="THÔNG BÁO",
        summary=f"Kết quả bàn và quyết định của cộng đồng dân cư: {matter.title}",
        paragraphs=tuple(paragraphs),
        closing="Thông báo này được công khai theo Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15./.",
    )


def matter_record(matter: Matter, commune: Unit, *, category: int, document: bytes) -> disclosures.PublicRecord:
    assert matter.recognised_on is not None
    return disclosures.PublicRecord(
        unit=commune,
        category=category,
        title=f"Kết quả bàn và quyết định của {matter.village.name}: {matter.title}",
        document_date=matter.recognised_on,
        document_number=matter.recognition_ref,
        issuer=_issuer(commune),
        source_key=f"participation.matter:{matter.pk}",
        source_link=links.absolute_url("participation_public:matter", matter.pk),
        disclosed_on=matter.recognised_on,
        document=document,
        document_name=f"ket-qua-ban-va-quyet-dinh-{matter.pk}.pdf",
    )


def commune_matter_document(item: CommuneMatter, matters: list[Matter], counts: list[rules.VillageCount]) -> sd.StateDocument:
    """The commune-wide result: each village's result over all its households, then the villages
    counted against the commune's rule."""
    day = item.decided_on or timezone.localdate()
    rows = []
    for n, m in enumerate(matters, start=1):
        results = rules.assess(m.subject, m.households_total or 0, [(o.label, o.votes) for o in m.options.all()])
        winner = next((r.label for r in results if r.passed), "không phương án nào đạt")
        votes = "; ".join(f"{r.label}: {r.votes}/{r.households_total} (cần {r.needed})" for r in results)
        rows.append((str(n), m.village.name, str(m.households_total), votes, winner))
    return sd.StateDocument(
        heading=_heading(item.commune, day, item.reference),
        kind="THÔNG BÁO",
        summary=f"Kết quả bàn và quyết định toàn xã: {item.title}",
        paragraphs=(
            f"Nội dung “{item.title}” ({item.get_subject_display()}) được {len(matters)} thôn, tổ dân phố của "
            f"{item.commune.name} bàn và quyết định; mỗi thôn tính trên tổng số hộ của thôn.",
            f"Điều kiện thông qua toàn xã: {rules.commune_rule_text(item.subject)}.",
            *(c.explanation() + "." for c in counts),
            "Kết quả: " + ("được thông qua." if item.passed else "không được thông qua."),
        ),
        table=sd.DataTable(
            ("STT", "Thôn, tổ dân phố", "Tổng số hộ", "Biểu quyết", "Phương án đạt"), tuple(rows), (8, 35, 15, 70, 30), frozenset({0, 2})
        ),
        closing="Thông báo này được công khai theo Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15./.",
    )


def commune_matter_record(item: CommuneMatter, *, category: int, document: bytes) -> disclosures.PublicRecord:
    assert item.decided_on is not None
    return disclosures.PublicRecord(
        unit=item.commune,
        category=category,
        title=f"Kết quả bàn và quyết định toàn xã: {item.title}",
        document_date=item.decided_on,
        document_number=item.reference,
        issuer=_issuer(item.commune),
        source_key=f"participation.commune_matter:{item.pk}",
        source_link=links.absolute_url("participation_public:commune_matter", item.pk),
        disclosed_on=item.decided_on,
        document=document,
        document_name=f"ket-qua-toan-xa-{item.pk}.pdf",
    )
