"""Inputs that used to crash certification: revoking a file that was never recognised (a 500 from a
missing recognition) and markup characters in a decision's text, which reportlab parsed as markup so
the certificate and the decision list could never be printed again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from reportlab.platypus import Paragraph

from certification import documents, services
from certification.models import FileState, Recognition, Registration
from core.models import AuditEntry
from core.pdf import markup_text
from tests.certification.conftest import check_samples, district_appraise, to_district
from tests.certification.test_full_cycle import DECISION

pytestmark = pytest.mark.django_db

MARKUP = "<b>&amp;<script>"


def _at_province(campaign, people, commune) -> tuple[Registration, dict]:  # type: ignore[no-untyped-def]
    p = people(commune)
    reg = district_appraise(to_district(campaign, commune, p), p)
    services.forward_district(campaign=campaign, district=commune.parent, by=p["committee"])
    check_samples(campaign, commune.parent, p)
    reg.refresh_from_db()
    return reg, p


def test_revoking_a_file_never_recognised_is_refused_clearly(campaign, people, doi_ngo):
    reg, p = _at_province(campaign, people, doi_ngo)
    with pytest.raises(ValidationError) as refused:
        services.revoke(registration=reg, reason="Thu hồi thử", by=p["province"])
    assert "Không thể thực hiện thao tác này" in " ".join(refused.value.messages)
    reg.refresh_from_db()
    assert reg.state == FileState.AT_PROVINCE
    assert not AuditEntry.objects.filter(model_label="certification.Recognition").exists()


def test_revoke_button_and_api_on_a_file_never_recognised_answer_without_a_server_error(campaign, people, doi_ngo, client_for):
    reg, p = _at_province(campaign, people, doi_ngo)
    client = client_for(p["province"])
    unconfirmed = client.post(reverse("certification:act", args=[reg.pk, "revoke"]), {"reason": "Thu hồi thử"})
    assert any("xác nhận" in str(m) for m in get_messages(unconfirmed.wsgi_request))
    page = client.post(reverse("certification:act", args=[reg.pk, "revoke"]), {"reason": "Thu hồi thử", "confirm": "1"})
    assert page.status_code == 302
    assert any("Không thể thực hiện thao tác này" in str(m) for m in get_messages(page.wsgi_request))
    api = client.post(f"/api/v1/certification/files/{reg.pk}/revoke", {"reason": "Thu hồi thử"}, content_type="application/json")
    assert api.status_code in {400, 409, 422}, api.content
    assert "Không thể thực hiện thao tác này" in api.json()["detail"]
    reg.refresh_from_db()
    assert reg.state == FileState.AT_PROVINCE


def test_markup_text_is_printed_literally():
    for text in (MARKUP, "12/QĐ-UBND & 13/QĐ-UBND", "a < b > c", 'Ông "A" <Phó Chủ tịch>'):
        assert Paragraph(markup_text(text)).getPlainText() == text


def test_certificate_and_decision_list_print_markup_characters_in_every_text_field(campaign, people, doi_ngo):
    reg, p = _at_province(campaign, people, doi_ngo)
    recognition = services.recognise(
        registration=reg, by=p["province"], **{**DECISION, "decision_number": MARKUP, "signer": f"{MARKUP} Phó Chủ tịch"}
    )
    reg = Registration.objects.select_related("unit", "district", "campaign__province").get(pk=reg.pk)
    for unit in (reg.unit, reg.district, reg.campaign.province):
        unit.name = f"{unit.name} {MARKUP}"
        unit.short_name = MARKUP
    recognition = Recognition.objects.get(pk=recognition.pk)
    recognition.registration = reg
    reg.recognition = recognition

    for fmt in documents.FORMATS:
        certificate, _name = documents.certificate_file(recognition, fmt)
        decision, _name = documents.recognition_decision_file(recognition, fmt)
        decision_list, _name = documents.decision_list_file(reg.campaign, [reg], fmt)
        for content in (certificate, decision, decision_list):
            assert content.startswith(b"%PDF" if fmt == "pdf" else b"PK")
    assert b"LiberationSerif" in certificate_pdf_bytes(recognition)


def certificate_pdf_bytes(recognition: Recognition) -> bytes:
    return documents.certificate_file(recognition, "pdf")[0]


def test_certificate_download_with_markup_in_the_decision_is_served(campaign, people, doi_ngo, client_for):
    reg, p = _at_province(campaign, people, doi_ngo)
    services.recognise(
        registration=reg, by=p["province"], **{**DECISION, "decision_number": f"5/QĐ {MARKUP}", "signer": f"{MARKUP} Phó Chủ tịch"}
    )
    client = client_for(p["province"])
    certificate = client.get(reverse("certification:certificate", args=[reg.pk, "pdf"]))
    assert certificate.status_code == 200 and b"".join(certificate).startswith(b"%PDF")
    listing = client.get(reverse("certification:decision_list", args=[reg.campaign.pk, "pdf"]))
    assert listing.status_code == 200


def test_text_longer_than_its_column_is_refused_in_vietnamese(campaign, people, doi_ngo, client_for, criteria_set, bac_giang):
    # PostgreSQL refused these with a server error; SQLite stored them whole.
    reg, p = _at_province(campaign, people, doi_ngo)
    client = client_for(p["province"])
    decision = {"decision_number": "1" * 61, "decision_date": "2024-12-20", "signer": "S" * 201, "valid_until": "2025-12-31"}
    api = client.post(f"/api/v1/certification/files/{reg.pk}/recognise", decision, content_type="application/json")
    assert api.status_code == 422, api.content
    detail = str(api.json()["detail"])
    assert "“Số quyết định” dài tối đa 60 ký tự." in detail and "“Người ký” dài tối đa 200 ký tự." in detail
    assert not Recognition.objects.filter(registration=reg).exists()
    with pytest.raises(ValidationError) as refused:
        services.create_campaign(
            by=p["province"],
            province=bac_giang,
            year=2030,
            name="Đ" * 301,
            criteria_set=criteria_set,
            approval_chain="cp",
            target_share=Decimal("0.5"),
            registration_opens=dt.date(2030, 3, 1),
            registration_closes=dt.date(2030, 4, 1),
            self_assessment_due=dt.date(2030, 5, 1),
            district_appraisal_due=None,
            province_appraisal_due=dt.date(2030, 6, 1),
        )
    assert "“Tên đợt” dài tối đa 300 ký tự." in str(refused.value)
