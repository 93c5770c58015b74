"""Known margins entered by campaign managers: bad margins refused in Vietnamese with nothing saved,
changes audited, the results page and the API say which weights were used, and who may reach the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from surveys import queries, services
from surveys.models import Campaign, CampaignState, KnownMargin, Mode, Response, Stratum


@pytest.fixture
def pks05_campaign(instruments, luc_nam, district_officer) -> Campaign:  # type: ignore[no-untyped-def]
    """Citizens answer PKS05, whose q6 is single-choice (no / hinted / asked)."""
    c = services.create_campaign(
        by=district_officer,
        unit=luc_nam,
        title="Khảo sát có cơ cấu",
        year=2024,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 12, 31),
        forms=[("citizens", instruments["PKS05"])],
        min_responses=1,
    )
    return services.change_campaign_state(by=district_officer, campaign=c, target=CampaignState.OPEN)


def _refused(campaign: Campaign, user, variable: str, values: dict[str, float], **kw) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        services.set_margins(by=user, campaign=campaign, variable=variable, values=values, **kw)
    assert not KnownMargin.objects.filter(campaign=campaign).exists()
    return " ".join(exc.value.messages)


def test_bad_margins_are_refused(pks05_campaign, district_officer) -> None:  # type: ignore[no-untyped-def]
    c, u = pks05_campaign, district_officer
    assert "phải bằng 1" in _refused(c, u, "q6", {"no": 0.5, "hinted": 0.3, "asked": 0.1})
    assert "không có trong câu hỏi" in _refused(c, u, "q6", {"no": 0.5, "maybe": 0.5})
    assert "Không có câu hỏi chọn một" in _refused(c, u, "q1", {"1": 1.0})  # q1 is a Likert item
    assert "số dương" in _refused(c, u, "q6", {"no": 1.5, "asked": -0.5})
    assert "số dương" in _refused(c, u, "q6", {"no": 1.0, "asked": 0.0})
    # within the tolerance of 0.01 is accepted and stored normalised
    services.set_margins(by=u, campaign=c, variable="q6", values={"no": 0.7, "hinted": 0.2, "asked": 0.105}, label="góp tiền")
    assert sum(KnownMargin.objects.filter(campaign=c).values_list("share", flat=True)) == pytest.approx(1.0)


def test_totals_become_shares_and_changes_are_audited(pks05_campaign, district_officer) -> None:  # type: ignore[no-untyped-def]
    services.set_margins(
        by=district_officer, campaign=pks05_campaign, variable="q6", values={"no": 600, "hinted": 300, "asked": 100}, totals=True
    )
    shares = dict(KnownMargin.objects.filter(campaign=pks05_campaign).values_list("category", "share"))
    assert shares == pytest.approx({"no": 0.6, "hinted": 0.3, "asked": 0.1})
    services.remove_margins(by=district_officer, campaign=pks05_campaign, variable="q6")
    assert not KnownMargin.objects.exists()
    entries = list(AuditEntry.objects.filter(object_pk=str(pks05_campaign.pk), actor=district_officer).order_by("id"))
    set_entry, remove_entry = entries[-2], entries[-1]
    assert set_entry.before["margins"] == {} and set_entry.after["margins"] == pytest.approx(
        {"q6=no": 0.6, "q6=hinted": 0.3, "q6=asked": 0.1}
    )
    assert remove_entry.before["margins"] == set_entry.after["margins"] and remove_entry.after["margins"] == {}


def test_form_errors_keep_the_input(pks05_campaign, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/staff/khao-sat/dot/{pks05_campaign.pk}/co-cau/"
    r = client_for(district_officer).post(url, {"variable": "q6", "mode": "shares", "values": "no = 0,5\nhinted = 0,3"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "phải bằng 1" in body and "hinted = 0,3" in body
    r = client_for(district_officer).post(url, {"variable": "q6", "mode": "shares", "values": "no 0,5"})
    assert "Dòng 1 không đúng dạng" in r.content.decode()
    assert not KnownMargin.objects.exists()


def test_results_and_api_use_raked_weights(pks05_campaign, district_officer, doi_ngo, client_for) -> None:  # type: ignore[no-untyped-def]
    stratum = Stratum.objects.get(form__campaign=pks05_campaign, unit=doi_ngo)
    # 3 say "no" and are satisfied, 1 says "asked" and is not: design share 3/4
    for answer, level in (("no", 5), ("no", 4), ("no", 5), ("asked", 1)):
        Response.objects.create(stratum=stratum, mode=Mode.INTERVIEWER, answers={"q1": level, "q6": answer})
    client = client_for(district_officer)
    api = client.get(f"/api/v1/surveys/campaigns/{pks05_campaign.pk}/index").json()
    assert api["weighting"] == {"adjusted": False, "variables": [], "label": "Trọng số thiết kế"}
    assert api["elements"][0]["share"] == pytest.approx(0.75)
    r = client.post(
        f"/staff/khao-sat/dot/{pks05_campaign.pk}/co-cau/",
        {"variable": "q6", "label": "góp tiền", "mode": "shares", "values": "no = 0,5\nasked = 0,5"},
    )
    assert r.status_code == 302
    api = client.get(f"/api/v1/surveys/campaigns/{pks05_campaign.pk}/index").json()
    assert api["weighting"]["adjusted"] is True
    assert api["weighting"]["label"] == "Trọng số hiệu chỉnh theo cơ cấu: góp tiền"
    # post-stratified by hand: 0.5 · 1 + 0.5 · 0 = 0.5
    assert api["elements"][0]["share"] == pytest.approx(0.5)
    page = client.get(f"/staff/khao-sat/dot/{pks05_campaign.pk}/ket-qua/").content.decode()
    assert "Trọng số hiệu chỉnh theo cơ cấu: góp tiền" in page
    assert queries.weighting(pks05_campaign).adjusted


@pytest.mark.parametrize("method,suffix", [("get", "co-cau/"), ("post", "co-cau/q6/xoa/")])
def test_who_reaches_the_margins_page(
    pks05_campaign, method, suffix, district_officer, commune_officer, outsider, outsider_district, client_for, client
) -> None:  # type: ignore[no-untyped-def]
    url = f"/staff/khao-sat/dot/{pks05_campaign.pk}/{suffix}"
    assert getattr(client_for(outsider), method)(url).status_code == 404
    assert getattr(client_for(outsider_district), method)(url).status_code == 404
    assert getattr(client_for(commune_officer), method)(url).status_code == 403
    assert getattr(client, method)(url).status_code == 302  # anonymous: to the login page
    assert getattr(client_for(district_officer), method)(url).status_code in (200, 302)
    assert getattr(client_for(district_officer), method)(f"/staff/khao-sat/dot/999999/{suffix}").status_code == 404
