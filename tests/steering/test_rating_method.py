"""The rating method is the province's data: a draft from the defaults, edited (every edit audited
with before and after) only while a draft and only by the province's standing office; publishing
retires the version in force, and a rating keeps the version it was computed with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry
from steering import rating, rating_services
from steering.models import ChairmanRating, MethodState, RatingMethod

pytestmark = pytest.mark.django_db


def _draft(by, province) -> RatingMethod:  # type: ignore[no-untyped-def]
    return rating_services.create_method(by=by, province=province, title="Phương pháp xếp loại")


def test_first_draft_copies_the_defaults_as_rows(province_officer, bac_giang) -> None:  # type: ignore[no-untyped-def]
    method = _draft(province_officer, bac_giang)
    assert method.version == 1 and method.state == MethodState.DRAFT
    assert [c.metric_key for c in method.components.all()] == [row[0] for row in rating.DEFAULT_COMPONENTS]
    assert next(b.label for b in method.bands.all()) == "Hoàn thành xuất sắc nhiệm vụ"
    entry = AuditEntry.objects.get(model_label="steering.RatingMethod", object_pk=str(method.pk))
    assert entry.actor == province_officer and entry.before is None and len(entry.after["components"]) == len(rating.DEFAULT_COMPONENTS)


def test_editing_a_component_is_audited_with_before_and_after(province_officer, bac_giang) -> None:  # type: ignore[no-untyped-def]
    method = _draft(province_officer, bac_giang)
    component = method.components.get(metric_key="feedback.on_time_rate")
    rating_services.save_component(
        by=province_officer,
        method=method,
        component=component,
        metric_key="feedback.on_time_rate",
        label="Trả lời phản ánh đúng hạn",
        weight="25",
        direction="higher",
        scale="percent",
        min_denominator="10",
    )
    component.refresh_from_db()
    assert component.weight == Decimal(25) and component.min_denominator == 10
    entry = AuditEntry.objects.filter(model_label="steering.RatingMethod", action="update").latest("id")
    before = next(c for c in entry.before["components"] if c["metric_key"] == "feedback.on_time_rate")
    after = next(c for c in entry.after["components"] if c["metric_key"] == "feedback.on_time_rate")
    assert (before["weight"], before["min_denominator"]) == ("15.00", 5)
    assert (after["weight"], after["min_denominator"]) == ("25.00", 10)
    assert entry.actor == province_officer


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"metric_key": "khong.co"}, "không có trên nền tảng"),
        ({"weight": "-3"}, "Trọng số phải từ"),
        ({"weight": "mười"}, "Trọng số phải là một số"),
        ({"min_denominator": "2.5"}, "số nguyên"),
        ({"scale": "count", "points_per_item": "0"}, "số điểm cho mỗi vụ việc"),
        ({"label": "  "}, "cần có tên"),
        ({"metric_key": "disclosure.on_time_rate"}, "đã có trong phương pháp"),
    ],
)
def test_bad_component_is_refused_and_changes_nothing(province_officer, bac_giang, fields, message) -> None:  # type: ignore[no-untyped-def]
    method = _draft(province_officer, bac_giang)
    component = method.components.get(metric_key="feedback.on_time_rate")
    before = list(method.components.values_list("metric_key", "label", "weight", "min_denominator"))
    audits = AuditEntry.objects.count()
    data = {
        "metric_key": "feedback.on_time_rate",
        "label": "X",
        "weight": "10",
        "direction": "higher",
        "scale": "percent",
        "min_denominator": "1",
    }
    data.update(fields)
    with pytest.raises(ValidationError) as exc:
        rating_services.save_component(by=province_officer, method=method, component=component, **data)
    assert message in " ".join(exc.value.messages)
    assert list(method.components.values_list("metric_key", "label", "weight", "min_denominator")) == before
    assert AuditEntry.objects.count() == audits


def test_band_threshold_must_be_a_score(province_officer, bac_giang) -> None:  # type: ignore[no-untyped-def]
    method = _draft(province_officer, bac_giang)
    with pytest.raises(ValidationError, match="Điểm tối thiểu phải từ 0 đến 100"):
        rating_services.save_band(by=province_officer, method=method, label="Vượt", min_score="120")
    with pytest.raises(ValidationError, match="Đã có mức xếp loại"):
        rating_services.save_band(by=province_officer, method=method, label="Khác", min_score="75")
    assert method.bands.count() == len(rating.DEFAULT_BANDS)


def test_only_the_province_standing_office_edits(district_officer, province_leader, outsider, province_officer, bac_giang) -> None:  # type: ignore[no-untyped-def]
    for user in (district_officer, province_leader, outsider):
        with pytest.raises(PermissionDenied):
            _draft(user, bac_giang)
    method = _draft(province_officer, bac_giang)
    with pytest.raises(PermissionDenied):
        rating_services.save_band(by=district_officer, method=method, label="X", min_score="10")
    with pytest.raises(PermissionDenied):
        rating_services.publish_method(by=province_leader, method=method)


def test_publishing_retires_the_previous_version_and_freezes_it(province_officer, bac_giang) -> None:  # type: ignore[no-untyped-def]
    first = rating_services.publish_method(by=province_officer, method=_draft(province_officer, bac_giang))
    with pytest.raises(ValidationError, match="đã ban hành không sửa được"):
        rating_services.save_band(by=province_officer, method=first, label="Mới", min_score="60")
    second = rating_services.create_method(by=province_officer, province=bac_giang, title="Sửa đổi 2025", copy_of=first)
    assert second.version == 2 and second.components.count() == first.components.count()
    rating_services.save_band(
        by=province_officer, method=second, label="Hoàn thành xuất sắc nhiệm vụ", min_score="95", band=second.bands.get(min_score=90)
    )
    rating_services.publish_method(by=province_officer, method=second)
    first.refresh_from_db()
    assert first.state == MethodState.RETIRED and rating.published_method(bac_giang) == second
    assert first.bands.filter(min_score=90).exists()  # the old version is untouched


def test_publishing_needs_a_band_from_zero(province_officer, bac_giang) -> None:  # type: ignore[no-untyped-def]
    method = _draft(province_officer, bac_giang)
    rating_services.remove_band(by=province_officer, band=method.bands.get(min_score=0))
    with pytest.raises(ValidationError, match="điểm tối thiểu 0"):
        rating_services.publish_method(by=province_officer, method=method)
    method.refresh_from_db()
    assert method.state == MethodState.DRAFT


def test_a_rating_keeps_the_method_version_it_was_computed_with(province_officer, bac_giang) -> None:  # type: ignore[no-untyped-def]
    first = rating_services.publish_method(by=province_officer, method=_draft(province_officer, bac_giang))
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    rating_services.compute_ratings(by=province_officer, province=bac_giang, start=start, end=end)
    second = rating_services.create_method(by=province_officer, province=bac_giang, title="Phiên bản 2", copy_of=first)
    rating_services.publish_method(by=province_officer, method=second)
    rating_services.compute_ratings(by=province_officer, province=bac_giang, start=start, end=end)
    assert ChairmanRating.objects.filter(method=first).count() == ChairmanRating.objects.filter(method=second).count() > 0
    assert set(rating.ratings_for(bac_giang, start, end, second).values_list("method__version", flat=True)) == {2}
