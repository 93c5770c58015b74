"""The clocks: due dates in working days across Tết (with the reasoning shown), the province's own
days off, the 30-day posting rule, permanent postings, and 3 consecutive days of loudspeaker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.actors import SYSTEM
from core.models import CalendarDay
from disclosure import deadlines, queries, services
from disclosure.models import Posting

D = dt.date


def _record(unit, obligation, document_date, **kwargs):
    return services.record_disclosure(
        by=SYSTEM,
        unit=unit,
        obligation=obligation,
        title="Dự toán ngân sách xã năm 2026",
        document_number="12/QĐ-UBND",
        document_date=document_date,
        issuer="UBND xã",
        today=D(2026, 12, 3),
        **kwargs,
    )


def test_due_date_skips_tet_and_says_why(commune, category):
    d = _record(commune, category(2), D(2026, 2, 12))
    # Thu 12/02: Fri 13 is day 1; 14–22 are a weekend, Tết (16–20) and a weekend; 23–26 are days 2–5.
    assert d.due_on == D(2026, 2, 26)
    assert "5 ngày làm việc kể từ 12/02/2026" in d.due_reasoning
    assert "Tết Nguyên Đán" in d.due_reasoning and "Luật Thực hiện dân chủ ở cơ sở" in d.due_reasoning


def test_province_day_off_moves_the_due_date(commune, category):
    CalendarDay.objects.create(date=D(2026, 3, 10), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù của tỉnh")
    d = _record(commune, category(1), D(2026, 3, 5))  # Thu: 6, 9, (10 off), 11, 12, 13
    assert d.due_on == D(2026, 3, 13)
    assert "Nghỉ bù của tỉnh" in d.due_reasoning


def test_on_time_and_late_follow_the_due_date(commune, category):
    on_time = _record(commune, category(2), D(2026, 2, 12), disclosed_on=D(2026, 2, 26), forms=["portal"])
    late = _record(commune, category(2), D(2026, 2, 12), disclosed_on=D(2026, 2, 27), forms=["portal"])
    assert on_time.on_time is True and late.on_time is False
    f = queries.figures(commune, D(2026, 1, 1), D(2026, 12, 31), today=D(2026, 12, 3))
    assert (f.due, f.on_time, f.late) == (2, 1, 1)


def test_thirty_day_rule(commune, category):
    d = _record(commune, category(2), D(2026, 4, 1), disclosed_on=D(2026, 4, 2), forms=["notice_board"])
    posting = Posting.objects.get(disclosure=d)
    assert deadlines.posting_required_until(posting, d.obligation) == D(2026, 5, 1)  # 2/4 + 29 days: the 30th day
    posting.ended_on = D(2026, 4, 30)
    assert deadlines.is_short(posting, d.obligation)
    posting.ended_on = D(2026, 5, 1)
    assert not deadlines.is_short(posting, d.obligation)


def test_permanent_categories_may_never_be_taken_down(commune, category):
    d = _record(commune, category(13), D(2026, 4, 1), disclosed_on=D(2026, 4, 2), forms=["notice_board"])
    posting = Posting.objects.get(disclosure=d)
    assert deadlines.posting_required_until(posting, d.obligation) is None
    services.end_posting(by=SYSTEM, posting=posting, ended_on=D(2026, 9, 1), today=D(2026, 12, 3))
    posting.refresh_from_db()
    assert deadlines.is_short(posting, d.obligation)
    assert queries.figures(commune, D(2026, 1, 1), D(2026, 12, 31), today=D(2026, 12, 3)).short == 1


def test_loudspeaker_needs_three_consecutive_days(commune, category):
    d = _record(commune, category(7), D(2026, 4, 1), disclosed_on=D(2026, 4, 2), forms=["portal", "loudspeaker"])
    for day in (D(2026, 4, 2), D(2026, 4, 3), D(2026, 4, 5)):
        services.log_broadcast(by=SYSTEM, disclosure=d, day=day, today=D(2026, 12, 3))
    d = queries.with_proof(type(d).objects.filter(pk=d.pk)).get()
    proof = queries.proof_of(d)
    assert not proof.proven and any("3 ngày phát loa liên tục" in r for r in proof.reasons)
    services.log_broadcast(by=SYSTEM, disclosure=d, day=D(2026, 4, 4), today=D(2026, 12, 3))
    d = queries.with_proof(type(d).objects.filter(pk=d.pk)).get()
    # The loudspeaker rule is met; the category also requires a notice-board posting, still missing.
    assert queries.proof_of(d).reasons == ["Chưa ghi điểm niêm yết."]
    with pytest.raises(ValidationError, match="Đã ghi buổi phát loa ngày 04/04/2026"):
        services.log_broadcast(by=SYSTEM, disclosure=d, day=D(2026, 4, 4), today=D(2026, 12, 3))


def test_longest_run():
    assert deadlines.longest_run([]) == 0
    assert deadlines.longest_run([D(2026, 1, 1), D(2026, 1, 3), D(2026, 1, 4), D(2026, 1, 5), D(2026, 1, 7)]) == 3


def test_disclosed_before_the_due_date_counts_on_time_before_the_due_date_comes(commune, category):
    """Regression (found by the browser journey): an item disclosed early was left out of the
    figures until its due date had passed."""
    _record(commune, category(7), D(2026, 11, 30), disclosed_on=D(2026, 12, 1), forms=["portal"])
    _record(commune, category(12), D(2026, 12, 1))  # not yet due, not disclosed: not counted
    _record(commune, category(1), D(2026, 11, 2))  # due 09/11, never disclosed: overdue
    f = queries.figures(commune, D(2026, 1, 1), D(2026, 12, 3), today=D(2026, 12, 3))  # the year so far
    assert (f.due, f.on_time, f.overdue, f.disclosed) == (2, 1, 1, 1)
    assert f.on_time_rate == 50.0


def test_province_rows_follow_predecessors_and_add_up(bac_giang, bac_ninh, commune, other_commune, doi_ngo, category):
    """A merged commune's row includes what its predecessor disclosed before 1 July 2025; the
    province's total is the sum of its communes' rows and equals the figures read directly."""
    bac_giang.successor = bac_ninh  # as the 2025 import links the old province to the new
    bac_giang.valid_to = D(2025, 6, 30)
    bac_giang.save()
    doi_ngo.successor = commune
    doi_ngo.valid_to = D(2025, 6, 30)
    doi_ngo.save()
    _record(doi_ngo, category(2), D(2025, 3, 3), disclosed_on=D(2025, 3, 4), forms=["portal"])
    _record(commune, category(2), D(2025, 8, 4), disclosed_on=D(2025, 8, 20), forms=["portal"])
    _record(other_commune, category(1), D(2025, 9, 1), disclosed_on=D(2025, 9, 2), forms=["portal"])
    rows = dict(queries.per_commune(bac_ninh, D(2025, 1, 1), D(2025, 12, 31), today=D(2026, 12, 3)))
    assert (rows[commune].due, rows[commune].on_time, rows[commune].late) == (2, 1, 1)
    assert (rows[other_commune].due, rows[other_commune].on_time) == (1, 1)
    assert rows[commune].missing == {commune.pk: [1, 13]} and rows[other_commune].missing == {other_commune.pk: [2, 13]}
    together = queries.total(list(rows.items()))
    assert (together.due, together.on_time, together.late) == (3, 2, 1)
    direct = queries.figures(bac_ninh, D(2025, 1, 1), D(2025, 12, 31), today=D(2026, 12, 3))
    assert (direct.due, direct.on_time) == (together.due, together.on_time)
