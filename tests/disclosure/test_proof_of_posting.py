"""Proof of posting: a phone photo's capture time and place (EXIF, or the phone's position sent by
the page) checked against the commune's location and the posting's dates; photos that prove
nothing are kept, unproven, with the reason; a taking-down photo or date closes the posting."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.actors import SYSTEM
from core.models import StoredFile
from disclosure import queries, services
from disclosure.models import Disclosure, Posting, PostingPhoto
from tests.disclosure.conftest import PDF

D = dt.date
TODAY = D(2026, 12, 3)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def posting(commune, category, village) -> Posting:
    d = services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(7),
        title="Danh sách hộ nghèo năm 2026",
        document_number="88/QĐ-UBND",
        document_date=D(2026, 11, 20),
        issuer="UBND phường",
        disclosed_on=D(2026, 11, 23),
        forms=["notice_board", "loudspeaker"],
        at_office=True,
        villages=[village],
        today=TODAY,
    )
    return Posting.objects.get(disclosure=d, village__isnull=True)


def _add(posting, content, *, purpose="posted", browser=None, received=None):
    return services.add_photo(
        by=SYSTEM,
        posting=posting,
        upload=io.BytesIO(content),
        name="anh.jpg",
        purpose=purpose,
        browser_position=browser,
        received_at=received or at(D(2026, 11, 24), 10),
    )


def test_exif_time_and_gps_near_the_commune_prove_the_posting(posting, photo, commune):
    saved = _add(posting, photo(taken=dt.datetime(2026, 11, 23, 8, 30), lat=commune.latitude + 0.002, lon=commune.longitude))
    assert saved.proven and saved.time_source == "exif" and saved.location_source == "exif"
    assert 150 < saved.distance_m < 300
    assert timezone.localtime(saved.taken_at).date() == D(2026, 11, 23)
    assert len(saved.file.sha256) == 64


def test_browser_position_stands_in_for_missing_exif(posting, photo, commune):
    saved = _add(posting, photo(), browser=(commune.latitude, commune.longitude + 0.001))
    assert saved.proven and saved.time_source == "browser" and saved.location_source == "browser"


@pytest.mark.parametrize(
    ("kwargs", "browser", "reason"),
    [
        ({}, None, "không có thời điểm chụp"),
        ({"taken": dt.datetime(2026, 11, 23, 8)}, None, "không có vị trí chụp"),
        ({"taken": dt.datetime(2026, 11, 20, 8), "lat": 21.2731, "lon": 106.1946}, None, "trước ngày bắt đầu niêm yết 23/11/2026"),
        ({"taken": dt.datetime(2026, 11, 23, 8), "lat": 21.9, "lon": 106.1946}, None, "xa hơn mức cho phép 15.0 km"),
    ],
)
def test_photos_that_prove_nothing_are_kept_unproven_with_the_reason(posting, photo, kwargs, browser, reason):
    saved = _add(posting, photo(**kwargs), browser=browser)
    assert not saved.proven and reason in saved.unproven_reason
    assert PostingPhoto.objects.filter(pk=saved.pk).exists()
    d = queries.with_proof(Disclosure.objects.filter(pk=posting.disclosure_id)).get()
    assert not queries.proof_of(d).proven


def test_the_distance_tolerance_is_a_setting(posting, photo, settings):
    settings.DISCLOSURE_PHOTO_MAX_DISTANCE_METRES = 100_000
    saved = _add(posting, photo(taken=dt.datetime(2026, 11, 23, 8), lat=21.9, lon=106.1946))
    assert saved.proven


def test_a_taking_down_photo_closes_the_posting(posting, photo, commune):
    _add(posting, photo(taken=dt.datetime(2026, 11, 23, 8), lat=commune.latitude, lon=commune.longitude))
    _add(posting, photo(taken=dt.datetime(2026, 11, 30, 17), lat=commune.latitude, lon=commune.longitude), purpose="taken_down")
    posting.refresh_from_db()
    assert posting.ended_on == D(2026, 11, 30)
    with pytest.raises(ValidationError, match="đã kết thúc ngày 30/11/2026"):
        _add(posting, photo())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PDF, "không đúng định dạng"),
        (b"GIF89a" + b"\x00" * 64, "không đúng định dạng"),
        (b"", "rỗng"),
    ],
)
def test_files_are_typed_by_content_and_nothing_is_half_saved(posting, content, message):
    before = StoredFile.objects.count()
    with pytest.raises(ValidationError, match=message):
        _add(posting, content)
    assert StoredFile.objects.count() == before and not PostingPhoto.objects.exists()


def test_photo_size_limit(posting, photo, settings):
    settings.DISCLOSURE_PHOTO_MAX_BYTES = 200
    with pytest.raises(ValidationError, match="quá lớn"):
        _add(posting, photo(size=256))


def test_ending_dates_are_checked(posting):
    with pytest.raises(ValidationError, match="ở tương lai"):
        services.end_posting(by=SYSTEM, posting=posting, ended_on=TODAY + dt.timedelta(days=1), today=TODAY)
    with pytest.raises(ValidationError, match="trước ngày bắt đầu niêm yết 23/11/2026"):
        services.end_posting(by=SYSTEM, posting=posting, ended_on=D(2026, 11, 22), today=TODAY)
    services.end_posting(by=SYSTEM, posting=posting, ended_on=D(2026, 11, 25), today=TODAY)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.end_posting(by=SYSTEM, posting=posting, ended_on=D(2026, 11, 26), today=TODAY)
