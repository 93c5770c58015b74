"""Feedback gives the operators' /metrics its overdue reports through its manifest (core names no
capability), by the same rule as the overdue register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from feedback import queries
from feedback.models import Case, Status

pytestmark = pytest.mark.django_db


def test_metrics_counts_overdue_reports_as_the_register_does(make_case, doi_ngo, settings):
    settings.METRICS_BEARER_TOKEN = "t"
    past = timezone.localdate() - dt.timedelta(days=10)
    for status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.AWAITING_INFO, Status.ANSWERED):
        Case.objects.filter(pk=make_case(doi_ngo).pk).update(status=status, due_on=past)
    make_case(doi_ngo)  # due later: not overdue
    text = Client().get("/metrics", headers={"Authorization": "Bearer t"}).content.decode()
    values = {s.name: s.value for f in text_string_to_metric_families(text) for s in f.samples if not s.labels}
    assert values["grassroots_feedback_overdue_cases"] == 2  # accepted and in progress
    assert values["grassroots_feedback_overdue_cases"] == queries.overdue_cases(Case.objects.all()).count()
    assert values["grassroots_feedback_forwarding_overdue_cases"] == queries.forwarding_overdue(Case.objects.all()).count()
