"""The leader's overview: who opens it at which scope, its figures and their links, the map, the
reads that do not grow with the communes, and the report to the committee read back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from accounts.actors import SYSTEM
from accounts.models import Role
from core import metrics
from steering import demo, overview, services, tasks
from steering.models import OverviewSnapshot
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
URL = "/staff/chi-dao/tong-quan/"


@pytest.fixture
def overdue_task(notice, luc_nam):  # type: ignore[no-untyped-def]
    """A task of the 2024 notice owned by Lục Nam, due long ago and not done: overdue."""
    return services.add_task(
        by=SYSTEM,
        directive=notice,
        number=3,
        title="Quán triệt Luật",
        owners=[luc_nam],
        deadline_text="quý I/2024",
        expected_output="Hội nghị",
    )


def test_province_leader_sees_the_province_with_every_figure(client_for, province_leader, bac_giang, overdue_task):
    page = client_for(province_leader).get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert bac_giang.name in body
    for figure in overview.FIGURES:
        assert str(figure.label) in body
    # the overdue task is a red figure linking to the overdue list behind it
    assert 'data-figure="steering.tasks_overdue" data-alert="1"' in body
    assert "/staff/chi-dao/?qua_han=1" in body
    # the units below, and the map of communes with its legend and table alternative
    assert 'id="overview-units"' in body and "Huyện Lục Nam" in body
    assert 'id="overview-map"' in body and body.count('class="map-point"') > 100
    assert 'id="map-legend"' in body


def test_district_and_commune_see_their_own_scope_only(client_for, district_officer, commune_chairman, luc_nam, doi_ngo, bac_giang):
    district = client_for(district_officer)
    assert luc_nam.name in district.get(URL).content.decode()
    assert district.get(URL, {"don_vi": doi_ngo.pk}).status_code == 200
    assert district.get(URL, {"don_vi": bac_giang.pk}).status_code == 404
    commune = client_for(commune_chairman)
    body = commune.get(URL).content.decode()
    assert doi_ngo.name in body and 'id="overview-map"' not in body
    assert commune.get(URL, {"don_vi": luc_nam.pk}).status_code == 404


def test_others_are_refused(client_for, district_appraiser, system_admin, outsider, doi_ngo):
    assert client_for(district_appraiser).get(URL).status_code == 403
    assert client_for(system_admin).get(URL).status_code == 403
    assert client_for(outsider).get(URL, {"don_vi": doi_ngo.pk}).status_code == 404


def test_trend_against_the_previous_period(bac_giang, overdue_task, luc_nam):
    """The task was overdue at the end of the previous quarter too: same count, no change."""
    result = overview.read_overview(unit=bac_giang, kind="quy", with_rows=False)
    tasks = next(h for h in result.headline if h.figure.key == "steering.tasks_overdue")
    assert tasks.value.value == 1 and tasks.previous is not None and tasks.previous.value == 1
    assert tasks.trend == "same" and tasks.alert
    waiting = next(h for h in result.headline if h.figure.key == "certification.waiting_on_commune")
    assert waiting.previous is None and waiting.trend == ""


def test_bulk_reads_equal_unit_by_unit(bac_giang, luc_nam, doi_ngo, overdue_task):
    """Each bulk reader gives what its single-unit reader gives."""
    today = dt.date.today()
    start = today.replace(month=1, day=1)
    units = [bac_giang, luc_nam, doi_ngo]
    for key in overview.FIGURE_KEYS:
        metric = metrics.get(key)
        if metric is None or metric.compute_many is None:
            continue
        many = metrics.compute_many(key, units=units, start=start, end=today)
        for unit in units:
            single = metric.compute(unit=unit, start=start, end=today)
            assert (many[unit.pk].value, many[unit.pk].basis) == (single.value, single.basis), (key, unit)
    assert metrics.compute_many("steering.tasks_overdue", units=units, start=start, end=today)[luc_nam.pk].value == 1
    assert metrics.compute_many("steering.tasks_overdue", units=units, start=start, end=today)[doi_ngo.pk].value == 0


def _province_with(n: int) -> Unit:
    province = Unit(code=f"9{n}", edition="2025", name=f"Tỉnh thử {n}", kind=UnitKind.PROVINCE)
    province.save()
    for i in range(n):
        Unit(
            code=f"9{n}{i:03d}",
            edition="2025",
            name=f"Xã thử {i}",
            kind=UnitKind.COMMUNE,
            parent=province,
            latitude=21 + i / 100,
            longitude=106 + i / 50,
        ).save()
    return province


def test_query_count_does_not_grow_with_the_communes(client_for, make_user):
    """Computing the day's figures, and reading them back, take as many queries with 12 communes as with 4."""
    computed, read = [], []
    for n in (4, 12):
        province = _province_with(n)
        client = client_for(make_user(Role.PROVINCE_LEADER, province))
        client.get("/staff/")  # the session, and the staff home's own sections, before counting
        OverviewSnapshot.objects.filter(unit=province).delete()
        with CaptureQueriesContext(connection) as first:
            body = client.get(URL).content.decode()
        assert body.count('class="map-point"') == n
        with CaptureQueriesContext(connection) as second:
            assert client.get(URL).content.decode().count('class="map-point"') == n
        computed.append(len(first.captured_queries))
        read.append(len(second.captured_queries))
    assert computed[0] == computed[1], computed
    assert read[0] == read[1], read
    assert read[0] < computed[0] / 2  # the stored figures are read, not computed again


