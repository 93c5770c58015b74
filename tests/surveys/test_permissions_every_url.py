"""Every staff page and endpoint of surveys: who gets in, who gets 404/403, anonymous to login/401."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from surveys.models import Stratum

OK, FORBIDDEN, MISSING = 200, 403, 404


@pytest.fixture
def urls(campaign, doi_ngo, instruments):  # type: ignore[no-untyped-def]
    s = Stratum.objects.get(form__campaign=campaign, form__group="citizens", unit=doi_ngo)
    v = instruments["PKS07"]
    q = v.questions.first()
    c = campaign.pk
    return {
        "campaign": ("get", f"/staff/khao-sat/dot/{c}/"),
        "results": ("get", f"/staff/khao-sat/dot/{c}/ket-qua/"),
        "export_xlsx": ("get", f"/staff/khao-sat/dot/{c}/xuat/xlsx/"),
        "export_csv": ("get", f"/staff/khao-sat/dot/{c}/xuat/du-lieu/"),
        "export_index": ("get", f"/staff/khao-sat/dot/{c}/xuat/chi-so/"),
        "export_dict": ("get", f"/staff/khao-sat/dot/{c}/xuat/tu-dien/"),
        "state": ("post", f"/staff/khao-sat/dot/{c}/trang-thai/"),
        "qr": ("get", f"/staff/khao-sat/tang/{s.pk}/qr.pdf"),
        "entry": ("get", f"/staff/khao-sat/tang/{s.pk}/nhap-phieu/"),
        "tokens": ("post", f"/staff/khao-sat/tang/{s.pk}/ma-moi/"),
        "instruments": ("get", "/staff/khao-sat/phieu/"),
        "version": ("get", f"/staff/khao-sat/phieu/{v.pk}/"),
        "xlsform": ("get", f"/staff/khao-sat/phieu/{v.pk}/xlsform.xlsx"),
        "xlsform_import": ("post", "/staff/khao-sat/phieu/nhap-xlsform/"),
        "question_delete": ("post", f"/staff/khao-sat/phieu/{v.pk}/cau-hoi/{q.pk}/xoa/"),
        "api_index": ("get", f"/api/v1/surveys/campaigns/{c}/index"),
    }


def _status(client: Client, method: str, url: str) -> int:
    data = {"state": "closed", "count": "1"} if method == "post" else {}
    return getattr(client, method)(url, data).status_code


@pytest.mark.parametrize(
    "name",
    ["campaign", "results", "export_xlsx", "export_csv", "export_index", "export_dict", "state", "qr", "entry", "tokens", "api_index"],
)
def test_outsiders_get_404_on_the_campaign(urls, name, outsider, outsider_district, client_for) -> None:  # type: ignore[no-untyped-def]
    method, url = urls[name]
    for user in (outsider, outsider_district):
        assert _status(client_for(user), method, url) == MISSING, (user, name)


@pytest.mark.parametrize("name", ["campaign", "results", "export_csv", "qr"])
def test_commune_officer_reads_own_commune(urls, name, commune_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    method, url = urls[name]
    assert _status(client_for(commune_officer), method, url) == OK


@pytest.mark.parametrize("name", ["state", "tokens", "entry"])
def test_commune_officer_may_not_run_the_campaign(urls, name, commune_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    method, url = urls[name]
    assert _status(client_for(commune_officer), method, url) == FORBIDDEN


def test_commune_officer_gets_404_on_a_neighbour_stratum(campaign, dong_hung, commune_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    s = Stratum.objects.get(form__campaign=campaign, form__group="citizens", unit=dong_hung)
    client = client_for(commune_officer)
    assert client.get(f"/staff/khao-sat/tang/{s.pk}/qr.pdf").status_code == MISSING
    assert client.get(f"/staff/khao-sat/tang/{s.pk}/nhap-phieu/").status_code == MISSING


@pytest.mark.parametrize("name", ["instruments", "version", "xlsform", "xlsform_import", "question_delete"])
def test_only_the_province_office_keeps_questionnaires(
    urls, name, district_officer, commune_officer, outsider, province_officer, client_for
) -> None:  # type: ignore[no-untyped-def]
    method, url = urls[name]
    for user in (district_officer, commune_officer, outsider):
        assert _status(client_for(user), method, url) == MISSING
    if method == "get":
        assert _status(client_for(province_officer), method, url) == OK


def test_district_officer_runs_own_campaign(urls, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(district_officer)
    for name in ("campaign", "results", "export_xlsx", "export_index", "export_dict", "qr", "entry", "api_index"):
        method, url = urls[name]
        assert _status(client, method, url) == OK, name
    assert client.post(urls["tokens"][1], {"count": "2"})["Content-Type"] == "application/pdf"


def test_campaign_create_needs_a_campaign_role(commune_officer, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(commune_officer).get("/staff/khao-sat/dot/tao/").status_code == FORBIDDEN
    assert client_for(district_officer).get("/staff/khao-sat/dot/tao/").status_code == OK


def test_anonymous_is_sent_to_login_or_401(urls) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for name, (method, url) in urls.items():
        response = getattr(client, method)(url)
        if url.startswith("/api/"):
            assert response.status_code == 401
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), name
    assert client.get("/staff/khao-sat/").status_code == 302
    assert client.get("/api/v1/surveys/campaigns").status_code == 401


def test_campaign_list_shows_only_campaigns_in_reach(campaign, commune_officer, outsider, client_for) -> None:  # type: ignore[no-untyped-def]
    assert campaign.title in client_for(commune_officer).get("/staff/khao-sat/").content.decode()
    assert campaign.title not in client_for(outsider).get("/staff/khao-sat/").content.decode()
    api = client_for(outsider).get("/api/v1/surveys/campaigns").json()
    assert api == []
