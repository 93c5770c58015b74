"""A case entered by staff gives its tracking code only to the reporter: never to an official of
the commune reported about (who could otherwise read the answer and close the case as the
reporter); sensitive reports about one's own commune are refused there altogether."""

import pytest
from django.core.exceptions import ValidationError

from core.models import OutboxMessage
from feedback import crypto, services
from feedback.models import Case, Category, Channel, Kind

pytestmark = pytest.mark.django_db
ENTER = "/staff/phan-anh/vao-so/"


def _form(unit, **extra):  # type: ignore[no-untyped-def]
    return {
        "channel": "phone",
        "kind": "feedback",
        "category": "facilities",
        "unit": unit.pk,
        "description": "Điện thoại báo: đèn đường trục chính thôn hỏng đã lâu.",
        **extra,
    }


def test_complaint_about_own_commune_officials_is_refused_with_the_level_above_named(commune_officer, doi_ngo, client_for):
    response = client_for(commune_officer).post(ENTER, _form(doi_ngo, category="conduct_extra_demands", about_officials="on"))
    body = response.content.decode()
    assert response.status_code == 200 and "không được vào sổ tại đơn vị bị phản ánh" in body and "Huyện Lục Nam" in body
    assert Case.objects.count() == 0
    for kind in (Kind.COMPLAINT, Kind.DENUNCIATION):
        with pytest.raises(ValidationError):
            services.enter_case(
                by=commune_officer,
                report=services.Report(
                    concerned_unit=doi_ngo, channel=Channel.PAPER, kind=kind, category=Category.OTHER, description="Đơn tố cáo cán bộ xã."
                ),
            )
    assert Case.objects.count() == 0


def test_own_commune_official_never_sees_the_code_it_goes_to_the_reporter_by_email(commune_officer, doi_ngo, client_for):
    response = client_for(commune_officer).post(ENTER, _form(doi_ngo, email="dan@example.invalid"))
    body = response.content.decode()
    case = Case.objects.get()
    code = crypto.decrypt(case.code_encrypted)
    assert response.status_code == 200 and code not in body and "không được xem mã tra cứu" in body
    assert response["Cache-Control"] == "no-store"
    mail = OutboxMessage.objects.get(recipient="dan@example.invalid")
    assert code in mail.body
    assert not OutboxMessage.objects.filter(body__contains=code).exclude(recipient="dan@example.invalid").exists()


def test_own_commune_official_without_reporter_email_gets_no_code(commune_officer, doi_ngo, client_for):
    body = client_for(commune_officer).post(ENTER, _form(doi_ngo, phone="0912345678")).content.decode()
    code = crypto.decrypt(Case.objects.get().code_encrypted)
    assert code not in body and "không nhận mã tra cứu" in body


def test_district_official_gets_the_code_once_on_the_printable_receipt(district_officer, doi_ngo, client_for):
    response = client_for(district_officer).post(ENTER, _form(doi_ngo, category="conduct_delay", channel="paper"))
    case = Case.objects.get()
    code = crypto.decrypt(case.code_encrypted)
    body = response.content.decode()
    assert "Phiếu tiếp nhận phản ánh" in body and code in body and response["Cache-Control"] == "no-store"
    assert code not in client_for(district_officer).get(f"/staff/phan-anh/{case.pk}/").content.decode()
