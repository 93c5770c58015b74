"""Every staff page and API endpoint: anonymous goes to the login page (API: 401); people outside the
file's scope — the outsider commune of Lục Ngạn, Lục Ngạn's district committee — get 404; people
within scope but in the wrong role get 403; nothing changes on a refusal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from certification.models import FileState, Registration
from core.models import AuditEntry
from tests.certification.conftest import to_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(campaign, commune_officer, commune_chairman, district_officer, district_appraiser, province_officer, doi_ngo) -> Registration:
    p = {
        "officer": commune_officer,
        "chairman": commune_chairman,
        "committee": district_officer,
        "appraiser": district_appraiser,
        "appraiser2": district_appraiser,
        "province": province_officer,
    }
    from certification import services

    r = to_district(campaign, doi_ngo, p)
    services.set_team(registration=r, level="district", members=[district_appraiser], leader=district_appraiser, by=district_officer)
    services.declare_interest(registration=r, level="district", has_conflict=False, by=district_appraiser)
    return r


FILE_PAGES = [
    ("get", "file_detail", []),
    ("get", "self_assessment", []),
    ("get", "appraise", ["district"]),
    ("get", "team", ["district"]),
    ("get", "decide", []),
    ("get", "certificate", ["pdf"]),
    ("get", "certificate", ["docx"]),
    ("get", "decision_document", ["pdf"]),
    ("get", "decision_document", ["docx"]),
    ("post", "upload_document", []),
    ("post", "declare", ["district"]),
    ("post", "site_visit", []),
    ("post", "act", ["district_return"]),
]


def _call(client: Client, method: str, name: str, reg: Registration, extra: list[str]):  # type: ignore[no-untyped-def]
    url = reverse(f"certification:{name}", args=[reg.pk, *extra])
    return client.get(url) if method == "get" else client.post(url, {"reason": "x"})


@pytest.mark.parametrize(("method", "name", "extra"), FILE_PAGES)
def test_file_pages_refuse_outsiders(reg, client_for, outsider, outsider_district, method, name, extra):
    before = AuditEntry.objects.count()
    for user in (outsider, outsider_district):
        assert _call(client_for(user), method, name, reg, extra).status_code == 404
    anonymous = _call(Client(), method, name, reg, extra)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("persona", "method", "name", "extra"),
    [
        ("district_officer", "get", "self_assessment", []),
        ("commune_officer", "get", "appraise", ["district"]),
        ("commune_officer", "get", "team", ["district"]),
        ("commune_officer", "get", "decide", []),
        ("district_officer", "get", "decide", []),
        ("commune_officer", "post", "act", ["district_return"]),
        ("district_appraiser", "post", "act", ["district_return"]),
        ("commune_officer", "post", "act", ["refuse"]),
    ],
)
def test_wrong_role_within_scope_is_403(reg, client_for, request, persona, method, name, extra):
    user = request.getfixturevalue(persona)
    assert _call(client_for(user), method, name, reg, extra).status_code == 403
    reg.refresh_from_db()
    assert reg.state == FileState.SUBMITTED


def test_campaign_pages(reg, campaign, criteria_set, client_for, outsider, commune_officer, district_officer, doi_ngo):
    for name, args in [
        ("campaign_detail", [campaign.pk]),
        ("targets", [campaign.pk]),
        ("overdue", [campaign.pk]),
        ("campaign_list", []),
        ("criteria_list", []),
        ("criteria_detail", [criteria_set.pk]),
    ]:
        url = reverse(f"certification:{name}", args=args)
        assert Client().get(url).status_code == 302
        page = client_for(outsider).get(url)
        assert page.status_code == 200 and doi_ngo.name not in page.content.decode()  # scope: no Lục Nam file
    for name, args in [("quality", [campaign.pk]), ("quality_export", [campaign.pk]), ("criteria_import", []), ("campaign_create", [])]:
        url = reverse(f"certification:{name}", args=args)
        assert Client().get(url).status_code == 302
        assert client_for(commune_officer).get(url).status_code == 403
        # the district sees its own appraisal-quality figures (test_province_check), nothing else of these
        assert client_for(district_officer).get(url).status_code == (200 if name.startswith("quality") else 403)
    for action in ("publish", "revise"):
        assert (
            client_for(district_officer).post(reverse("certification:criteria_action", args=[criteria_set.pk, action])).status_code == 403
        )
    # another commune's registration page and another district's forward: 404
    assert client_for(outsider).get(reverse("certification:commune_file", args=[campaign.pk, doi_ngo.pk])).status_code == 404
    assert client_for(outsider).post(reverse("certification:forward", args=[campaign.pk, doi_ngo.parent.pk])).status_code == 404
    pdf = client_for(outsider).get(reverse("certification:decision_list", args=[campaign.pk, "pdf"]))
    assert pdf.status_code == 200


API = "/api/v1/certification"


def test_api_permissions(
    reg, campaign, client_for, outsider, commune_officer, district_officer, district_appraiser, province_officer, doi_ngo
):
    crit = campaign.criteria_set.criteria.get(code="I.1")
    file_calls = [
        ("get", f"/files/{reg.pk}", None),
        ("put", f"/files/{reg.pk}/self-scores", [{"criterion_id": crit.pk, "score": "4", "explanation": "x"}]),
        ("post", f"/files/{reg.pk}/submit", None),
        ("put", f"/files/{reg.pk}/team/district", {"member_ids": [district_appraiser.pk], "leader_id": district_appraiser.pk}),
        ("post", f"/files/{reg.pk}/declaration/district", {"has_conflict": False}),
        ("put", f"/files/{reg.pk}/scores/district", [{"criterion_id": crit.pk, "score": "3"}]),
        ("post", f"/files/{reg.pk}/site-visit", {"visited_on": "2024-08-01", "participants": "Tổ", "findings": "Đúng"}),
        ("post", f"/files/{reg.pk}/agree", None),
        ("post", f"/files/{reg.pk}/propose", None),
        (
            "post",
            f"/files/{reg.pk}/recognise",
            {"decision_number": "1", "decision_date": "2024-12-01", "signer": "A", "valid_until": "2025-12-31"},
        ),
    ] + [
        ("post", f"/files/{reg.pk}/{a}", {"reason": "x"})
        for a in ("district-return", "district-decline", "send-back", "refuse", "reopen", "revoke")
    ]

    def call(client, method, path, body):  # type: ignore[no-untyped-def]
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
        return getattr(client, method)(API + path, **kwargs)

    before = AuditEntry.objects.count()
    for method, path, body in file_calls:
        assert call(Client(), method, path, body).status_code == 401, path
        assert call(client_for(outsider), method, path, body).status_code == 404, path
    # wrong role in scope: 403
    assert call(client_for(district_officer), "put", f"/files/{reg.pk}/self-scores", file_calls[1][2]).status_code == 403
    assert call(client_for(commune_officer), "post", f"/files/{reg.pk}/district-return", {"reason": "x"}).status_code == 403
    assert call(client_for(commune_officer), "put", f"/files/{reg.pk}/scores/district", file_calls[5][2]).status_code == 403
    assert call(client_for(district_officer), "post", f"/files/{reg.pk}/refuse", {"reason": "x"}).status_code == 403
    assert AuditEntry.objects.count() == before
    # bad input: a clear 422, nothing saved
    bad = call(client_for(district_appraiser), "put", f"/files/{reg.pk}/scores/district", [{"criterion_id": crit.pk, "score": "9"}])
    assert bad.status_code == 422 and "vượt quá" in bad.json()["detail"]
    # campaign-level endpoints
    assert Client().get(f"{API}/campaigns").status_code == 401
    assert client_for(outsider).post(f"{API}/campaigns/{campaign.pk}/register/{doi_ngo.pk}").status_code == 404
    assert client_for(outsider).post(f"{API}/campaigns/{campaign.pk}/forward/{doi_ngo.parent.pk}").status_code == 404
    assert client_for(district_officer).post(f"{API}/criteria-sets/{campaign.criteria_set.pk}/revise").status_code == 403
    assert [f["unit_id"] for f in client_for(outsider).get(f"{API}/campaigns/{campaign.pk}/files").json()] == []
    assert client_for(province_officer).get(f"{API}/campaigns/{campaign.pk}/targets").status_code == 200
    assert client_for(outsider).get(f"{API}/criteria-sets").status_code == 200


def test_api_happy_path(reg, campaign, client_for, district_officer, district_appraiser, province_officer, make_user, dong_hung):
    officer = make_user("commune_officer", dong_hung)
    registered = client_for(officer).post(f"{API}/campaigns/{campaign.pk}/register/{dong_hung.pk}")
    assert registered.status_code == 201 and registered.json()["state"] == "registered"
    again = client_for(officer).post(f"{API}/campaigns/{campaign.pk}/register/{dong_hung.pk}")
    assert again.status_code == 422 and "đã đăng ký" in again.json()["detail"]
    crit_ids = [c.pk for c in campaign.criteria_set.criteria.all()]
    appraiser = client_for(district_appraiser)
    scores = [{"criterion_id": pk, "score": str(campaign.criteria_set.criteria.get(pk=pk).max_points)} for pk in crit_ids]
    assert (
        appraiser.put(f"{API}/files/{reg.pk}/scores/district", data=json.dumps(scores), content_type="application/json").status_code == 200
    )
    body = {"visited_on": "2024-08-01", "participants": "Tổ thẩm định", "findings": "Đúng"}
    assert appraiser.post(f"{API}/files/{reg.pk}/site-visit", data=json.dumps(body), content_type="application/json").status_code == 200
    assert appraiser.post(f"{API}/files/{reg.pk}/agree").json()["district_total"] == "96.00"
    assert client_for(district_officer).post(f"{API}/files/{reg.pk}/propose").json()["state"] == "district_proposed"
    # Đông Hưng registered but has not submitted: the list waits for it until the self-assessment deadline
    waits = client_for(district_officer).post(f"{API}/campaigns/{campaign.pk}/forward/{reg.district_id}")
    assert waits.status_code == 422 and "Đông Hưng" in waits.json()["detail"]
    type(campaign).objects.filter(pk=campaign.pk).update(self_assessment_due=dt.date(2024, 5, 1))
    assert client_for(district_officer).post(f"{API}/campaigns/{campaign.pk}/forward/{reg.district_id}").json() == {"file_count": 1}
    decision = {"decision_number": "9/QĐ-UBND", "decision_date": "2024-12-01", "signer": "Phó Chủ tịch", "valid_until": "2025-12-31"}
    province = client_for(province_officer)
    blocked = province.post(f"{API}/files/{reg.pk}/recognise", data=json.dumps(decision), content_type="application/json")
    assert blocked.status_code == 422 and "mẫu kiểm tra" in blocked.json()["detail"]
    # the only file was drawn: the province team re-appraises it through the API, then decides
    samples = province.get(f"{API}/campaigns/{campaign.pk}/samples").json()
    assert samples[0]["drawn"] == [reg.pk] and samples[0]["files"][0]["drawn"] is True
    team = {"member_ids": [province_officer.pk], "leader_id": province_officer.pk}
    assert province.put(f"{API}/files/{reg.pk}/team/province", data=json.dumps(team), content_type="application/json").status_code == 200
    declared = province.post(
        f"{API}/files/{reg.pk}/declaration/province", data=json.dumps({"has_conflict": False}), content_type="application/json"
    )
    assert declared.status_code == 200
    assert (
        province.put(f"{API}/files/{reg.pk}/scores/province", data=json.dumps(scores), content_type="application/json").status_code == 200
    )
    # the leader records the team's agreed scores (the members' own are not the team's), then the check
    agreed = province.post(
        f"{API}/files/{reg.pk}/agree/province", data=json.dumps({"scores": [], "dissent": ""}), content_type="application/json"
    )
    assert agreed.status_code == 200, agreed.content
    assert province.post(f"{API}/files/{reg.pk}/province-check").status_code == 200
    quality = province.get(f"{API}/campaigns/{campaign.pk}/appraisal-quality").json()["districts"][0]
    assert (quality["sampled"], quality["checked"], quality["gap_n"], quality["gap_mean"]) == (1, 1, 1, 0.0)
    out = province.post(f"{API}/files/{reg.pk}/recognise", data=json.dumps(decision), content_type="application/json")
    assert out.status_code == 200 and out.json()["state"] == "recognised"


def test_api_documents_import_and_campaigns(
    reg, campaign, criteria_set, client_for, outsider, commune_officer, district_officer, province_officer
):
    from certification import criteria_io, services
    from tests.certification.conftest import PDF

    def pdf():  # type: ignore[no-untyped-def]
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")

    url = f"{API}/files/{reg.pk}/documents"
    assert Client().post(url, {"kind": "results_report", "file": pdf()}).status_code == 401
    assert client_for(outsider).post(url, {"kind": "results_report", "file": pdf()}).status_code == 404
    assert client_for(district_officer).post(url, {"kind": "results_report", "file": pdf()}).status_code == 403
    # the file was submitted: even its own commune cannot change the dossier now
    locked = client_for(commune_officer).post(url, {"kind": "results_report", "file": pdf()})
    assert locked.status_code == 422 and "đã nộp" in locked.json()["detail"]

    from django.core.files.uploadedfile import SimpleUploadedFile

    xlsx = criteria_io.export_workbook(services.spec_of(criteria_set))
    upload = SimpleUploadedFile("bo.xlsx", xlsx)
    assert Client().post(f"{API}/criteria-sets/import", {"file": upload}).status_code == 401
    assert (
        client_for(district_officer).post(f"{API}/criteria-sets/import", {"file": SimpleUploadedFile("bo.xlsx", xlsx)}).status_code == 403
    )
    bad = client_for(province_officer).post(f"{API}/criteria-sets/import", {"file": SimpleUploadedFile("bo.xlsx", b"not excel")})
    assert bad.status_code == 422 and "Excel" in bad.json()["detail"]
    created = client_for(province_officer).post(f"{API}/criteria-sets/import", {"file": SimpleUploadedFile("bo.xlsx", xlsx)})
    assert created.status_code == 201 and created.json()["version"] == 2 and created.json()["status"] == "draft"

    body = {
        "year": 2027,
        "name": "Đợt 2027",
        "criteria_set_id": criteria_set.pk,
        "approval_chain": "cp",
        "target_share": "0.8",
        "registration_opens": "2027-03-01",
        "registration_closes": "2027-04-30",
        "self_assessment_due": "2027-06-30",
        "province_appraisal_due": "2027-10-31",
    }
    assert Client().post(f"{API}/campaigns", json.dumps(body), content_type="application/json").status_code == 401
    assert client_for(district_officer).post(f"{API}/campaigns", json.dumps(body), content_type="application/json").status_code == 403
    ok = client_for(province_officer).post(f"{API}/campaigns", json.dumps(body), content_type="application/json")
    assert ok.status_code == 201 and ok.json()["approval_chain"] == "cp"


def test_every_remaining_url_needs_a_login(campaign, criteria_set, client_for, commune_officer, district_officer):
    for name, args in [
        ("criteria_export", [criteria_set.pk]),
        ("decision_list", [campaign.pk, "pdf"]),
        ("decision_list", [campaign.pk, "docx"]),
    ]:
        response = Client().get(reverse(f"certification:{name}", args=args))
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert client_for(commune_officer).get(reverse("certification:decision_list", args=[campaign.pk, "xls"])).status_code == 404
    for method, path in [
        ("get", "/criteria-sets"),
        ("get", f"/criteria-sets/{criteria_set.pk}"),
        ("post", f"/criteria-sets/{criteria_set.pk}/publish"),
        ("post", f"/criteria-sets/{criteria_set.pk}/revise"),
        ("get", f"/campaigns/{campaign.pk}/files"),
        ("get", f"/campaigns/{campaign.pk}/targets"),
    ]:
        assert getattr(Client(), method)(API + path).status_code == 401, path
    assert client_for(district_officer).post(f"{API}/criteria-sets/{criteria_set.pk}/publish").status_code == 403
    detail = client_for(commune_officer).get(f"{API}/criteria-sets/{criteria_set.pk}").json()
    assert len(detail["criteria"]) == 24 and detail["star_bands"][0] == [4, "95.00"]
