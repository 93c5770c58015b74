"""Paper questionnaires of a commune are typed in by district or province staff, never by the
commune's own staff (they are the ones rated), are marked as staff entry with who typed them, and
never take the places the sample needs."""

from __future__ import annotations

import pytest

from surveys import services
from surveys.models import Mode, Response, Stratum
from tests.surveys.conftest import pks07_answers


def test_commune_official_cannot_type_forms_for_own_commune(stratum, commune_officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.INTERVIEWER, by=commune_officer)
    assert "không được tự nhập phiếu" in str(refused.value)
    assert not Response.objects.exists()


def test_entry_page_refuses_commune_official_with_a_vietnamese_reason(stratum, commune_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(commune_officer)
    url = f"/staff/khao-sat/tang/{stratum.pk}/nhap-phieu/"
    page = client.get(url)
    assert page.status_code == 403 and "không được tự nhập phiếu khảo sát cho đơn vị mình" in page.content.decode()
    posted = client.post(url, pks07_answers())
    assert posted.status_code == 403 and not Response.objects.exists()


def test_district_officer_entry_is_marked_with_who_entered(stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    response = services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.INTERVIEWER, by=district_officer)
    assert response.mode == Mode.INTERVIEWER and response.entered_by == district_officer


def test_staff_entry_does_not_take_the_sample_quota(stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    Stratum.objects.filter(pk=stratum.pk).update(quota=2)
    for _i in range(3):  # more typed-in forms than the whole quota
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.INTERVIEWER, by=district_officer)
    stratum.refresh_from_db()
    assert stratum.received == 0
    for device in ("a", "b"):  # sampled respondents still find both places free
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.OPEN, device_id=device)
    assert Response.objects.filter(stratum=stratum, mode=Mode.OPEN).count() == 2
