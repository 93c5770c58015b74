"""The staff and public pages cost the same number of queries with a few rows as with many:
no per-row query (N+1) on the register, a case, the counters, the figures, the tracking page or
a commune's published answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback import queries as feedback_queries
from feedback import services
from feedback.models import Action, Case, CaseEvent, CounterRating, Score, Status

pytestmark = pytest.mark.django_db


def _count(get) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = get()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def _same_bound(get, grow, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    """Load once with few rows, add several times more rows, load again within the same bound."""
    _count(get)  # warm caches (sessions, content types, site) so both loads compare like with like
    few = _count(get)
    grow()
    feedback_queries.bring_tallies_up_to_date()  # the worker's refresh of the summary tables after the writes
    with django_assert_max_num_queries(few):
        get()


def test_register_does_not_grow_with_cases(make_case, doi_ngo, province_officer, client_for, django_assert_max_num_queries):
    c = client_for(province_officer)
    for _ in range(2):
        make_case(doi_ngo)
    _same_bound(lambda: c.get("/staff/phan-anh/"), lambda: [make_case(doi_ngo) for _ in range(8)], django_assert_max_num_queries)


def test_overdue_register_does_not_grow(make_case, doi_ngo, province_officer, client_for, django_assert_max_num_queries):
    c = client_for(province_officer)
    past = timezone.localdate() - dt.timedelta(days=30)

    def overdue(n: int) -> None:
        cases = [make_case(doi_ngo) for _ in range(n)]
        Case.objects.filter(pk__in=[x.pk for x in cases]).update(due_on=past, forward_due_on=past, status=Status.ACCEPTED)

    overdue(2)
    _same_bound(lambda: c.get("/staff/phan-anh/?overdue=1"), lambda: overdue(8), django_assert_max_num_queries)


def test_case_detail_does_not_grow_with_events(make_case, doi_ngo, province_officer, client_for, django_assert_max_num_queries):
    c = client_for(province_officer)
    case = make_case(doi_ngo)

    def events(n: int) -> None:
        CaseEvent.objects.bulk_create(
            CaseEvent(case=case, at=timezone.now(), action=Action.REMIND, actor=province_officer, from_unit=doi_ngo, to_unit=doi_ngo)
            for _ in range(n)
        )

    events(2)
    _same_bound(lambda: c.get(f"/staff/phan-anh/{case.pk}/"), lambda: events(10), django_assert_max_num_queries)


def test_counters_do_not_grow(doi_ngo, dong_hung, province_officer, client_for, django_assert_max_num_queries):
    c = client_for(province_officer)

    def counters(n: int, start: int) -> None:
        for i in range(start, start + n):
            counter = services.save_counter(by=province_officer, unit=doi_ngo if i % 2 else dong_hung, name=f"Quầy {i}")
            CounterRating.objects.create(counter=counter, score=Score.SATISFIED, at=timezone.now())

    counters(2, 0)
    _same_bound(lambda: c.get("/staff/phan-anh/quay/"), lambda: counters(8, 2), django_assert_max_num_queries)


def test_dashboard_does_not_grow_with_cases(make_case, doi_ngo, dong_hung, district_officer, client_for, django_assert_max_num_queries):
    c = client_for(district_officer)
    for _ in range(2):
        make_case(doi_ngo)
    _same_bound(
        lambda: c.get("/staff/phan-anh/thong-ke/"),
        lambda: [make_case(u) for u in (doi_ngo, dong_hung) * 5],
        django_assert_max_num_queries,
    )


def test_tracking_page_does_not_grow_with_events(doi_ngo, django_assert_max_num_queries, client):
    submission = services.submit_case(
        report=services.Report(category="facilities", concerned_unit=doi_ngo, description="Đèn đường thôn Đông hỏng.")
    )
    case = submission.case

    def events(n: int) -> None:
        CaseEvent.objects.bulk_create(CaseEvent(case=case, at=timezone.now(), action=Action.REMIND, to_unit=doi_ngo) for _ in range(n))

    events(2)
    _same_bound(
        lambda: client.post("/phan-anh/tra-cuu/", {"code": submission.tracking_code}),
        lambda: events(10),
        django_assert_max_num_queries,
    )


def test_commune_page_published_answers_do_not_grow(make_case, doi_ngo, client, django_assert_max_num_queries):
    def published(n: int) -> None:
        cases = [make_case(doi_ngo) for _ in range(n)]
        Case.objects.filter(pk__in=[x.pk for x in cases]).update(
            status=Status.ANSWERED, answer="Đã sửa.", public_summary="Mái nhà văn hoá", published_at=timezone.now()
        )

    published(2)
    url = f"/don-vi/{doi_ngo.edition}/{doi_ngo.code}/"
    _same_bound(lambda: client.get(url), lambda: published(8), django_assert_max_num_queries)
