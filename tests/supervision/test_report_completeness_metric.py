"""supervision.report_completeness: the share of the units owing the periodic report that sent it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.actors import SYSTEM
from core import metrics
from supervision import services
from tests.supervision.test_periodic_report import H1_2026, _fill
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_no_form_in_use_gives_no_figure(bac_giang, luc_nam):
    today = timezone.localdate()
    found = metrics.compute_many("supervision.report_completeness", units=[bac_giang, luc_nam], start=today, end=today)
    assert found[bac_giang.pk].value is None and "Không có đơn vị" in found[bac_giang.pk].note


def test_a_sent_report_counts_for_its_commune_and_the_province(bac_ninh, commune, other_commune, officer, board):  # type: ignore[no-untyped-def]
    form = services.seed_default_form(by=SYSTEM, province=bac_ninh)
    report = services.start_report(by=officer, form=form, unit=commune, period_start=H1_2026)
    report = _fill(report, officer, board_recommendations="0")
    services.submit_report(by=officer, report=report, on=dt.date(2026, 7, 10))
    day = dt.date(2026, 11, 2)  # H1 2026 is the latest period ended
    units = [bac_ninh, commune, other_commune]
    found = metrics.compute_many("supervision.report_completeness", units=units, start=day, end=day)
    expected = Unit.objects.in_force(day).filter(parent=bac_ninh, kind=UnitKind.COMMUNE).count()
    assert found[commune.pk].value == 100.0 and found[other_commune.pk].value == 0.0
    assert found[bac_ninh.pk].basis == expected and found[bac_ninh.pk].value == round(100 / expected, 1)
    assert found[commune.pk].link == "/staff/giam-sat/bao-cao/"