def test_the_morning_job_and_a_leader_recompute(client_for, province_leader, bac_giang, notice, luc_nam):
    assert tasks.refresh_overviews() >= 1
    stored = OverviewSnapshot.objects.get(unit=bac_giang)
    client = client_for(province_leader)
    assert 'data-figure="steering.tasks_overdue" data-alert="1"' not in client.get(URL).content.decode()
    services.add_task(
        by=SYSTEM, directive=notice, number=4, title="Sơ kết", owners=[luc_nam], deadline_text="quý I/2024", expected_output="Báo cáo"
    )
    # the page reads the morning's figures until someone recomputes them
    assert 'data-figure="steering.tasks_overdue" data-alert="1"' not in client.get(URL).content.decode()
    response = client.post("/staff/chi-dao/tong-quan/tinh-lai/", {"don_vi": bac_giang.pk, "ky": "quy"})
    assert response.status_code == 302 and f"don_vi={bac_giang.pk}" in response["Location"]
    assert 'data-figure="steering.tasks_overdue" data-alert="1"' in client.get(response["Location"]).content.decode()
    assert OverviewSnapshot.objects.get(pk=stored.pk).computed_at > stored.computed_at
    assert client.get("/staff/chi-dao/tong-quan/tinh-lai/").status_code == 405


def test_report_word_and_excel_carry_the_page_figures(client_for, province_leader, bac_giang, overdue_task):
    client = client_for(province_leader)
    result = overview.read_overview(unit=bac_giang, kind="6thang")
    docx = client.get("/staff/chi-dao/tong-quan/bao-cao.docx", {"ky": "6thang"})
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text.upper() and "6 tháng" in text
    summary = document.tables[-2] if len(document.tables) > 2 else document.tables[-1]
    cells = {row.cells[1].text: row.cells[2].text for table in document.tables for row in table.rows if len(row.cells) == 5}
    for h in result.headline:
        assert cells[h.label].startswith(h.text), (h.label, cells[h.label], h.text)
    assert summary is not None
    xlsx = client.get("/staff/chi-dao/tong-quan/bao-cao.xlsx", {"ky": "6thang"})
    wb = load_workbook(io.BytesIO(xlsx.content))
    figures = {row[1]: row[2] for row in wb["Tổng hợp"].iter_rows(min_row=3, values_only=True)}
    for h in result.headline:
        assert str(figures[h.label]).startswith(h.text)
    units = {row[0]: row for row in wb["Theo đơn vị"].iter_rows(min_row=2, values_only=True)}
    lucnam = next(r for r in result.rows if r.unit.name == "Huyện Lục Nam")
    tasks_column = overview.FIGURE_KEYS.index("steering.tasks_overdue") + 1
    assert units["Huyện Lục Nam"][tasks_column] == lucnam.cells[tasks_column - 1].value.value == 1
    assert client_for(province_leader).get("/staff/chi-dao/tong-quan/bao-cao.pdf").status_code == 404


def test_staff_home_shows_the_overview_for_leaders_only(client_for, province_leader, district_appraiser):
    assert "Mở trang tổng quan" in client_for(province_leader).get("/staff/").content.decode()
    assert "Mở trang tổng quan" not in client_for(district_appraiser).get("/staff/").content.decode()


def test_periods():
    q = overview.period_containing("quy", dt.date(2026, 12, 3))
    assert (q.start, q.end, q.previous().start, q.previous().end) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
    )
    h = overview.period_containing("6thang", dt.date(2026, 3, 1))
    assert (h.start, h.end, h.previous().start) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2025, 7, 1))
    assert overview.period_containing("nam", dt.date(2026, 5, 5)).previous().start == dt.date(2025, 1, 1)


def test_the_demo_leaves_the_days_overviews(province_leader, district_officer, bac_giang, luc_nam):
    out = io.StringIO()
    demo.finish(stdout=out)
    assert set(OverviewSnapshot.objects.values_list("unit_id", flat=True)) == {bac_giang.pk, luc_nam.pk}
    assert "2 đơn vị" in out.getvalue()
