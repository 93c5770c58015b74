"""Campaigns are loaded through one helper, permissions.access_campaign, on pages and in the API
alike. A campaign is province-wide: anyone with a role at its province or inside it sees it (each
then sees only the files of their own scope); an official of another province gets the same 404
as for a campaign that does not exist, and does not find it in the lists."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken, Role
from certification.permissions import access_campaign, campaigns_for
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

CAMPAIGN_PAGES = ["campaign_detail", "targets", "overdue", "quality", "quality_export"]
API = "/api/v1/certification"


@pytest.fixture
def other_province_officer(make_user):  # type: ignore[no-untyped-def]
    other = Unit.objects.create(code="99", edition="2024", name="Tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE)
    return make_user(Role.PROVINCE_OFFICE, other)


def _api(user) -> Client:  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user=user, name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.parametrize("name", CAMPAIGN_PAGES)
def test_official_of_another_province_gets_404_on_every_campaign_page(name, campaign, other_province_officer, client_for):
    response = client_for(other_province_officer).get(reverse(f"certification:{name}", args=[campaign.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["files", "targets", "samples", "appraisal-quality"])
def test_official_of_another_province_gets_404_from_the_api(path, campaign, other_province_officer):
    assert _api(other_province_officer).get(f"{API}/campaigns/{campaign.pk}/{path}").status_code == 404


def test_official_of_another_province_cannot_register_or_forward_in_it(campaign, other_province_officer, client_for, doi_ngo):
    c = client_for(other_province_officer)
    assert c.post(reverse("certification:commune_file", args=[campaign.pk, doi_ngo.pk])).status_code == 404
    assert c.post(reverse("certification:forward", args=[campaign.pk, doi_ngo.parent.pk])).status_code == 404
    assert c.get(reverse("certification:decision_list", args=[campaign.pk, "pdf"])).status_code == 404


def test_the_campaign_is_not_listed_to_an_official_of_another_province(campaign, other_province_officer, client_for):
    assert _api(other_province_officer).get(f"{API}/campaigns").json() == []
    page = client_for(other_province_officer).get(reverse("certification:campaign_list"))
    assert page.status_code == 200 and campaign.name not in page.content.decode()


def test_everyone_with_a_role_in_the_province_still_sees_the_campaign(
    campaign, province_officer, province_leader, district_officer, commune_officer, outsider, client_for
):
    for user in (province_officer, province_leader, district_officer, commune_officer, outsider):
        assert client_for(user).get(reverse("certification:campaign_detail", args=[campaign.pk])).status_code == 200
        assert [c["id"] for c in _api(user).get(f"{API}/campaigns").json()] == [campaign.pk]
        assert access_campaign(actor=user, campaign_id=campaign.pk) == campaign


def test_only_the_province_administrators_may_load_it_for_writing(campaign, province_officer, district_officer, outsider):
    assert access_campaign(actor=province_officer, campaign_id=campaign.pk, write=True) == campaign
    for user in (district_officer, outsider):
        assert campaign not in campaigns_for(user, write=True)
