"""Every staff page renders for the people who use it and keeps what they typed on a bad input."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import FileState, SelfScore
from tests.certification.conftest import check_samples, district_appraise, to_district
from tests.certification.test_full_cycle import DECISION

pytestmark = pytest.mark.django_db


def test_pages_walk(campaign, people, doi_ngo, dong_hung, client_for, criteria_set):
    p = people(doi_ngo)
    officer = client_for(p["officer"])
    # not registered yet: the commune page offers registration
    page = officer.get(reverse("certification:commune_file", args=[campaign.pk, doi_ngo.pk]))
    assert page.status_code == 200 and "Đăng ký" in page.content.decode()
    response = officer.post(reverse("certification:commune_file", args=[campaign.pk, doi_ngo.pk]))
    reg = campaign.registrations.get(unit=doi_ngo)
    assert response.status_code == 302 and response["Location"] == reverse("certification:file_detail", args=[reg.pk])
    assert officer.get(reverse("certification:file_detail", args=[reg.pk])).status_code == 200
    form = officer.get(reverse("certification:self_assessment", args=[reg.pk]))
    assert form.status_code == 200
    crit = criteria_set.criteria.get(code="I.1")
    bad = officer.post(
        reverse("certification:self_assessment", args=[reg.pk]), {f"score_{crit.pk}": "7", f"explanation_{crit.pk}": "Đã niêm yết"}
    )
    assert bad.status_code == 200 and "vượt quá điểm tối đa" in bad.content.decode() and "Đã niêm yết" in bad.content.decode()
    assert not SelfScore.objects.filter(registration=reg, criterion=crit).exists()
    pdf = io.BytesIO(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    pdf.name = "to-trinh.pdf"
    officer.post(reverse("certification:upload_document", args=[reg.pk]), {"kind": "submission", "file": pdf})
    assert reg.documents.filter(kind="submission").exists()

    # take the file to the province through the services, then look at every page
    # Đồi Ngô stays a draft; Đông Hưng goes up
    q = people(dong_hung)
    reg2 = district_appraise(to_district(campaign, dong_hung, q), q)
    province = client_for(p["province"])
    for name, args in [
        ("campaign_list", []),
        ("campaign_detail", [campaign.pk]),
        ("targets", [campaign.pk]),
        ("overdue", [campaign.pk]),
        ("quality", [campaign.pk]),
        ("criteria_list", []),
        ("criteria_detail", [criteria_set.pk]),
        ("criteria_import", []),
        ("campaign_create", []),
        ("file_detail", [reg2.pk]),
    ]:
        assert province.get(reverse(f"certification:{name}", args=args)).status_code == 200, name
    for name, args in [("quality_export", [campaign.pk]), ("criteria_export", [criteria_set.pk])]:
        assert province.get(reverse(f"certification:{name}", args=args)).content[:2] == b"PK"
    committee = client_for(p["committee"])
    assert committee.get(reverse("certification:campaign_detail", args=[campaign.pk])).status_code == 200
    # Đồi Ngô, registered, has not submitted yet: the district's list waits for it until the deadline
    committee.post(reverse("certification:forward", args=[campaign.pk, doi_ngo.parent.pk]))
    reg2.refresh_from_db()
    assert reg2.state == FileState.DISTRICT_PROPOSED
    type(campaign).objects.filter(pk=campaign.pk).update(self_assessment_due=timezone.localdate() - dt.timedelta(days=1))
    committee.post(reverse("certification:forward", args=[campaign.pk, doi_ngo.parent.pk]))
    reg2.refresh_from_db()
    assert reg2.state == FileState.AT_PROVINCE
    assert "chưa thể quyết định hồ sơ nào của huyện này" in province.get(reverse("certification:decide", args=[reg2.pk])).content.decode()
    check_samples(campaign, doi_ngo.parent, q)
    decide = province.post(reverse("certification:decide", args=[reg2.pk]), {**DECISION, "confirm": "on"})
    assert decide.status_code == 302
    assert province.get(reverse("certification:certificate", args=[reg2.pk, "pdf"])).content[:4] == b"%PDF"
    assert province.get(reverse("certification:decision_list", args=[campaign.pk, "pdf"])).content[:4] == b"%PDF"
    assert province.get(reverse("certification:decision_list", args=[campaign.pk, "docx"])).content[:2] == b"PK"
    home = province.get("/")
    assert reg2.unit.name in home.content.decode()
