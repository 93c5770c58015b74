"""The handling unit's conclusion on a report (kết luận): a report about an official's conduct is
answered with one; the substantiated ones are a figure other capabilities read (certification blocks
recognition on it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import metrics
from feedback import services
from feedback.models import Category, Finding, RegisterClass

pytestmark = pytest.mark.django_db
ANSWER = "Đã xác minh, làm việc với cán bộ một cửa và trả lời người phản ánh."


def _accepted(make_case, unit, by, category):  # type: ignore[no-untyped-def]
    case = make_case(unit, category=category)
    return services.accept_case(case=case, by=by, register_class=RegisterClass.BEHAVIOUR)


def test_a_conduct_report_is_answered_with_a_conclusion(make_case, doi_ngo, district_officer):
    case = _accepted(make_case, doi_ngo, district_officer, Category.CONDUCT_HARASSMENT)
    with pytest.raises(ValidationError) as refused:
        services.answer_case(case=case, by=district_officer, answer=ANSWER)
    assert "finding" in refused.value.message_dict
    with pytest.raises(ValidationError, match="Kết luận không hợp lệ"):
        services.answer_case(case=case, by=district_officer, answer=ANSWER, finding="maybe")
    case.refresh_from_db()
    assert case.answer == "" and case.finding == ""  # nothing half-saved
    answered = services.answer_case(case=case, by=district_officer, answer=ANSWER, finding=Finding.SUBSTANTIATED)
    assert answered.finding == Finding.SUBSTANTIATED and answered.answer == ANSWER


def test_other_reports_may_be_answered_without_one(make_case, doi_ngo, district_officer, commune_officer):
    case = make_case(doi_ngo, category=Category.FACILITIES)
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    assert services.answer_case(case=case, by=commune_officer, answer=ANSWER).finding == ""


def test_the_substantiated_figure_counts_answers_in_the_period(make_case, doi_ngo, dong_hung, district_officer):
    for unit, finding in (
        (doi_ngo, Finding.SUBSTANTIATED),
        (doi_ngo, Finding.PARTLY),
        (doi_ngo, Finding.UNFOUNDED),
        (dong_hung, Finding.SUBSTANTIATED),
    ):
        case = _accepted(make_case, unit, district_officer, Category.CONDUCT_EXTRA_DEMANDS)
        services.answer_case(case=case, by=district_officer, answer=ANSWER, finding=finding)
    today = timezone.localdate()
    value = metrics.compute("feedback.harassment_substantiated", unit=doi_ngo, start=today - dt.timedelta(days=30), end=today)
    assert (value.value, value.basis) == (2.0, 2)
    before = metrics.compute("feedback.harassment_substantiated", unit=doi_ngo, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    assert before.value == 0.0
