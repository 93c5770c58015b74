"""Hand-edited addresses never crash or change anything: an unknown level or action is refused,
a campaign that does not exist is a 404, a nonsense filter or page number just shows the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certification import services
from certification.models import AppraisalMember, FileState, Level, Registration
from tests.certification.conftest import to_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(campaign, people, doi_ngo) -> tuple[Registration, dict]:
    p = people(doi_ngo)
    return to_district(campaign, doi_ngo, p), p


@pytest.mark.parametrize(("name", "who"), [("appraise", "appraiser"), ("team", "committee")])
def test_unknown_level_is_refused(reg, client_for, name, who):
    r, p = reg
    for method in ("get", "post"):
        response = getattr(client_for(p[who]), method)(reverse(f"certification:{name}", args=[r.pk, "thon"]))
        assert response.status_code == 403, (name, method)
    assert not r.appraisal_scores.exists()


def test_unknown_action_is_refused_and_the_file_stays(reg, client_for):
    r, p = reg
    response = client_for(p["committee"]).post(reverse("certification:act", args=[r.pk, "xoa"]), {"reason": "x"})
    assert response.status_code == 403
    r.refresh_from_db()
    assert r.state == FileState.SUBMITTED


def test_declaration_for_an_unknown_level_changes_nothing(reg, client_for):
    r, p = reg
    services.set_team(registration=r, level=Level.DISTRICT, members=[p["appraiser"]], leader=p["appraiser"], by=p["committee"])
    response = client_for(p["appraiser"]).post(reverse("certification:declare", args=[r.pk, "thon"]), {"has_conflict": "0"})
    assert response.status_code in (302, 403, 404)
    assert list(r.members.values_list("level", "declaration")) == [(Level.DISTRICT, AppraisalMember.Declaration.PENDING)]


@pytest.mark.parametrize("name", ["campaign_detail", "targets", "overdue", "quality"])
def test_missing_campaign_is_404(campaign, province_officer, client_for, name):
    assert client_for(province_officer).get(reverse(f"certification:{name}", args=[campaign.pk + 999])).status_code == 404


def test_nonsense_filter_and_page_show_the_list(reg, campaign, client_for):
    r, p = reg
    url = reverse("certification:campaign_detail", args=[campaign.pk])
    page = client_for(p["province"]).get(url, {"state": "<script>", "page": "abc"})
    assert page.status_code == 200
    body = page.content.decode()
    assert r.unit.name in body and "<script>" not in body
