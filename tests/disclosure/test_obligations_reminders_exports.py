"""Obligations are versioned data the province edits (a published version never changes); the
reminders job warns the commune before a disclosure falls due and before a posting may come down,
once per item; the quarterly register comes out as Excel and Word with the chain's head."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from accounts.actors import SYSTEM
from core.models import OutboxMessage
from disclosure import chain, services
from disclosure.models import ObligationSet, SetState
from tests.conftest import verified_client

D = dt.date


def test_seeded_obligations_follow_the_law(obligations):
    rows = {o.number: o for o in obligations.obligations.all()}
    assert len(rows) == 14 and obligations.state == SetState.PUBLISHED
    assert rows[4].permanent and rows[13].permanent and rows[4].min_posting_days == 0
    assert rows[2].min_posting_days == 30 and rows[2].at_villages and rows[2].loudspeaker_days == 0
    assert all(rows[n].loudspeaker_days == 3 and "loudspeaker" in rows[n].forms for n in range(7, 13))
    assert all(o.deadline_working_days == 5 for o in rows.values())
    assert "Điều 11 khoản 9" in rows[9].source


def test_a_revision_is_a_new_version_and_publishing_retires_the_old(obligations, province_office):
    draft = services.revise_obligations(by=province_office)
    assert draft.version == obligations.version + 1 and draft.state == SetState.DRAFT
    budget = draft.obligations.get(number=2)
    services.update_obligation(
        by=province_office, obligation=budget, changes={"deadline_working_days": 10, "deadline_source": "Luật NSNN 2015, Điều 15"}
    )
    with pytest.raises(ValidationError, match="Chỉ sửa được bản dự thảo"):
        services.update_obligation(
            by=province_office, obligation=obligations.obligations.get(number=2), changes={"deadline_working_days": 3}
        )
    with pytest.raises(ValidationError, match="ít nhất một hình thức"):
        services.update_obligation(by=province_office, obligation=budget, changes={"forms": []})
    services.publish_obligations(by=province_office, obligation_set=draft)
    obligations.refresh_from_db()
    assert obligations.state == SetState.RETIRED and ObligationSet.objects.get(pk=draft.pk).state == SetState.PUBLISHED
    assert obligations.obligations.get(number=2).deadline_working_days == 5  # the old version kept its rule


def test_only_province_administrators_edit_obligations(obligations, officer, province_office):
    with pytest.raises(PermissionDenied):
        services.revise_obligations(by=officer)
    draft = services.revise_obligations(by=province_office)
    client = verified_client(officer)
    assert client.get(reverse("disclosure:obligation_edit", args=[draft.obligations.first().pk])).status_code == 404
    assert client.post(reverse("disclosure:obligations"), {"action": "revise"}).status_code == 404
    admin = verified_client(province_office)
    page = admin.post(
        reverse("disclosure:obligation_edit", args=[draft.obligations.get(number=1).pk]),
        {
            "source": "x",
            "forms": ["portal"],
            "deadline_working_days": "0",
            "deadline_source": "y",
            "min_posting_days": "30",
            "loudspeaker_days": "0",
        },
    )
    assert page.status_code == 400 and "lớn hơn hoặc bằng với 1" in page.content.decode()


def test_reminders_before_due_and_before_a_posting_may_end_go_once(commune, category, officer, settings):
    settings.DISCLOSURE_REMINDER_WORKING_DAYS = 2
    settings.DISCLOSURE_POSTING_END_REMINDER_DAYS = 3
    today = D(2026, 12, 3)  # Thursday
    due_soon = services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(12),
        title="Phí chợ",
        document_number="1/QĐ",
        document_date=D(2026, 11, 27),
        issuer="UBND",
        today=today,
    )  # due 04/12
    services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(12),
        title="Phí đỗ xe",
        document_number="2/QĐ",
        document_date=D(2026, 12, 2),
        issuer="UBND",
        today=today,
    )  # due 09/12: beyond two working days
    services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(1),
        title="Kế hoạch",
        document_number="3/KH",
        document_date=D(2026, 11, 4),
        issuer="UBND",
        disclosed_on=D(2026, 11, 5),
        forms=["notice_board"],
        today=today,
    )  # posted 05/11: must stay up to 04/12
    assert services.send_reminders(by=SYSTEM, today=today) == 2
    subjects = sorted(OutboxMessage.objects.filter(recipient=officer.email).values_list("subject", flat=True))
    assert subjects == ["Sắp đến hạn công khai: Phí chợ", "Thời gian niêm yết sắp đủ: Kế hoạch"]
    body = OutboxMessage.objects.get(subject__startswith="Sắp đến hạn").body
    assert "04/12/2026" in body and reverse("disclosure:detail", args=[due_soon.pk]) in body
    services.send_reminders(by=SYSTEM, today=today)
    assert OutboxMessage.objects.filter(recipient=officer.email).count() == 2
    with pytest.raises(PermissionDenied):
        services.send_reminders(by=officer, today=today)


def test_quarterly_register_as_excel_and_word(commune, category, officer, other_officer):
    services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(2),
        title="Tình hình thực hiện ngân sách quý III",
        document_number="9/BC-UBND",
        document_date=D(2026, 10, 5),
        issuer="UBND phường",
        disclosed_on=D(2026, 10, 6),
        forms=["notice_board", "portal"],
        today=D(2026, 12, 3),
    )
    client = verified_client(officer)
    xlsx = client.get(reverse("disclosure:quarterly", args=[commune.pk, 2026, 4, "xlsx"]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert any("Tình hình thực hiện ngân sách quý III" in row for row in rows)
    assert any(chain.verify(commune).head in str(row) for row in rows)
    docx = client.get(reverse("disclosure:quarterly", args=[commune.pk, 2026, 4, "docx"]))
    text = "\n".join(cell.text for table in Document(io.BytesIO(docx.content)).tables for row in table.rows for cell in row.cells)
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text + paragraphs and "9/BC-UBND" in text
    assert "SỔ THEO DÕI" in paragraphs.upper() and chain.verify(commune).head in paragraphs
    pdf = client.get(reverse("disclosure:quarterly", args=[commune.pk, 2026, 4, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert verified_client(other_officer).get(reverse("disclosure:quarterly", args=[commune.pk, 2026, 4, "xlsx"])).status_code == 404
    assert client.get(reverse("disclosure:quarterly", args=[commune.pk, 2026, 5, "xlsx"])).status_code == 404
