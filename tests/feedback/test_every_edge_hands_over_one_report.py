"""A report travels as one typed object (services.Report) from every edge — web form, JSON API,
Open311 and staff entry — to submit_case; the public edges go through feedback.intake, which checks
the client's limit and idempotency once."""

import json

import pytest
from django.test import Client

from feedback import intake, services
from feedback.models import Case, Category

from .test_public_submission import URL, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_over(monkeypatch):
    """What each layer received: intake's report and submit_case's report (spies around the real
    functions, which still run)."""
    seen: list[tuple[str, object]] = []
    real_intake, real_submit = intake.submit_from_client, services.submit_case

    def spy_intake(request, *, report, idempotency_key):
        seen.append(("intake", report))
        return real_intake(request, report=report, idempotency_key=idempotency_key)

    def spy_submit(*, report, **options):
        seen.append(("submit_case", report))
        return real_submit(report=report, **options)

    monkeypatch.setattr(intake, "submit_from_client", spy_intake)
    monkeypatch.setattr(services, "submit_case", spy_submit)
    return seen


def _assert_one_report(seen, *, through_intake: bool):
    layers = [layer for layer, _report in seen]
    assert layers == (["intake", "submit_case"] if through_intake else ["submit_case"])
    reports = [report for _layer, report in seen]
    assert all(isinstance(report, services.Report) for report in reports)
    assert all(report is reports[0] for report in reports)  # the same object, not re-assembled
    assert Case.objects.count() == 1


def test_web_form(handed_over, dong_hung, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    assert Client().post(URL, form_data(dong_hung)).status_code == 200
    _assert_one_report(handed_over, through_intake=True)


def test_json_api(handed_over, dong_hung):
    body = json.dumps({"category": Category.FACILITIES, "commune_code": dong_hung.code, "description": "Đèn đường thôn Đông tắt."})
    assert Client().post("/api/v1/feedback/cases", body, content_type="application/json").status_code == 201
    _assert_one_report(handed_over, through_intake=True)


def test_open311(handed_over, dong_hung):
    data = {"service_code": "facilities", "attribute[commune]": dong_hung.code, "description": "Đèn đường thôn Đông tắt."}
    assert Client().post("/phan-anh/open311/v2/requests.json", data).status_code == 201
    _assert_one_report(handed_over, through_intake=True)


def test_staff_entry(handed_over, dong_hung, client_for, district_officer):
    data = {
        "channel": "phone",
        "kind": "feedback",
        "category": "facilities",
        "unit": dong_hung.pk,
        "description": "Điện thoại báo đèn hỏng.",
    }
    assert client_for(district_officer).post("/staff/phan-anh/vao-so/", data).status_code == 200
    _assert_one_report(handed_over, through_intake=False)
