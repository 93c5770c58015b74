"""Creating a campaign on the staff page: strata for every commune with calculated quotas; bad
dates refused with what was typed kept."""

from __future__ import annotations

from surveys.models import Campaign, Stratum
from units.models import Unit, UnitKind


def _data(instruments, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "title": "Khảo sát Lục Nam 2025",
        "year": "2025",
        "starts_on": "2025-03-01",
        "ends_on": "2025-04-30",
        "anonymous": "on",
        "margin": "0.1",
        "confidence": "0.95",
        "proportion": "0.5",
        "min_responses": "5",
        "version_citizens": instruments["PKS07"].pk,
        "version_businesses": instruments["PKS04"].pk,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_district_creates_a_campaign_over_its_communes(instruments, luc_nam, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(district_officer).post("/staff/khao-sat/dot/tao/", _data(instruments))
    campaign = Campaign.objects.get(title="Khảo sát Lục Nam 2025")
    assert response.status_code == 302 and response["Location"].endswith(f"/dot/{campaign.pk}/")
    communes = Unit.objects.filter(path__startswith=luc_nam.path, kind=UnitKind.COMMUNE, valid_to__isnull=True).count()
    assert Stratum.objects.filter(form__campaign=campaign).count() == 2 * communes
    # businesses: N = 40, ±10 points: 96.04 / (1 + 95.04/40) = 28.4 → 29
    assert set(Stratum.objects.filter(form__campaign=campaign, form__group="businesses").values_list("quota", flat=True)) == {29}
    assert campaign.unit == luc_nam and campaign.state == "draft"


def test_end_before_start_is_refused_and_kept(instruments, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(district_officer).post("/staff/khao-sat/dot/tao/", _data(instruments, ends_on="2025-02-01"))
    body = response.content.decode()
    assert response.status_code == 200 and "Ngày kết thúc phải sau ngày bắt đầu." in body
    assert "Khảo sát Lục Nam 2025" in body
    assert not Campaign.objects.exists()


def test_no_questionnaire_chosen_is_refused(instruments, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(district_officer).post(
        "/staff/khao-sat/dot/tao/", _data(instruments, version_citizens=None, version_businesses=None)
    )
    assert "Chọn phiếu cho ít nhất một nhóm đối tượng." in response.content.decode()
    assert not Campaign.objects.exists()


def test_several_questionnaires_per_group_each_get_their_strata(instruments, luc_nam, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    citizens = [instruments[code].pk for code in ("PKS02", "PKS05", "PKS06", "PKS07")]
    response = client_for(district_officer).post("/staff/khao-sat/dot/tao/", _data(instruments, version_citizens=citizens))
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="Khảo sát Lục Nam 2025")
    fielded = sorted(campaign.forms.values_list("group", "version__instrument__code"))
    assert fielded == [("businesses", "PKS04"), ("citizens", "PKS02"), ("citizens", "PKS05"), ("citizens", "PKS06"), ("citizens", "PKS07")]
    communes = Unit.objects.filter(path__startswith=luc_nam.path, kind=UnitKind.COMMUNE, valid_to__isnull=True).count()
    assert Stratum.objects.filter(form__campaign=campaign).count() == 5 * communes
    keys = set(Stratum.objects.filter(form__campaign=campaign).values_list("open_key", flat=True))
    assert len(keys) == 5 * communes  # each questionnaire its own open link and QR sheet
