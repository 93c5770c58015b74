"""The figures count overdue cases by the same rule as the overdue register (open, past due, not
paused awaiting the reporter), inside their one aggregate: the dashboard asks for figures once per
child unit, so each call stays at a fixed handful of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from feedback import queries
from feedback.models import Case, Status

pytestmark = pytest.mark.django_db


def test_overdue_figure_matches_the_register_rule(make_case, doi_ngo, luc_nam, django_assert_max_num_queries):
    past = timezone.localdate() - dt.timedelta(days=10)
    statuses = [Status.ACCEPTED, Status.IN_PROGRESS, Status.AWAITING_INFO, Status.ANSWERED, Status.RECEIVED]
    for status in statuses:
        Case.objects.filter(pk=make_case(doi_ngo).pk).update(status=status, due_on=past)
    Case.objects.filter(pk=make_case(doi_ngo).pk).update(status=Status.ACCEPTED, due_on=timezone.localdate())  # due today: not late
    today = timezone.localdate()
    # One more than before issue 10: the unit's predecessors (its lineage) widen the cases read.
    queries.bring_tallies_up_to_date()  # the worker's refresh after the writes; the read checks for more
    with django_assert_max_num_queries(7):
        f = queries.figures(unit=luc_nam, start=today - dt.timedelta(days=1), end=today)
    assert f.total == 6
    assert f.overdue == 3  # accepted, in progress, received; not awaiting info, answered or due today
    assert f.overdue == queries.overdue_cases(Case.objects.filter(concerned_unit=doi_ngo)).count()
