"""The rating pages: who sees what (the outsider gets 404 everywhere), the unit's page with each
component's source, denominator and link, the method page's edits, bad input refused in
Vietnamese, and the Word and Excel exports read back with the figures in them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from accounts.actors import SYSTEM
from steering import rating_services, services
from steering.models import ChairmanRating, Directive, MethodState, RatingMethod

pytestmark = pytest.mark.django_db
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


@pytest.fixture
def rated(province_officer, bac_giang, doi_ngo):  # type: ignore[no-untyped-def]
    directive = services.create_directive(
        by=SYSTEM,
        unit=bac_giang,
        kind=Directive.Kind.PLAN,
        number="05/KH",
        issued_on=dt.date(2024, 2, 1),
        issuer="BCĐ tỉnh",
        title="Kế hoạch",
    )
    task = services.add_task(
        by=SYSTEM,
        directive=directive,
        number=1,
        title="Hội nghị đối thoại",
        owners=[doi_ngo],
        deadline_text="30/06/2024",
        expected_output="",
    )
    type(task).objects.filter(pk=task.pk).update(state="done", completed_on=dt.date(2024, 6, 20), percent=100)
    draft = rating_services.create_method(by=province_officer, province=bac_giang, title="Phương pháp thử")
    method = rating_services.publish_method(by=province_officer, method=draft)
    rating_services.compute_ratings(by=province_officer, province=bac_giang, start=START, end=END)
    return ChairmanRating.objects.get(method=method, unit=doi_ngo)


def test_unit_page_shows_components_sources_denominators_and_links(
    rated, client_for, province_officer, commune_chairman, district_officer
) -> None:  # type: ignore[no-untyped-def]
    for user in (province_officer, commune_chairman, district_officer):
        body = client_for(user).get(f"/staff/chi-dao/xep-loai/{rated.pk}/").content.decode()
        assert "Thị trấn Đồi Ngô" in body and "Nhiệm vụ chỉ đạo hoàn thành đúng hạn" in body
        assert "1 / 1" in body and "tối thiểu 1" in body  # numerator / denominator, and the minimum
        assert "Không đủ dữ liệu" in body and "Văn bản chỉ đạo và nhiệm vụ của Ban Chỉ đạo" in body
        assert "/staff/chi-dao/xep-loai/nhiem-vu/?don_vi=" in body


def test_records_page_lists_the_tasks_behind_the_figure(rated, client_for, province_officer, outsider) -> None:  # type: ignore[no-untyped-def]
    link = rated.figures.get(metric_key="steering.tasks_on_time_rate").link
    body = client_for(province_officer).get(link).content.decode()
    assert "1. Hội nghị đối thoại" in body and "20/06/2024" in body
    assert client_for(outsider).get(link).status_code == 404
    assert client_for(province_officer).get(link.replace("tu=2024-01-01", "tu=hom-qua")).status_code == 404


def test_outsiders_get_404_everywhere(rated, client_for, outsider, outsider_district, district_officer, commune_chairman) -> None:  # type: ignore[no-untyped-def]
    method = rated.method
    for user in (outsider, outsider_district):
        client = client_for(user)
        assert client.get(f"/staff/chi-dao/xep-loai/{rated.pk}/").status_code == 404
    # the list, the exports and the method are the province's
    for user in (outsider, district_officer, commune_chairman):
        client = client_for(user)
        for url in (
            "/staff/chi-dao/xep-loai/",
            "/staff/chi-dao/xep-loai/2024.docx",
            "/staff/chi-dao/xep-loai/phuong-phap/",
            f"/staff/chi-dao/xep-loai/phuong-phap/{method.pk}/",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post("/staff/chi-dao/xep-loai/tinh/", {"nam": "2024"}).status_code == 404


def test_list_and_compute_for_the_province(rated, client_for, province_leader, province_officer) -> None:  # type: ignore[no-untyped-def]
    body = client_for(province_leader).get("/staff/chi-dao/xep-loai/?nam=2024").content.decode()
    assert "Thị trấn Đồi Ngô" in body and "Hoàn thành" in body and "Tính xếp loại năm 2024" in body
    response = client_for(province_leader).post("/staff/chi-dao/xep-loai/tinh/", {"nam": "2024"}, follow=True)
    assert "Đã tính xếp loại cho 202 đơn vị." in response.content.decode()
    bad = client_for(province_leader).post("/staff/chi-dao/xep-loai/tinh/", {"nam": "19x"}, follow=True)
    assert "Năm xếp loại không hợp lệ" in bad.content.decode()


def test_method_edit_through_the_page(rated, client_for, province_officer, province_leader, bac_giang) -> None:  # type: ignore[no-untyped-def]
    client = client_for(province_officer)
    response = client.post("/staff/chi-dao/xep-loai/phuong-phap/", {"title": "Phương pháp 2025", "copy_of": rated.method.pk})
    draft = RatingMethod.objects.get(province=bac_giang, version=2)
    assert response.status_code == 302 and draft.state == MethodState.DRAFT
    url = f"/staff/chi-dao/xep-loai/phuong-phap/{draft.pk}/sua/"
    bad = client.post(url, {"action": "band", "label": "Vượt trội", "min_score": "abc"}, follow=True).content.decode()
    assert "Điểm tối thiểu phải là một số." in bad and not draft.bands.filter(label="Vượt trội").exists()
    client.post(url, {"action": "band", "label": "Vượt trội", "min_score": "98"})
    assert draft.bands.filter(label="Vượt trội", min_score=98).exists()
    # the leader reads, but does not edit
    assert client_for(province_leader).post(url, {"action": "publish"}).status_code == 302
    draft.refresh_from_db()
    assert draft.state == MethodState.DRAFT
    client.post(url, {"action": "publish"})
    draft.refresh_from_db()
    assert draft.state == MethodState.PUBLISHED
    page = client.get(f"/staff/chi-dao/xep-loai/phuong-phap/{draft.pk}/").content.decode()
    assert "Lịch sử thay đổi" in page and "Nguyễn Văn Thử" in page


def test_exports_open_and_hold_the_figures(rated, client_for, province_officer) -> None:  # type: ignore[no-untyped-def]
    client = client_for(province_officer)
    docx = client.get("/staff/chi-dao/xep-loai/2024.docx")
    assert docx.status_code == 200 and docx["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join([text, *cells])
    assert "Thị trấn Đồi Ngô" in cells
    assert any("Nhiệm vụ chỉ đạo hoàn thành đúng hạn: 100 % (1/1) – 100 điểm, trọng số 50 %" in c for c in cells)
    assert any("Công khai đúng hạn: — (0) – không đủ dữ liệu" in c for c in cells)
    score = str(rated.score).replace(".", ",").rstrip("0").rstrip(",")
    assert score in cells and rated.band in cells
    xlsx = client.get("/staff/chi-dao/xep-loai/2024.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["Xếp loại"].iter_rows(values_only=True))
    mine = next(r for r in rows if r[1] == "Thị trấn Đồi Ngô")
    assert mine[2] == float(rated.score) and mine[3] == rated.band
    detail = [r for r in book["Thành phần"].iter_rows(values_only=True) if r[0] == "Thị trấn Đồi Ngô"]
    tasks = next(r for r in detail if r[1] == "Nhiệm vụ chỉ đạo hoàn thành đúng hạn")
    assert tasks[2:5] == (100.0, 1.0, 1) and tasks[8].startswith("/staff/chi-dao/xep-loai/nhiem-vu/")
    assert client.get("/staff/chi-dao/xep-loai/2024.pdf").status_code == 404
    assert client.get("/staff/chi-dao/xep-loai/1999.docx").status_code == 404
