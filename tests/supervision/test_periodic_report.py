"""The periodic results report: the form seeded from the province's list, a commune's report
pre-filled from the platform's figures, the submit/return/accept lifecycle with its audit, the
province's totals over accepted reports, completeness and timeliness, reminders, and who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.actors import SYSTEM
from core.models import AuditEntry
from core.workdays import WorkingCalendar
from supervision import clocks, queries, services
from supervision.models import Aggregation, IndicatorKind, ReportForm, ReportIndicator, ReportState, UnitReport
from supervision.permissions import access_report, visible_reports
from units.models import Unit, UnitKind
from units.structure import UnitNotInForce

pytestmark = pytest.mark.django_db
H2_2025 = dt.date(2025, 7, 1)
H1_2026 = dt.date(2026, 1, 1)


@pytest.fixture
def form(bac_ninh: Unit) -> ReportForm:
    return services.seed_default_form(by=SYSTEM, province=bac_ninh)


def _fill(report: UnitReport, by, **overrides: str) -> UnitReport:  # type: ignore[no-untyped-def]
    """Fill every blank number with 1 (or the override by code) and explain nothing."""
    values = {}
    for row in report.values.select_related("indicator"):
        code = row.indicator.code
        if row.indicator.kind == IndicatorKind.NUMBER:
            number = overrides.get(code, str(row.number) if row.number is not None else "1")
            values[row.indicator_id] = {"number": number, "deviation_note": overrides.get(f"{code}_note", "")}
        else:
            values[row.indicator_id] = {"text": "Thực hiện tốt quy chế dân chủ."}
    return services.save_report_values(by=by, report=report, values=values)


# --- Clocks ----------------------------------------------------------------------------------------
def test_periods_and_due_date_in_working_days() -> None:
    assert clocks.period_bounds("half_year", 2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert clocks.period_bounds("half_year", 2026, 2) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert clocks.period_bounds("year", 2026) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert clocks.last_ended_period("half_year", dt.date(2026, 12, 3)) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert clocks.last_ended_period("half_year", dt.date(2026, 3, 1)) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    assert clocks.last_ended_period("year", dt.date(2026, 3, 1)) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    # 10 working days after 31/12/2025 skip New Year's Day and two weekends.
    deadline = clocks.report_deadline(dt.date(2025, 12, 31), 10, WorkingCalendar())
    assert deadline.due == dt.date(2026, 1, 15)
    assert "Tết Dương lịch" in deadline.explanation()
    # A day the province declares off pushes the due date by one working day.
    declared = WorkingCalendar(extra_days_off={dt.date(2026, 1, 5): "Nghỉ bù"})
    assert clocks.report_deadline(dt.date(2025, 12, 31), 10, declared).due == dt.date(2026, 1, 16)


# --- The form -------------------------------------------------------------------------------------
def test_default_form_covers_the_provinces_list_and_versions(form: ReportForm) -> None:
    codes = set(form.sections.values_list("indicators__code", flat=True))
    for code in ("disclosures", "village_meetings", "direct_decisions", "votes", "opinions", "supervision_activities"):
        assert code in codes
    assert {"board_recommendations", "funds_raised", "one_stop_satisfaction", "complaints", "feedback_on_time"} <= codes
    rate = form.sections.get(order=4).indicators.get(code="board_answers_on_time")
    assert rate.aggregation == Aggregation.AVERAGE and rate.metric_key == "supervision.recommendations_answered_on_time"
    assert services.seed_default_form(by=SYSTEM, province=form.province) == form  # seeding twice keeps the one
    # Once a unit has reported on a version it is frozen; a new version is edited and put in use.
    commune = Unit.objects.filter(parent=form.province, kind=UnitKind.COMMUNE).order_by("code")[0]
    services.start_report(by=SYSTEM, form=form, unit=commune, period_start=H1_2026)
    section = form.sections.get(order=2)
    with pytest.raises(ValidationError, match="phiên bản mới"):
        services.save_indicator(by=SYSTEM, section=section, code="extra", label="Chỉ tiêu mới", kind="number")
    v2 = services.new_form_version(by=SYSTEM, form=form)
    assert v2.version == 2 and not v2.in_use
    services.save_indicator(by=SYSTEM, section=v2.sections.get(order=2), code="extra", label="Chỉ tiêu mới", kind="number")
    services.put_form_in_use(by=SYSTEM, form=v2)
    form.refresh_from_db()
    assert not form.in_use and v2.in_use
    assert v2.sections.get(order=2).indicators.filter(code="extra").exists()
    assert not section.indicators.filter(code="extra").exists()


def test_only_the_province_office_edits_forms(form: ReportForm, officer, foreigner, office) -> None:  # type: ignore[no-untyped-def]
    for user in (officer, foreigner):
        with pytest.raises(PermissionDenied):
            services.new_form_version(by=user, form=form)
    assert services.new_form_version(by=office, form=form).version == 2


# --- Pre-fill and lifecycle ---------------------------------------------------------------------
def test_report_is_prefilled_from_the_platforms_figures(form: ReportForm, board, officer) -> None:  # type: ignore[no-untyped-def]
    for day in (dt.date(2026, 2, 10), dt.date(2026, 5, 4)):
        services.record_recommendation(by=SYSTEM, board=board, subject="Công khai", content="Đề nghị công khai quỹ thôn.", sent_on=day)
    services.record_recommendation(
        by=SYSTEM, board=board, subject="Ngoài kỳ", content="Kiến nghị gửi sau kỳ báo cáo.", sent_on=dt.date(2026, 7, 2)
    )
    report = services.start_report(by=officer, form=form, unit=board.unit, period_start=H1_2026)
    assert report.reviewer == form.province  # after 1 July 2025 the province is the level above
    assert report.period_end == dt.date(2026, 6, 30) and report.due_on == dt.date(2026, 7, 14)
    rows = {v.indicator.code: v for v in report.values.select_related("indicator")}
    assert rows["board_recommendations"].prefilled == Decimal(2) and rows["board_recommendations"].number == Decimal(2)
    assert "Sổ kiến nghị" in rows["board_recommendations"].prefill_note
    assert rows["disclosures"].prefill_note == "" and rows["disclosures"].number is None  # filled by hand
    assert rows["disclosure_on_time"].prefilled is None and rows["disclosure_on_time"].prefill_note.startswith("chưa có số liệu")
    # A metric no capability registers (a key the province typed for a capability still to come).
    ghost = ReportIndicator(code="ghost", label="Chỉ tiêu", kind="number", metric_key="khong.co.nguon")
    assert services._prefill(ghost, unit=board.unit, start=H1_2026, end=dt.date(2026, 6, 30)) == (None, "chưa có số liệu")
    assert rows["village_meetings"].prefill_note == "" and rows["village_meetings"].number is None  # filled by hand
    with pytest.raises(ValidationError, match="đã lập"):
        services.start_report(by=officer, form=form, unit=board.unit, period_start=H1_2026)


def test_a_report_goes_to_the_unit_in_force(form: ReportForm, bac_giang: Unit, commune: Unit) -> None:
    with pytest.raises(UnitNotInForce):
        services.start_report(by=SYSTEM, form=form, unit=commune, period_start=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="bắt đầu ngày 01/01/2026"):
        services.start_report(by=SYSTEM, form=form, unit=commune, period_start=dt.date(2026, 2, 1))


def test_submit_return_resubmit_accept(form: ReportForm, board, officer, office, neighbour) -> None:  # type: ignore[no-untyped-def]
    services.record_recommendation(
        by=SYSTEM, board=board, subject="Công khai", content="Đề nghị công khai quỹ thôn.", sent_on=dt.date(2026, 3, 2)
    )
    report = services.start_report(by=officer, form=form, unit=board.unit, period_start=H1_2026)
    with pytest.raises(ValidationError, match="Chưa nhập"):
        services.submit_report(by=officer, report=report, on=dt.date(2026, 7, 10))
    with pytest.raises(ValidationError, match="không phải là một số"):
        _fill(report, officer, village_meetings="mười")
    report = _fill(report, officer, village_meetings="1.250", board_recommendations="3")
    with pytest.raises(ValidationError, match="giải trình"):
        services.submit_report(by=officer, report=report, on=dt.date(2026, 7, 10))
    report = _fill(
        report, officer, village_meetings="1.250", board_recommendations="3", board_recommendations_note="Một kiến nghị ghi trên giấy."
    )
    assert report.values.get(indicator__code="village_meetings").number == Decimal(1250)
    with pytest.raises(PermissionDenied):
        services.submit_report(by=neighbour, report=report, on=dt.date(2026, 7, 10))
    report = services.submit_report(by=officer, report=report, on=dt.date(2026, 7, 10))
    assert report.state == ReportState.SUBMITTED and report.first_submitted_on == dt.date(2026, 7, 10)
    with pytest.raises(ValidationError):
        _fill(report, officer)  # nothing is edited while the level above reviews it
    with pytest.raises(PermissionDenied):
        services.accept_report(by=officer, report=report)  # the commune does not accept its own
    with pytest.raises(ValidationError, match="10 ký tự"):
        services.return_report(by=office, report=report, comment="sai")
    report = services.return_report(by=office, report=report, comment="Số cuộc họp thôn chưa khớp biên bản.")
    assert report.state == ReportState.RETURNED
    report = _fill(
        report, officer, village_meetings="125", board_recommendations="3", board_recommendations_note="Một kiến nghị ghi trên giấy."
    )
    report = services.submit_report(by=officer, report=report, on=dt.date(2026, 7, 20))
    assert report.first_submitted_on == dt.date(2026, 7, 10) and report.submitted_on == dt.date(2026, 7, 20)
    report = services.accept_report(by=office, report=report)
    assert report.state == ReportState.ACCEPTED and report.reviewed_by == office
    with pytest.raises(ValidationError, match="Đã tiếp nhận"):
        services.return_report(by=office, report=report, comment="Trả lại sau khi đã nhận.")
    changes = AuditEntry.objects.filter(model_label="supervision.ReportValue", actor=officer)
    assert changes.filter(after__number="125.00", before__number="1250.00").exists()
    states = list(
        AuditEntry.objects.filter(model_label="supervision.UnitReport", object_pk=str(report.pk))
        .order_by("pk")
        .values_list("after__state", flat=True)
    )
    assert states == ["draft", "submitted", "returned", "submitted", "accepted"]


# --- Aggregation ----------------------------------------------------------------------------------
def test_province_totals_add_accepted_reports_only(form: ReportForm, bac_ninh: Unit) -> None:
    communes = list(Unit.objects.filter(parent=bac_ninh, kind=UnitKind.COMMUNE).order_by("code")[:3])
    figures = [("12", "80"), ("30,5", "100"), ("1000", "0")]
    reports = []
    for unit, (meetings, rate) in zip(communes, figures, strict=True):
        r = services.start_report(by=SYSTEM, form=form, unit=unit, period_start=H1_2026)
        r = _fill(r, SYSTEM, village_meetings=meetings, feedback_on_time=rate, feedback_on_time_note="Số liệu sổ theo dõi.")
        reports.append(services.submit_report(by=SYSTEM, report=r, on=dt.date(2026, 7, 6)))
    services.accept_report(by=SYSTEM, report=reports[0])
    services.accept_report(by=SYSTEM, report=reports[1])  # the third is still under review
    lines, accepted = queries.aggregate(form=form, reviewer=bac_ninh, start=H1_2026)
    by_code = {line.indicator.code: line for line in lines}
    assert accepted == 2
    assert by_code["village_meetings"].value == Decimal("42.50") and by_code["village_meetings"].reports == 2
    assert by_code["feedback_on_time"].value == Decimal("90.00")  # a rate is averaged
    assert "assessment" not in by_code  # text is not totalled
    lines, accepted = queries.aggregate(form=form, reviewer=bac_ninh, start=dt.date(2026, 7, 1))
    assert accepted == 0 and all(line.value is None for line in lines)


# --- Completeness, timeliness, reminders -----------------------------------------------------------
def test_completeness_timeliness_and_reminders(form: ReportForm, bac_ninh: Unit, office, foreigner, make_user) -> None:  # type: ignore[no-untyped-def]
    communes = list(Unit.objects.in_force(dt.date(2026, 6, 30)).filter(parent=bac_ninh, kind=UnitKind.COMMUNE).order_by("code"))
    due = dt.date(2026, 7, 14)
    for unit, sent in ((communes[0], dt.date(2026, 7, 14)), (communes[1], dt.date(2026, 7, 20))):
        r = _fill(services.start_report(by=SYSTEM, form=form, unit=unit, period_start=H1_2026), SYSTEM)
        services.submit_report(by=SYSTEM, report=r, on=sent)
    services.start_report(by=SYSTEM, form=form, unit=communes[2], period_start=H1_2026)  # begun, never sent
    c = queries.completeness(form=form, start=H1_2026, end=dt.date(2026, 6, 30), due_on=due, today=dt.date(2026, 12, 3), user=office)
    assert c.expected == len(communes) and c.received == 2 and c.on_time == 1
    assert c.received_rate == round(200 / len(communes), 1)
    assert len(c.overdue) == len(communes) - 2 and communes[2] in [row.unit for row in c.overdue]
    before = queries.completeness(form=form, start=H1_2026, end=dt.date(2026, 6, 30), due_on=due, today=dt.date(2026, 7, 1), user=office)
    assert not before.overdue and sum(r.status == "pending" for r in before.rows) == len(communes) - 2
    assert (
        queries.completeness(
            form=form, start=H1_2026, end=dt.date(2026, 6, 30), due_on=due, today=dt.date(2026, 12, 3), user=foreigner
        ).expected
        == 0
    )
    # A commune's own scope expects only itself.
    own = make_user("commune_officer", communes[3], username="xa.ba")
    assert [
        r.unit
        for r in queries.completeness(
            form=form, start=H1_2026, end=dt.date(2026, 6, 30), due_on=due, today=dt.date(2026, 12, 3), user=own
        ).rows
    ] == [communes[3]]
    # Reminders: 3 working days before the due day the units that have not sent are reminded; not a week before.
    assert services.remind_reports(on=dt.date(2026, 7, 7)) == 0
    assert services.remind_reports(on=dt.date(2026, 7, 10)) == len(communes) - 2
    assert services.remind_reports(on=dt.date(2026, 7, 15)) == len(communes) - 2  # overdue, once each (deduplicated mail)


# --- Permissions ----------------------------------------------------------------------------------
def test_a_commune_sees_and_writes_only_its_own(
    form: ReportForm, commune: Unit, other_commune: Unit, officer, neighbour, foreigner, office
) -> None:  # type: ignore[no-untyped-def]
    mine = services.start_report(by=officer, form=form, unit=commune, period_start=H1_2026)
    theirs = services.start_report(by=neighbour, form=form, unit=other_commune, period_start=H1_2026)
    with pytest.raises(PermissionDenied):
        services.start_report(by=officer, form=form, unit=other_commune, period_start=dt.date(2026, 7, 1))
    assert list(visible_reports(officer)) == [mine]
    assert set(visible_reports(office)) == {mine, theirs}
    assert not visible_reports(foreigner).exists()
    for user, report in ((officer, theirs), (neighbour, mine), (foreigner, mine)):
        with pytest.raises(Http404):
            access_report(actor=user, report_id=report.pk)
    with pytest.raises(PermissionDenied):
        services.save_report_values(by=neighbour, report=mine, values={})
    with pytest.raises(PermissionDenied):
        services.return_report(by=foreigner, report=mine, comment="Không phải việc của tỉnh khác.")


def test_demo_periods_have_realistic_gaps(bac_ninh: Unit, commune: Unit) -> None:
    import random

    from supervision.demo import periodic_reports

    made = periodic_reports(bac_ninh, [commune], random.Random(24), dt.date(2026, 12, 3), others=12)
    form = ReportForm.objects.get(province=bac_ninh, in_use=True)
    for start, end, due in (
        (dt.date(2025, 7, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 15)),
        (H1_2026, dt.date(2026, 6, 30), dt.date(2026, 7, 14)),
    ):
        c = queries.completeness(form=form, start=start, end=end, due_on=due, today=dt.date(2026, 12, 3))
        assert 0 < c.on_time < c.received < c.expected, (start, c.on_time, c.received)  # some late, some missing
    states = set(UnitReport.objects.filter(period_start=H1_2026).values_list("state", flat=True))
    assert {ReportState.ACCEPTED, ReportState.DRAFT} <= states and len(states) >= 3
    assert made == UnitReport.objects.count()
    assert queries.aggregate(form=form, reviewer=bac_ninh, start=dt.date(2025, 7, 1))[1] > 0
    # Before the merger the 2024 communes reported to their districts: the province's totals come
    # with each district's.
    before = queries.compile_report(form=form, top=bac_ninh, start=dt.date(2025, 1, 1))
    assert before.total.accepted > 0 and before.levels
    assert all(lv.unit.kind == UnitKind.DISTRICT for lv in before.levels)
    assert sum(lv.accepted for lv in before.levels) == before.total.accepted
