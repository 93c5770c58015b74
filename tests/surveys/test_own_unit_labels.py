"""A commune's reader sees the commune's own figures under the commune's name, never under its
district's (review of issue 16): on the results page, in the API's breakdown and in the export."""

from __future__ import annotations

import uuid

from surveys import queries, services
from surveys.models import Mode, Stratum
from surveys.permissions import result_roots
from tests.surveys.conftest import pks07_answers


def _answer(stratum: Stratum, levels: list[int]) -> None:
    for level in levels:
        services.submit_response(stratum=stratum, raw=pks07_answers(level), mode=Mode.OPEN, device_id=str(uuid.uuid4()))


def test_commune_reader_sees_its_own_name(campaign, stratum, commune_officer, district_officer, doi_ngo, luc_nam, client_for) -> None:  # type: ignore[no-untyped-def]
    _answer(stratum, [5, 4, 4, 2])
    view = queries.reading(campaign=campaign, roots=result_roots(commune_officer, campaign))
    [cell] = queries.index_cells(view=view, by="district")
    assert cell.label == doi_ngo.name and cell.n == 4
    # the district's reader covers the whole district: the district's name
    [whole] = queries.index_cells(view=queries.reading(campaign=campaign, roots=result_roots(district_officer, campaign)), by="district")
    assert whole.label == luc_nam.name

    page = client_for(commune_officer).get(f"/staff/khao-sat/dot/{campaign.pk}/ket-qua/")
    body = page.content.decode()
    assert page.status_code == 200 and f"Số liệu của {doi_ngo.name}" in body
    assert luc_nam.name not in body.split("Theo huyện", 1)[1].split("Theo xã", 1)[0]
    district_page = client_for(district_officer).get(f"/staff/khao-sat/dot/{campaign.pk}/ket-qua/").content.decode()
    assert 'id="scope"' not in district_page

    api = client_for(commune_officer).get(f"/api/v1/surveys/campaigns/{campaign.pk}/index?by=district").json()
    assert [c["label"] for c in api["breakdown"]] == [doi_ngo.name]
