"""The recognition documents in the state format with the province's texts: the decision (every
commune its number and year carry, with their stars in the annex), the decision list and the
certificate (its stars drawn), as PDF and Word from the pages and the API; the place in the date line
is the province in force on the decision's date. The texts are the province's to edit (audited); the
campaign form creates a campaign and keeps bad input with a clear error."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from certification import documents, services
from certification.models import Campaign, DocumentTemplate, Recognition
from core.models import AuditEntry
from tests.certification.conftest import check_samples, district_appraise, to_district
from tests.certification.test_full_cycle import DECISION
from tests.conftest import unit
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
API = "/api/v1/certification"


@pytest.fixture
def decided(campaign, people, doi_ngo):  # type: ignore[no-untyped-def]
    """Two communes of Lục Nam recognised by one decision (123/QĐ-UBND of 20/12/2024)."""
    p = people(doi_ngo)
    regs = [district_appraise(to_district(campaign, commune, people(commune)), people(commune)) for commune in (doi_ngo, unit("07450"))]
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=p["committee"])
    check_samples(campaign, doi_ngo.parent, p)
    recognitions = [services.recognise(registration=reg, by=p["province"], **DECISION) for reg in regs]
    return recognitions, p


def _pdf_text(content: bytes) -> str:
    # Lines folded into spaces: a long line wraps where the layout puts it.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_decision_recognises_every_commune_of_its_number_with_their_stars(decided):
    recognitions, _p = decided
    content, filename = documents.recognition_decision_file(recognitions[0], "pdf")
    assert filename == "quyet-dinh-123-qd-ubnd-2024.pdf"
    text = _pdf_text(content)
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "TỈNH BẮC GIANG",
        "Số: 123/QĐ-UBND",
        "Bắc Giang, ngày 20 tháng 12 năm 2024",
        "QUYẾT ĐỊNH:",
        "Điều 1. Công nhận 2 xã, phường đạt chuẩn",
        "- Như Điều 3;",
        "TM. ỦY BAN NHÂN DÂN",
        "Phó Chủ tịch UBND tỉnh",
        "(Kèm theo Quyết định số 123/QĐ-UBND ngày 20 tháng 12 năm 2024 của Ủy ban nhân dân tỉnh Bắc Giang)",
        "Thị trấn Đồi Ngô",
        "Xã Đông Hưng",
        "Danh sách có 2 đơn vị./.",
    ):
        assert expected in text, expected
    stars = {r.registration.unit.name: r.stars for r in recognitions}
    word = Document(io.BytesIO(documents.recognition_decision_file(recognitions[1], "docx")[0]))
    annex = word.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == ["STT", "Tên đơn vị", "Huyện", "Số sao", "Hiệu lực đến"]
    assert {row.cells[1].text: int(row.cells[3].text) for row in annex.rows[1:]} == stars
    assert "QUYẾT ĐỊNH:" in [p.text for p in word.paragraphs]


def test_place_is_the_province_in_force_on_the_decision_date(bac_giang):
    new_bac_ninh = Unit.objects.create(
        code="24", edition="2025", name="Tỉnh Bắc Ninh", kind=UnitKind.PROVINCE, valid_from=dt.date(2025, 7, 1)
    )
    bac_giang.valid_to, bac_giang.successor = dt.date(2025, 6, 30), new_bac_ninh
    bac_giang.save()
    assert documents.place_name(bac_giang, dt.date(2024, 12, 20)) == "Bắc Giang"
    assert documents.place_name(bac_giang, dt.date(2026, 12, 3)) == "Bắc Ninh"
    assert documents.place_name(new_bac_ninh, dt.date(2026, 12, 3)) == "Bắc Ninh"
    # The starting texts follow the structure: the 2025 list has no townships, the 2024 one has.
    assert "xã, phường đạt" in documents.template_for(new_bac_ninh).decision_summary
    assert "thị trấn" in documents.template_for(bac_giang).decision_summary
    assert "ngày 16 tháng 6 năm 2025" in documents.template_for(new_bac_ninh).legal_bases


def test_certificate_shows_its_stars_and_disappears_once_revoked(decided, client_for):
    recognitions, p = decided
    recognition = recognitions[0]
    word = Document(io.BytesIO(documents.certificate_file(recognition, "docx")[0]))
    pictures = word.inline_shapes
    assert len(pictures) == 1 and f'descr="{recognition.stars} sao"' in word.element.xml
    section = word.sections[0]
    assert section.page_width > section.page_height  # landscape A4
    text = _pdf_text(documents.certificate_file(recognition, "pdf")[0])
    assert "GIẤY CÔNG NHẬN" in text and f"Mức đạt: {recognition.stars} sao" in text and "★" not in text
    client = client_for(p["province"])
    reg = recognition.registration
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        response = client.get(reverse("certification:certificate", args=[reg.pk, fmt]))
        assert response.status_code == 200 and response.content.startswith(magic)
    assert client.get(reverse("certification:certificate", args=[reg.pk, "odt"])).status_code == 404
    services.revoke(registration=reg, reason="Kết luận vụ việc phiền hà.", by=p["province"])
    assert client.get(reverse("certification:certificate", args=[reg.pk, "pdf"])).status_code == 404
    # The decision stays on record as issued.
    assert client.get(reverse("certification:decision_document", args=[reg.pk, "pdf"])).status_code == 200


def test_pages_and_api_serve_the_documents(decided, client_for, campaign, commune_officer, outsider):
    recognitions, p = decided
    reg = recognitions[0].registration
    client = client_for(p["province"])
    detail = client.get(reverse("certification:campaign_detail", args=[campaign.pk])).content.decode()
    assert "123/QĐ-UBND" in detail and reverse("certification:decision_document", args=[reg.pk, "docx"]) in detail
    file_page = client.get(reverse("certification:file_detail", args=[reg.pk])).content.decode()
    assert reverse("certification:certificate", args=[reg.pk, "docx"]) in file_page
    listing = client.get(reverse("certification:decision_list", args=[campaign.pk, "docx"]))
    word = Document(io.BytesIO(listing.content))
    assert word.tables[1].rows[0].cells[5].text == "Quyết định" and len(word.tables[1].rows) == 3
    for path, content_type in (
        (f"/files/{reg.pk}/decision/pdf", "application/pdf"),
        (f"/files/{reg.pk}/decision/docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (f"/files/{reg.pk}/certificate/docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (f"/campaigns/{campaign.pk}/decision-list/pdf", "application/pdf"),
    ):
        response = client.get(API + path)
        assert response.status_code == 200 and response["Content-Type"] == content_type, path
    assert client.get(f"{API}/files/{reg.pk}/decision/xls").status_code == 422
    # The commune sees its own file's documents; an outsider gets 404 for them.
    own = client_for(commune_officer)
    assert own.get(f"{API}/files/{reg.pk}/decision/pdf").status_code == 200
    assert client_for(outsider).get(f"{API}/files/{reg.pk}/decision/pdf").status_code == 404
    assert client_for(outsider).get(reverse("certification:decision_document", args=[reg.pk, "pdf"])).status_code == 404


def _texts(template: DocumentTemplate, **changes: str) -> dict[str, str]:
    return {**{name: getattr(template, name) for name in DocumentTemplate.TEXT_FIELDS}, **changes}


def test_the_province_edits_its_texts_audited_and_the_decision_prints_them(decided, bac_giang, province_officer):
    recognitions, _p = decided
    defaults = documents.template_for(bac_giang)
    texts = _texts(
        defaults,
        articles="Công nhận {so_don_vi} đơn vị năm {nam}.\n\nQuyết định này có hiệu lực kể từ ngày ký.",
        recipients="Sở Nội vụ\nLưu: VT",
        signature_titles="KT. Chủ tịch\nPhó Chủ tịch",
    )
    template = services.save_document_template(province=bac_giang, texts=texts, executors_article=None, by=province_officer)
    entry = AuditEntry.objects.filter(model_label="certification.DocumentTemplate").latest("pk")
    assert entry.action == "create" and entry.actor == province_officer
    text = _pdf_text(documents.recognition_decision_file(recognitions[0], "pdf")[0])
    assert "Điều 1. Công nhận 2 đơn vị năm 2024." in text and "Điều 3." not in text
    assert "Như Điều" not in text and "- Sở Nội vụ;" in text and "- Lưu: VT." in text and "TM. ỦY BAN" not in text
    services.save_document_template(province=bac_giang, texts=_texts(template, symbol="QĐ-CT"), executors_article=None, by=province_officer)
    change = AuditEntry.objects.filter(model_label="certification.DocumentTemplate").latest("pk")
    assert change.action == "update" and change.before["symbol"] == "QĐ-UBND" and change.after["symbol"] == "QĐ-CT"


def test_bad_texts_are_refused_with_every_problem_named_and_nothing_saved(bac_giang, province_officer, district_officer):
    defaults = documents.template_for(bac_giang)
    with pytest.raises(ValidationError) as refused:
        services.save_document_template(
            province=bac_giang,
            texts=_texts(defaults, articles="Công nhận {so_xa} xã.", issuing_body="", certificate_text="{__class__}"),
            executors_article=3,
            by=province_officer,
        )
    errors = refused.value.message_dict
    assert "“{so_xa}” không phải là chỗ điền" in errors["articles"][0]
    assert "không được để trống" in errors["issuing_body"][0]
    assert "{__class__}" in errors["certificate_text"][0]
    assert "chỉ có 1 điều" in errors["executors_article"][0]
    with pytest.raises(ValidationError):
        services.save_document_template(
            province=bac_giang, texts=_texts(defaults, symbol="x" * 31), executors_article=3, by=province_officer
        )
    with pytest.raises(PermissionDenied):
        services.save_document_template(province=bac_giang, texts=_texts(defaults), executors_article=3, by=district_officer)
    assert not DocumentTemplate.objects.exists()


def test_template_page_and_api(bac_giang, province_officer, district_officer, client_for):
    client = client_for(province_officer)
    listing = client.get(reverse("certification:document_templates"))
    assert listing.status_code == 200 and "Tỉnh Bắc Giang" in listing.content.decode()
    url = reverse("certification:document_template", args=[bac_giang.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Căn cứ Luật Thực hiện dân chủ ở cơ sở" in page.content.decode()
    data = _texts(documents.template_for(bac_giang), decision_summary="Về việc công nhận năm {năm}")
    data["executors_article"] = "3"
    bad = client.post(url, data)
    body = bad.content.decode()
    assert bad.status_code == 200 and "không phải là chỗ điền" in body and "Căn cứ Luật Thực hiện dân chủ ở cơ sở" in body
    assert not DocumentTemplate.objects.exists()
    data["decision_summary"] = "Về việc công nhận năm {nam}"
    assert client.post(url, data).status_code == 302
    assert DocumentTemplate.objects.get(province=bac_giang).decision_summary == "Về việc công nhận năm {nam}"
    # Not the district's to edit: 404 on the page, 404 through the API, 403 on the menu's list.
    other = client_for(district_officer)
    assert other.get(url).status_code == 404
    assert other.get(reverse("certification:document_templates")).status_code == 403
    assert other.get(f"{API}/document-templates/{bac_giang.pk}").status_code == 404
    got = client.get(f"{API}/document-templates/{bac_giang.pk}").json()
    assert got["saved"] and got["executors_article"] == 3
    payload = {**{k: got[k] for k in DocumentTemplate.TEXT_FIELDS}, "executors_article": 7}
    refused = client.put(f"{API}/document-templates/{bac_giang.pk}", json.dumps(payload), content_type="application/json")
    assert refused.status_code == 422 and "Điều 7" in refused.content.decode("unicode_escape")
    payload["executors_article"] = 3
    payload["symbol"] = "QĐ-UBND"
    assert client.put(f"{API}/document-templates/{bac_giang.pk}", json.dumps(payload), content_type="application/json").status_code == 200


def test_campaign_form(province_officer, criteria_set, client_for):
    client = client_for(province_officer)
    data = {
        "year": 2025,
        "name": "Đợt 2025",
        "criteria_set": criteria_set.pk,
        "approval_chain": "cdp",
        "target_percent": "60",
        "registration_opens": "2025-01-15",
        "registration_closes": "2025-01-01",
        "self_assessment_due": "2025-03-31",
        "district_appraisal_due": "2025-05-15",
        "province_appraisal_due": "2025-06-25",
    }
    bad = client.post(reverse("certification:campaign_create"), data)
    assert bad.status_code == 200 and "Hạn đăng ký phải sau ngày mở đăng ký" in bad.content.decode() and "Đợt 2025" in bad.content.decode()
    assert not Campaign.objects.filter(year=2025).exists()
    data["registration_closes"] = "2025-02-28"
    data["district_targets"] = "218 = 70\n999 = 50"
    assert "Dòng 2" in client.post(reverse("certification:campaign_create"), data).content.decode()
    data["district_targets"] = "218 = 70"
    ok = client.post(reverse("certification:campaign_create"), data)
    campaign = Campaign.objects.get(year=2025)
    assert ok.status_code == 302 and campaign.target_share == Decimal("0.6")
    assert [(t.district.code, t.target_share) for t in campaign.district_targets.all()] == [("218", Decimal("0.7"))]
    rows, _total = __import__("certification.queries", fromlist=["x"]).target_progress(campaign=campaign)
    assert next(r for r in rows if r.unit.code == "218").target_count == 17  # 70 % of Lục Nam's 24 communes


def test_recognitions_of_another_year_with_the_same_number_are_another_decision(decided):
    recognitions, _p = decided
    other = Recognition.objects.get(pk=recognitions[1].pk)
    other.decision_date = dt.date(2025, 1, 5)  # numbering restarted on 1 January
    other.save()
    assert [r.pk for r in documents.decision_members(recognitions[0])] == [recognitions[0].pk]
