"""The meetings regime as a figure: whole periods of the regime that have ended, kept when they had
the required meetings; the committee's life and its unit's validity cut the window; the province's
default, a committee's own regime; the core metric over a unit's subtree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.actors import SYSTEM
from accounts.models import User
from core import metrics
from core.models import AuditEntry
from steering import committee_work, work_queries
from steering.models import Meeting, MeetingRegime, RegimePeriod
from tests.steering.committee_builders import all_present, committee_with_members
from units.models import SteeringCommittee, Unit

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def _held(committee: SteeringCommittee, *days: dt.date) -> None:
    for day in days:
        meeting = committee_work.schedule_meeting(by=SYSTEM, committee=committee, title="Họp định kỳ", scheduled_on=day)
        committee_work.record_meeting_held(by=SYSTEM, meeting=meeting, held_on=day, attendance=all_present(committee))


@pytest.fixture
def quarterly(bac_giang: Unit) -> MeetingRegime:
    return committee_work.set_meeting_regime(by=SYSTEM, unit=bac_giang, period=RegimePeriod.QUARTER, meetings_per_period=1)


@pytest.fixture
def luc_nam_committee(luc_nam: Unit) -> SteeringCommittee:
    return committee_with_members(luc_nam, "Ban Chỉ đạo QCDC huyện Lục Nam", established_on=dt.date(2023, 3, 1))


def test_periods_are_whole_calendar_periods_inside_the_window() -> None:
    assert work_queries.periods(RegimePeriod.QUARTER, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == [
        (dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        (dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        (dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        (dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
    ]
    # A window starting mid-quarter drops that quarter; one ending mid-quarter drops the last.
    assert work_queries.periods(RegimePeriod.QUARTER, dt.date(2024, 2, 15), dt.date(2024, 11, 30)) == [
        (dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        (dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
    ]
    assert len(work_queries.periods(RegimePeriod.MONTH, dt.date(2024, 11, 1), dt.date(2025, 2, 28))) == 4
    assert work_queries.periods(RegimePeriod.HALF, *YEAR)[1] == (dt.date(2024, 7, 1), dt.date(2024, 12, 31))
    assert work_queries.periods(RegimePeriod.YEAR, dt.date(2024, 1, 2), dt.date(2025, 12, 31)) == [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    ]


def test_two_meetings_in_one_quarter_do_not_make_up_for_a_quarter_without_any(
    quarterly: MeetingRegime, luc_nam_committee: SteeringCommittee
) -> None:
    _held(luc_nam_committee, dt.date(2024, 1, 10), dt.date(2024, 3, 20), dt.date(2024, 8, 5))
    [result] = work_queries.compliance([luc_nam_committee], start=YEAR[0], end=YEAR[1], today=dt.date(2025, 1, 15))
    assert (result.held_total, result.required, result.kept, result.due, result.rate) == (3, 4, 2, 4, 50.0)
    assert [(p.label, p.held) for p in result.missed] == [("quý II/2024", 0), ("quý IV/2024", 0)]


def test_a_period_in_progress_and_before_the_committee_existed_is_not_due(
    quarterly: MeetingRegime, luc_nam: Unit, luc_nam_committee: SteeringCommittee
) -> None:
    _held(luc_nam_committee, dt.date(2024, 2, 1))
    [result] = work_queries.compliance([luc_nam_committee], start=YEAR[0], end=YEAR[1], today=dt.date(2024, 8, 10))
    assert result.due == 2 and result.kept == 1  # Q1 and Q2 have ended; Q3 is in progress
    late = committee_with_members(luc_nam, "Tiểu ban mới", established_on=dt.date(2024, 2, 15))
    [result] = work_queries.compliance([late], start=YEAR[0], end=YEAR[1], today=dt.date(2025, 1, 15))
    assert [p.first for p in result.periods] == [dt.date(2024, 4, 1), dt.date(2024, 7, 1), dt.date(2024, 10, 1)]


def test_a_committee_whose_unit_was_abolished_is_due_only_while_it_existed(
    quarterly: MeetingRegime, luc_nam: Unit, luc_nam_committee: SteeringCommittee
) -> None:
    Unit.objects.filter(pk=luc_nam.pk).update(valid_to=dt.date(2025, 6, 30))
    luc_nam_committee.unit.refresh_from_db()
    [result] = work_queries.compliance([luc_nam_committee], start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), today=dt.date(2026, 1, 5))
    assert result.due == 2


def test_a_committee_override_and_a_committee_without_regime(
    quarterly: MeetingRegime, luc_nam_committee: SteeringCommittee, luc_nam: Unit, province_officer: User
) -> None:
    committee_work.set_meeting_regime(by=province_officer, committee=luc_nam_committee, period=RegimePeriod.MONTH, meetings_per_period=1)
    _held(luc_nam_committee, dt.date(2024, 1, 10), dt.date(2024, 3, 20))
    [result] = work_queries.compliance([luc_nam_committee], start=YEAR[0], end=YEAR[1], today=dt.date(2025, 1, 15))
    assert (result.due, result.kept, result.required) == (12, 2, 12)
    assert result.missed[0].label == "tháng 2/2024"
    committee_work.clear_committee_regime(by=province_officer, committee=luc_nam_committee)
    assert work_queries.regime_of(luc_nam_committee) == quarterly
    group = SteeringCommittee.objects.create(unit=luc_nam, name="Tổ giúp việc", kind=SteeringCommittee.Kind.WORKING_GROUP)
    [result] = work_queries.compliance([group], start=YEAR[0], end=YEAR[1], today=dt.date(2025, 1, 15))
    assert result.regime is None and result.due == 0 and result.rate is None


def test_the_core_metric_adds_the_committees_of_a_subtree(
    quarterly: MeetingRegime, bac_giang: Unit, luc_nam: Unit, luc_ngan: Unit, luc_nam_committee: SteeringCommittee
) -> None:
    luc_ngan_committee = committee_with_members(luc_ngan, "Ban Chỉ đạo QCDC huyện Lục Ngạn", established_on=dt.date(2023, 1, 1))
    _held(luc_nam_committee, dt.date(2024, 1, 10), dt.date(2024, 5, 10), dt.date(2024, 8, 10), dt.date(2024, 11, 10))
    _held(luc_ngan_committee, dt.date(2024, 5, 10))
    province = metrics.compute("steering.meetings_regime_kept", unit=bac_giang, start=YEAR[0], end=YEAR[1])
    assert (province.value, province.basis) == (62.5, 8)  # 5 of 8 committee-quarters
    assert "don_vi=" in province.link
    district = metrics.compute("steering.meetings_regime_kept", unit=luc_ngan, start=YEAR[0], end=YEAR[1])
    assert (district.value, district.basis) == (25.0, 4)
    Meeting.objects.all().delete()
    MeetingRegime.objects.all().delete()
    empty = metrics.compute("steering.meetings_regime_kept", unit=luc_nam, start=YEAR[0], end=YEAR[1])
    assert empty.value is None and empty.note  # no regime: no data, never 0


def test_the_compliance_of_many_committees_takes_a_fixed_number_of_queries(
    quarterly: MeetingRegime, bac_giang: Unit, django_assert_max_num_queries: object
) -> None:
    from units.models import UnitKind

    for district in Unit.objects.filter(parent=bac_giang, kind=UnitKind.DISTRICT)[:6]:
        committee = committee_with_members(district, f"BCĐ {district.name}", members=1)
        _held(committee, dt.date(2024, 2, 1))
    committees = list(work_queries.committees_in(bac_giang))
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        results = work_queries.compliance(committees, start=YEAR[0], end=YEAR[1], today=dt.date(2025, 1, 15))
    assert len(results) == 6 and all(r.kept == 1 for r in results)


def test_only_the_province_sets_the_regime_and_bad_values_are_refused(
    bac_giang: Unit, luc_nam: Unit, district_officer: User, province_officer: User
) -> None:
    with pytest.raises(PermissionDenied):
        committee_work.set_meeting_regime(by=district_officer, unit=luc_nam, period=RegimePeriod.YEAR, meetings_per_period=1)
    with pytest.raises(ValidationError, match="từ 1 đến 31"):
        committee_work.set_meeting_regime(by=province_officer, unit=bac_giang, period=RegimePeriod.QUARTER, meetings_per_period=0)
    with pytest.raises(ValidationError, match="Kỳ họp"):
        committee_work.set_meeting_regime(by=province_officer, unit=bac_giang, period="week", meetings_per_period=1)
    assert not MeetingRegime.objects.exists()
    committee_work.set_meeting_regime(by=province_officer, unit=bac_giang, period=RegimePeriod.QUARTER, meetings_per_period=1)
    committee_work.set_meeting_regime(by=province_officer, unit=bac_giang, period=RegimePeriod.QUARTER, meetings_per_period=2)
    entries = AuditEntry.objects.filter(model_label="steering.MeetingRegime").order_by("pk")
    assert [e.action for e in entries] == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]
    assert entries.last().before["meetings_per_period"] == 1 and entries.last().actor == province_officer  # type: ignore[union-attr]
