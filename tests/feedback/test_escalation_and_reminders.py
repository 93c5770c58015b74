"""Overdue cases go one level up with a fresh period, both units are told; a paused case waits;
reminders go once per due date before it."""

import datetime as dt

import pytest
import time_machine

from core.models import OutboxMessage
from feedback import services, tasks
from feedback.models import Action, CaseEvent, RegisterClass, Status

from .conftest import HCM

pytestmark = pytest.mark.django_db


def test_overdue_case_is_escalated_to_the_district_once(make_case, doi_ngo, luc_nam, commune_officer, district_officer):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM), tick=False):
        case = make_case(doi_ngo)  # due 17/03
        services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    assert services.escalate_overdue_cases(today=dt.date(2026, 3, 17)) == 0
    with time_machine.travel(dt.datetime(2026, 3, 18, 7, 0, tzinfo=HCM), tick=False):
        assert tasks.escalate_overdue_cases() == 1
        assert services.escalate_overdue_cases() == 0  # the upper level has its own period now
    case.refresh_from_db()
    assert case.handling_unit == luc_nam and case.escalation_level == 1 and case.status == Status.ACCEPTED
    assert case.due_on == dt.date(2026, 4, 1)
    event = CaseEvent.objects.get(case=case, action=Action.ESCALATE)
    assert (event.from_unit, event.to_unit) == (doi_ngo, luc_nam)
    recipients = set(OutboxMessage.objects.filter(subject__contains="quá hạn").values_list("recipient", flat=True))
    assert {commune_officer.email, district_officer.email} <= recipients


def test_answer_after_escalation_is_not_on_time(make_case, doi_ngo, district_officer):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM), tick=False):
        case = make_case(doi_ngo)
    services.escalate_overdue_cases(today=dt.date(2026, 3, 18))
    with time_machine.travel(dt.datetime(2026, 3, 19, 9, 0, tzinfo=HCM), tick=False):
        case = services.accept_case(case=case, by=district_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
        case = services.answer_case(case=case, by=district_officer, answer="Huyện đã chỉ đạo xã khắc phục.")
    assert case.answered_on_time is False


def test_reminder_before_due_date_goes_once(make_case, doi_ngo, commune_officer):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM), tick=False):
        make_case(doi_ngo)  # due 17/03
    assert services.remind_due_cases(today=dt.date(2026, 3, 12)) == 0
    assert services.remind_due_cases(today=dt.date(2026, 3, 13)) == 1
    assert services.remind_due_cases(today=dt.date(2026, 3, 16)) == 0
    assert OutboxMessage.objects.filter(recipient=commune_officer.email, subject__startswith="Sắp đến hạn").count() == 1
