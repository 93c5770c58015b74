"""Who sees and writes what: the commune sees and writes its own board, another commune of the
province and another province's office get 404 on every page and endpoint, the province's office
and leaders read it (only the office and the commune record, only the commune answers), anonymous
callers are sent to log in (401 on the API)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.actors import SYSTEM
from accounts.models import ApiToken
from supervision import services
from supervision.models import Recommendation, RecommendationState

pytestmark = pytest.mark.django_db
OK, MISSING = 200, 404


def api_client(user):  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user=user, name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def rec(board) -> Recommendation:  # type: ignore[no-untyped-def]
    return services.record_recommendation(
        by=SYSTEM, board=board, subject="Công khai quỹ", content="Đề nghị xã công khai quỹ thôn.", sent_on=dt.date(2026, 11, 2)
    )


def _urls(board, rec):  # type: ignore[no-untyped-def]
    return {
        "board": f"/staff/giam-sat/ban/{board.pk}/",
        "recommendation": f"/staff/giam-sat/kien-nghi/{rec.pk}/",
        "api_board": f"/api/v1/supervision/boards/{board.pk}",
    }


def test_outsiders_get_404_everywhere(board, rec, neighbour, foreigner, client_for):
    for user in (neighbour, foreigner):
        client = client_for(user)
        for name, url in _urls(board, rec).items():
            assert client.get(url).status_code == MISSING, (user, name)
        posted = client.post(
            f"/staff/giam-sat/kien-nghi/{rec.pk}/", {"action": "answer", "a-answer": "Xã đã xử lý xong.", "a-answered_on": "2026-11-10"}
        )
        assert posted.status_code == MISSING
        posted = client.post(
            f"/staff/giam-sat/ban/{board.pk}/",
            {"action": "recommendation", "r-subject": "x", "r-content": "Nội dung dài đủ.", "r-sent_on": "2026-11-10"},
        )
        assert posted.status_code == MISSING
        api = api_client(user)
        assert api.get(f"/api/v1/supervision/boards/{board.pk}").status_code == MISSING
        assert (
            api.post(
                f"/api/v1/supervision/recommendations/{rec.pk}/answer", {"answer": "Xã đã xử lý xong."}, content_type="application/json"
            ).status_code
            == MISSING
        )
        assert api.get("/api/v1/supervision/boards").json() == []
        assert api.get("/api/v1/supervision/recommendations").json() == []
        assert f"/staff/giam-sat/ban/{board.pk}/" not in client.get("/staff/giam-sat/").content.decode()
    rec.refresh_from_db()
    assert rec.state == RecommendationState.SENT and board.recommendations.count() == 1


def test_the_commune_and_the_province_see_the_board(board, rec, officer, office, leader, client_for):
    for user in (officer, office, leader):
        client = client_for(user)
        for name, url in _urls(board, rec).items():
            assert client.get(url).status_code == OK, (user, name)
        assert f"/staff/giam-sat/ban/{board.pk}/" in client.get("/staff/giam-sat/").content.decode()


def test_the_province_leader_reads_but_does_not_record(board, leader, client_for):
    page = client_for(leader).get(f"/staff/giam-sat/ban/{board.pk}/").content.decode()
    assert 'value="recommendation"' not in page
    posted = client_for(leader).post(
        f"/staff/giam-sat/ban/{board.pk}/",
        {"action": "recommendation", "r-subject": "x", "r-content": "Nội dung dài đủ.", "r-sent_on": "2026-11-10"},
    )
    assert posted.status_code == MISSING and board.recommendations.count() == 0


def test_the_province_office_cannot_answer_for_the_commune(rec, office, client_for):
    page = client_for(office).get(f"/staff/giam-sat/kien-nghi/{rec.pk}/").content.decode()
    assert 'value="answer"' not in page
    assert (
        client_for(office)
        .post(f"/staff/giam-sat/kien-nghi/{rec.pk}/", {"action": "answer", "a-answer": "Xã đã xử lý xong.", "a-answered_on": "2026-11-10"})
        .status_code
        == MISSING
    )
    reply = api_client(office).post(
        f"/api/v1/supervision/recommendations/{rec.pk}/answer", {"answer": "Xã đã xử lý xong."}, content_type="application/json"
    )
    assert reply.status_code == 403


def test_the_commune_answers_on_the_page_and_the_api(board, rec, chairman, officer, client_for):
    client = client_for(chairman)
    bad = client.post(f"/staff/giam-sat/kien-nghi/{rec.pk}/", {"action": "answer", "a-answer": "ngắn", "a-answered_on": "2026-11-10"})
    assert bad.status_code == OK and "ít nhất 10 ký tự" in bad.content.decode() and "ngắn" in bad.content.decode()
    done = client.post(
        f"/staff/giam-sat/kien-nghi/{rec.pk}/", {"action": "answer", "a-answer": "Xã đã niêm yết công khai.", "a-answered_on": "2026-11-10"}
    )
    assert done.status_code == 302
    rec.refresh_from_db()
    assert (rec.state, rec.answered_on, rec.answered_by) == (RecommendationState.ANSWERED, dt.date(2026, 11, 10), chairman)
    second = services.record_recommendation(
        by=officer, board=board, subject="Rác thải", content="Đề nghị thu gom rác đúng lịch.", sent_on=dt.date(2026, 11, 1)
    )
    api = api_client(officer)
    reply = api.post(
        f"/api/v1/supervision/recommendations/{second.pk}/answer",
        {"answer": "Đã làm việc với đơn vị thu gom."},
        content_type="application/json",
    )
    assert reply.status_code == 200 and reply.json()["state"] == "answered"
    again = api.post(
        f"/api/v1/supervision/recommendations/{second.pk}/answer",
        {"answer": "Đã làm việc với đơn vị thu gom."},
        content_type="application/json",
    )
    assert again.status_code == 400
    overdue = api.get("/api/v1/supervision/recommendations?overdue=true").json()
    assert overdue == []


def test_the_commune_records_on_its_board_page(board, officer, client_for):
    client = client_for(officer)
    bad = client.post(f"/staff/giam-sat/ban/{board.pk}/", {"action": "case", "c-reference": "ABCD-EFGH-JKLM-NPQR", "c-note": "x"})
    assert "mã tra cứu bí mật" in bad.content.decode() and board.case_links.count() == 0
    ok = client.post(f"/staff/giam-sat/ban/{board.pk}/", {"action": "case", "c-reference": "pa-7kq2m9xh4wrt", "c-note": "Đường thôn"})
    assert ok.status_code == 302 and board.case_links.get().reference == "PA-7KQ2M9XH4WRT"
    ok = client.post(
        f"/staff/giam-sat/ban/{board.pk}/",
        {"action": "recommendation", "r-subject": "Công khai", "r-content": "Đề nghị công khai quỹ thôn.", "r-sent_on": "2026-11-20"},
    )
    assert ok.status_code == 302
    assert board.recommendations.get().due_on == dt.date(2026, 12, 5)
    page = client.get(f"/staff/giam-sat/ban/{board.pk}/").content.decode()
    assert "Thành phần của ban đúng quy định." in page and "05/12/2026" in page


def test_anonymous_is_sent_to_login(board, rec):
    assert Client().get(f"/staff/giam-sat/ban/{board.pk}/").status_code == 302
    assert Client().get("/api/v1/supervision/boards").status_code == 401
