"""The reporter follows the case by code: sees the history and the public answer, adds
information, confirms, or reopens within the configured period — and nothing else."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from feedback import conf, services
from feedback.models import Action, Category, RegisterClass, Status

from .conftest import HCM

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(doi_ngo, commune_officer):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM), tick=False):
        sub = services.submit_case(
            report=services.Report(
                category=Category.FACILITIES, concerned_unit=doi_ngo, description="Đèn đường thôn Đồng bị hỏng đã 2 tháng."
            )
        )
        case = services.accept_case(case=sub.case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
        case = services.start_case(case=case, by=commune_officer)
        services.answer_case(case=case, by=commune_officer, answer="Đã thay bóng đèn ngày 04/03/2026.")
    return sub.tracking_code, sub.case


def test_track_page_by_code_shows_answer_and_history(answered):
    code, case = answered
    body = Client().post("/phan-anh/tra-cuu/", {"code": code.lower().replace("-", " ")}).content.decode()
    assert "Đã thay bóng đèn" in body and "Thụ lý" in body and case.register_label in body


def test_wrong_code_is_a_clear_vietnamese_error(answered):
    response = Client().post("/phan-anh/tra-cuu/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 400 and "Không tìm thấy phản ánh với mã này" in response.content.decode()


def test_confirm_closes(answered):
    code, case = answered
    Client().post("/phan-anh/tra-cuu/xac-nhan/", {"code": code})
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.events.filter(action=Action.CONFIRM, by_reporter=True).exists()


def test_reopen_within_period_only(answered):
    code, case = answered
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM) + dt.timedelta(days=conf.REOPEN_DAYS + 1), tick=False):
        with pytest.raises(ValidationError) as err:
            services.reporter_reopen(case=case, reason="Đèn lại hỏng tiếp")
        assert "quá thời hạn" in str(err.value)
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=HCM), tick=False):
        response = Client().post("/phan-anh/tra-cuu/mo-lai/", {"code": code, "reason": "Đèn lại hỏng sau 3 ngày"})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1 and case.due_on == dt.date(2026, 3, 24)


def test_add_info_on_a_closed_case_is_refused(answered):
    _code, case = answered
    services.reporter_confirm(case=case)
    with pytest.raises(ValidationError):
        services.reporter_add_info(case=case, text="Thêm thông tin muộn")


def test_add_info_page_keeps_text_on_error(answered):
    code, _case = answered
    response = Client().post("/phan-anh/tra-cuu/bo-sung/", {"code": code, "text": ""})
    assert response.status_code == 400
