"""Registration blocks mass registration: outside the window, already holding a valid recognition,
failing a mandatory computed criterion — each with the reason shown; nothing is created."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from certification import queries, services
from certification.models import Criterion, CriterionKind, Registration
from core import metrics
from tests.certification.conftest import check_samples, make_campaign

pytestmark = pytest.mark.django_db


def test_outside_the_window(campaign, commune_officer, doi_ngo):
    late = timezone.localdate() + dt.timedelta(days=21)
    with pytest.raises(ValidationError, match="Ngoài thời gian đăng ký"):
        services.register(campaign=campaign, unit=doi_ngo, by=commune_officer, today=late)
    assert not Registration.objects.exists()


def test_twice_in_one_campaign(campaign, commune_officer, doi_ngo):
    services.register(campaign=campaign, unit=doi_ngo, by=commune_officer)
    with pytest.raises(ValidationError, match="đã đăng ký"):
        services.register(campaign=campaign, unit=doi_ngo, by=commune_officer)


def test_other_commune_is_refused(campaign, outsider, doi_ngo):
    with pytest.raises(PermissionDenied):
        services.register(campaign=campaign, unit=doi_ngo, by=outsider)


@pytest.fixture
def satisfaction_metric():
    def compute(*, unit, start, end):
        return metrics.MetricValue(40.0 if unit.code == "07444" else 90.0, "%", 25, "Khảo sát thử")

    metrics.register("test.satisfaction", "Chỉ số hài lòng (thử)", compute)
    yield "test.satisfaction"
    metrics._METRICS.pop("test.satisfaction", None)


def test_failing_a_mandatory_computed_criterion(
    province_officer, bac_giang, commune_officer, make_user, dong_hung, doi_ngo, satisfaction_metric
):
    spec = __import__("certification.criteria_io", fromlist=["load_sample_spec"]).load_sample_spec()
    spec.groups[4].criteria[0] = services.CriterionSpec(
        "V.1", "Chỉ số hài lòng", Decimal("8"), Decimal("5"), "", CriterionKind.COMPUTED, satisfaction_metric, Decimal("80")
    )
    cs = services.publish_criteria_set(criteria_set=services.create_criteria_set(spec=spec, by=province_officer), by=province_officer)
    campaign = make_campaign(province_officer, bac_giang, cs)
    problems = services.eligibility_problems(campaign=campaign, unit=doi_ngo)
    assert any("V.1" in p and "40%" in p for p in problems), problems
    with pytest.raises(ValidationError, match=r"Không đạt tiêu chí bắt buộc V\.1"):
        services.register(campaign=campaign, unit=doi_ngo, by=commune_officer)
    # Đông Hưng's 90 % earns the full 8 points and shows the source figure
    officer = make_user("commune_officer", dong_hung)
    reg = services.register(campaign=campaign, unit=dong_hung, by=officer)
    row = reg.self_scores.get(criterion=Criterion.objects.get(criteria_set=cs, code="V.1"))
    assert row.score == Decimal("8.00") and row.metric_value == Decimal("90.00") and "Khảo sát thử" in row.metric_note


def test_already_holding_a_valid_recognition(campaign, people, doi_ngo, province_officer, bac_giang, criteria_set, settings):
    from tests.certification.conftest import district_appraise, to_district
    from tests.certification.test_full_cycle import DECISION

    p = people(doi_ngo)
    reg = district_appraise(to_district(campaign, doi_ngo, p), p)
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=p["committee"])
    check_samples(campaign, doi_ngo.parent, p)
    services.recognise(
        registration=reg,
        by=p["province"],
        **{**DECISION, "decision_date": timezone.localdate(), "valid_until": timezone.localdate() + dt.timedelta(days=300)},
    )
    next_year = make_campaign(province_officer, bac_giang, criteria_set, year=2025)
    # re-recognition is the province's choice: switched off, a commune holding a valid recognition waits
    settings.CERTIFICATION_REREGISTER_WHILE_VALID = False
    with pytest.raises(ValidationError, match="công nhận còn hiệu lực"):
        services.register(campaign=next_year, unit=doi_ngo, by=p["officer"])
    # by default it registers again, and its recognition in force counts towards the new target
    settings.CERTIFICATION_REREGISTER_WHILE_VALID = True
    assert queries.target_progress(campaign=next_year)[1].recognised == 1
    services.register(campaign=next_year, unit=doi_ngo, by=p["officer"])
