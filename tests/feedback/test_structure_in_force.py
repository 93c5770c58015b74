"""Issue 10: a report is attached to a commune in force on the day it was received, on every edge
(the web form offers the successor, the JSON API and Open311 answer 422 naming it, staff entry
counts the date received); routing, escalation and transfers follow the structure in force on the
date of the act (the district before 1 July 2025, the province after; never an abolished unit)."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from feedback import services
from feedback.models import Case, Category, Kind, RoutingRule, Status
from feedback.routing import next_level_up, route_case
from tests.feedback.conftest import HCM
from units.models import Unit
from units.structure import UnitNotInForce

pytestmark = pytest.mark.django_db

CAM_SON = "07528"  # Xã Cấm Sơn (Lục Ngạn): a 2024 code the 2025 list does not reuse


def _report(unit: Unit, **kw) -> services.Report:  # type: ignore[no-untyped-def]
    return services.Report(category=Category.FACILITIES, concerned_unit=unit, description="Đèn đường trục chính hỏng đã lâu.", **kw)


# --- Intake ----------------------------------------------------------------------------------
def test_a_report_in_2026_about_an_abolished_commune_is_refused_with_its_successor(bac_ninh, doi_ngo, frozen):
    doi_ngo.refresh_from_db()
    assert doi_ngo.valid_to == dt.date(2025, 6, 30) and doi_ngo.successor is not None
    with pytest.raises(UnitNotInForce) as refused:
        services.submit_case(report=_report(doi_ngo))
    assert refused.value.successor == doi_ngo.successor
    assert doi_ngo.successor.name in refused.value.messages[0] and "30/06/2025" in refused.value.messages[0]
    assert not Case.objects.exists()
    case = services.submit_case(report=_report(doi_ngo.successor)).case
    assert case.concerned_unit == doi_ngo.successor == case.handling_unit


def test_staff_entry_counts_the_date_received(bac_ninh, doi_ngo, make_user, frozen):
    doi_ngo.refresh_from_db()
    # An official of the new province reaches the history of the provinces it was formed from.
    officer = make_user(Role.PROVINCE_OFFICE, bac_ninh)
    paper = _report(doi_ngo, channel="paper")
    entered = services.enter_case(by=officer, report=paper, received_on=dt.date(2025, 6, 20))
    case = entered.case
    assert case.concerned_unit == doi_ngo and case.register_year == 2025
    assert case.received_at.astimezone(HCM).date() == dt.date(2025, 6, 20)
    # Registered now, it is handled by the unit holding that work today, never the abolished one.
    assert case.handling_unit == doi_ngo.successor
    with pytest.raises(UnitNotInForce):
        services.enter_case(by=officer, report=paper, received_on=dt.date(2026, 1, 5))
    with pytest.raises(ValidationError):
        services.enter_case(by=officer, report=paper, received_on=dt.date(2026, 3, 4))  # tomorrow


def test_staff_entry_page_refuses_an_abolished_commune_for_a_2026_report(bac_ninh, doi_ngo, make_user, client_for, frozen):
    officer = make_user(Role.PROVINCE_OFFICE, bac_ninh)
    c = client_for(officer)
    data = {
        "channel": "paper",
        "kind": "feedback",
        "category": "facilities",
        "unit": doi_ngo.pk,
        "description": "Đơn giấy: đèn đường trục chính hỏng đã lâu.",
        "received_on": "05/01/2026",
    }
    refused = c.post("/staff/phan-anh/vao-so/", data)
    assert refused.status_code == 200 and "chỉ có hiệu lực đến 30/06/2025" in refused.content.decode()
    assert not Case.objects.exists()
    accepted = c.post("/staff/phan-anh/vao-so/", {**data, "received_on": "20/06/2025"})
    assert "Phiếu tiếp nhận phản ánh" in accepted.content.decode()
    assert Case.objects.get().concerned_unit == doi_ngo


def test_commune_codes_are_looked_up_among_units_in_force(bac_ninh, doi_ngo, cam_son):
    doi_ngo.refresh_from_db()
    # "07444" is Đồi Ngô's code in the 2024 list and a 2025 commune's code: the one in force wins.
    found = services.commune_by_code(doi_ngo.code)
    assert found is not None and found.edition == "2025" and found.valid_to is None
    assert services.commune_by_code(CAM_SON) == cam_son  # abolished: found, to be refused with its successor
    assert services.commune_by_code(doi_ngo.code, on=dt.date(2025, 6, 1)) == doi_ngo


def _api_submit(code: str, key: str = "") -> tuple[int, dict]:  # type: ignore[type-arg]
    body = {"category": "facilities", "commune_code": code, "description": "Đèn đường trục chính hỏng đã lâu."}
    response = Client().post("/api/v1/feedback/cases", json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    return response.status_code, response.json()


def test_json_api_answers_422_with_the_successor(bac_ninh, cam_son):
    cam_son.refresh_from_db()
    status, body = _api_submit(CAM_SON)
    assert status == 422
    assert body["successor"] == {"code": cam_son.successor.code, "name": cam_son.successor.name}
    assert cam_son.successor.name in body["detail"]["commune_code"][0]
    status, body = _api_submit(cam_son.successor.code)
    assert status == 201 and Case.objects.get().concerned_unit == cam_son.successor


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_422_naming_the_successor_code(bac_ninh, cam_son, fmt):
    cam_son.refresh_from_db()
    response = Client().post(
        f"/phan-anh/open311/v2/requests.{fmt}",
        {"service_code": "facilities", "attribute[commune]": CAM_SON, "description": "Đèn đường trục chính hỏng đã lâu."},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert cam_son.successor.code in text and cam_son.successor.name in text
    if fmt == "json":
        assert json.loads(text)[0]["successor_code"] == cam_son.successor.code
    assert not Case.objects.exists()


def _form_data(client: Client, unit_pk: int | str, **extra) -> dict:  # type: ignore[no-untyped-def, type-arg]
    page = client.get(reverse("feedback_public:submit")).content.decode()
    token = page.split('name="started" value="')[1].split('"')[0]
    return {
        "kind": "feedback",
        "category": "facilities",
        "unit": unit_pk,
        "description": "Đèn đường trục chính hỏng đã lâu.",
        "started": token,
        "idempotency_key": "k-" + str(unit_pk),
        **extra,
    }


def test_web_form_refuses_an_abolished_commune_and_offers_the_successor_in_one_click(bac_ninh, doi_ngo, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    doi_ngo.refresh_from_db()
    client = Client()
    data = _form_data(client, doi_ngo.pk)
    time.sleep(0.01)
    refused = client.post(reverse("feedback_public:submit"), data)
    body = refused.content.decode()
    assert refused.status_code == 400 and "chỉ có hiệu lực đến 30/06/2025" in body
    assert f'name="use_successor" value="{doi_ngo.successor.pk}"' in body
    assert not Case.objects.exists()
    done = client.post(reverse("feedback_public:submit"), {**data, "use_successor": doi_ngo.successor.pk})
    assert done.status_code == 200, done.content.decode()[:2000]
    assert Case.objects.get().concerned_unit == doi_ngo.successor


def test_web_form_lists_provinces_then_only_communes_in_force_without_javascript(bac_ninh, doi_ngo, settings):
    doi_ngo.refresh_from_db()
    client = Client()
    page = client.get(reverse("feedback_public:submit"), {"tinh": bac_ninh.pk}).content.decode()
    assert f'<option value="{bac_ninh.pk}" selected>' in page
    assert f'<option value="{doi_ngo.successor.pk}"' in page
    assert f'<option value="{doi_ngo.pk}"' not in page  # the abolished commune is never listed
    assert f'<option value="{doi_ngo.parent_id}"' not in page  # nor its abolished district
    # Without JavaScript, the button reloads the form with the province's communes and keeps the text.
    data = _form_data(client, "", province=bac_ninh.pk, pick_province="1", description="Nội dung đã gõ trước khi chọn xã.")
    reloaded = client.post(reverse("feedback_public:submit"), data)
    body = reloaded.content.decode()
    assert reloaded.status_code == 200 and "Nội dung đã gõ trước khi chọn xã." in body
    assert f'<option value="{doi_ngo.successor.pk}"' in body and "is-invalid" not in body
    assert not Case.objects.exists()
    # With htmx, only the options are fetched.
    options = client.get(reverse("feedback_public:commune_options"), {"province": bac_ninh.pk}).content.decode()
    assert options.count("<option") == 1 + Unit.objects.filter(parent=bac_ninh, kind="commune").count()


# --- Routing and escalation ------------------------------------------------------------------
def test_the_level_above_is_the_district_before_the_merger_and_the_province_after(bac_ninh, doi_ngo, luc_nam):
    doi_ngo.refresh_from_db()
    new_commune = doi_ngo.successor
    sensitive = {"category": Category.CONDUCT_HARASSMENT, "kind": Kind.FEEDBACK, "about_officials": True}
    assert route_case(**sensitive, concerned_unit=doi_ngo, on=dt.date(2025, 3, 1)) == luc_nam
    assert route_case(**sensitive, concerned_unit=new_commune, on=dt.date(2026, 3, 1)) == bac_ninh
    assert next_level_up(doi_ngo, dt.date(2025, 3, 1)) == luc_nam
    assert next_level_up(doi_ngo, dt.date(2026, 3, 1)) == bac_ninh
    # An abolished district has no level of its own after the merger: the new province holds its work.
    assert next_level_up(luc_nam, dt.date(2026, 3, 1)) == bac_ninh


def test_routing_rules_of_units_no_longer_in_force_do_not_apply_to_later_acts(bac_ninh, bac_giang, doi_ngo, luc_nam):
    doi_ngo.refresh_from_db()
    ordinary = {"category": "facilities", "kind": Kind.FEEDBACK, "about_officials": False}
    RoutingRule.objects.create(category="", unit=bac_giang, responsible_unit=luc_nam)
    assert route_case(**ordinary, concerned_unit=doi_ngo, on=dt.date(2025, 3, 1)) == luc_nam
    assert route_case(**ordinary, concerned_unit=doi_ngo.successor, on=dt.date(2026, 3, 1)) == doi_ngo.successor
    RoutingRule.objects.create(category="facilities", unit=bac_ninh, responsible_unit=bac_ninh)
    assert route_case(**ordinary, concerned_unit=doi_ngo.successor, on=dt.date(2026, 3, 1)) == bac_ninh


def test_a_routing_rule_on_an_abolished_unit_is_refused(bac_ninh, make_user, luc_nam, frozen):
    admin = make_user(Role.PROVINCE_OFFICE, bac_ninh)
    with pytest.raises(ValidationError) as refused:
        services.save_routing_rule(by=admin, category="", unit=luc_nam, responsible_unit=bac_ninh)
    assert "Huyện Lục Nam không có hiệu lực vào ngày 03/03/2026" in str(refused.value)


def test_escalation_before_the_merger_goes_to_the_district(bac_giang, doi_ngo, luc_nam, make_case):
    # Only the 2024 list is loaded here: the district is the level above.
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, 0, tzinfo=HCM), tick=False):
        case = make_case(doi_ngo)
    assert services.escalate_overdue_cases(today=dt.date(2025, 4, 1)) == 1
    case.refresh_from_db()
    assert case.handling_unit == luc_nam


def test_escalation_in_2026_never_moves_a_case_to_an_abolished_district(bac_ninh, doi_ngo, luc_nam, make_case):
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=HCM), tick=False):
        at_commune = make_case(doi_ngo)
        at_district = make_case(doi_ngo)
    # Left open across the merger: one at the old commune, one already at the old district.
    Case.objects.filter(pk=at_district.pk).update(handling_unit=luc_nam)
    bac_ninh_units = Unit.objects.filter(edition="2024", kind="commune", code=doi_ngo.code)
    assert bac_ninh_units.get().valid_to == dt.date(2025, 6, 30)
    with time_machine.travel(dt.datetime(2026, 12, 3, 6, 0, tzinfo=HCM), tick=False):
        assert services.escalate_overdue_cases() == 2
    for case in (at_commune, at_district):
        case.refresh_from_db()
        assert case.handling_unit == bac_ninh, case.handling_unit
        assert case.status in (Status.RECEIVED,) and case.due_on > dt.date(2026, 12, 3)
        assert case.events.filter(action="escalate", to_unit=bac_ninh).exists()


def test_a_transfer_to_a_unit_not_in_force_is_refused(bac_ninh, doi_ngo, luc_nam, make_user, frozen):
    doi_ngo.refresh_from_db()
    admin = make_user(Role.PROVINCE_OFFICE, bac_ninh)
    case = services.submit_case(report=_report(doi_ngo.successor)).case
    targets = services.transfer_targets(case=case, by=admin)
    assert bac_ninh in targets and luc_nam not in targets and doi_ngo not in targets
    with pytest.raises(ValidationError) as refused:
        services.transfer_case(case=case, by=admin, to_unit=luc_nam)
    assert "Huyện Lục Nam không có hiệu lực vào ngày 03/03/2026" in str(refused.value)
    case.refresh_from_db()
    assert case.handling_unit == doi_ngo.successor
    services.transfer_case(case=case, by=admin, to_unit=bac_ninh)
    case.refresh_from_db()
    assert case.handling_unit == bac_ninh


def test_the_rate_limit_is_not_spent_on_a_refused_commune(bac_ninh, cam_son, settings):
    settings.FEEDBACK_SUBMIT_BURST = 1
    settings.FEEDBACK_SUBMIT_PER_HOUR = 0.001
    cam_son.refresh_from_db()
    assert _api_submit(CAM_SON)[0] == 422
    assert _api_submit(CAM_SON)[0] == 422  # not 429: a refusal costs nothing
    assert _api_submit(cam_son.successor.code)[0] == 201
    assert _api_submit(cam_son.successor.code, key="another")[0] == 429
