"""The household's edges: the vote page (plain forms, the code only in POST bodies) and the public
API a Zalo mini app uses, with the same refusals, rate limits and the tally after the close."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import User
from participation import services
from participation.models import Ballot, Matter

Voting = tuple[Matter, list[services.IssuedCode]]


def _post(client: Client, path: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    response = client.post(f"/api/v1/participation{path}", json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_vote_page_casts_changes_and_checks(voting: Voting) -> None:
    matter, codes = voting
    yes, no = matter.options.order_by("position")
    client = Client()
    url = reverse("participation_public:vote")
    assert client.get(url).status_code == 200
    ballot = client.post(url, {"code": codes[0].code})
    assert ballot.status_code == 200 and matter.title in ballot.content.decode() and "no-store" in ballot["Cache-Control"]
    first = client.post(url, {"code": codes[0].code, "matter": matter.pk, "option": yes.pk})
    receipt = Ballot.objects.get().receipt
    assert receipt in first.content.decode()
    second = client.post(url, {"code": codes[0].code, "matter": matter.pk, "option": no.pk})
    assert "Đã đổi phiếu" in second.content.decode()
    assert Ballot.objects.count() == 1 and Ballot.objects.get().option == no
    bad = client.post(url, {"code": "ZZZZZ-ZZZZZ"})
    assert bad.status_code == 422 and "Mã biểu quyết không đúng" in bad.content.decode()


def test_api_lists_votes_and_checks(voting: Voting) -> None:
    matter, codes = voting
    yes, no = matter.options.order_by("position")
    client = Client()
    listed = client.get(f"/api/v1/participation/matters?commune_code={matter.village.parent.code}&edition=2024&open_only=true").json()
    assert [m["id"] for m in listed] == [matter.pk] and listed[0]["options"][0]["votes"] is None
    status, body = _post(client, "/votes", {"code": codes[2].code, "matter_id": matter.pk, "option_id": yes.pk})
    assert status == 200 and body["choice"] == "Đồng ý" and not body["changed"]
    status, again = _post(client, "/votes", {"code": codes[2].code, "matter_id": matter.pk, "option_id": no.pk})
    assert status == 200 and again["changed"] and again["receipt"] != body["receipt"]
    status, check = _post(client, "/votes/check", {"code": codes[2].code})
    assert (status, check["has_voted"], check["receipt"], check["choice"]) == (200, True, again["receipt"], "Không đồng ý")
    status, err = _post(client, "/votes", {"code": codes[3].code, "matter_id": matter.pk + 999, "option_id": yes.pk})
    assert status == 422 and "không dùng cho nội dung" in str(err["detail"])
    detail = client.get(f"/api/v1/participation/matters/{matter.pk}").json()
    assert detail["tally"] == []  # nothing before the close


def test_api_after_close_refuses_and_publishes_the_tally(voting: Voting, village_head: User) -> None:
    matter, codes = voting
    yes = matter.options.order_by("position")[0]
    client = Client()
    _status, body = _post(client, "/votes", {"code": codes[0].code, "matter_id": matter.pk, "option_id": yes.pk})
    Matter.objects.filter(pk=matter.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    status, err = _post(client, "/votes", {"code": codes[1].code, "matter_id": matter.pk, "option_id": yes.pk})
    assert status == 422 and "đã kết thúc" in str(err["detail"])
    assert services.close_ended_votes(by=SYSTEM) == 1
    detail = client.get(f"/api/v1/participation/matters/{matter.pk}").json()
    assert detail["tally"] == [{"receipt": body["receipt"], "choice": "Đồng ý"}]
    assert detail["arithmetic"][0]["explanation"] == "Đồng ý: 1/12 hộ = 8.3%; cần ít nhất 7 hộ → không đạt"
    page = Client().get(reverse("participation_public:matter", args=[matter.pk]), {"bien-nhan": body["receipt"]}).content.decode()
    assert f"Biên nhận {body['receipt']} được tính" in page


def test_votes_are_rate_limited_per_client(voting: Voting, settings: object) -> None:
    settings.PARTICIPATION_VOTE_BURST = 2  # type: ignore[attr-defined]
    client = Client()
    for _i in range(2):
        assert _post(client, "/votes/check", {"code": "2222222222"})[0] == 422
    response = client.post("/api/v1/participation/votes/check", json.dumps({"code": "2222222222"}), content_type="application/json")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1


def test_staff_api_acts_through_the_same_services(
    make_matter: Callable[..., Matter], village_head: User, province_officer: User, client_for: Callable[[User], Client]
) -> None:
    matter = make_matter(method="meeting")
    body = {"action": "announce", "data": {"notice_on": timezone.localdate().isoformat(), "meeting_on": timezone.localdate().isoformat()}}
    url = f"/api/v1/participation/staff/matters/{matter.pk}/actions"
    refused = client_for(province_officer).post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 403
    done = client_for(village_head).post(url, json.dumps(body), content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "announced"
    listed = client_for(province_officer).get("/api/v1/participation/staff/matters").json()
    assert [m["id"] for m in listed] == [matter.pk]


def test_ids_beyond_any_key_are_404_not_500(db: object) -> None:
    client = Client()
    huge = 10**22
    assert client.get(f"/api/v1/participation/matters/{huge}").status_code == 404
    assert client.get(f"/api/v1/participation/consultations/{huge}").status_code == 404
    assert client.get(reverse("participation_public:matter", args=[huge])).status_code == 404
    status, _body = _post(client, "/votes", {"code": "AAAAAAAAAA", "matter_id": huge, "option_id": huge})
    assert status == 422
