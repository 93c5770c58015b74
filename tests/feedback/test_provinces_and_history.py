"""Issue 10: several provinces on one deployment, each with its own answer deadlines and calendar,
edited only by its own staff, and an official of one seeing nothing of another's cases; figures
over a period that spans 1 July 2025 follow a commune's predecessors, labelled as such. Issue 16:
the counter rating API, with the QR page's service, limits and idempotency."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client

from accounts.models import Role
from core.models import CalendarDay
from feedback import queries, services
from feedback.models import Case, Category, CounterRating
from tests.feedback.conftest import HCM
from units.models import Unit

pytestmark = pytest.mark.django_db


def _commune(province: Unit) -> Unit:
    return Unit.objects.filter(parent=province, kind="commune").order_by("code").first()  # type: ignore[return-value]


def _case(unit: Unit) -> Case:
    report = services.Report(category=Category.FACILITIES, concerned_unit=unit, description="Đèn đường trục chính hỏng đã lâu.")
    return services.submit_case(report=report).case


@pytest.fixture
def officials(bac_ninh, lai_chau, make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.PROVINCE_OFFICE, bac_ninh), make_user(Role.PROVINCE_OFFICE, lai_chau)


def test_each_province_sets_its_own_deadlines_and_only_its_own(bac_ninh, lai_chau, officials, frozen):
    ninh, chau = officials
    services.set_deadline(by=ninh, province=bac_ninh, key=Category.FACILITIES, working_days=3, source="QĐ 1/QĐ-UBND tỉnh Bắc Ninh")
    with pytest.raises(PermissionDenied):
        services.set_deadline(by=chau, province=bac_ninh, key=Category.FACILITIES, working_days=20, source="x")
    # Tuesday 3 March 2026: 3 working days in Bắc Ninh, the national default (10) in Lai Châu.
    assert _case(_commune(bac_ninh)).due_on == dt.date(2026, 3, 6)
    assert _case(_commune(lai_chau)).due_on == dt.date(2026, 3, 17)
    rows = {key: (days, own) for key, days, _source, own in services.deadlines_for(lai_chau)}
    assert rows[Category.FACILITIES] == (10, False)
    assert {key: own for key, _d, _s, own in services.deadlines_for(bac_ninh)}[Category.FACILITIES] is True


def test_each_province_counts_in_its_own_calendar(bac_ninh, lai_chau, frozen):
    in_ninh, in_chau = _case(_commune(bac_ninh)), _case(_commune(lai_chau))
    assert in_ninh.due_on == in_chau.due_on == dt.date(2026, 3, 17)
    CalendarDay.objects.create(province=lai_chau, date=dt.date(2026, 3, 10), kind=CalendarDay.Kind.DAY_OFF, reason="Lễ hội tỉnh Lai Châu")
    assert services.recompute_due_dates(province=lai_chau) == 1
    in_ninh.refresh_from_db()
    in_chau.refresh_from_db()
    assert in_chau.due_on == dt.date(2026, 3, 18) and "Lễ hội tỉnh Lai Châu" in in_chau.due_explanation
    assert in_ninh.due_on == dt.date(2026, 3, 17)
    # A day off declared for every province moves both.
    CalendarDay.objects.create(date=dt.date(2026, 3, 11), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ chung")
    assert services.recompute_due_dates() == 2


def test_an_official_of_one_province_sees_nothing_of_another(bac_ninh, lai_chau, officials, client_for, frozen):
    ninh, chau = officials
    theirs = _case(_commune(bac_ninh))
    c = client_for(chau)
    assert c.get(f"/staff/phan-anh/{theirs.pk}/").status_code == 404
    assert theirs.register_label not in c.get("/staff/phan-anh/").content.decode()
    assert not queries.cases_for(chau).exists() and queries.cases_for(ninh).get() == theirs
    dashboard = c.get("/staff/phan-anh/thong-ke/").content.decode()
    assert lai_chau.name in dashboard and bac_ninh.name not in dashboard
    assert c.get("/staff/phan-anh/thong-ke/", {"unit": bac_ninh.pk}).status_code == 404
    # Rules and deadlines: only their own province's page, another's is a 404.
    rules = c.get("/staff/phan-anh/quy-tac/").content.decode()
    assert lai_chau.name in rules and bac_ninh.name not in rules
    assert c.get("/staff/phan-anh/quy-tac/", {"tinh": bac_ninh.pk}).status_code == 404
    posted = c.post(
        "/staff/phan-anh/thoi-han/facilities/",
        {"tinh": bac_ninh.pk, "facilities-key": "facilities", "facilities-working_days": "20", "facilities-source": "x"},
    )
    assert posted.status_code == 404
    saved = c.post(
        "/staff/phan-anh/thoi-han/facilities/",
        {"tinh": lai_chau.pk, "facilities-key": "facilities", "facilities-working_days": "7", "facilities-source": "QĐ Lai Châu"},
    )
    assert saved.status_code == 302
    assert services.working_days_for(Category.FACILITIES, lai_chau) == 7
    assert services.working_days_for(Category.FACILITIES, bac_ninh) == 10


def test_a_new_communes_figures_include_its_predecessors_labelled(bac_ninh, doi_ngo, make_case, frozen):
    doi_ngo.refresh_from_db()
    new_commune = doi_ngo.successor
    with time_machine.travel(dt.datetime(2025, 5, 5, 9, 0, tzinfo=HCM), tick=False):
        old_case = make_case(doi_ngo)
    assert old_case.concerned_unit == doi_ngo
    _case(new_commune)
    figures = queries.figures(unit=new_commune, start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
    assert figures.total == 2 and figures.from_predecessors == 1 and doi_ngo.name in figures.predecessors
    only_new = queries.figures(unit=new_commune, start=dt.date(2025, 7, 1), end=dt.date(2026, 12, 31))
    assert only_new.total == 1 and only_new.from_predecessors == 0
    from core import metrics

    value = metrics.compute("feedback.harassment_reports", unit=new_commune, start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
    assert "Gồm 1 phản ánh về đơn vị trước sắp xếp (" in value.note and doi_ngo.name in value.note
    rows = dict(queries.child_figures(unit=bac_ninh, start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31)))
    assert rows[new_commune].total == 2
    # The commune's public answers include the predecessor's, labelled.
    Case.objects.filter(pk=old_case.pk).update(
        status="closed",
        public_summary="Kiến nghị sửa đèn đường.",
        public_answer="Xã đã thay đèn.",
        published_at=dt.datetime(2025, 6, 1, tzinfo=HCM),
    )
    published = list(queries.published_for_unit(new_commune))
    assert [c.pk for c in published] == [old_case.pk]
    html = render_to_string("feedback/_portal_unit.html", {"published": published, "unit": new_commune})
    assert f"Phản ánh về {doi_ngo.name} (đơn vị trước sắp xếp" in html


def test_the_dashboard_labels_the_predecessors_part(bac_ninh, doi_ngo, make_case, make_user, client_for, frozen):
    doi_ngo.refresh_from_db()
    with time_machine.travel(dt.datetime(2025, 5, 5, 9, 0, tzinfo=HCM), tick=False):
        make_case(doi_ngo)
    officer = make_user(Role.COMMUNE_OFFICER, doi_ngo.successor)
    page = client_for(officer).get("/staff/phan-anh/thong-ke/", {"from": "2025-01-01", "to": "2026-12-31"}).content.decode()
    assert 'id="from-predecessors"' in page and doi_ngo.name in page


# --- The counter rating API (issue 16) -------------------------------------------------------
@pytest.fixture
def counter(bac_ninh, officials):  # type: ignore[no-untyped-def]
    return services.save_counter(by=officials[0], unit=_commune(bac_ninh), name="Quầy số 1 – Tư pháp, hộ tịch")


def _rate(token: str, body: dict, key: str = "") -> tuple[int, dict, str]:  # type: ignore[type-arg]
    response = Client().post(
        f"/api/v1/feedback/counters/{token}/ratings", json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    return response.status_code, response.json(), response.get("Retry-After", "")


def test_counter_rating_api_is_idempotent_and_limited_like_the_qr_page(counter, bac_ninh):
    info = Client().get(f"/api/v1/feedback/counters/{counter.token}").json()
    assert info["name"] == counter.name and {"key": "harassment", "label": "Gây phiền hà, sách nhiễu"} in info["reasons"]
    status, body, _ = _rate(counter.token, {"score": "satisfied", "device_id": "app-1"}, key="k1")
    assert status == 201 and body["created"] and body["score_label"] == "Hài lòng"
    status, body, _ = _rate(counter.token, {"score": "satisfied", "device_id": "app-1"}, key="k1")
    assert status == 200 and not body["created"]
    assert _rate(counter.token, {"score": "not_satisfied", "device_id": "app-1"}, key="k1")[0] == 422
    status, body, retry = _rate(counter.token, {"score": "acceptable", "device_id": "app-1"}, key="k2")
    assert status == 429 and int(retry) > 0
    assert CounterRating.objects.count() == 1
    assert _rate(counter.token, {"score": "great", "device_id": "app-2"})[0] == 400
    assert _rate("khong-co-quay-nay", {"score": "satisfied"})[0] == 404


def test_counter_rating_api_opens_a_case_routed_above_the_commune(counter, bac_ninh):
    status, body, _ = _rate(counter.token, {"score": "not_satisfied", "reasons": ["harassment"], "device_id": "app-3"})
    assert status == 201 and body["case_opened"] and body["handling_unit"] == bac_ninh.name
    case = Case.objects.get()
    assert case.concerned_unit == counter.unit and case.handling_unit == bac_ninh and case.channel == "counter_qr"


def test_reminders_count_the_horizon_in_each_provinces_calendar(bac_ninh, lai_chau, settings, frozen):
    settings.FEEDBACK_REMINDER_WORKING_DAYS = 2
    in_ninh, in_chau = _case(_commune(bac_ninh)), _case(_commune(lai_chau))
    assert in_ninh.due_on == in_chau.due_on == dt.date(2026, 3, 17)
    # Thursday 12 March: two working days ahead is Monday 16 March, unless the province takes
    # Friday 13 March off (declared without moving the due dates, to isolate the horizon).
    CalendarDay.objects.create(province=lai_chau, date=dt.date(2026, 3, 13), kind=CalendarDay.Kind.DAY_OFF, reason="Lễ hội tỉnh")
    assert services.remind_due_cases(today=dt.date(2026, 3, 12)) == 1
    in_ninh.refresh_from_db()
    in_chau.refresh_from_db()
    assert in_chau.reminded_for == dt.date(2026, 3, 17) and in_ninh.reminded_for is None
