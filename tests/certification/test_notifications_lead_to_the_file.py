"""Every message about a commune's file ends with the absolute link to the file's page (registered,
reminded, decided), built on SITE_URL as it is when the message is queued."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from certification import services
from certification.services import send_deadline_reminders
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db
SITE = "https://dancoso.example.gov.vn"


def test_registration_and_reminder_messages_link_to_the_file(campaign, people, doi_ngo, settings):
    settings.SITE_URL = SITE
    p = people(doi_ngo)
    registration = services.register(campaign=campaign, unit=doi_ngo, by=p["officer"])
    send_deadline_reminders(today=campaign.self_assessment_due - dt.timedelta(days=7))

    link = SITE + reverse("certification:file_detail", args=[registration.pk])
    [registered] = OutboxMessage.objects.filter(recipient=p["committee"].email)
    assert registered.body.endswith(f"\n\n{link}")
    reminded = OutboxMessage.objects.filter(recipient=p["officer"].email, subject__startswith="Nhắc hạn tự đánh giá")
    assert reminded.count() == 1 and reminded.get().body.endswith(f"\n\n{link}")
