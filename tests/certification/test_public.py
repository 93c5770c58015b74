"""The public portal: the home page lists recognised communes with year and decision; the full list
page pages through them; each commune page shows its status (never scores of a file in progress)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from certification import services
from tests.certification.conftest import check_samples, district_appraise, to_district
from tests.certification.test_full_cycle import DECISION

pytestmark = pytest.mark.django_db


def test_public_pages(campaign, people, doi_ngo, dong_hung):
    p = people(doi_ngo)
    reg = district_appraise(to_district(campaign, doi_ngo, p), p)
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=p["committee"])
    check_samples(campaign, doi_ngo.parent, p)
    services.recognise(registration=reg, by=p["province"], **DECISION)
    q = people(dong_hung)
    to_district(campaign, dong_hung, q)

    client = Client()
    listing = client.get(reverse("certification_public:recognised")).content.decode()
    assert "Thị trấn Đồi Ngô" in listing and "123/QĐ-UBND" in listing and "Xã Đông Hưng" not in listing
    assert "1/192 đơn vị được công nhận" in listing
    unit_page = client.get(reverse("portal:unit", args=["2024", doi_ngo.code])).content.decode()
    assert "đạt chuẩn 4 sao" in unit_page and "123/QĐ-UBND" in unit_page
    pending = client.get(reverse("portal:unit", args=["2024", dong_hung.code])).content.decode()
    assert "đang trong quá trình đánh giá" in pending and "96,00" not in pending and "96.00" not in pending
    services.revoke(registration=reg, reason="Sách nhiễu đã kết luận", by=p["province"])
    assert "công nhận đã bị thu hồi" in client.get(reverse("portal:unit", args=["2024", doi_ngo.code])).content.decode()
    assert "Thị trấn Đồi Ngô" not in client.get(reverse("certification_public:recognised")).content.decode()


def test_self_assessment_autosave(campaign, commune_officer, doi_ngo, client_for):
    reg = services.register(campaign=campaign, unit=doi_ngo, by=commune_officer)
    crit = campaign.criteria_set.criteria.get(code="I.2")
    url = reverse("certification:self_assessment", args=[reg.pk])
    client = client_for(commune_officer)
    ok = client.post(url, {f"score_{crit.pk}": "3,5", f"explanation_{crit.pk}": "Biên bản"}, headers={"X-Autosave": "1"})
    assert ok.json() == {"saved": True, "errors": []}
    assert reg.self_scores.get(criterion=crit).score == 3.5
    bad = client.post(url, {f"score_{crit.pk}": "-2"}, headers={"X-Autosave": "1"})
    assert bad.status_code == 422 and "không được âm" in bad.json()["errors"][0]
    assert reg.self_scores.get(criterion=crit).score == 3.5


def test_public_figures_are_one_provinces_with_its_predecessors_history(campaign, people, doi_ngo, request):
    """The review found the portal's progress line mixing provinces. Each province's public pages
    show its own campaign and recognitions, and those of the provinces it was formed from, labelled."""
    from units.importing import import_official_units

    p = people(doi_ngo)
    reg = district_appraise(to_district(campaign, doi_ngo, p), p)
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=p["committee"])
    check_samples(campaign, doi_ngo.parent, p)
    services.recognise(registration=reg, by=p["province"], **DECISION)
    import_official_units(province_code="24", structure="2025")  # Bắc Giang joins the new Bắc Ninh
    import_official_units(province_code="01", structure="2025")
    # the 2024 round was run in 2024 (this module's fixtures' date); the public looks today
    import time_machine

    traveller = time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC), tick=True)
    traveller.start()
    request.addfinalizer(traveller.stop)

    client = Client()
    for page in (reverse("portal:home"), reverse("certification_public:recognised")):
        bac_ninh = client.get(page).content.decode()
        assert "Thị trấn Đồi Ngô" in bac_ninh and "1/192 đơn vị được công nhận" in bac_ninh
        assert "đợt của Tỉnh Bắc Giang, đơn vị hoạt động đến 30/06/2025" in bac_ninh
        ha_noi = client.get(page + "?tinh=01").content.decode()
        assert "Thị trấn Đồi Ngô" not in ha_noi and "1/192" not in ha_noi
    # The commune formed from Đồi Ngô shows its predecessor's recognition, labelled as such.
    successor = doi_ngo.__class__.objects.get(pk=doi_ngo.pk).successor
    page = client.get(reverse("portal:unit", args=["2025", successor.code])).content.decode()
    assert "đạt chuẩn 4 sao" in page and "của Thị trấn Đồi Ngô, đơn vị trước sáp nhập" in page
