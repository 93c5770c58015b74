"""Tamper evidence: the register is append-only and hash-chained per commune; an entry edited or
deleted behind the application's back (raw SQL), or a record edited outside the register, is found
by the verification page and the command, which name the first broken entry."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.actors import SYSTEM
from disclosure import chain, services
from disclosure.models import AppendOnly, Disclosure, RegisterEntry

D = dt.date


@pytest.fixture
def register(commune, category, photo):
    first = services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(2),
        title="Dự toán ngân sách 2026",
        document_number="01/NQ-HĐND",
        document_date=D(2026, 1, 5),
        issuer="HĐND xã",
        disclosed_on=D(2026, 1, 6),
        forms=["notice_board", "portal"],
        today=D(2026, 12, 3),
    )
    second = services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(12),
        title="Mức thu phí chợ",
        document_number="05/QĐ-UBND",
        document_date=D(2026, 2, 2),
        issuer="UBND xã",
        today=D(2026, 12, 3),
    )
    return first, second


def test_an_intact_register_verifies(commune, register):
    verdict = chain.verify(commune)
    assert verdict.ok and verdict.entries == 3  # two documents, one posting
    assert RegisterEntry.objects.filter(unit=commune).order_by("seq").last().hash == verdict.head


def test_each_entry_signs_its_predecessor(commune, register):
    entries = list(RegisterEntry.objects.filter(unit=commune).order_by("seq"))
    assert entries[0].prev_hash == chain.GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]


def test_entries_cannot_be_changed_or_deleted_through_the_application(commune, register):
    entry = RegisterEntry.objects.filter(unit=commune).first()
    entry.payload = {"tampered": True}
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()


def test_an_entry_edited_with_raw_sql_is_detected(commune, register):
    entry = RegisterEntry.objects.get(unit=commune, seq=2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE disclosure_registerentry SET payload = %s WHERE id = %s", ['{"title": "khác"}', entry.pk])
    verdict = chain.verify(commune)
    assert not verdict.ok and verdict.broken_seq == 2 and "đã bị sửa sau khi ghi" in verdict.problem


def test_a_deleted_entry_is_detected(commune, register):
    entry = RegisterEntry.objects.get(unit=commune, seq=1)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM disclosure_registerentry WHERE id = %s", [entry.pk])
    verdict = chain.verify(commune)
    assert not verdict.ok and verdict.broken_seq == 1 and "đã bị xoá" in verdict.problem


def test_a_backdated_disclosure_edited_outside_the_register_is_detected(commune, register):
    first, _second = register
    with connection.cursor() as cursor:
        cursor.execute("UPDATE disclosure_disclosure SET disclosed_on = %s WHERE id = %s", ["2026-01-05", first.pk])
    verdict = chain.verify(commune)
    assert not verdict.ok and verdict.broken_seq == 1 and "sửa ngoài sổ" in verdict.problem


def test_a_record_deleted_outside_the_register_is_detected(commune, register):
    _first, second = register
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM disclosure_disclosure WHERE id = %s", [second.pk])
    verdict = chain.verify(commune)
    assert not verdict.ok and "không còn nữa" in verdict.problem


def test_a_correction_is_a_new_entry_naming_what_it_corrects(commune, register, category):
    first, _second = register
    fixed = services.record_disclosure(
        by=SYSTEM,
        unit=commune,
        obligation=category(2),
        title="Dự toán ngân sách 2026 (đính chính số liệu)",
        document_number="01/NQ-HĐND",
        document_date=D(2026, 1, 5),
        issuer="HĐND xã",
        disclosed_on=D(2026, 1, 8),
        forms=["portal"],
        corrects=first,
        correction_reason="Sai số liệu chi thường xuyên",
        today=D(2026, 12, 3),
    )
    assert fixed.corrects == first and Disclosure.objects.filter(pk=first.pk).exists()
    last = RegisterEntry.objects.filter(unit=commune).order_by("seq").last()
    assert last.kind == RegisterEntry.Kind.CORRECTION and last.payload["corrects"] == first.pk
    assert chain.verify(commune).ok


def test_public_page_and_command_report_the_break(commune, register):
    url = reverse("disclosure_public:verify", args=[commune.edition, commune.code])
    assert "Sổ nguyên vẹn" in Client().get(url).content.decode()
    out = io.StringIO()
    call_command("verify_disclosure_register", stdout=out)
    assert "nguyên vẹn" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE disclosure_registerentry SET kind = 'photo' WHERE unit_id = %s AND seq = 3", [commune.pk])
    body = Client().get(url).content.decode()
    assert "Sổ bị hỏng từ mục số 3" in body
    with pytest.raises(CommandError):
        call_command("verify_disclosure_register", stdout=(out := io.StringIO()))
    assert "HỎNG từ mục số 3" in out.getvalue()


def test_a_photo_taken_in_local_time_still_reads_as_recorded(commune, register, photo):
    """Regression: moments made in Vietnam time come back from the database in UTC; the register's
    reading is the same moment either way."""
    import datetime as dt_

    from django.utils import timezone

    from disclosure.models import Posting

    first, _second = register
    local = timezone.make_aware(dt_.datetime(2026, 1, 6, 9, 0))
    services.add_photo(
        by=SYSTEM,
        posting=Posting.objects.get(disclosure=first),
        upload=io.BytesIO(photo(taken=dt_.datetime(2026, 1, 6, 8))),
        name="a.jpg",
        received_at=local,
    )
    assert chain.verify(commune).ok
