"""One-stop-shop counters: registered by the province, a printable QR sheet, one-tap ratings
rate-limited per device, a harassment reason opens a case routed above the commune, aggregates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from feedback import queries, services
from feedback.models import Case, CounterRating, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(province_officer, doi_ngo):
    return services.save_counter(by=province_officer, unit=doi_ngo, name="Quầy số 1 – Tư pháp, hộ tịch", officer_name="Hoàng Văn Em")


def test_only_the_province_registers_counters(district_officer, doi_ngo, luc_nam, province_officer):
    with pytest.raises(PermissionDenied):
        services.save_counter(by=district_officer, unit=doi_ngo, name="Quầy 2")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.save_counter(by=province_officer, unit=luc_nam, name="Quầy huyện")


def test_rating_is_one_tap_and_limited_per_device(counter):
    c = Client()
    url = f"/phan-anh/quay/{counter.token}/"
    assert "Hài lòng" in c.get(url).content.decode()
    assert c.post(url, {"score": "satisfied"}).status_code == 200
    again = c.post(url, {"score": "not_satisfied"})
    assert again.status_code == 429 and "vừa đánh giá" in again.content.decode()
    assert Client().post(url, {"score": "acceptable"}).status_code == 200  # another phone
    assert CounterRating.objects.count() == 2
    assert Client().post(url, {"score": "bogus"}).status_code == 400
    assert Client().get("/phan-anh/quay/khong-co/").status_code == 404


def test_harassment_reason_opens_a_case_routed_to_the_district(counter, luc_nam):
    Client().post(f"/phan-anh/quay/{counter.token}/", {"score": "not_satisfied", "reasons": ["harassment", "waiting"]})
    rating = CounterRating.objects.get()
    case = Case.objects.get()
    assert rating.case == case and case.handling_unit == luc_nam and case.channel == "counter_qr"
    assert case.about_officials and not case.allow_publication and case.contact_encrypted == ""


def test_ratings_aggregate_per_counter_and_month(counter, doi_ngo, luc_nam):
    for score in (Score.SATISFIED, Score.SATISFIED, Score.NOT_SATISFIED):
        services.rate_counter(counter=counter, score=score)
    today = dt.date.today()
    rows = queries.counter_ratings(unit=luc_nam, start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=1))
    assert [(r["total"], r["satisfied"], r["not_satisfied"]) for r in rows] == [(3, 2, 1)]
    f = queries.figures(unit=doi_ngo, start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=1))
    assert f.satisfaction == 66.7


def test_qr_sheet_is_a_pdf_for_staff_in_scope(counter, client_for, commune_officer, outsider):
    response = client_for(commune_officer).get(f"/staff/phan-anh/quay/{counter.pk}/ma-qr.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_for(outsider).get(f"/staff/phan-anh/quay/{counter.pk}/ma-qr.pdf").status_code == 404
