"""A case walks received → accepted → assigned → in progress → answered → closed, every step an
event and an audit entry; a step from the wrong state is refused; every staff action is refused to
those outside the handling unit or without a handler role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core import transitions
from core.models import AuditEntry
from feedback import services
from feedback.forms import STAFF_ACTION_SERVICES, take_staff_action
from feedback.models import TRANSITIONS, Action, Case, RegisterClass, Status
from feedback.permissions import STAFF_ACTIONS

pytestmark = pytest.mark.django_db


def test_case_walks_every_step_to_closed_with_events_and_audit(make_case, doi_ngo, commune_officer, commune_chairman, frozen):
    case = make_case(doi_ngo)
    assert (case.status, case.handling_unit) == (Status.RECEIVED, doi_ngo)
    assert case.register_label == "00001/2026"
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    case = services.assign_case(case=case, by=commune_officer, assignee=commune_chairman)
    case = services.start_case(case=case, by=commune_chairman)
    case = services.answer_case(case=case, by=commune_chairman, answer="Xã đã sửa mái nhà văn hoá ngày 02/03.")
    assert case.status == Status.ANSWERED and case.answered_on_time is True
    case = services.close_case(case=case, by=commune_officer)
    assert case.status == Status.CLOSED
    actions = list(case.events.values_list("action", "to_status"))
    assert actions == [
        (Action.SUBMIT, Status.RECEIVED),
        (Action.ACCEPT, Status.ACCEPTED),
        (Action.ASSIGN, Status.ASSIGNED),
        (Action.START, Status.IN_PROGRESS),
        (Action.ANSWER, Status.ANSWERED),
        (Action.CLOSE, Status.CLOSED),
    ]
    assert AuditEntry.objects.filter(model_label="feedback.Case", object_pk=str(case.pk)).count() == 6


def test_decline_needs_a_reason_and_ends_the_case(make_case, doi_ngo, commune_officer):
    case = make_case(doi_ngo)
    with pytest.raises(ValidationError) as err:
        services.decline_case(case=case, by=commune_officer, reason="")
    assert "lý do" in str(err.value)
    case = services.decline_case(case=case, by=commune_officer, reason="Không thuộc phạm vi tiếp nhận")
    assert (case.status, case.register_class) == (Status.DECLINED, RegisterClass.REJECTED)


def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(make_case, doi_ngo, commune_officer):
    case = make_case(doi_ngo)
    with pytest.raises(ValidationError) as err:
        services.answer_case(case=case, by=commune_officer, answer="Trả lời quá sớm khi chưa thụ lý")
    assert "Không thể" in str(err.value)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.events.count() == 1


def test_transitions_table_names_every_staff_action():
    assert transitions.actions(TRANSITIONS) >= STAFF_ACTIONS


def test_every_staff_action_has_one_service_in_the_edges_table():
    assert set(STAFF_ACTION_SERVICES) == STAFF_ACTIONS


EVERY_FIELD = {
    "note": "ghi chú đủ dài để hợp lệ",
    "register_class": RegisterClass.RULES_IN_COMPETENCE,
    "to_unit": None,
    "assignee": None,
    "public_summary": "",
    "public_answer": "",
    "confirm_about_officials": False,
    "note_for_reporter": False,
}


@pytest.mark.parametrize("action", sorted(STAFF_ACTIONS))
def test_every_staff_action_is_refused_outside_scope_and_to_viewers(
    action, make_case, doi_ngo, outsider, outsider_district, province_leader, district_appraiser
):
    case = make_case(doi_ngo)
    for user in (outsider, outsider_district, province_leader, district_appraiser):
        with pytest.raises(PermissionDenied):
            take_staff_action(case=case, by=user, data={**EVERY_FIELD, "action": action})
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED


def test_transfer_moves_the_case_and_request_info_pauses(make_case, dong_hung, doi_ngo, commune_officer, district_officer, frozen):
    case = make_case(dong_hung)
    case = services.transfer_case(case=case, by=district_officer, to_unit=doi_ngo, note="Thuộc địa bàn Đồi Ngô")
    assert case.handling_unit == doi_ngo and case.status == Status.RECEIVED
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    case = services.request_information(case=case, by=commune_officer, question="Xin ảnh chụp vị trí")
    assert case.status == Status.AWAITING_INFO and case.is_paused
