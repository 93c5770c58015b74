"""The dashboard's per-unit table adds each commune's figures into the unit above it in a fixed
number of queries, and gives the same numbers as asking for each unit's figures one by one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from feedback import queries
from feedback.models import Case, Counter, CounterRating, Score, Status
from tests.conftest import unit

pytestmark = pytest.mark.django_db


def test_child_figures_match_one_by_one_figures_in_a_fixed_number_of_queries(
    make_case, bac_giang, doi_ngo, dong_hung, cam_son, django_assert_num_queries
):
    past = timezone.localdate() - dt.timedelta(days=10)
    for commune, n in ((doi_ngo, 3), (dong_hung, 2), (cam_son, 4)):
        for i in range(n):
            case = make_case(commune)
            if i == 0:
                Case.objects.filter(pk=case.pk).update(status=Status.ACCEPTED, due_on=past)
        counter = Counter.objects.create(unit=commune, name="Quầy 1")
        for score in (Score.SATISFIED, Score.SATISFIED, Score.NOT_SATISFIED)[: n - 1]:
            CounterRating.objects.create(counter=counter, at=timezone.now(), score=score)
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=1), today
    # The children, their predecessors (none here: one query), whether a written day awaits its
    # tally refresh (the refresh itself done before: the worker's), the tallies, the overdue open
    # cases, the ratings.
    queries.bring_tallies_up_to_date()
    with django_assert_num_queries(6):
        rows = queries.child_figures(unit=bac_giang, start=start, end=end)
    assert len(rows) == 10
    for child, fig in rows:
        expected = queries.figures(unit=child, start=start, end=end)
        assert (fig.total, fig.answered, fig.answered_on_time, fig.overdue, fig.ratings) == (
            expected.total,
            expected.answered,
            expected.answered_on_time,
            expected.overdue,
            expected.ratings,
        ), child.name
    by_name = {child.name: fig for child, fig in rows}
    assert by_name["Huyện Lục Nam"].total == 5 and by_name["Huyện Lục Nam"].overdue == 2
    assert by_name["Huyện Lục Ngạn"].total == 4 and by_name["Huyện Lục Ngạn"].satisfaction == pytest.approx(66.7)
    # One level down, the communes of a district are the rows.
    district_rows = dict(queries.child_figures(unit=unit("218"), start=start, end=end))
    assert district_rows[doi_ngo].total == 3
