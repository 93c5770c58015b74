"""Who sees and writes what: a commune's officials keep only their own register, the province reads
the registers of its communes, another province sees nothing (404, never 403, for missing and
not-yours alike); the public pages, feed, API and open data show disclosed items and nothing personal."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.actors import SYSTEM
from core import metrics
from disclosure import services
from disclosure.models import Disclosure, Posting, PostingPhoto
from tests.conftest import verified_client

D = dt.date


@pytest.fixture
def items(commune, other_commune, category):
    today = timezone.localdate()
    mine = services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(2),
        title="Dự toán ngân sách phường năm 2026",
        document_number="07/NQ-HĐND",
        document_date=today - dt.timedelta(days=20),
        issuer="HĐND phường",
        disclosed_on=today - dt.timedelta(days=18),
        forms=["notice_board", "portal"],
    )
    pending = services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(12),
        title="Mức thu phí chợ (chưa công khai)",
        document_number="9/QĐ-UBND",
        document_date=today - dt.timedelta(days=1),
        issuer="UBND phường",
    )
    theirs = services.record_disclosure(
        by=SYSTEM,
        unit=other_commune,
        obligation=category(1),
        title="Kế hoạch của xã khác",
        document_number="1/KH-UBND",
        document_date=today - dt.timedelta(days=20),
        issuer="UBND xã",
        disclosed_on=today - dt.timedelta(days=19),
        forms=["portal"],
    )
    return mine, pending, theirs


def test_commune_officer_sees_and_writes_only_its_own(officer, items, photo):
    mine, _pending, theirs = items
    client = verified_client(officer)
    page = client.get(reverse("disclosure:register")).content.decode()
    assert "Dự toán ngân sách phường" in page and "Kế hoạch của xã khác" not in page
    assert client.get(reverse("disclosure:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("disclosure:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("disclosure:broadcast", args=[theirs.pk]), {"day": "2026-11-01"}).status_code == 404
    assert client.get(reverse("disclosure:correct", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("disclosure:detail", args=[999999])).status_code == 404


def test_officer_cannot_record_into_another_communes_register(officer, other_commune, category):
    client = verified_client(officer)
    response = client.post(
        reverse("disclosure:create"),
        {
            "unit": other_commune.pk,
            "obligation": category(1).pk,
            "title": "x" * 20,
            "document_number": "1/KH",
            "document_date": "01/11/2026",
            "issuer": "UBND",
        },
    )
    assert response.status_code == 400 and not Disclosure.objects.exists()


def test_officer_records_a_disclosure_and_a_photo_through_the_pages(officer, commune, category, photo):
    client = verified_client(officer)
    today = timezone.localdate()
    response = client.post(
        reverse("disclosure:create"),
        {
            "unit": commune.pk,
            "obligation": category(2).pk,
            "title": "Quyết toán ngân sách năm 2025",
            "document_number": "15/NQ-HĐND",
            "document_date": (today - dt.timedelta(days=3)).strftime("%d/%m/%Y"),
            "issuer": "HĐND phường",
            "disclosed_on": today.strftime("%d/%m/%Y"),
            "forms": ["notice_board", "portal"],
            "at_office": "on",
            "document": io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
        },
    )
    d = Disclosure.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("disclosure:detail", args=[d.pk])
    posting = Posting.objects.get(disclosure=d)
    upload = io.BytesIO(photo())
    upload.name = "bang-tin.jpg"
    response = client.post(
        reverse("disclosure:photo", args=[posting.pk]),
        {"photo": upload, "purpose": "posted", "latitude": str(commune.latitude), "longitude": str(commune.longitude)},
    )
    assert response.status_code == 302
    saved = PostingPhoto.objects.get()
    assert saved.proven and saved.location_source == "browser"
    page = client.get(reverse("disclosure:detail", args=[d.pk])).content.decode()
    assert "chứng minh được" in page and d.due_reasoning in page.replace("&#x27;", "'")
    assert client.get(reverse("disclosure:photo_file", args=[saved.pk])).status_code == 200


def test_province_reads_its_communes_and_another_province_nothing(province_office, foreign_official, items):
    mine, _pending, theirs = items
    province = verified_client(province_office)
    page = province.get(reverse("disclosure:register")).content.decode()
    assert "Phường Bắc Giang" in page and "Xã Lục Nam" in page
    assert province.get(reverse("disclosure:detail", args=[theirs.pk])).status_code == 200
    # Reading is not writing: the province keeps no commune's register.
    assert province.post(reverse("disclosure:broadcast", args=[mine.pk]), {"day": "2026-11-01"}).status_code == 404
    foreign = verified_client(foreign_official)
    assert foreign.get(reverse("disclosure:detail", args=[mine.pk])).status_code == 404
    assert "Dự toán ngân sách phường" not in foreign.get(reverse("disclosure:register")).content.decode()
    assert foreign.get(reverse("disclosure:register"), {"don_vi": mine.unit_id}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(items):
    mine, _p, _t = items
    response = Client().get(reverse("disclosure:detail", args=[mine.pk]))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_public_pages_show_disclosed_items_with_the_not_posted_link(commune, items):
    mine, pending, _theirs = items
    client = Client()
    listing = client.get(reverse("disclosure_public:commune", args=[commune.edition, commune.code])).content.decode()
    assert mine.title in listing and pending.title not in listing
    assert (
        mine.title
        in client.get(reverse("disclosure_public:commune", args=[commune.edition, commune.code]), {"q": "ngan sach"}).content.decode()
    )
    assert client.get(reverse("disclosure_public:item", args=[pending.reference])).status_code == 404
    body = client.get(reverse("disclosure_public:item", args=[mine.reference])).content.decode()
    link = body.split("Chưa được niêm yết / không đúng như tôi thấy")[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    params = parse_qs(urlsplit(link).query)
    assert urlsplit(link).path == reverse("feedback_public:submit")
    assert params["category"] == ["democracy_not_disclosed"] and params["unit"] == [str(commune.pk)] and mine.reference in params["ref"][0]
    form = client.get(link).content.decode()
    assert mine.reference in form
    unit_page = client.get(reverse("portal:unit", args=[commune.edition, commune.code])).content.decode()
    assert "Thông tin công khai" in unit_page and mine.title in unit_page


def test_feed_api_and_open_data_carry_nothing_personal(commune, items, officer):
    mine, pending, _theirs = items
    client = Client()
    rss = client.get(reverse("disclosure_public:rss", args=[commune.edition, commune.code]))
    assert rss.status_code == 200 and mine.reference in rss.content.decode() and pending.reference not in rss.content.decode()
    assert client.get(reverse("disclosure_public:atom", args=[commune.edition, commune.code])).status_code == 200
    listing = client.get("/api/v1/disclosure/disclosures", {"commune": commune.code, "category": 2}).json()
    assert [row["reference"] for row in listing] == [mine.reference]
    one = client.get(f"/api/v1/disclosure/disclosures/{mine.reference}").json()
    assert one["postings"][0]["place"] == "Trụ sở UBND xã" and "recorded_by" not in one
    assert client.get(f"/api/v1/disclosure/disclosures/{pending.reference}").status_code == 404
    assert client.get("/api/v1/disclosure/disclosures", {"limit": 5000}).status_code == 400
    csv_text = client.get(reverse("disclosure_public:open_data_csv")).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("so_hieu,ma_xa") and mine.reference in csv_text
    assert pending.reference not in csv_text and officer.username not in csv_text and "hệ thống" not in csv_text
    assert client.get(reverse("disclosure_public:open_data_csv"), {"nam": "abc"}).status_code == 404


def test_figures_are_metrics_other_capabilities_read(bac_ninh, commune, items):
    today = timezone.localdate()
    on_time = metrics.compute("disclosure.on_time_rate", unit=commune, start=dt.date(today.year, 1, 1), end=today)
    assert on_time.value == 100.0 and on_time.basis == 1 and on_time.unit == "%"
    proven = metrics.compute("disclosure.proven_rate", unit=bac_ninh, start=dt.date(today.year, 1, 1), end=today)
    # Two disclosed: the ward's (posted, no photo: unproven) and the commune's portal-only item... which
    # still owes a notice board posting for category 1: neither is proven.
    assert proven.value == 0.0 and proven.basis == 2
