"""Dialogue conferences (at least one a year per commune) and annual village conferences (notified at
least 5 days before): schedule, attendance, issues raised and answers promised, followed up until
done; who sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.actors import SYSTEM
from supervision import queries, services
from supervision.models import IssueState, MeetingKind

pytestmark = pytest.mark.django_db


def _village_conference(village, notified_on, held_on=dt.date(2026, 11, 20)):  # type: ignore[no-untyped-def]
    return services.schedule_meeting(
        by=SYSTEM,
        unit=village,
        kind=MeetingKind.VILLAGE_CONFERENCE,
        title="Hội nghị thôn cuối năm",
        notified_on=notified_on,
        held_on=held_on,
    )


def test_village_conference_needs_five_days_notice(villages):
    assert _village_conference(villages[0], dt.date(2026, 11, 15)).pk
    with pytest.raises(ValidationError, match="ít nhất 5 ngày"):
        _village_conference(villages[0], dt.date(2026, 11, 16))


def test_each_meeting_at_its_level(commune, villages):
    with pytest.raises(ValidationError, match="do xã, phường tổ chức"):
        services.schedule_meeting(
            by=SYSTEM,
            unit=villages[0],
            kind=MeetingKind.DIALOGUE,
            title="Đối thoại",
            notified_on=dt.date(2026, 5, 1),
            held_on=dt.date(2026, 5, 10),
        )
    with pytest.raises(ValidationError, match="do thôn, tổ dân phố tổ chức"):
        services.schedule_meeting(
            by=SYSTEM,
            unit=commune,
            kind=MeetingKind.VILLAGE_CONFERENCE,
            title="Hội nghị",
            notified_on=dt.date(2026, 5, 1),
            held_on=dt.date(2026, 5, 10),
        )


def test_attendance_issues_and_follow_up(villages, officer):
    meeting = _village_conference(villages[0], dt.date(2026, 11, 10))
    services.record_attendance(by=officer, meeting=meeting, attendees=142, households_represented=118)
    issue = services.add_issue(
        by=officer,
        meeting=meeting,
        raised="Đề nghị sửa đèn đường ngõ 3.",
        promised="Xã bố trí kinh phí sửa.",
        responsible="Công chức địa chính",
        promised_by=dt.date(2026, 12, 15),
    )
    issue = services.follow_up_issue(by=officer, issue=issue, note="Đã khảo sát, chờ vật tư.", done=False, on=dt.date(2026, 11, 25))
    assert issue.state == IssueState.OPEN and "25/11/2026: Đã khảo sát" in issue.follow_up
    issue = services.follow_up_issue(by=officer, issue=issue, note="Đã thay 6 bóng đèn.", done=True, on=dt.date(2026, 12, 1))
    assert (issue.state, issue.done_on) == (IssueState.DONE, dt.date(2026, 12, 1))
    with pytest.raises(ValidationError, match="đã được thực hiện xong"):
        services.follow_up_issue(by=officer, issue=issue, note="Ghi thêm nữa.", done=False)


def test_attendance_only_after_the_meeting(villages):
    future = _village_conference(villages[1], dt.date(2099, 1, 1), held_on=dt.date(2099, 1, 10))
    with pytest.raises(ValidationError, match="sau khi hội nghị đã diễn ra"):
        services.record_attendance(by=SYSTEM, meeting=future, attendees=10)


def test_communes_without_a_dialogue(commune, other_commune, office):
    services.schedule_meeting(
        by=SYSTEM,
        unit=commune,
        kind=MeetingKind.DIALOGUE,
        title="Đối thoại 2026",
        notified_on=dt.date(2026, 5, 1),
        held_on=dt.date(2026, 5, 10),
    )
    missing = set(queries.communes_without_dialogue(office, 2026))
    assert other_commune in missing and commune not in missing
    assert commune in set(queries.communes_without_dialogue(office, 2025))


def test_outsiders_get_404_on_a_meeting(villages, neighbour, foreigner, officer, client_for):
    meeting = _village_conference(villages[0], dt.date(2026, 11, 10))
    for user in (neighbour, foreigner):
        assert client_for(user).get(f"/staff/giam-sat/hoi-nghi/{meeting.pk}/").status_code == 404
        posted = client_for(user).post(f"/staff/giam-sat/hoi-nghi/{meeting.pk}/", {"action": "issue", "i-raised": "Ý kiến của người lạ."})
        assert posted.status_code == 404
    client = client_for(officer)
    assert (
        client.post(f"/staff/giam-sat/hoi-nghi/{meeting.pk}/", {"action": "issue", "i-raised": "Đề nghị nạo vét kênh."}).status_code == 302
    )
    assert meeting.issues.get().raised == "Đề nghị nạo vét kênh."
    page = client.get("/staff/giam-sat/hoi-nghi/?nam=2026").content.decode()
    assert "Hội nghị thôn cuối năm" in page and "chưa tổ chức hội nghị đối thoại năm 2026" in page
