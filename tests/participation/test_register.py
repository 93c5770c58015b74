"""The household register: personal data for the commune and the village head only, phones
encrypted at rest, and an import that writes nothing when a row is bad."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.models import AuditEntry
from participation import crypto, services
from participation.models import Household
from units.models import Unit

GOOD = "mã hộ,chủ hộ,điện thoại,tình trạng\nA01,Nguyễn Văn An,0912 345 678,đang cư trú\nA02,Trần Thị Bình,,\n"


def test_phone_is_encrypted_and_changes_are_audited(village: Unit, village_head: User) -> None:
    h = services.save_household(village=village, by=village_head, code="A01", head_name="Nguyễn Văn An", phone="0912.345.678")
    assert "0912345678" not in h.phone_encrypted and crypto.decrypt_phone(h.phone_encrypted) == "0912345678"
    services.save_household(village=village, by=village_head, code="A01", head_name="Nguyễn Văn Ân")
    entries = AuditEntry.objects.filter(model_label="participation.Household", object_pk=str(h.pk)).order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before["head_name"] == "Nguyễn Văn An" and entries[1].after["head_name"] == "Nguyễn Văn Ân"


def test_province_and_district_may_not_manage_the_register(village: Unit, province_officer: User, district_officer: User) -> None:
    for user in (province_officer, district_officer):
        with pytest.raises(PermissionDenied):
            services.save_household(village=village, by=user, code="A01", head_name="X")


def test_import_writes_every_row_or_none(village: Unit, village_head: User) -> None:
    report = services.import_households(village=village, by=village_head, content=GOOD.encode(), filename="so-ho.csv")
    assert (report.created, report.errors) == (2, [])
    bad = "mã hộ,chủ hộ,điện thoại,tình trạng\nA03,Lê Văn Cường,,\n,Thiếu Mã,,\nA04,Phạm D,12ab,\nA05,Vũ E,,ốm\nA03,Lặp,,\n"
    report = services.import_households(village=village, by=village_head, content=bad.encode(), filename="so-ho.csv")
    assert [n for n, _e in report.errors] == [3, 4, 5, 6]
    assert "Thiếu mã hộ" in report.errors[0][1] and "điện thoại" in report.errors[1][1] and "lặp" in report.errors[3][1]
    assert set(Household.objects.values_list("code", flat=True)) == {"A01", "A02"}


def test_import_refuses_a_file_without_the_columns(village: Unit, village_head: User) -> None:
    with pytest.raises(ValueError, match="Thiếu cột bắt buộc: chủ hộ"):
        services.import_households(village=village, by=village_head, content=b"m\xc3\xa3 h\xe1\xbb\x99\nA1\n", filename="x.csv")


def test_bad_single_household_is_refused(village: Unit, village_head: User) -> None:
    with pytest.raises(ValidationError, match="không hợp lệ"):
        services.save_household(village=village, by=village_head, code="A9", head_name="X", phone="123")


def test_register_page_shows_personal_data_only_to_its_managers(
    village: Unit,
    village_head: User,
    commune_officer: User,
    province_officer: User,
    outsider: User,
    client_for: Callable[[User], Client],
) -> None:
    services.save_household(village=village, by=village_head, code="A01", head_name="Nguyễn Văn An", phone="0912345678")
    url = reverse("participation:village", args=[village.pk])
    for user in (village_head, commune_officer):
        body = client_for(user).get(url).content.decode()
        assert "Nguyễn Văn An" in body and "0912345678" in body
    body = client_for(province_officer).get(url).content.decode()
    assert "Nguyễn Văn An" not in body and "0912345678" not in body
    assert client_for(outsider).get(url).status_code == 404
    upload = client_for(province_officer).post(reverse("participation:village_import", args=[village.pk]), {})
    assert upload.status_code == 404


def test_import_page_lists_row_errors(village: Unit, village_head: User, client_for: Callable[[User], Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(village_head)
    bad = SimpleUploadedFile("so-ho.csv", "mã hộ,chủ hộ\nA1,\n".encode())
    response = client.post(reverse("participation:village_import", args=[village.pk]), {"file": bad}, follow=True)
    assert "Dòng 2: Thiếu họ tên chủ hộ." in response.content.decode()
    assert not Household.objects.exists()
