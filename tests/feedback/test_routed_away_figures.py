"""Reports about a commune's own officials are handled above it; the commune's own dashboard,
export and metrics never show them by day, category or channel, only as a whole-quarter total of
at least conf.ROUTED_AWAY_MIN_CASES. The district that handles them sees them in full."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from core import metrics
from feedback import queries, services
from feedback.models import Category, Channel

from .conftest import HCM

pytestmark = pytest.mark.django_db
DAY = {"from": "2026-03-03", "to": "2026-03-03"}


def _cells(response) -> str:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(response.content))
    return " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row)


def test_commune_dashboard_hides_a_routed_away_report_by_day_category_and_channel(
    make_case, doi_ngo, luc_nam, commune_officer, district_officer, client_for, frozen
):
    case = make_case(doi_ngo, category=Category.CONDUCT_EXTRA_DEMANDS, channel=Channel.PHONE, about_officials=True)
    assert case.handling_unit == luc_nam
    page = client_for(commune_officer).get("/staff/phan-anh/thong-ke/", DAY)
    f = page.context["f"]
    assert (f.total, f.by_category, f.by_channel, f.harassment_reports, f.handled_elsewhere) == (0, [], [], 0, None)
    body = page.content.decode()
    assert "Một cửa: đòi thêm giấy tờ hoặc tiền" not in body and "Điện thoại" not in body
    # The district that handles it sees it in full, also when it looks at the commune.
    for params in (DAY, {**DAY, "unit": doi_ngo.pk}):
        seen = client_for(district_officer).get("/staff/phan-anh/thong-ke/", params).context["f"]
        assert seen.total == 1 and seen.by_category == [("Một cửa: đòi thêm giấy tờ hoặc tiền", 1)]
        assert seen.by_channel == [("Điện thoại", 1)]


def test_commune_export_hides_a_routed_away_report(make_case, doi_ngo, commune_officer, district_officer, client_for, frozen):
    make_case(doi_ngo, category=Category.CONDUCT_HARASSMENT, channel=Channel.PHONE)
    own = _cells(client_for(commune_officer).get("/staff/phan-anh/thong-ke/excel/", DAY))
    assert "Một cửa: gây phiền hà, sách nhiễu" not in own and "Điện thoại" not in own
    district = _cells(client_for(district_officer).get("/staff/phan-anh/thong-ke/excel/", DAY))
    assert "Một cửa: gây phiền hà, sách nhiễu" in district and "Điện thoại" in district


def test_harassment_metric_of_the_commune_leaves_out_a_single_routed_away_report(make_case, doi_ngo, luc_nam, frozen):
    make_case(doi_ngo, category=Category.CONDUCT_HARASSMENT)
    day = {"start": dt.date(2026, 3, 3), "end": dt.date(2026, 3, 3)}
    value = metrics.compute("feedback.harassment_reports", unit=doi_ngo, **day)
    assert value.value == 0.0 and value.basis == 0 and "cấp trên" in value.note
    assert metrics.compute("feedback.harassment_reports", unit=luc_nam, **day).value == 1.0


def _conduct_reports_in_january(make_case, unit, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        with time_machine.travel(dt.datetime(2026, 1, 5 + i, 9, 0, tzinfo=HCM), tick=False):
            make_case(unit, category=Category.CONDUCT_HARASSMENT)


@pytest.mark.parametrize(("n", "expected"), [(4, None), (5, 5)])
def test_routed_away_total_only_for_an_ended_quarter_with_enough_reports(make_case, doi_ngo, n, expected):
    _conduct_reports_in_january(make_case, doi_ngo, n)
    with time_machine.travel(dt.datetime(2026, 4, 15, 9, 0, tzinfo=HCM), tick=False):
        quarter = queries.figures(unit=doi_ngo, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
        january = queries.figures(unit=doi_ngo, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert quarter.total == 0 and quarter.by_category == []
    assert quarter.handled_elsewhere == expected and quarter.harassment_handled_elsewhere == expected
    assert quarter.harassment_reports == (expected or 0)
    assert january.handled_elsewhere is None  # a month is not a whole quarter


def test_quarter_still_running_is_not_released(make_case, doi_ngo):
    _conduct_reports_in_january(make_case, doi_ngo, 6)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=HCM), tick=False):
        assert queries.figures(unit=doi_ngo, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)).handled_elsewhere is None


def test_threshold_and_period_are_settings(make_case, doi_ngo, settings):
    settings.FEEDBACK_ROUTED_AWAY_MIN_CASES = 2
    settings.FEEDBACK_ROUTED_AWAY_PERIOD_MONTHS = 1
    _conduct_reports_in_january(make_case, doi_ngo, 2)
    with time_machine.travel(dt.datetime(2026, 2, 10, 9, 0, tzinfo=HCM), tick=False):
        assert queries.figures(unit=doi_ngo, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 10)).handled_elsewhere == 2


def test_release_window_is_whole_ended_blocks():
    today = dt.date(2026, 12, 3)
    assert queries.release_window(dt.date(2026, 1, 1), today, today=today) == (dt.date(2026, 1, 1), dt.date(2026, 9, 30))
    assert queries.release_window(dt.date(2026, 1, 2), today, today=today) == (dt.date(2026, 4, 1), dt.date(2026, 9, 30))
    assert queries.release_window(dt.date(2026, 3, 3), dt.date(2026, 3, 3), today=today) is None
    assert queries.release_window(dt.date(2026, 10, 1), dt.date(2026, 12, 31), today=today) is None


def test_ordinary_report_escalated_for_lateness_stays_in_the_communes_figures(make_case, doi_ngo, luc_nam, frozen):
    case = make_case(doi_ngo)
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=HCM), tick=False):
        assert services.escalate_overdue_cases() == 1
        case.refresh_from_db()
        assert case.handling_unit == luc_nam
        f = queries.figures(unit=doi_ngo, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert (f.total, f.escalated) == (1, 1)
