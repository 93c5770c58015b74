"""The dashboard's figures, the metrics other capabilities read, and answers published on the
commune's public page after moderation (never when the reporter said no)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from core import metrics
from feedback import services
from feedback.models import Category, RegisterClass

from .conftest import HCM

pytestmark = pytest.mark.django_db
PERIOD = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}


def answer(case, by, note="Xã đã giải quyết xong phản ánh."):
    case = services.accept_case(case=case, by=by, register_class=RegisterClass.RULES_IN_COMPETENCE)
    return services.answer_case(case=case, by=by, answer=note)


def test_on_time_rate_and_metrics(make_case, doi_ngo, luc_nam, commune_officer):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM), tick=False):
        on_time = make_case(doi_ngo)
        late = make_case(doi_ngo)
        make_case(doi_ngo, category=Category.CONDUCT_HARASSMENT)
        answer(on_time, commune_officer)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=HCM), tick=False):
        answer(late, commune_officer)
        value = metrics.compute("feedback.on_time_rate", unit=luc_nam, **PERIOD)
    assert (value.value, value.basis) == (50.0, 2)
    assert metrics.compute("feedback.harassment_reports", unit=luc_nam, **PERIOD).value == 1.0
    assert metrics.get("feedback.harassment_reports").higher_is_better is False
    assert metrics.compute("feedback.counter_satisfaction", unit=luc_nam, **PERIOD).value is None


def test_published_answer_appears_on_the_commune_page(make_case, doi_ngo, commune_officer):
    case = answer(make_case(doi_ngo), commune_officer, note="Đã lợp lại mái nhà văn hoá.")
    services.publish_case(
        case=case,
        by=commune_officer,
        public_summary="Mái nhà văn hoá thôn bị dột.",
        public_answer="Xã đã lợp lại mái nhà văn hoá.",
    )
    page = Client().get(f"/don-vi/{doi_ngo.edition}/{doi_ngo.code}/").content.decode()
    assert "Mái nhà văn hoá thôn bị dột." in page and "Xã đã lợp lại mái nhà văn hoá." in page


def test_reporter_refusal_blocks_publication(make_case, doi_ngo, commune_officer):
    case = answer(make_case(doi_ngo, allow_publication=False), commune_officer)
    with pytest.raises(ValidationError):
        services.publish_case(
            case=case,
            by=commune_officer,
            public_summary="Nội dung công khai đủ dài",
            public_answer="Trả lời công khai đủ dài",
        )


def test_dashboard_and_export_render(make_case, doi_ngo, district_officer, client_for):
    make_case(doi_ngo)
    c = client_for(district_officer)
    assert "Thống kê phản ánh" in c.get("/staff/phan-anh/thong-ke/").content.decode()
    assert c.get("/staff/phan-anh/thong-ke/excel/")["Content-Type"].startswith("application/vnd.openxmlformats")
