"""The district appraisal through its pages: the committee forms the team, a member declares a
conflict and is blocked, the other declares none and scores (a bad score is refused with the typed
values kept), records the site visit, agrees the team score; the committee proposes. Also the
sample-set command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from certification.models import AppraisalMember, CriteriaSet, FileState
from tests.certification.conftest import to_district

pytestmark = pytest.mark.django_db


def test_district_pages(campaign, people, dong_hung, client_for):
    p = people(dong_hung)
    reg = to_district(campaign, dong_hung, p)
    committee = client_for(p["committee"])
    team_url = reverse("certification:team", args=[reg.pk, "district"])
    assert committee.get(team_url).status_code == 200
    response = committee.post(team_url, {"members": [p["appraiser"].pk, p["appraiser2"].pk], "leader": p["appraiser"].pk})
    assert response.status_code == 302 and reg.members.count() == 2

    conflicted = client_for(p["appraiser2"])
    conflicted.post(reverse("certification:declare", args=[reg.pk, "district"]), {"has_conflict": "1", "note": "Anh ruột Chủ tịch xã"})
    assert reg.members.get(user=p["appraiser2"]).declaration == AppraisalMember.Declaration.CONFLICT
    assert conflicted.get(reverse("certification:appraise", args=[reg.pk, "district"])).status_code == 403

    leader = client_for(p["appraiser"])
    leader.post(reverse("certification:declare", args=[reg.pk, "district"]), {"has_conflict": "0"})
    appraise_url = reverse("certification:appraise", args=[reg.pk, "district"])
    criteria = list(campaign.criteria_set.criteria.exclude(kind="computed"))
    data = {f"score_{c.pk}": str(c.max_points) for c in criteria}
    data[f"score_{criteria[0].pk}"] = "99"
    data[f"comment_{criteria[1].pk}"] = "Biên bản đầy đủ"
    bad = leader.post(appraise_url, data)
    assert bad.status_code == 200 and "vượt quá" in bad.content.decode() and "Biên bản đầy đủ" in bad.content.decode()
    assert not reg.member_scores.exists()
    data[f"score_{criteria[0].pk}"] = "3"
    assert leader.post(appraise_url, data).status_code == 302
    assert reg.member_scores.filter(user=p["appraiser"]).count() == len(criteria)
    assert not reg.appraisal_scores.exists()  # the leader's own scores are not yet the team's

    leader.post(
        reverse("certification:site_visit", args=[reg.pk]), {"visited_on": "2024-08-10", "participants": "Tổ thẩm định", "findings": "Đúng"}
    )
    assert reg.site_visits.count() == 1
    leader.post(reverse("certification:act", args=[reg.pk, "agree"]))
    reg.refresh_from_db()
    assert reg.district_agreed_at is not None and reg.district_total == reg.self_total - 1
    committee.post(reverse("certification:act", args=[reg.pk, "district_propose"]))  # not confirmed: nothing happens
    reg.refresh_from_db()
    assert reg.state == FileState.SUBMITTED
    committee.post(reverse("certification:act", args=[reg.pk, "district_propose"]), {"confirm": "1"})
    reg.refresh_from_db()
    assert reg.state == FileState.DISTRICT_PROPOSED


def test_load_sample_criteria_command(province_officer):
    out = io.StringIO()
    call_command("load_sample_criteria", stdout=out)
    sample = CriteriaSet.objects.get(is_sample=True)
    assert sample.is_published and sample.criteria.count() == 24 and sum(c.max_points for c in sample.criteria.all()) == 100
    call_command("load_sample_criteria", stdout=out)
    assert CriteriaSet.objects.count() == 1
