"""feedback.overdue_open: reports overdue on a day, per unit, read for many units at once."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from core import metrics
from feedback.models import Case

pytestmark = pytest.mark.django_db


def test_overdue_reports_count_for_the_commune_and_every_unit_above(make_case, doi_ngo, luc_nam, bac_giang, cam_son):
    case = make_case(doi_ngo)
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(due_on=today - dt.timedelta(days=3), received_at=timezone.now() - dt.timedelta(days=20))
    make_case(doi_ngo)  # not yet due
    units = [bac_giang, luc_nam, doi_ngo, cam_son]
    found = metrics.compute_many("feedback.overdue_open", units=units, start=today.replace(day=1), end=today)
    assert [found[u.pk].value for u in units] == [1, 1, 1, 0]
    assert found[doi_ngo.pk].link.endswith("?" + urlencode({"overdue": "1", "q": doi_ngo.name}))
    assert found[luc_nam.pk].link.endswith("?overdue=1")  # the register of the reader's scope
    # before it fell due it was not overdue; once answered it is no longer
    assert metrics.compute("feedback.overdue_open", unit=doi_ngo, start=today, end=today - dt.timedelta(days=4)).value == 0
    Case.objects.filter(pk=case.pk).update(status="answered", answered_at=timezone.now())
    assert metrics.compute("feedback.overdue_open", unit=doi_ngo, start=today, end=today).value == 0
