"""The appraisal-quality table exposes lax districts: the share of proposals the province refused, the
mean district − province gap, per-criterion gaps, self-score inflation, and a flag when citizens'
figures (registered by another capability) contradict a top district score."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certification import queries, services
from core import metrics
from tests.certification.conftest import district_appraise, to_district
from tests.certification.test_full_cycle import DECISION
from tests.conftest import unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_on_time_rate():
    def compute(*, unit, start, end):
        return metrics.MetricValue(35.0, "%", 40, "Phản ánh (thử)")

    previous = metrics.get("feedback.on_time_rate")
    metrics.register("feedback.on_time_rate", "Tỷ lệ trả lời đúng hạn", compute)
    yield
    if previous is not None:
        metrics._METRICS["feedback.on_time_rate"] = previous
    else:
        metrics._METRICS.pop("feedback.on_time_rate", None)


def test_quality_rows(campaign, people, doi_ngo, dong_hung, client_for, low_on_time_rate):
    pa, pb = people(doi_ngo), people(dong_hung)
    a = district_appraise(to_district(campaign, doi_ngo, pa), pa)
    b = district_appraise(to_district(campaign, dong_hung, pb, minus={"I.1": Decimal("2")}), pb)
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=pa["committee"])
    services.set_team(registration=b, level="province", members=[pb["province"]], leader=pb["province"], by=pb["province"])
    services.declare_interest(registration=b, level="province", has_conflict=False, by=pb["province"])
    ids = {c.code: c.pk for c in campaign.criteria_set.criteria.all()}
    services.save_appraisal_scores(
        registration=b,
        level="province",
        entries=[services.ScoreEntry(ids["II.1"], "1"), services.ScoreEntry(ids["V.1"], "2")],
        by=pb["province"],
    )
    services.agree_team_score(registration=b, level="province", by=pb["province"])
    services.refuse(registration=b, reason="Không đạt điểm liệt V.1", by=pb["province"])
    services.recognise(registration=a, by=pa["province"], **DECISION)

    rows = queries.appraisal_quality(campaign=campaign)
    row = next(r for r in rows if r.district == doi_ngo.parent)
    assert (row.registered, row.proposed, row.recognised, row.refused) == (2, 2, 1, 1)
    assert row.refusal_share == 50.0
    assert row.mean_gap == 5.0  # a: 0, b: 4 + 6
    assert dict(row.criterion_gaps) == {"V.1": 6.0, "II.1": 4.0}
    assert row.self_inflation == -1.0  # a claimed what the district gave; b claimed 2 points less on I.1
    assert rows[0].district == doi_ngo.parent
    assert any("Thị trấn Đồi Ngô" in f and "35%" in f for f in row.flags)
    assert unit("219") not in [r.district for r in rows]
    sheet = load_workbook(
        __import__("io").BytesIO(client_for(pa["province"]).get(reverse("certification:quality_export", args=[campaign.pk])).content)
    ).active
    assert sheet["B2"].value == doi_ngo.parent.name and sheet["G2"].value == 50.0
