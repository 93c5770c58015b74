"""A commune's public page links the citizens' surveys open for it, never the officials' forms."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from surveys import services
from surveys.models import CampaignState, Stratum

pytestmark = pytest.mark.django_db


def test_the_commune_page_links_its_open_citizens_survey_only(campaign, doi_ngo, district_officer):
    citizens = Stratum.objects.get(form__campaign=campaign, form__group="citizens", unit=doi_ngo)
    officials = Stratum.objects.get(form__campaign=campaign, form__group="officials", unit=doi_ngo)
    page = Client().get(reverse("portal:unit", args=[doi_ngo.edition, doi_ngo.code])).content.decode()
    assert "Khảo sát ý kiến người dân đang mở" in page
    assert reverse("surveys_public:open", args=[citizens.open_key]) in page
    assert officials.open_key not in page
    services.change_campaign_state(by=district_officer, campaign=campaign, target=CampaignState.CLOSED)
    closed = Client().get(reverse("portal:unit", args=[doi_ngo.edition, doi_ngo.code])).content.decode()
    assert citizens.open_key not in closed and "Khảo sát ý kiến người dân đang mở" not in closed
