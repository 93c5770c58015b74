"""Sessions on the Law per party committee, agency or unit, trainings with participants, media
coverage; the footnote's question (who has not yet held one) answered per organisation and unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts.actors import SYSTEM
from accounts.models import User
from core.models import AuditEntry
from steering import committee_work, work_queries
from steering.models import DisseminationSession, MediaCoverage, Organisation, SessionKind, SessionTopic
from units.models import Unit, UnitKind

SINCE, UNTIL = dt.date(2023, 7, 1), dt.date(2024, 12, 31)


@pytest.fixture
def organisations(bac_giang: Unit, luc_nam: Unit, luc_ngan: Unit) -> dict[str, Organisation]:
    rows = {
        "coquan": ("Đảng ủy Các cơ quan tỉnh", Organisation.Kind.PARTY_COMMITTEE, None),
        "doanhnghiep": ("Đảng ủy Khối Doanh nghiệp tỉnh", Organisation.Kind.PARTY_COMMITTEE, None),
        "lucnam": ("Huyện ủy Lục Nam", Organisation.Kind.PARTY_COMMITTEE, luc_nam),
        "lucngan": ("Huyện ủy Lục Ngạn", Organisation.Kind.PARTY_COMMITTEE, luc_ngan),
    }
    return {
        key: committee_work.add_organisation(by=SYSTEM, province=bac_giang, name=name, kind=kind, unit=unit)
        for key, (name, kind, unit) in rows.items()
    }


def _session(by: object, **kwargs: object) -> DisseminationSession:
    values: dict[str, object] = {"kind": SessionKind.DISSEMINATION, "title": "Hội nghị quán triệt Luật", "held_on": dt.date(2024, 3, 5)}
    values["participants"] = 120
    return committee_work.record_session(by=by, **(values | kwargs))  # type: ignore[arg-type]


def test_who_has_not_yet_disseminated_the_law(
    organisations: dict[str, Organisation], bac_giang: Unit, luc_nam: Unit, province_officer: User, district_officer: User
) -> None:
    _session(province_officer, organisation=organisations["coquan"])
    _session(district_officer, organisation=organisations["lucnam"])
    # A training, or a session on another topic, does not answer the footnote's question.
    _session(province_officer, organisation=organisations["doanhnghiep"], kind=SessionKind.TRAINING)
    _session(province_officer, organisation=organisations["lucngan"], topic=SessionTopic.FRIENDLY_GOVERNMENT)
    result = work_queries.not_yet_disseminated(unit=bac_giang, level=UnitKind.DISTRICT, start=SINCE, end=UNTIL)
    assert {o.name for o in result.organisations} == {"Đảng ủy Khối Doanh nghiệp tỉnh", "Huyện ủy Lục Ngạn"}
    assert result.organisations_total == 4 and result.units_total == 10
    assert luc_nam not in result.units and len(result.units) == 9  # Huyện ủy Lục Nam's session counts for Lục Nam
    earlier = work_queries.not_yet_disseminated(unit=bac_giang, level=UnitKind.DISTRICT, start=SINCE, end=dt.date(2024, 3, 1))
    assert len(earlier.organisations) == 4
    district = work_queries.not_yet_disseminated(unit=luc_nam, level=UnitKind.COMMUNE, start=SINCE, end=UNTIL)
    assert [o.name for o in district.organisations] == [] and district.units_total > 10


def test_sessions_are_recorded_by_their_units_officials_only(
    organisations: dict[str, Organisation], outsider_district: User, commune_officer: User, doi_ngo: Unit, district_officer: User
) -> None:
    with pytest.raises(PermissionDenied):
        _session(outsider_district, organisation=organisations["lucnam"])
    with pytest.raises(PermissionDenied):
        _session(district_officer, organisation=organisations["doanhnghiep"])  # the province's own list
    session = _session(commune_officer, unit=doi_ngo, kind=SessionKind.TRAINING, participants=45, audience="Cán bộ, công chức xã")
    assert session.unit == doi_ngo and session.organisation is None
    assert AuditEntry.objects.filter(model_label="steering.DisseminationSession", actor=commune_officer).count() == 1


def test_bad_sessions_and_media_are_refused_and_save_nothing(
    doi_ngo: Unit, commune_officer: User, bac_giang: Unit, district_officer: User
) -> None:
    with pytest.raises(ValidationError, match="lớn hơn 0"):
        _session(commune_officer, unit=doi_ngo, participants=0)
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        _session(commune_officer, unit=doi_ngo, held_on=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="tên hội nghị"):
        _session(commune_officer, unit=doi_ngo, title=" ")
    with pytest.raises(ValidationError):
        _session(commune_officer, unit=doi_ngo, kind="party")
    assert not DisseminationSession.objects.exists()
    with pytest.raises(ValidationError, match="cơ quan báo chí"):
        committee_work.record_media(
            by=district_officer, unit=doi_ngo, kind=MediaCoverage.Kind.ARTICLE, outlet="", title="x", published_on=dt.date(2024, 4, 1)
        )
    with pytest.raises(PermissionDenied):
        committee_work.record_media(
            by=district_officer,
            unit=bac_giang,
            kind=MediaCoverage.Kind.COLUMN,
            outlet="Báo Bắc Giang",
            title="x",
            published_on=dt.date(2024, 4, 1),
        )
    item = committee_work.record_media(
        by=district_officer,
        unit=doi_ngo,
        kind=MediaCoverage.Kind.BROADCAST,
        outlet="Đài truyền thanh huyện Lục Nam",
        title="Đồi Ngô thực hiện dân chủ ở cơ sở",
        published_on=dt.date(2024, 4, 1),
    )
    assert item.pk and MediaCoverage.objects.count() == 1


def test_the_province_keeps_its_list_of_organisations(
    bac_giang: Unit, luc_nam: Unit, province_officer: User, district_officer: User
) -> None:
    with pytest.raises(PermissionDenied):
        committee_work.add_organisation(
            by=district_officer, province=bac_giang, name="Huyện ủy Lục Nam", kind=Organisation.Kind.PARTY_COMMITTEE
        )
    committee_work.add_organisation(
        by=province_officer, province=bac_giang, name="Đảng ủy Công an tỉnh", kind=Organisation.Kind.PARTY_COMMITTEE
    )
    with pytest.raises(ValidationError, match="đã có"):
        committee_work.add_organisation(
            by=province_officer, province=bac_giang, name="đảng ủy công an tỉnh", kind=Organisation.Kind.PARTY_COMMITTEE
        )
    with pytest.raises(ValidationError, match="một tỉnh"):
        committee_work.add_organisation(by=province_officer, province=luc_nam, name="x", kind=Organisation.Kind.AGENCY)


def test_pages_list_sessions_and_the_missing_and_outsiders_see_none(
    organisations: dict[str, Organisation],
    province_officer: User,
    district_officer: User,
    outsider_district: User,
    client_for: Callable[[User], Client],
) -> None:
    province = client_for(province_officer)
    response = province.post(
        "/staff/chi-dao/tuyen-truyen/ghi/",
        {
            "kind": "dissemination",
            "topic": "law",
            "organisation": organisations["coquan"].pk,
            "title": "Hội nghị quán triệt Luật cho các chi bộ",
            "held_on": "2024-04-10",
            "participants": "300",
        },
    )
    assert response.status_code == 302 and DisseminationSession.objects.get().organisation == organisations["coquan"]
    missing = province.get("/staff/chi-dao/tuyen-truyen/chua-quan-triet/?tu=2023-07-01&den=2024-12-31").content.decode()
    assert "Đảng ủy Khối Doanh nghiệp tỉnh" in missing and "Đảng ủy Các cơ quan tỉnh" not in missing
    assert "Huyện Lục Ngạn" in missing
    district = client_for(district_officer)
    refused = district.post(
        "/staff/chi-dao/tuyen-truyen/ghi/",
        {
            "kind": "dissemination",
            "topic": "law",
            "organisation": organisations["doanhnghiep"].pk,
            "title": "x",
            "held_on": "2024-04-10",
            "participants": "3",
        },
        follow=True,
    )
    assert DisseminationSession.objects.count() == 1 and refused.status_code == 200
    assert (
        "Hội nghị quán triệt Luật cho các chi bộ" not in client_for(outsider_district).get("/staff/chi-dao/tuyen-truyen/").content.decode()
    )
    outsider_missing = client_for(outsider_district).get("/staff/chi-dao/tuyen-truyen/chua-quan-triet/").content.decode()
    assert "Huyện ủy Lục Ngạn" in outsider_missing and "Đảng ủy Khối Doanh nghiệp tỉnh" not in outsider_missing
