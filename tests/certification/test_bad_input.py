"""Bad input gets a clear Vietnamese error and changes nothing: scores above the maximum, negative,
not a number, yes/no half points, a claimed score without evidence, missing documents."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from certification import services
from certification.models import AppraisalScore, FileState, SelfScore
from tests.certification.conftest import fill_dossier, to_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(campaign, commune_officer, doi_ngo):
    return services.register(campaign=campaign, unit=doi_ngo, by=commune_officer)


def _id(reg, code):
    return reg.campaign.criteria_set.criteria.get(code=code).pk


@pytest.mark.parametrize(
    ("code", "score", "message"),
    [
        ("I.1", "4.5", "vượt quá điểm tối đa 4"),
        ("I.1", "-1", "không được âm"),
        ("I.1", "bốn", "không phải là số"),
        ("II.4", "1.5", "chỉ nhận 0 hoặc 3"),
    ],
)
def test_self_score_out_of_range_saves_nothing(reg, commune_officer, code, score, message):
    good = services.SelfScoreEntry(_id(reg, "I.2"), "3", explanation="Có biên bản")
    bad = services.SelfScoreEntry(_id(reg, code), score, explanation="x")
    with pytest.raises(ValidationError) as exc:
        services.save_self_scores(registration=reg, entries=[good, bad], by=commune_officer)
    assert any(code in m and message in m for m in exc.value.messages)
    assert not SelfScore.objects.filter(registration=reg, criterion__kind="scored").exists()


def test_claimed_score_without_evidence_cannot_be_submitted(reg, commune_officer, commune_chairman):
    fill_dossier(reg, commune_officer)
    services.save_self_scores(registration=reg, entries=[services.SelfScoreEntry(_id(reg, "I.3"), "3")], by=commune_officer)  # draft saved
    with pytest.raises(ValidationError) as exc:
        services.submit_self_assessment(registration=reg, by=commune_chairman)
    assert any(m.startswith("I.3:") and "kiểm chứng" in m for m in exc.value.messages)
    reg.refresh_from_db()
    assert reg.state == FileState.REGISTERED and reg.submitted_at is None


def test_missing_documents_are_named(reg, commune_officer, commune_chairman):
    with pytest.raises(ValidationError) as exc:
        services.submit_self_assessment(registration=reg, by=commune_chairman)
    assert "Thiếu tài liệu: Tờ trình của UBND xã." in exc.value.messages


def test_appraisal_score_above_max_saves_nothing(campaign, people, dong_hung):
    p = people(dong_hung)
    r = to_district(campaign, dong_hung, p)
    services.set_team(registration=r, level="district", members=[p["appraiser"]], leader=p["appraiser"], by=p["committee"])
    services.declare_interest(registration=r, level="district", has_conflict=False, by=p["appraiser"])
    with pytest.raises(ValidationError, match="vượt quá"):
        services.save_appraisal_scores(
            registration=r,
            level="district",
            entries=[services.ScoreEntry(_id(r, "I.1"), "3"), services.ScoreEntry(_id(r, "V.1"), "9")],
            by=p["appraiser"],
        )
    assert not AppraisalScore.objects.exists()


def test_conflicted_appraiser_is_blocked(campaign, people, dong_hung):
    from django.core.exceptions import PermissionDenied

    p = people(dong_hung)
    r = to_district(campaign, dong_hung, p)
    services.set_team(registration=r, level="district", members=[p["appraiser"], p["appraiser2"]], leader=p["appraiser"], by=p["committee"])
    with pytest.raises(ValidationError, match="mối quan hệ"):
        services.declare_interest(registration=r, level="district", has_conflict=True, note="", by=p["appraiser2"])
    services.declare_interest(registration=r, level="district", has_conflict=True, note="Em ruột Chủ tịch UBND xã", by=p["appraiser2"])
    with pytest.raises(PermissionDenied):
        services.save_appraisal_scores(
            registration=r, level="district", entries=[services.ScoreEntry(_id(r, "I.1"), "3")], by=p["appraiser2"]
        )
    # a member who has not declared yet is blocked too
    services.set_team(registration=r, level="district", members=[p["appraiser"], p["appraiser2"]], leader=p["appraiser"], by=p["committee"])
    with pytest.raises(PermissionDenied):
        services.save_appraisal_scores(
            registration=r, level="district", entries=[services.ScoreEntry(_id(r, "I.1"), "3")], by=p["appraiser"]
        )
