"""Good practices and criticism (notice, task 5): a unit proposes a practice with photos (stored
without their GPS position) and documents; the province publishes it on the portal (attributable)
or takes it off; units criticised for lax practice are recorded with the document and follow-up."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.actors import SYSTEM
from accounts.models import User
from core.models import AuditEntry
from steering import practice_services
from steering.models import Criticism, GoodPractice, PracticeState
from units.models import Unit
from units.structure import UnitNotInForce

TODAY = timezone.localdate()
GPS_IFD = 0x8825


def _photo(*, with_gps: bool = True, fmt: str = "JPEG") -> io.BytesIO:
    image = Image.new("RGB", (120, 80), (20, 120, 60))
    exif = Image.Exif()
    if with_gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 16.0, 30.0), 3: "E", 4: (106.0, 12.0, 0.0)})
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    out.seek(0)
    return out


def _propose(by: object, unit: Unit, **kw: object) -> GoodPractice:
    args: dict[str, object] = {
        "title": "Ngày thứ Bảy lắng nghe dân",
        "body": "Chủ tịch xã tiếp dân tại nhà văn hóa thôn.",
        "period_start": dt.date(2024, 3, 1),
        **kw,
    }
    return practice_services.propose_practice(by=by, unit=unit, **args)  # type: ignore[arg-type]


def test_a_photo_is_stored_without_its_gps_position(doi_ngo: Unit, commune_officer: User) -> None:
    original = _photo()
    with Image.open(original) as image:
        assert image.getexif().get_ifd(GPS_IFD)  # the phone's position is there
    practice = _propose(
        commune_officer, doi_ngo, photos=[(_photo(), "anh.jpg")], documents=[(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "ke-hoach.pdf")]
    )
    photo, document = list(practice.attachments.order_by("-is_photo"))
    assert photo.is_photo and not document.is_photo
    with photo.file.file.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (120, 80)
        assert not image.getexif().get_ifd(GPS_IFD)
        assert not image.getexif()
    assert practice.state == PracticeState.PROPOSED and practice.created_by == commune_officer


def test_bad_photos_and_bad_input_are_refused_in_vietnamese(doi_ngo: Unit, commune_officer: User, settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="không đúng định dạng"):
        _propose(commune_officer, doi_ngo, photos=[(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "anh.jpg")])
    settings.UPLOAD_MAX_BYTES = 200
    with pytest.raises(ValidationError, match="quá lớn"):
        _propose(commune_officer, doi_ngo, photos=[(_photo(), "anh-lon.jpg")])
    with pytest.raises(ValidationError, match="tên và nội dung"):
        _propose(commune_officer, doi_ngo, title="  ")
    with pytest.raises(ValidationError, match="sau ngày bắt đầu"):
        _propose(commune_officer, doi_ngo, period_end=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="không thể sau hôm nay"):
        _propose(commune_officer, doi_ngo, period_start=TODAY + dt.timedelta(days=2))
    assert not GoodPractice.objects.exists()


def test_an_abolished_commune_is_refused_naming_its_successor(doi_ngo: Unit, new_commune: Unit) -> None:
    with pytest.raises(UnitNotInForce, match=new_commune.name):
        _propose(SYSTEM, doi_ngo, period_start=dt.date(2025, 8, 1))
    assert _propose(SYSTEM, new_commune, period_start=dt.date(2025, 8, 1)).unit == new_commune


def test_only_the_units_officials_propose(doi_ngo: Unit, outsider: User, outsider_district: User) -> None:
    for user in (outsider, outsider_district):
        with pytest.raises(PermissionDenied):
            _propose(user, doi_ngo)


def test_the_province_publishes_and_unpublishes_attributably(
    doi_ngo: Unit, commune_officer: User, province_officer: User, district_officer: User, client: Client
) -> None:
    practice = _propose(commune_officer, doi_ngo, photos=[(_photo(), "anh.jpg")])
    assert client.get(f"/mo-hinh-hay/{practice.pk}/").status_code == 404  # not yet published
    for user in (commune_officer, district_officer):
        with pytest.raises(PermissionDenied):
            practice_services.publish_practice(by=user, practice=practice)
    practice_services.publish_practice(by=province_officer, practice=practice)
    assert practice.state == PracticeState.PUBLISHED and practice.published_at is not None
    entry = AuditEntry.objects.filter(
        model_label="steering.GoodPractice", object_pk=str(practice.pk), action=AuditEntry.Action.UPDATE
    ).get()
    assert entry.actor == province_officer and entry.before["state"] == "proposed" and entry.after["state"] == "published"  # type: ignore[index]
    with pytest.raises(ValidationError, match="không thể"):
        practice_services.publish_practice(by=province_officer, practice=practice)

    listing = client.get("/mo-hinh-hay/").content.decode()
    assert practice.title in listing and commune_officer.username not in listing
    detail = client.get(f"/mo-hinh-hay/{practice.pk}/")
    assert detail.status_code == 200 and doi_ngo.name in detail.content.decode()
    photo = practice.attachments.get()
    image = client.get(f"/mo-hinh-hay/{practice.pk}/tep/{photo.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"

    with pytest.raises(ValidationError, match="lý do"):
        practice_services.unpublish_practice(by=province_officer, practice=practice, reason=" ")
    practice_services.unpublish_practice(by=province_officer, practice=practice, reason="Số liệu chưa chính xác")
    assert client.get(f"/mo-hinh-hay/{practice.pk}/").status_code == 404
    assert client.get(f"/mo-hinh-hay/{practice.pk}/tep/{photo.pk}/").status_code == 404
    last = AuditEntry.objects.filter(model_label="steering.GoodPractice", object_pk=str(practice.pk)).order_by("pk").last()
    assert last is not None and last.reason == "Số liệu chưa chính xác"


def test_the_communes_portal_page_shows_its_published_practices(doi_ngo: Unit, province_officer: User, client: Client) -> None:
    practice = _propose(SYSTEM, doi_ngo)
    page = client.get(f"/don-vi/{doi_ngo.edition}/{doi_ngo.code}/").content.decode()
    assert practice.title not in page
    practice_services.publish_practice(by=province_officer, practice=practice)
    page = client.get(f"/don-vi/{doi_ngo.edition}/{doi_ngo.code}/").content.decode()
    assert "Mô hình, cách làm hay" in page and practice.title in page


def test_staff_pages_and_who_may_act(
    doi_ngo: Unit,
    commune_officer: User,
    province_officer: User,
    outsider: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(commune_officer)
    response = client.post(
        "/staff/chi-dao/mo-hinh/them/",
        {"unit": doi_ngo.pk, "title": "Hòm thư góp ý điện tử", "body": "Nội dung", "period_start": "01/03/2024", "photos": [_photo()]},
    )
    assert response.status_code == 302
    practice = GoodPractice.objects.get()
    assert practice.attachments.filter(is_photo=True).count() == 1
    detail = client.get(f"/staff/chi-dao/mo-hinh/{practice.pk}/")
    assert detail.status_code == 200 and detail.context["can_publish"] is False
    client.post(f"/staff/chi-dao/mo-hinh/{practice.pk}/dang/", {"action": "publish"})
    practice.refresh_from_db()
    assert practice.state == PracticeState.PROPOSED
    other = client_for(outsider)
    assert other.get(f"/staff/chi-dao/mo-hinh/{practice.pk}/").status_code == 404
    assert other.post(f"/staff/chi-dao/mo-hinh/{practice.pk}/dang/", {"action": "publish"}).status_code == 404
    assert "Hòm thư góp ý điện tử" not in other.get("/staff/chi-dao/mo-hinh/").content.decode()
    province = client_for(province_officer)
    province.post(f"/staff/chi-dao/mo-hinh/{practice.pk}/dang/", {"action": "publish"})
    practice.refresh_from_db()
    assert practice.state == PracticeState.PUBLISHED
    bad = client.post(
        "/staff/chi-dao/mo-hinh/them/", {"unit": doi_ngo.pk, "title": "", "body": "x", "period_start": "31/02/2024"}, follow=True
    )
    text = bad.content.decode()
    assert "Hãy ghi tên mô hình." in text and "dd/mm/yyyy" in text
    assert GoodPractice.objects.count() == 1


def test_a_criticism_is_recorded_and_followed_up(
    doi_ngo: Unit, district_officer: User, commune_officer: User, outsider: User, client_for: Callable[[User], Client]
) -> None:
    with pytest.raises(PermissionDenied):
        practice_services.record_criticism(by=commune_officer, unit=doi_ngo, criticised_on=TODAY, reason="x", document_ref="1-TB")
    with pytest.raises(ValidationError, match="lý do phê bình"):
        practice_services.record_criticism(by=district_officer, unit=doi_ngo, criticised_on=TODAY, reason=" ", document_ref="1-TB")
    with pytest.raises(ValidationError, match="không thể sau hôm nay"):
        practice_services.record_criticism(
            by=district_officer, unit=doi_ngo, criticised_on=TODAY + dt.timedelta(days=1), reason="x", document_ref="1-TB"
        )
    criticism = practice_services.record_criticism(
        by=district_officer,
        unit=doi_ngo,
        criticised_on=TODAY - dt.timedelta(days=30),
        reason="Chưa quán triệt Luật",
        document_ref="15-TB/BCĐ",
        document=io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
        document_name="thong-bao.pdf",
    )
    with pytest.raises(ValidationError, match="từ ngày phê bình"):
        practice_services.record_follow_up(
            by=district_officer, criticism=criticism, follow_up="Đã khắc phục", on=TODAY - dt.timedelta(days=40)
        )
    practice_services.record_follow_up(by=district_officer, criticism=criticism, follow_up="Đã tổ chức hội nghị", on=TODAY)
    assert (criticism.follow_up, criticism.follow_up_on) == ("Đã tổ chức hội nghị", TODAY)
    entries = AuditEntry.objects.filter(model_label="steering.Criticism", object_pk=str(criticism.pk)).order_by("pk")
    assert [e.actor for e in entries] == [district_officer, district_officer]
    assert entries.last().before["follow_up"] == ""  # type: ignore[union-attr,index]

    own = client_for(commune_officer)  # the criticised commune sees it, but cannot write the follow-up
    page = own.get(f"/staff/chi-dao/phe-binh/{criticism.pk}/")
    assert page.status_code == 200 and page.context["form"] is None
    assert own.post(f"/staff/chi-dao/phe-binh/{criticism.pk}/", {"follow_up": "x", "on": TODAY.strftime("%d/%m/%Y")}).status_code == 404
    assert own.get(f"/staff/chi-dao/phe-binh/{criticism.pk}/tep/").status_code == 200
    other = client_for(outsider)
    assert other.get(f"/staff/chi-dao/phe-binh/{criticism.pk}/").status_code == 404
    assert other.get(f"/staff/chi-dao/phe-binh/{criticism.pk}/tep/").status_code == 404
    assert Criticism.objects.count() == 1


def test_a_criticism_through_the_page(doi_ngo: Unit, district_officer: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(district_officer)
    response = client.post(
        "/staff/chi-dao/phe-binh/them/",
        {"unit": doi_ngo.pk, "criticised_on": TODAY.strftime("%d/%m/%Y"), "reason": "Họp không đúng quy chế", "document_ref": "20-TB/BCĐ"},
        follow=True,
    )
    assert "Đã ghi đơn vị bị phê bình." in response.content.decode()
    assert "Họp không đúng quy chế" in client.get("/staff/chi-dao/mo-hinh/").content.decode()


def test_a_practice_naming_a_persons_phone_or_id_is_not_published(doi_ngo: Unit, commune_officer: User, province_officer: User) -> None:
    practice = _propose(commune_officer, doi_ngo, body="Cảm ơn bà Lan (0987 654 321, CCCD 001234567890) đã góp ý.")
    with pytest.raises(ValidationError, match="thông tin cá nhân") as refused:
        practice_services.publish_practice(by=province_officer, practice=practice)
    assert "0987 654 321" in str(refused.value) and "001234567890" in str(refused.value)
    practice.refresh_from_db()
    assert practice.state == PracticeState.PROPOSED and practice.published_at is None
    assert not AuditEntry.objects.filter(
        model_label="steering.GoodPractice", object_pk=str(practice.pk), action=AuditEntry.Action.UPDATE
    ).exists()
