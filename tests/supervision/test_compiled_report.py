"""The compiled report of the level above: before 1 July 2025 the communes (2024 list) reported to
their district, so the province's totals for such a period come with each district's; a district
reads its own; every total is computed from the communes' figures (a rate is the mean over the
communes, not a mean of the districts' means); reports filed on an earlier version of the form count
by indicator code; Word (annex) and Excel (a sheet per district column) carry the districts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from accounts.actors import SYSTEM
from accounts.models import Role
from supervision import clocks, queries, services
from supervision.models import ReportForm, UnitReport
from tests.supervision.test_periodic_report import _fill
from tests.supervision.test_periodic_report_pages import api_client
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
H1_2025 = dt.date(2025, 1, 1)
H1_2026 = dt.date(2026, 1, 1)


@pytest.fixture
def form(bac_ninh: Unit) -> ReportForm:
    return services.seed_default_form(by=SYSTEM, province=bac_ninh)


def _communes(district: Unit, n: int) -> list[Unit]:
    return list(Unit.objects.in_force(dt.date(2025, 6, 30)).filter(parent=district, kind=UnitKind.COMMUNE).order_by("code")[:n])


def _send(form: ReportForm, unit: Unit, start: dt.date, *, accept_by, **figures: str) -> UnitReport:  # type: ignore[no-untyped-def]
    report = services.start_report(by=SYSTEM, form=form, unit=unit, period_start=start)
    report = _fill(report, SYSTEM, feedback_on_time_note="Theo sổ theo dõi.", **figures)
    report = services.submit_report(by=SYSTEM, report=report, on=report.due_on)
    return services.accept_report(by=accept_by, report=report) if accept_by is not None else report


@pytest.fixture
def before_merger(form, luc_nam, luc_ngan, make_user):  # type: ignore[no-untyped-def]
    """H1 2025: two Lục Nam communes and one Lục Ngạn commune accepted by their districts, a third
    Lục Nam commune still under review."""
    nam_committee = make_user(Role.DISTRICT_COMMITTEE, luc_nam, username="lucnam.bcd")
    ngan_committee = make_user(Role.DISTRICT_COMMITTEE, luc_ngan, username="lucngan.bcd")
    nam = _communes(luc_nam, 3)
    ngan = _communes(luc_ngan, 1)
    _send(form, nam[0], H1_2025, accept_by=nam_committee, village_meetings="12", feedback_on_time="80")
    _send(form, nam[1], H1_2025, accept_by=nam_committee, village_meetings="30,5", feedback_on_time="100")
    _send(form, ngan[0], H1_2025, accept_by=ngan_committee, village_meetings="1000", feedback_on_time="0")
    _send(form, nam[2], H1_2025, accept_by=None, village_meetings="7", feedback_on_time="50")
    return {"nam": nam_committee, "ngan": ngan_committee, "communes": nam + ngan}


def test_province_totals_with_each_districts_before_the_merger(form, bac_ninh, luc_nam, luc_ngan, before_merger) -> None:  # type: ignore[no-untyped-def]
    assert {r.reviewer for r in UnitReport.objects.all()} == {luc_nam, luc_ngan}  # the level above then
    compiled = queries.compile_report(form=form, top=bac_ninh, start=H1_2025)
    total = {line.indicator.code: line for line in compiled.total.lines}
    assert compiled.total.accepted == 3
    assert total["village_meetings"].value == Decimal("1042.50") and total["village_meetings"].reports == 3
    assert total["feedback_on_time"].value == Decimal("60.00")  # (80 + 100 + 0) / 3, not (90 + 0) / 2
    assert [lv.unit for lv in compiled.levels] == [luc_nam, luc_ngan]
    nam, ngan = ({line.indicator.code: line.value for line in lv.lines} for lv in compiled.levels)
    assert (nam["village_meetings"], nam["feedback_on_time"], compiled.levels[0].accepted) == (Decimal("42.50"), Decimal("90.00"), 2)
    assert (ngan["village_meetings"], ngan["feedback_on_time"]) == (Decimal("1000"), Decimal("0"))
    # A district reads its own totals, with no level below it.
    own = queries.compile_report(form=form, top=luc_nam, start=H1_2025)
    assert own.total.accepted == 2 and not own.levels
    assert {line.indicator.code: line.value for line in own.total.lines}["village_meetings"] == Decimal("42.50")
    # After the merger the communes report to the province directly: no level in between.
    assert not queries.compile_report(form=form, top=bac_ninh, start=H1_2026).levels
    # The communes of the 2024 list are the ones expected for a period before the merger.
    end = dt.date(2025, 6, 30)
    due = clocks.report_deadline(end, form.due_working_days, clocks.WorkingCalendar()).due
    status = queries.completeness(form=form, start=H1_2025, end=end, due_on=due, today=dt.date(2026, 12, 3))
    assert status.received == 4 and status.on_time == 4
    assert {u.edition for u in queries.expected_units(form, end)} == {"2024"}
    assert set(before_merger["communes"]) <= set(queries.expected_units(form, end))


def test_compiled_report_pages_and_files(form, bac_ninh, luc_nam, luc_ngan, before_merger, office, officer, client_for) -> None:  # type: ignore[no-untyped-def]
    province = client_for(office)
    page = province.get(f"/staff/giam-sat/bao-cao/?mau={form.pk}&ky=2025-01-01").content.decode()
    assert "Tổng hợp từ 3 báo cáo đã tiếp nhận" in page and "Tổng hợp theo cấp huyện" in page
    assert luc_nam.name in page and luc_ngan.name in page
    base = f"/staff/giam-sat/bao-cao/tong-hop/{form.pk}/2025-01-01"
    wb = load_workbook(io.BytesIO(province.get(f"{base}/xlsx/").content))
    assert wb.sheetnames == ["Báo cáo", "Theo cấp huyện"]
    sheet = list(wb["Theo cấp huyện"].iter_rows(values_only=True))
    assert sheet[1][1].startswith(luc_nam.name) and sheet[1][2].startswith(luc_ngan.name) and sheet[1][3].startswith(bac_ninh.name)
    assert next(r for r in sheet if r[0] == "Số cuộc họp thôn, tổ dân phố")[1:4] == (42.5, 1000, 1042.5)
    docx = Document(io.BytesIO(province.get(f"{base}/docx/").content))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "PHỤ LỤC" in text.upper() and "cấp huyện" in text
    cells = [c.text for t in docx.tables for row in t.rows for c in row.cells]
    assert f"{luc_nam.name} (2 báo cáo)" in cells and "1.042,5" in cells

    # The Lục Nam committee sees and downloads its district's totals, not Lục Ngạn's nor the province's.
    district = client_for(before_merger["nam"])
    page = district.get(f"/staff/giam-sat/bao-cao/?mau={form.pk}&ky=2025-01-01").content.decode()
    assert "Tổng hợp từ 2 báo cáo đã tiếp nhận" in page and "Tổng hợp theo cấp huyện" not in page
    own = load_workbook(io.BytesIO(district.get(f"{base}/xlsx/?don_vi={luc_nam.pk}").content))
    assert own.sheetnames == ["Báo cáo"]
    assert any(r[1] == "Số cuộc họp thôn, tổ dân phố" and r[2] == 42.5 for r in own.active.iter_rows(values_only=True))
    assert district.get(f"{base}/xlsx/?don_vi={luc_ngan.pk}").status_code == 404
    assert client_for(officer).get(f"{base}/docx/").status_code == 404

    # The same through the API.
    path = f"/api/v1/supervision/compiled-reports/{form.pk}/2025-03-15"
    body = api_client(office).get(path).json()
    assert (body["period_start"], body["period_end"], body["total"]["accepted"]) == ("2025-01-01", "2025-06-30", 3)
    assert [lv["unit_code"] for lv in body["levels"]] == [luc_nam.code, luc_ngan.code]
    meetings = next(line for line in body["total"]["lines"] if line["code"] == "village_meetings")
    assert Decimal(meetings["value"]) == Decimal("1042.5") and meetings["reports"] == 3
    nam = api_client(before_merger["nam"]).get(f"{path}?unit_id={luc_nam.pk}").json()
    assert nam["total"]["unit_code"] == luc_nam.code and nam["total"]["accepted"] == 2 and nam["levels"] == []
    assert api_client(before_merger["nam"]).get(f"{path}?unit_id={luc_ngan.pk}").status_code == 404
    assert api_client(officer).get(path).status_code == 404


def test_reports_on_an_earlier_version_count_by_indicator_code(form, bac_ninh, office) -> None:  # type: ignore[no-untyped-def]
    communes = list(Unit.objects.in_force(dt.date(2026, 6, 30)).filter(parent=bac_ninh, kind=UnitKind.COMMUNE).order_by("code")[:2])
    _send(form, communes[0], H1_2026, accept_by=office, village_meetings="10")
    v2 = services.new_form_version(by=office, form=form)
    meetings = v2.sections.get(order=2).indicators.get(code="village_meetings")
    services.save_indicator(
        by=office,
        section=meetings.section,
        code="village_meetings",
        label="Số hội nghị thôn, tổ dân phố",
        kind="number",
        indicator=meetings,
    )
    services.delete_indicator(by=office, indicator=v2.sections.get(order=2).indicators.get(code="votes"))
    services.put_form_in_use(by=office, form=v2)
    _send(v2, communes[1], H1_2026, accept_by=office, village_meetings="5")
    lines, accepted = queries.aggregate(form=v2, reviewer=bac_ninh, start=H1_2026)
    by_code = {line.indicator.code: line for line in lines}
    assert accepted == 2 and by_code["village_meetings"].value == Decimal(15) and by_code["village_meetings"].reports == 2
    assert by_code["village_meetings"].indicator.label == "Số hội nghị thôn, tổ dân phố"  # the version read
    assert "votes" not in by_code
    old_lines, _n = queries.aggregate(form=form, reviewer=bac_ninh, start=H1_2026)
    assert {line.indicator.code: line for line in old_lines}["votes"].reports == 1  # only v1's report has it
