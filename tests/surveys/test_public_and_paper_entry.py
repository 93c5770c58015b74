"""The respondent's pages (token link, open link) and staff paper entry."""

from __future__ import annotations

from surveys import services
from surveys.models import Mode, Response
from tests.surveys.conftest import pks07_answers


def test_token_is_posted_answers_then_says_used(client, stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    [raw] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)
    url = "/khao-sat/t/"
    assert client.get(url).status_code == 200  # the page where the code is typed (or read from the fragment)
    opened = client.post(url, {"token": raw})
    assert opened.status_code == 200 and 'name="action" value="answer"' in opened.content.decode()
    response = client.post(url, {"token": raw, "action": "answer", **pks07_answers()})
    assert response.status_code == 302 and raw not in response["Location"]
    assert Response.objects.get().mode == Mode.TOKEN
    assert client.post(url, {"token": raw}).status_code == 409
    wrong = client.post(url, {"token": "khong-co-ma"})
    assert wrong.status_code == 400 and "Mã mời không đúng" in wrong.content.decode()
    assert client.get(f"/khao-sat/t/{raw}/").status_code == 404  # the code is never taken from a path


def test_open_link_one_answer_per_device(client, stratum) -> None:  # type: ignore[no-untyped-def]
    url = f"/khao-sat/m/{stratum.open_key}/"
    assert client.get(url).status_code == 200
    assert client.post(url, pks07_answers()).status_code == 302
    again = client.post(url, pks07_answers())
    assert again.status_code == 409 and Response.objects.count() == 1


def test_open_link_without_cookie_is_refused(client, stratum) -> None:  # type: ignore[no-untyped-def]
    assert client.post(f"/khao-sat/m/{stratum.open_key}/", pks07_answers()).status_code == 400
    assert not Response.objects.exists()


def test_paper_entry_is_marked_and_may_be_partial(stratum, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(district_officer)
    url = f"/staff/khao-sat/tang/{stratum.pk}/nhap-phieu/"
    assert client.post(url, pks07_answers()).status_code == 302
    assert client.post(url, {"q1": "5", "incomplete": "1"}).status_code == 302
    assert client.post(url, {"q1": "5"}).status_code == 400
    complete, partial = sorted(Response.objects.all(), key=lambda r: r.is_complete, reverse=True)
    assert complete.mode == Mode.INTERVIEWER and complete.entered_by == district_officer and complete.is_complete
    assert not partial.is_complete
    stratum.refresh_from_db()
    assert stratum.received == 0  # typed-in forms never fill the sample's quota


def test_quality_flags(stratum) -> None:  # type: ignore[no-untyped-def]
    response = services.submit_response(stratum=stratum, raw=pks07_answers(5), mode=Mode.OPEN, device_id="a", duration_seconds=5)
    assert set(response.flags) == {"straight_line", "too_fast"}
    text = "Ý kiến giống hệt nhau được gửi hai lần liền"
    services.submit_response(stratum=stratum, raw=pks07_answers(3, q1="4", q9=text), mode=Mode.OPEN, device_id="b", duration_seconds=300)
    twin = services.submit_response(
        stratum=stratum, raw=pks07_answers(3, q1="4", q9=text), mode=Mode.OPEN, device_id="c", duration_seconds=300
    )
    assert twin.flags == ["duplicate"]
