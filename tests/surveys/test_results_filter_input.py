"""The results page's group filter comes from the address: a known group narrows the rows, an
unknown one is ignored (all groups), and a malformed page number shows the first page."""

from __future__ import annotations

import uuid

import pytest

from surveys import services
from surveys.models import Mode
from tests.surveys.conftest import pks07_answers

pytestmark = pytest.mark.django_db


def test_unknown_group_is_ignored_and_known_group_filters(campaign, stratum, district_officer, client_for):
    for level in (4, 5, 3):
        services.submit_response(stratum=stratum, raw=pks07_answers(level), mode=Mode.OPEN, device_id=str(uuid.uuid4()))
    c = client_for(district_officer)
    url = f"/staff/khao-sat/dot/{campaign.pk}/ket-qua/"
    everything = c.get(url)
    assert everything.status_code == 200 and everything.context["overall"].n == 3
    odd = c.get(url, {"nhom": "khong-co", "page": "abc"})
    assert odd.status_code == 200 and odd.context["group"] == "khong-co" and odd.context["overall"].n == 3
    assert c.get(url, {"nhom": "citizens"}).context["overall"].n == 3
    assert c.get(url, {"nhom": "officials"}).context["overall"] is None


def test_outsider_gets_404_on_results_whatever_the_filter(campaign, outsider, client_for):
    c = client_for(outsider)
    assert c.get(f"/staff/khao-sat/dot/{campaign.pk}/ket-qua/", {"nhom": "citizens"}).status_code == 404
