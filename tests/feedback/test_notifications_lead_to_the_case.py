"""Every message about a report leads somewhere: the handlers' e-mails end with the absolute link to
the case's staff page, the reporter's with the link to the public tracking page, both built on
SITE_URL as it is when the message is queued."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.models import OutboxMessage
from feedback import services
from feedback.models import RegisterClass

from .conftest import HCM

pytestmark = pytest.mark.django_db
SITE = "https://dancoso.example.gov.vn"


def test_new_reminded_and_escalated_case_messages_link_to_the_case(make_case, doi_ngo, commune_officer, district_officer, settings):
    settings.SITE_URL = SITE
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM), tick=False):
        case = make_case(doi_ngo)  # due 17/03
    assert services.remind_due_cases(today=dt.date(2026, 3, 13)) == 1
    assert services.escalate_overdue_cases(today=dt.date(2026, 3, 18)) == 1

    link = SITE + reverse("feedback:case", args=[case.pk])
    to_commune = OutboxMessage.objects.filter(recipient=commune_officer.email).order_by("pk")
    assert [m.subject.split(" số ")[0] for m in to_commune] == ["Phản ánh mới", "Sắp đến hạn trả lời phản ánh", "Phản ánh"]
    assert all(m.body.endswith(f"\n\n{link}") for m in to_commune)
    [to_district] = OutboxMessage.objects.filter(recipient=district_officer.email)
    assert to_district.body.endswith(link)


def test_the_reporters_message_links_to_the_tracking_page(make_case, doi_ngo, commune_officer, settings):
    settings.SITE_URL = SITE
    case = make_case(doi_ngo, contact={"name": "Nguyễn Văn An", "email": "an@example.invalid"})
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    services.request_information(case=case, by=commune_officer, question="Xin ông cho biết thôn nào.")
    [message] = OutboxMessage.objects.filter(recipient="an@example.invalid")
    assert message.body == f"Xin ông cho biết thôn nào.\n\n{SITE}{reverse('feedback_public:track')}"
