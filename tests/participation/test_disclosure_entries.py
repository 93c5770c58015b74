"""Results and consultations count as disclosures where the law says so: closing a consultation with
its summary writes a category-11 entry into the commune's hash-chained register, and recognising a
decision on contributions (subject 1) a category-5 one, each with its document, visible on the
commune's public page; once per act, whatever retries; nothing when the act is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import disclosures
from disclosure import chain
from disclosure.models import Disclosure, RegisterEntry
from participation import publication, services
from participation.models import Consultation, ConsultationState, Household, Matter
from units.models import Unit


def _summarised(doi_ngo: Unit, commune_officer: User) -> Consultation:
    today = timezone.localdate()
    consultation = services.publish_consultation(
        unit=doi_ngo,
        by=commune_officer,
        kind="regulation",
        title="Quy chế dân chủ của thị trấn",
        draft="Nội dung dự thảo",
        published_on=today - dt.timedelta(days=25),
        closes_on=today - dt.timedelta(days=2),
    )
    first = services.enter_opinion(
        consultation=consultation, by=commune_officer, channel="box", text="Nên họp buổi tối", received_on=today - dt.timedelta(days=10)
    )
    second = services.enter_opinion(
        consultation=consultation, by=commune_officer, channel="hotline", text="Bỏ điều 5", received_on=today - dt.timedelta(days=9)
    )
    return services.summarise_consultation(
        consultation=consultation,
        by=commune_officer,
        summary="Đã nhận 2 ý kiến.",
        groups=[
            services.GroupAnswer("Giờ họp", True, "Tiếp thu: họp sau 19 giờ.", [first.pk]),
            services.GroupAnswer("Điều 5", False, "Điều 5 theo luật, giữ nguyên.", [second.pk]),
        ],
    )


def test_a_summary_is_a_category_11_disclosure_on_the_commune_page(doi_ngo: Unit, commune_officer: User) -> None:
    consultation = _summarised(doi_ngo, commune_officer)
    entry = Disclosure.objects.get(source_key=f"participation.consultation:{consultation.pk}")
    assert entry.unit == doi_ngo and entry.obligation.number == 11
    assert entry.disclosed_on == consultation.summarised_on == timezone.localdate()
    assert entry.forms == ["portal"] and entry.recorded_by == commune_officer
    assert entry.document_file is not None and entry.document_file.content_type == "application/pdf"
    assert entry.source_link.endswith(reverse("participation_public:consultation", args=[consultation.pk]))
    registered = RegisterEntry.objects.get(object_label="disclosure.disclosure", object_pk=entry.pk)
    assert registered.kind == RegisterEntry.Kind.REGISTERED and registered.payload["source_key"] == entry.source_key
    assert chain.verify(doi_ngo).ok
    page = Client().get(reverse("portal:unit", args=[doi_ngo.edition, doi_ngo.code])).content.decode()
    assert entry.reference in page and "Tổng hợp, tiếp thu, giải trình ý kiến Nhân dân" in page
    item = Client().get(reverse("disclosure_public:item", args=[entry.reference])).content.decode()
    assert entry.source_link in item


def test_summarising_twice_or_publishing_again_writes_one_entry(doi_ngo: Unit, commune_officer: User) -> None:
    consultation = _summarised(doi_ngo, commune_officer)
    entries = RegisterEntry.objects.count()
    with pytest.raises(ValidationError, match="đã được tổng hợp"):
        services.summarise_consultation(consultation=consultation, by=commune_officer, summary="Lại", groups=[])
    # A retry of the same act (a job run twice, a resubmitted request) finds the entry already written.
    again = disclosures.publish(publication.consultation_record(consultation, document=b"%PDF-1.4 x"), by=commune_officer)
    assert [r.created for r in again] == [False]
    assert Disclosure.objects.filter(source_key=f"participation.consultation:{consultation.pk}").count() == 1
    assert RegisterEntry.objects.count() == entries


def test_a_refused_summary_writes_nothing(doi_ngo: Unit, commune_officer: User) -> None:
    today = timezone.localdate()
    consultation = services.publish_consultation(
        unit=doi_ngo, by=commune_officer, kind="plan", title="KH", draft="D", published_on=today, closes_on=today + dt.timedelta(days=20)
    )
    with pytest.raises(ValidationError, match="sau khi hết hạn"):
        services.summarise_consultation(consultation=consultation, by=commune_officer, summary="S", groups=[])
    assert not Disclosure.objects.exists() and not RegisterEntry.objects.exists()


def _recognised(
    make_matter: Callable[..., Matter], village_head: User, commune_officer: User, households: list[Household], subject: int
) -> Matter:
    matter = make_matter(subject=subject, method="meeting")
    day = dt.date(2026, 11, 20)
    services.announce_matter(matter=matter, by=village_head, on=day - dt.timedelta(days=5), meeting_on=day)
    o_yes, o_no = matter.options.order_by("position")
    services.record_result(
        matter=matter,
        by=village_head,
        decided_on=day,
        votes={o_yes.pk: 9, o_no.pk: 1},
        minutes="Họp thôn, 10 hộ dự",
        attendance=[(h, "Đại diện " + h.code) for h in households[:10]],
    )
    services.send_to_commune(matter=matter, by=village_head, on=dt.date(2026, 11, 23))
    return services.recognise_matter(matter=matter, by=commune_officer, on=dt.date(2026, 11, 25), reference="12/QĐ-UBND")


def test_a_recognised_decision_on_contributions_is_a_category_5_disclosure(
    make_matter: Callable[..., Matter], village_head: User, commune_officer: User, households: list[Household], doi_ngo: Unit
) -> None:
    matter = _recognised(make_matter, village_head, commune_officer, households, subject=1)
    entry = Disclosure.objects.get(source_key=f"participation.matter:{matter.pk}")
    assert (entry.unit, entry.obligation.number) == (doi_ngo, 5)
    assert (entry.document_number, entry.document_date, entry.disclosed_on) == ("12/QĐ-UBND", dt.date(2026, 11, 25), dt.date(2026, 11, 25))
    assert entry.on_time and entry.document_file is not None
    assert chain.verify(doi_ngo).ok
    page = Client().get(reverse("portal:unit", args=[doi_ngo.edition, doi_ngo.code])).content.decode()
    assert entry.reference in page
    # The matter's public page shows the minutes and the recognition the entry points to.
    public = Client().get(reverse("participation_public:matter", args=[matter.pk])).content.decode()
    assert "Họp thôn, 10 hộ dự" in public and "12/QĐ-UBND" in public


def test_a_recognised_other_matter_is_on_the_page_but_not_in_the_register(
    make_matter: Callable[..., Matter], village_head: User, commune_officer: User, households: list[Household]
) -> None:
    matter = _recognised(make_matter, village_head, commune_officer, households, subject=6)
    assert not Disclosure.objects.filter(source_key=f"participation.matter:{matter.pk}").exists()


def test_a_summary_quoting_a_citizens_phone_is_refused_and_nothing_is_published(doi_ngo: Unit, commune_officer: User) -> None:
    today = timezone.localdate()
    consultation = services.publish_consultation(
        unit=doi_ngo, by=commune_officer, kind="plan", title="KH", draft="D", published_on=today, closes_on=today + dt.timedelta(days=20)
    )
    opinion = services.submit_opinion(consultation=consultation, text="Đề nghị mở rộng đường").opinion
    Consultation.objects.filter(pk=consultation.pk).update(closes_on=today - dt.timedelta(days=1))
    consultation.refresh_from_db()
    groups = [services.GroupAnswer("Giao thông", True, "Ông Hùng, số 0912 345 678, đề nghị", [opinion.pk])]
    with pytest.raises(ValidationError, match="thông tin cá nhân"):
        services.summarise_consultation(consultation=consultation, by=commune_officer, summary="Tổng hợp", groups=groups)
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.OPEN
    assert not Disclosure.objects.exists() and not RegisterEntry.objects.exists()
