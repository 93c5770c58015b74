"""Consultations on a draft: at least 20 days, opinions through every channel and on a clause,
nothing after the period, the commune's summary answering every opinion, figures, API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import metrics
from participation import services
from participation.models import Consultation, ConsultationState, Opinion
from units.models import Unit


@pytest.fixture
def consultation(doi_ngo: Unit, commune_officer: User) -> Consultation:
    today = timezone.localdate()
    return services.publish_consultation(
        unit=doi_ngo,
        by=commune_officer,
        kind="land",
        title="Kế hoạch sử dụng đất 2027",
        draft="Nội dung dự thảo",
        clauses=["Mục 1", "Mục 2"],
        published_on=today - dt.timedelta(days=2),
        closes_on=today - dt.timedelta(days=2) + dt.timedelta(days=20),
    )


def test_at_least_twenty_days_and_only_the_commune(doi_ngo: Unit, commune_officer: User, province_officer: User) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="ít nhất 20 ngày"):
        services.publish_consultation(
            unit=doi_ngo, by=commune_officer, kind="plan", title="X", draft="Y", published_on=today, closes_on=today + dt.timedelta(days=19)
        )
    with pytest.raises(PermissionDenied):
        services.publish_consultation(
            unit=doi_ngo, by=province_officer, kind="plan", title="X", draft="Y", published_on=today, closes_on=today + dt.timedelta(30)
        )
    assert not Consultation.objects.exists()


def test_opinions_by_every_channel_and_refusals(consultation: Consultation, commune_officer: User) -> None:
    first = services.submit_opinion(consultation=consultation, text="Ý kiến", clause="Mục 1", idempotency_key="k1", client="c")
    again = services.submit_opinion(consultation=consultation, text="Ý kiến", clause="Mục 1", idempotency_key="k1", client="c")
    assert first.created and not again.created and again.opinion == first.opinion
    services.enter_opinion(
        consultation=consultation, by=commune_officer, channel="hotline", text="Qua điện thoại", received_on=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="điều, khoản"):
        services.submit_opinion(consultation=consultation, text="X", clause="Mục 9")
    with pytest.raises(ValidationError, match="kênh"):
        services.enter_opinion(consultation=consultation, by=commune_officer, channel="portal", text="X", received_on=timezone.localdate())
    with pytest.raises(ValidationError, match="hết thời gian góp ý"):
        services.enter_opinion(
            consultation=consultation,
            by=commune_officer,
            channel="box",
            text="Muộn",
            received_on=consultation.closes_on + dt.timedelta(days=1),
        )
    assert Opinion.objects.count() == 2


def test_summary_answers_every_opinion_after_the_close(consultation: Consultation, commune_officer: User) -> None:
    a = services.submit_opinion(consultation=consultation, text="A").opinion
    b = services.submit_opinion(consultation=consultation, text="B").opinion
    with pytest.raises(ValidationError, match="sau khi hết hạn"):
        services.summarise_consultation(consultation=consultation, by=commune_officer, summary="S", groups=[])
    Consultation.objects.filter(pk=consultation.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    consultation.refresh_from_db()
    with pytest.raises(ValidationError, match="đúng một nhóm"):
        services.summarise_consultation(
            consultation=consultation, by=commune_officer, summary="S", groups=[services.GroupAnswer("G", True, "Vì", [a.pk])]
        )
    with pytest.raises(ValidationError, match="hết thời gian"):
        services.submit_opinion(consultation=consultation, text="Muộn")
    done = services.summarise_consultation(
        consultation=consultation,
        by=commune_officer,
        summary="Tổng hợp",
        groups=[services.GroupAnswer("Nhóm 1", True, "Tiếp thu", [a.pk]), services.GroupAnswer("Nhóm 2", False, "Trái luật", [b.pk])],
    )
    assert done.state == ConsultationState.SUMMARISED
    page = Client().get(reverse("participation_public:consultation", args=[consultation.pk])).content.decode()
    assert "Trái luật" in page and "Tổng hợp" in page
    start, end = timezone.localdate() - dt.timedelta(days=30), timezone.localdate()
    unit = consultation.unit
    assert metrics.compute("participation.consultations_held", unit=unit, start=start, end=end).value == 1
    assert metrics.compute("participation.opinions_answered_share", unit=unit, start=start, end=end).value == 100.0


def test_public_form_and_api(consultation: Consultation) -> None:
    client = Client()
    url = reverse("participation_public:consultation", args=[consultation.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Mục 2" in page.content.decode()
    done = client.post(url, {"clause": "Mục 2", "text": "Góp ý qua cổng", "author_name": "", "idempotency_key": "abc"})
    assert "Cảm ơn bạn đã góp ý" in done.content.decode()
    api = "/api/v1/participation"
    listed = client.get(f"{api}/consultations?commune_code={consultation.unit.code}&edition=2024").json()
    assert [c["id"] for c in listed] == [consultation.pk] and listed[0]["is_open"]
    body = json.dumps({"text": "Qua ứng dụng Zalo", "clause": "Mục 1"})
    first = client.post(f"{api}/consultations/{consultation.pk}/opinions", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="z1")
    again = client.post(f"{api}/consultations/{consultation.pk}/opinions", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="z1")
    assert (first.status_code, again.status_code) == (201, 200)
    Consultation.objects.filter(pk=consultation.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    late = client.post(f"{api}/consultations/{consultation.pk}/opinions", body, content_type="application/json")
    assert late.status_code == 422 and "hết thời gian góp ý" in late.json()["detail"]
    assert Opinion.objects.count() == 2


def test_staff_pages(consultation: Consultation, commune_officer: User, outsider: User, client_for: Callable[[User], Client]) -> None:
    url = reverse("participation:consultation", args=[consultation.pk])
    assert client_for(outsider).get(url).status_code == 404
    client = client_for(commune_officer)
    response = client.post(
        url, {"form": "opinion", "channel": "meeting", "text": "Tại hội nghị", "received_on": str(timezone.localdate()), "clause": ""}
    )
    assert response.status_code == 302 and Opinion.objects.get().channel == "meeting"
    assert client.get(reverse("participation:consultations")).status_code == 200
