"""The province's pages: routing rules and deadlines saved through the page with Vietnamese errors,
counters registered; the public home page links to the report form."""

import pytest
from django.test import Client

from feedback.models import Counter, DeadlineRule, RoutingRule

pytestmark = pytest.mark.django_db


def test_routing_rule_saved_and_deleted_through_the_page(province_officer, luc_nam, client_for):
    c = client_for(province_officer)
    response = c.post(
        "/staff/phan-anh/quy-tac/", {"category": "facilities", "unit": luc_nam.pk, "responsible_unit": luc_nam.pk, "note": "Huyện xử lý"}
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert c.post(f"/staff/phan-anh/quy-tac/{rule.pk}/xoa/").status_code == 302
    assert not RoutingRule.objects.exists()
    bad = c.post("/staff/phan-anh/quy-tac/", {"category": "facilities", "unit": "", "responsible_unit": luc_nam.pk})
    assert bad.status_code == 200 and "Những gì bạn đã nhập vẫn được giữ nguyên" in bad.content.decode()


def test_deadline_saved_through_the_page(province_officer, client_for):
    c = client_for(province_officer)
    assert "Luật Tố cáo 2018" in c.get("/staff/phan-anh/quy-tac/").content.decode()
    c.post(
        "/staff/phan-anh/thoi-han/facilities/",
        {"facilities-key": "facilities", "facilities-working_days": "7", "facilities-source": "QĐ 5/QĐ-UBND"},
    )
    assert DeadlineRule.objects.get(key="facilities", province__isnull=False).working_days == 7
    response = c.post("/staff/phan-anh/thoi-han/facilities/", {"facilities-working_days": "0", "facilities-source": ""}, follow=True)
    assert "Thời hạn từ 1 đến 90 ngày làm việc" in response.content.decode()
    assert DeadlineRule.objects.get(key="facilities", province__isnull=False).working_days == 7
    assert DeadlineRule.objects.get(key="facilities", province__isnull=True).working_days == 10


def test_counter_registered_through_the_page(province_officer, doi_ngo, client_for):
    c = client_for(province_officer)
    response = c.post("/staff/phan-anh/quay/them/", {"unit": doi_ngo.pk, "name": "Quầy số 2", "officer_name": "", "is_active": "on"})
    assert response.status_code == 302
    counter = Counter.objects.get()
    c.post(
        f"/staff/phan-anh/quay/{counter.pk}/sua/",
        {"unit": doi_ngo.pk, "name": "Quầy số 2 – Đất đai", "officer_name": "Ngô Thị Yến", "is_active": "on"},
    )
    counter.refresh_from_db()
    assert (counter.name, counter.officer_name) == ("Quầy số 2 – Đất đai", "Ngô Thị Yến")


def test_public_home_and_commune_page_link_to_the_form(bac_giang, doi_ngo):
    assert "/phan-anh/" in Client().get("/").content.decode()
    page = Client().get(f"/don-vi/{doi_ngo.edition}/{doi_ngo.code}/").content.decode()
    assert f"/phan-anh/?unit={doi_ngo.pk}" in page and "Chưa có phản ánh nào được công khai" in page
    form = Client().get(f"/phan-anh/?unit={doi_ngo.pk}").content.decode()
    assert f'value="{doi_ngo.pk}"' in form and "Thị trấn Đồi Ngô" in form
