"""Reminders before each deadline go to whoever must act; once overdue, the level above hears too;
a re-run the same day sends nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest

from certification.services import send_deadline_reminders
from core.models import OutboxMessage
from tests.certification.conftest import to_district

pytestmark = pytest.mark.django_db


def test_reminders_and_overdue(campaign, people, doi_ngo, dong_hung):
    from certification import services

    p = people(doi_ngo)
    services.register(campaign=campaign, unit=doi_ngo, by=p["officer"])  # a draft
    q = people(dong_hung)
    to_district(campaign, dong_hung, q)  # waiting at the district

    seven_before = campaign.self_assessment_due - dt.timedelta(days=7)
    send_deadline_reminders(today=seven_before)
    assert OutboxMessage.objects.filter(recipient=p["officer"].email, subject__startswith="Nhắc hạn tự đánh giá").exists()
    assert not OutboxMessage.objects.filter(recipient=q["officer"].email).filter(subject__startswith="Nhắc hạn").exists()
    count = OutboxMessage.objects.count()
    send_deadline_reminders(today=seven_before)
    assert OutboxMessage.objects.count() == count  # deduplicated

    three_before = campaign.self_assessment_due - dt.timedelta(days=3)
    send_deadline_reminders(today=three_before)  # not a reminder day
    assert OutboxMessage.objects.count() == count

    late = campaign.self_assessment_due + dt.timedelta(days=2)
    send_deadline_reminders(today=late)
    assert OutboxMessage.objects.filter(recipient=p["chairman"].email, subject__startswith="Quá hạn tự đánh giá 2 ngày").exists()
    assert OutboxMessage.objects.filter(recipient=p["committee"].email, subject__startswith="Quá hạn tự đánh giá 2 ngày").exists()

    district_late = campaign.district_appraisal_due + dt.timedelta(days=1)
    send_deadline_reminders(today=district_late)
    assert OutboxMessage.objects.filter(recipient=q["committee"].email, subject__contains="thẩm định cấp huyện").exists()
    assert OutboxMessage.objects.filter(recipient=q["province"].email, subject__contains="Quá hạn thẩm định cấp huyện").exists()


def test_overdue_page_lists_late_files(campaign, people, doi_ngo, client_for, time_machine):
    from django.urls import reverse

    from certification import services

    p = people(doi_ngo)
    services.register(campaign=campaign, unit=doi_ngo, by=p["officer"])
    time_machine.move_to(dt.datetime.combine(campaign.self_assessment_due + dt.timedelta(days=5), dt.time(10)))
    page = client_for(p["committee"]).get(reverse("certification:overdue", args=[campaign.pk]))
    body = page.content.decode()
    assert doi_ngo.name in body and "Tự đánh giá (xã)" in body and ">5<" in body
