"""The staff menu groups each capability's pages into one drop-down and hides what a role may not open."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.templatetags.staff_nav import staff_nav_items


def menu(user):  # type: ignore[no-untyped-def]
    request = RequestFactory().get(reverse("accounts:audit"))
    request.user = user
    return staff_nav_items({"request": request})


@pytest.mark.django_db
def test_province_office_sees_the_administration_drop_down_with_the_audit_page_active(province_officer):
    items = menu(province_officer)
    labels = [str(i["label"]) for i in items]
    assert labels[:3] == ["Tổng quan", "Đơn vị", "Ban Chỉ đạo"]
    admin = next(i for i in items if str(i["label"]) == "Quản trị")
    assert [str(c["label"]) for c in admin["children"]] == ["Tài khoản", "Lịch làm việc", "Nhật ký thay đổi"]
    assert admin["active"] and [c["active"] for c in admin["children"]] == [False, False, True]


@pytest.mark.django_db
def test_commune_officer_has_no_administration_entries(commune_officer):
    labels = [str(i["label"]) for i in menu(commune_officer)]
    assert "Quản trị" not in labels and "Nhật ký thay đổi" not in labels and "Tài khoản" not in labels
    assert "Tổng quan" in labels
