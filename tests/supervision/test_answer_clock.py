"""The answer clock: due 15 calendar days after the board sent the recommendation (a setting), overdue
the day after, answered late when after it; every move of the lifecycle and its refusals; reminders
before the due day and once when overdue; the on-time figure other capabilities read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.actors import SYSTEM
from core import metrics
from core.models import AuditEntry, OutboxMessage
from supervision import clocks, queries, services
from supervision.models import RecommendationState

pytestmark = pytest.mark.django_db
CONTENT = "Đề nghị xã công khai thu, chi quỹ thôn."


def _rec(board, sent_on=dt.date(2026, 11, 2)):  # type: ignore[no-untyped-def]
    return services.record_recommendation(by=SYSTEM, board=board, subject="Công khai quỹ", content=CONTENT, sent_on=sent_on)


def test_due_fifteen_calendar_days_after_sending(board):
    r = _rec(board, dt.date(2026, 1, 20))  # across Tết (17/02) the clock still counts calendar days
    assert r.due_on == dt.date(2026, 2, 4)
    assert not clocks.is_overdue(r, dt.date(2026, 2, 4))
    assert clocks.is_overdue(r, dt.date(2026, 2, 5))
    assert clocks.days_left(r, dt.date(2026, 2, 1)) == 3


def test_clock_length_is_a_setting(board, settings):
    settings.SUPERVISION_ANSWER_DAYS = 30
    assert _rec(board, dt.date(2026, 3, 1)).due_on == dt.date(2026, 3, 31)


def test_answer_on_the_due_day_is_on_time_the_day_after_is_late(board, chairman):
    on_time = services.answer_recommendation(
        by=chairman, recommendation=_rec(board, dt.date(2026, 10, 1)), answer="Xã đã niêm yết công khai.", answered_on=dt.date(2026, 10, 16)
    )
    late = services.answer_recommendation(
        by=chairman, recommendation=_rec(board, dt.date(2026, 10, 1)), answer="Xã đã niêm yết công khai.", answered_on=dt.date(2026, 10, 17)
    )
    assert (on_time.state, clocks.answered_late(on_time)) == (RecommendationState.ANSWERED, False)
    assert (late.state, clocks.answered_late(late)) == (RecommendationState.ANSWERED, True)
    assert not clocks.is_overdue(late, dt.date(2026, 12, 3))
    entry = AuditEntry.objects.filter(
        model_label="supervision.Recommendation", object_pk=str(late.pk), action=AuditEntry.Action.UPDATE
    ).get()
    assert (entry.before["state"], entry.after["state"], entry.actor) == ("sent", "answered", chairman)


def test_every_move_and_its_refusals(board, chairman, officer):
    answered = services.answer_recommendation(
        by=chairman, recommendation=_rec(board), answer="Xã đã xử lý xong.", answered_on=dt.date(2026, 11, 5)
    )
    with pytest.raises(ValidationError, match="Đã trả lời"):
        services.answer_recommendation(by=chairman, recommendation=answered, answer="Trả lời lần hai.")
    with pytest.raises(ValidationError, match="Đã trả lời"):
        services.withdraw_recommendation(by=officer, recommendation=answered, reason="Không còn cần thiết nữa.")
    withdrawn = services.withdraw_recommendation(by=officer, recommendation=_rec(board), reason="Ban rút vì đã trùng nội dung.")
    assert withdrawn.state == RecommendationState.WITHDRAWN
    with pytest.raises(ValidationError, match="Đã rút"):
        services.answer_recommendation(by=chairman, recommendation=withdrawn, answer="Xã đã xử lý xong.")


def test_bad_answers_are_refused_and_nothing_changes(board, chairman):
    r = _rec(board)
    for kwargs, field in (
        ({"answer": "ngắn"}, "answer"),
        ({"answer": "Xã đã xử lý xong.", "answered_on": dt.date(2026, 11, 1)}, "answered_on"),
        ({"answer": "Xã đã xử lý xong.", "answered_on": dt.date(2099, 1, 1)}, "answered_on"),
    ):
        with pytest.raises(ValidationError) as refusal:
            services.answer_recommendation(by=chairman, recommendation=r, **kwargs)
        assert field in refusal.value.message_dict
    r.refresh_from_db()
    assert (r.state, r.answer) == (RecommendationState.SENT, "")


def test_recording_is_refused_outside_the_term_or_in_the_future(board):
    with pytest.raises(ValidationError, match="ngoài nhiệm kỳ"):
        _rec(board, dt.date(2025, 9, 1))
    with pytest.raises(ValidationError, match="sau hôm nay"):
        _rec(board, dt.date(2099, 1, 1))


def test_only_the_commune_answers(board, office, neighbour, officer):
    r = _rec(board)
    for outsider in (office, neighbour):
        with pytest.raises(PermissionDenied):
            services.answer_recommendation(by=outsider, recommendation=r, answer="Xã đã xử lý xong.")
    with pytest.raises(PermissionDenied):
        services.record_recommendation(by=neighbour, board=board, subject="x", content=CONTENT, sent_on=dt.date(2026, 11, 2))
    assert services.answer_recommendation(by=officer, recommendation=r, answer="Xã đã xử lý xong.").state == RecommendationState.ANSWERED


def test_reminders_before_due_and_once_when_overdue(board, chairman, officer, settings):
    settings.SUPERVISION_REMINDER_DAYS_BEFORE = 3
    soon = _rec(board, dt.date(2026, 11, 16))  # due 01/12
    late = _rec(board, dt.date(2026, 11, 1))  # due 16/11
    not_yet = _rec(board, dt.date(2026, 11, 25))  # due 10/12
    OutboxMessage.objects.all().delete()
    assert services.remind_recommendations(on=dt.date(2026, 11, 29)) == 2
    assert services.remind_recommendations(on=dt.date(2026, 11, 30)) == 2  # same messages, deduplicated
    subjects = sorted(OutboxMessage.objects.values_list("subject", "recipient"))
    assert subjects == sorted(
        [(s, u.email) for s in ("Kiến nghị quá hạn trả lời", "Sắp đến hạn trả lời kiến nghị") for u in (chairman, officer)]
    )
    assert all(f"/kien-nghi/{soon.pk}/" in m.body or f"/kien-nghi/{late.pk}/" in m.body for m in OutboxMessage.objects.all())
    assert not any(f"/kien-nghi/{not_yet.pk}/" in m.body for m in OutboxMessage.objects.all())


def test_overdue_list_and_on_time_figure(board, chairman, officer, neighbour, bac_ninh):
    today = dt.date(2026, 12, 3)
    a = _rec(board, dt.date(2026, 10, 1))  # answered on time
    services.answer_recommendation(by=chairman, recommendation=a, answer="Xã đã xử lý xong.", answered_on=dt.date(2026, 10, 10))
    b = _rec(board, dt.date(2026, 10, 1))  # answered late
    services.answer_recommendation(by=chairman, recommendation=b, answer="Xã đã xử lý xong.", answered_on=dt.date(2026, 10, 30))
    c = _rec(board, dt.date(2026, 10, 20))  # overdue, unanswered
    _rec(board, dt.date(2026, 11, 25))  # not yet due
    assert list(queries.overdue(officer, today)) == [c]
    assert list(queries.overdue(neighbour, today)) == []
    f = queries.figures(unit=bac_ninh, start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31), today=today)
    assert (f.sent, f.due, f.answered, f.answered_on_time, f.overdue) == (4, 3, 2, 1, 1)
    assert f.on_time_rate == 33.3
    value = metrics.compute(
        "supervision.recommendations_answered_on_time", unit=bac_ninh, start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31)
    )
    assert (value.value, value.basis) == (33.3, 3)
    empty = metrics.compute(
        "supervision.recommendations_answered_on_time", unit=bac_ninh, start=dt.date(2025, 7, 1), end=dt.date(2025, 12, 31)
    )
    assert empty.value is None and empty.note
