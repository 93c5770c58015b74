"""The periodic report through its pages, files and API: a commune starts its report pre-filled,
a bad figure keeps what was typed, it submits; the province returns it and accepts it through the
API; Word and Excel files open and carry the figures; outsiders get 404 everywhere."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from accounts.actors import SYSTEM
from accounts.models import ApiToken
from supervision import services
from supervision.models import ReportState, UnitReport

pytestmark = pytest.mark.django_db
H1_2026 = dt.date(2026, 1, 1)


def api_client(user):  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user=user, name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_commune_submits_province_returns_and_accepts(bac_ninh, commune, officer, office, neighbour, foreigner, client_for):  # type: ignore[no-untyped-def]
    form = services.seed_default_form(by=SYSTEM, province=bac_ninh)
    client = client_for(officer)
    page = client.get("/staff/giam-sat/bao-cao/")
    assert page.status_code == 200 and "Lập báo cáo (điền sẵn số liệu)" in page.content.decode()
    posted = client.post("/staff/giam-sat/bao-cao/", {"action": "start", "unit": commune.pk, "form": form.pk, "start": "2026-01-01"})
    report = UnitReport.objects.get(unit=commune)
    assert posted.status_code == 302 and posted["Location"] == f"/staff/giam-sat/bao-cao/{report.pk}/"
    url = f"/staff/giam-sat/bao-cao/{report.pk}/"
    body = client.get(url).content.decode()
    assert "chưa có số liệu" in body and "Đơn vị tự nhập." in body
    rows = list(report.values.select_related("indicator"))
    data = {"action": "submit"}
    for row in rows:
        data[f"v{row.indicator_id}"] = (
            "Đánh giá chung tốt." if row.indicator.kind == "text" else ("" if row.number is None else str(row.number))
        )
    typed = next(r for r in rows if r.indicator.code == "village_meetings")
    data[f"v{typed.indicator_id}"] = "abc"
    bad = client.post(url, data)
    assert bad.status_code == 200 and "không phải là một số" in bad.content.decode() and 'value="abc"' in bad.content.decode()
    for row in rows:
        if row.indicator.kind == "number" and row.number is None:
            data[f"v{row.indicator_id}"] = "4"
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.first_submitted_on == dt.date.today()

    # Outsiders see nothing of it anywhere.
    for user in (neighbour, foreigner):
        c = client_for(user)
        for path in (url, f"{url}tai/docx/", f"{url}tai/xlsx/"):
            assert c.get(path).status_code == 404, (user, path)
        assert c.post(url, {"action": "accept"}).status_code == 404
        assert api_client(user).get(f"/api/v1/supervision/reports/{report.pk}").status_code == 404
    assert client.post(url, {"action": "accept"}).status_code == 404  # the commune does not review

    # The province returns it on the page, the commune resubmits through the API, the province accepts there.
    province = client_for(office)
    assert province.post(url, {"action": "return", "comment": "Bổ sung số cuộc họp thôn."}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    api = api_client(officer)
    listed = api.get("/api/v1/supervision/reports").json()
    assert [r["id"] for r in listed] == [report.pk] and listed[0]["review_comment"] == "Bổ sung số cuộc họp thôn."
    resubmitted = api.post(
        f"/api/v1/supervision/reports/{report.pk}/submit",
        {"values": [{"indicator_id": typed.indicator_id, "number": "6"}]},
        content_type="application/json",
    )
    assert resubmitted.status_code == 200 and resubmitted.json()["state"] == "submitted"
    assert (
        api.post(f"/api/v1/supervision/reports/{report.pk}/review", {"action": "accept"}, content_type="application/json").status_code
        == 403
    )
    accepted = api_client(office).post(
        f"/api/v1/supervision/reports/{report.pk}/review", {"action": "accept"}, content_type="application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"

    # Files: the report and the province's totals, as Word in the state format and as Excel.
    docx = Document(io.BytesIO(client.get(f"{url}tai/docx/").content))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert text.startswith("BÁO CÁO\nKết quả thực hiện dân chủ ở cơ sở từ ngày 01/01/2026")
    cells = [c.text for t in docx.tables for row in t.rows for c in row.cells]
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in c for c in cells)
    assert "Số cuộc họp thôn, tổ dân phố" in cells and "6" in cells
    wb = load_workbook(io.BytesIO(client.get(f"{url}tai/xlsx/").content))
    assert any(r[1] == "Số cuộc họp thôn, tổ dân phố" and r[2] == 6 for r in wb.active.iter_rows(values_only=True))
    listing = province.get(f"/staff/giam-sat/bao-cao/?mau={form.pk}&ky=2026-01-01").content.decode()
    assert "Tổng hợp từ 1 báo cáo đã tiếp nhận" in listing
    agg = load_workbook(io.BytesIO(province.get(f"/staff/giam-sat/bao-cao/tong-hop/{form.pk}/2026-01-01/xlsx/").content))
    assert any(r[1] == "Số cuộc họp thôn, tổ dân phố" and r[2] == 6 for r in agg.active.iter_rows(values_only=True))
    assert province.get(f"/staff/giam-sat/bao-cao/tong-hop/{form.pk}/2026-01-01/docx/").status_code == 200
    assert client.get(f"/staff/giam-sat/bao-cao/tong-hop/{form.pk}/2026-01-01/xlsx/").status_code == 404
    assert client_for(foreigner).get(f"/staff/giam-sat/bao-cao/tong-hop/{form.pk}/2026-01-01/xlsx/").status_code == 404
    assert province.get(f"{url}tai/pdf/").status_code == 404


def test_totals_are_shown_only_to_the_province(bac_ninh, commune, officer, office, foreigner, client_for):  # type: ignore[no-untyped-def]
    form = services.seed_default_form(by=SYSTEM, province=bac_ninh)
    report = services.start_report(by=SYSTEM, form=form, unit=commune, period_start=H1_2026)
    assert report.reviewer == bac_ninh
    assert "Tổng hợp từ" in client_for(office).get("/staff/giam-sat/bao-cao/?ky=2026-01-01").content.decode()
    for user in (officer, foreigner):
        body = client_for(user).get("/staff/giam-sat/bao-cao/?ky=2026-01-01").content.decode()
        assert "Tổng hợp từ" not in body and "Tình hình báo cáo" not in body
