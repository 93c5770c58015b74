"""Due dates in working days: Tết and weekends are skipped, a request for information pauses the
clock, and a day off the province adds moves every open case's due date."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.services import add_calendar_day
from core.models import CalendarDay
from feedback import services
from feedback.models import Action, Category, RegisterClass

from .conftest import HCM

pytestmark = pytest.mark.django_db


def test_deadline_skips_tet_and_weekends_and_says_so(make_case, doi_ngo, luc_nam):
    with time_machine.travel(dt.datetime(2026, 2, 12, 10, 0, tzinfo=HCM), tick=False):
        case = make_case(doi_ngo, category=Category.CONDUCT_DELAY)  # 5 working days
    assert case.due_on == dt.date(2026, 2, 26)
    assert "Tết Nguyên Đán" in case.due_explanation and "5 ngày làm việc kể từ 12/02/2026" in case.due_explanation


def test_request_for_information_pauses_the_clock(make_case, doi_ngo, commune_officer):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM), tick=False) as t:
        case = make_case(doi_ngo)  # 10 working days: due Tue 17/03
        assert case.due_on == dt.date(2026, 3, 17)
        services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
        services.request_information(case=case, by=commune_officer, question="Xin ảnh chụp")
        t.move_to(dt.datetime(2026, 3, 6, 9, 0, tzinfo=HCM))  # Friday: 3 working days later
        services.escalate_overdue_cases(today=dt.date(2026, 3, 30))  # a paused case is never escalated
        case = services.reporter_add_info(case=case, text="Ảnh chụp đã gửi kèm")
    assert case.paused_days == 3
    assert case.due_on == dt.date(2026, 3, 20)
    assert case.escalation_level == 0


def test_province_day_off_recomputes_open_cases(make_case, doi_ngo, province_officer, commune_officer, frozen):
    open_case = make_case(doi_ngo)
    done = make_case(doi_ngo)
    services.decline_case(case=done, by=commune_officer, reason="Trùng nội dung")
    done.refresh_from_db()
    add_calendar_day(by=province_officer, date=dt.date(2026, 3, 10), kind=CalendarDay.Kind.DAY_OFF, reason="Quyết định 12/QĐ-UBND")
    open_case.refresh_from_db()
    assert open_case.due_on == dt.date(2026, 3, 18)
    assert "Quyết định 12/QĐ-UBND" in open_case.due_explanation
    assert open_case.events.filter(action=Action.RECOMPUTE).exists()
    assert not done.events.filter(action=Action.RECOMPUTE).exists()


def test_deadline_rows_are_configurable(make_case, bac_giang, doi_ngo, province_officer, district_officer, frozen):
    services.set_deadline(
        by=province_officer, province=bac_giang, key=Category.FACILITIES, working_days=3, source="Quyết định của UBND tỉnh"
    )
    assert make_case(doi_ngo).due_on == dt.date(2026, 3, 6)
    with pytest.raises(ValidationError):
        services.set_deadline(by=province_officer, province=bac_giang, key=Category.FACILITIES, working_days=0, source="x")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_deadline(by=district_officer, province=bac_giang, key=Category.FACILITIES, working_days=5, source="x")


def test_out_of_competence_is_forwarded_within_five_working_days(make_case, doi_ngo, commune_officer, frozen):
    case = make_case(doi_ngo)
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_OUT_OF_COMPETENCE)
    assert case.forward_due_on == dt.date(2026, 3, 10)


def test_unforwarded_out_of_competence_case_is_listed_after_five_working_days(make_case, doi_ngo, commune_officer, client_for):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM), tick=False):
        case = make_case(doi_ngo)
        services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_OUT_OF_COMPETENCE)
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=HCM), tick=False):
        assert "Quá hạn chuyển đơn" not in client_for(commune_officer).get("/staff/phan-anh/").content.decode()
    with time_machine.travel(dt.datetime(2026, 3, 11, 9, 0, tzinfo=HCM), tick=False):
        assert "Quá hạn chuyển đơn" in client_for(commune_officer).get("/staff/phan-anh/").content.decode()
