"""The survey staff pages cost the same number of queries with a few rows as with many: the
campaign list, a campaign's strata, the results and the questionnaire builder have no per-row
query (N+1)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import services
from surveys.models import Mode, Question, QuestionKind, Stratum
from tests.surveys.conftest import pks07_answers

pytestmark = pytest.mark.django_db
_years = itertools.count(2000)


def _count(get) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = get()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def _same_bound(get, grow, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _count(get)  # warm per-process caches so both loads compare like with like
    few = _count(get)
    grow()
    with django_assert_max_num_queries(few):
        get()


def _answer(campaign, n: int) -> None:  # type: ignore[no-untyped-def]
    strata = list(Stratum.objects.filter(form__campaign=campaign, form__group="citizens").select_related("form__campaign", "form__version"))
    for i in range(n):
        services.submit_response(stratum=strata[i % len(strata)], raw=pks07_answers(3 + i % 3), mode=Mode.OPEN, device_id=str(uuid.uuid4()))


def test_campaign_list_does_not_grow(campaign, instruments, luc_nam, district_officer, client_for, django_assert_max_num_queries):
    c = client_for(district_officer)

    def more(n: int) -> None:
        for _ in range(n):
            y = next(_years)
            services.create_campaign(
                by=district_officer,
                unit=luc_nam,
                title=f"Khảo sát {y}",
                year=y,
                starts_on=dt.date(y, 9, 1),
                ends_on=dt.date(y, 12, 31),
                forms=[("citizens", instruments["PKS07"])],
            )

    _same_bound(lambda: c.get("/staff/khao-sat/"), lambda: more(4), django_assert_max_num_queries)


def test_campaign_detail_does_not_grow_with_responses(campaign, district_officer, client_for, django_assert_max_num_queries):
    c = client_for(district_officer)
    _answer(campaign, 3)
    _same_bound(lambda: c.get(f"/staff/khao-sat/dot/{campaign.pk}/"), lambda: _answer(campaign, 30), django_assert_max_num_queries)


def test_results_do_not_grow_with_responses(campaign, district_officer, client_for, django_assert_max_num_queries):
    c = client_for(district_officer)
    _answer(campaign, 6)
    _same_bound(lambda: c.get(f"/staff/khao-sat/dot/{campaign.pk}/ket-qua/"), lambda: _answer(campaign, 40), django_assert_max_num_queries)


def test_builder_does_not_grow_with_questions(instruments, province_officer, client_for, django_assert_max_num_queries):
    c = client_for(province_officer)
    draft = services.start_revision(by=province_officer, version=instruments["PKS07"])
    section = draft.sections.first()

    def more(n: int) -> None:
        start = draft.questions.count()
        for i in range(start, start + n):
            services.save_question(
                by=province_officer,
                version=draft,
                question=Question(section=section, version=draft, code=f"extra{i}", text=f"Câu thêm {i}", kind=QuestionKind.SHORT_TEXT),
            )

    _same_bound(lambda: c.get(f"/staff/khao-sat/phieu/{draft.pk}/"), lambda: more(8), django_assert_max_num_queries)
