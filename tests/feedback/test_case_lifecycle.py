"""A case walks received → accepted → assigned → in progress → answered → closed, every step an
event and an audit entry; a step from the wrong state is refused; every staff action is refused to
those outside the handling unit or without a handler role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry
from feedback import services
from feedback.models import TRANSITIONS, Action, Case, RegisterClass, Status
from feedback.permissions import STAFF_ACTIONS

pytestmark = pytest.mark.django_db


def test_case_walks_every_step_to_closed_with_events_and_audit(make_case, doi_ngo, commune_officer, commune_chairman, frozen):
    case = make_case(doi_ngo)
    assert (case.status, case.handling_unit) == (Status.RECEIVED, doi_ngo)
    assert case.register_label == "00001/2026"
    case = services.staff_act(case=case, by=commune_officer, action=Action.ACCEPT, register_class=RegisterClass.RULES_IN_COMPETENCE)
    case = services.staff_act(case=case, by=commune_officer, action=Action.ASSIGN, assignee=commune_chairman)
    case = services.staff_act(case=case, by=commune_chairman, action=Action.START)
    case = services.staff_act(case=case, by=commune_chairman, action=Action.ANSWER, note="Xã đã sửa mái nhà văn hoá ngày 02/03.")
    assert case.status == Status.ANSWERED and case.answered_on_time is True
    case = services.staff_act(case=case, by=commune_officer, action=Action.CLOSE)
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
        services.staff_act(case=case, by=commune_officer, action=Action.DECLINE)
    assert "lý do" in str(err.value)
    case = services.staff_act(case=case, by=commune_officer, action=Action.DECLINE, note="Không thuộc phạm vi tiếp nhận")
    assert (case.status, case.register_class) == (Status.DECLINED, RegisterClass.REJECTED)


def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(make_case, doi_ngo, commune_officer):
    case = make_case(doi_ngo)
    with pytest.raises(ValidationError) as err:
        services.staff_act(case=case, by=commune_officer, action=Action.ANSWER, note="Trả lời quá sớm khi chưa thụ lý")
    assert "Không thể" in str(err.value)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.events.count() == 1


def test_transitions_table_names_every_staff_action():
    assert set(TRANSITIONS) >= STAFF_ACTIONS


@pytest.mark.parametrize("action", sorted(STAFF_ACTIONS))
def test_every_staff_action_is_refused_outside_scope_and_to_viewers(
    action, make_case, doi_ngo, outsider, outsider_district, province_leader, district_appraiser
):
    case = make_case(doi_ngo)
    for user in (outsider, outsider_district, province_leader, district_appraiser):
        with pytest.raises(PermissionDenied):
            services.staff_act(case=case, by=user, action=action, note="ghi chú đủ dài để hợp lệ")
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED


def test_transfer_moves_the_case_and_request_info_pauses(make_case, dong_hung, doi_ngo, commune_officer, district_officer, frozen):
    case = make_case(dong_hung)
    case = services.staff_act(case=case, by=district_officer, action=Action.TRANSFER, to_unit=doi_ngo, note="Thuộc địa bàn Đồi Ngô")
    assert case.handling_unit == doi_ngo and case.status == Status.RECEIVED
    case = services.staff_act(case=case, by=commune_officer, action=Action.ACCEPT, register_class=RegisterClass.RULES_IN_COMPETENCE)
    case = services.staff_act(case=case, by=commune_officer, action=Action.REQUEST_INFO, note="Xin ảnh chụp vị trí")
    assert case.status == Status.AWAITING_INFO and case.is_paused
