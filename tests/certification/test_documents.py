"""Printable outputs: the decision list in Word follows the state format (national title, motto,
number, summary, recipients; Times New Roman 13) and the PDFs embed a font with Vietnamese glyphs.
The campaign form creates a campaign and keeps bad input with a clear error."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from certification import documents, services
from certification.models import Campaign
from tests.certification.conftest import district_appraise, to_district
from tests.certification.test_full_cycle import DECISION

pytestmark = pytest.mark.django_db


def test_word_and_pdf(campaign, people, doi_ngo):
    p = people(doi_ngo)
    reg = district_appraise(to_district(campaign, doi_ngo, p), p)
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=p["committee"])
    recognition = services.recognise(registration=reg, by=p["province"], **DECISION)
    doc = Document(io.BytesIO(documents.decision_list_docx(campaign, [reg])))
    text = "\n".join(c.text for c in doc.tables[0].rows[0].cells) + "\n".join(par.text for par in doc.paragraphs)
    for expected in (
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:",
        "QUYẾT ĐỊNH",
        "Về việc công nhận",
        "Nơi nhận:",
    ):
        assert expected in text, expected
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt == 13
    assert doc.tables[1].rows[1].cells[1].text == "Thị trấn Đồi Ngô"
    pdf = documents.certificate_pdf(reg, recognition)
    assert pdf.startswith(b"%PDF") and b"DejaVuSerif" in pdf


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
