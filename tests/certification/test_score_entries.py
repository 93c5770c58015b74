"""Self-assessment and appraisal scores go through the same entry check: a criterion outside the
campaign's set is refused in both, every bad entry is named at once and nothing is saved; a blank
score is a draft blank for the commune and "not scored yet" for an appraiser."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max

from certification import services
from certification.models import AppraisalScore, Criterion, MemberScore, SelfScore
from tests.certification.conftest import to_district

pytestmark = pytest.mark.django_db


def _id(reg, code):
    return reg.campaign.criteria_set.criteria.get(code=code).pk


def _foreign_id() -> int:
    return (Criterion.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000


@pytest.fixture
def reg(campaign, commune_officer, doi_ngo):
    return services.register(campaign=campaign, unit=doi_ngo, by=commune_officer)


@pytest.fixture
def at_district(campaign, people, dong_hung):
    p = people(dong_hung)
    r = to_district(campaign, dong_hung, p)
    services.set_team(registration=r, level="district", members=[p["appraiser"]], leader=p["appraiser"], by=p["committee"])
    services.declare_interest(registration=r, level="district", has_conflict=False, by=p["appraiser"])
    return r, p


def test_self_score_for_a_criterion_outside_the_set_saves_nothing(reg, commune_officer):
    entries = [services.SelfScoreEntry(_id(reg, "I.1"), "3", explanation="Đã niêm yết"), services.SelfScoreEntry(_foreign_id(), "1")]
    with pytest.raises(ValidationError, match="không thuộc bộ tiêu chí"):
        services.save_self_scores(registration=reg, entries=entries, by=commune_officer)
    assert not SelfScore.objects.filter(registration=reg, criterion_id=_id(reg, "I.1")).exists()


def test_self_score_left_blank_is_kept_as_a_draft_blank(reg, commune_officer):
    entries = [services.SelfScoreEntry(_id(reg, "I.1"), "  ", explanation="Đang thu thập")]
    services.save_self_scores(registration=reg, entries=entries, by=commune_officer)
    row = SelfScore.objects.get(registration=reg, criterion_id=_id(reg, "I.1"))
    assert row.score is None and row.explanation == "Đang thu thập"


def test_appraisal_blank_score_is_skipped_and_the_rest_saved(at_district):
    r, p = at_district
    entries = [services.ScoreEntry(_id(r, "I.1"), "3,5", comment=" Đúng "), services.ScoreEntry(_id(r, "V.1"), "")]
    services.save_appraisal_scores(registration=r, level="district", entries=entries, by=p["appraiser"])
    rows = list(MemberScore.objects.filter(registration=r, user=p["appraiser"]).values_list("criterion__code", "score", "comment"))
    assert [(code, str(score), comment) for code, score, comment in rows] == [("I.1", "3.50", "Đúng")]
    assert not AppraisalScore.objects.filter(registration=r).exists()  # a member's own score is not the team's


def test_appraisal_names_every_bad_entry_and_saves_nothing(at_district):
    r, p = at_district
    entries = [
        services.ScoreEntry(_id(r, "I.1"), "3"),
        services.ScoreEntry(_id(r, "V.1"), "ba"),
        services.ScoreEntry(_id(r, "II.4"), "1.5"),
        services.ScoreEntry(_foreign_id(), "1"),
    ]
    with pytest.raises(ValidationError) as exc:
        services.save_appraisal_scores(registration=r, level="district", entries=entries, by=p["appraiser"])
    messages = " | ".join(exc.value.messages)
    assert "V.1" in messages and "không phải là số" in messages
    assert "II.4" in messages and "chỉ nhận 0 hoặc 3" in messages
    assert "không thuộc bộ tiêu chí" in messages
    assert not AppraisalScore.objects.filter(registration=r).exists()


def test_outsider_cannot_save_self_scores(reg, outsider):
    with pytest.raises(PermissionDenied):
        services.save_self_scores(registration=reg, entries=[services.SelfScoreEntry(_id(reg, "I.1"), "3")], by=outsider)
    assert not SelfScore.objects.filter(registration=reg, criterion_id=_id(reg, "I.1")).exists()
