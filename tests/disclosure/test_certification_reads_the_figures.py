"""The certification's computed disclosure criterion reads disclosure's figures by key, through
core.metrics (the two capabilities never import each other; only this test sees both)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from accounts.actors import SYSTEM
from certification.models import Criterion, CriterionKind
from certification.scoring import computed_score
from disclosure import services

D = dt.date


def test_computed_criterion_scores_the_on_time_rate(commune, category):
    for n, late in enumerate((False, False, False, True)):
        services.record_disclosure(
            by=SYSTEM,
            unit=commune,
            obligation=category(7),
            title=f"Danh sách hỗ trợ đợt {n}",
            document_number=f"{n}/QĐ",
            document_date=D(2026, 3, 2) + dt.timedelta(weeks=n),
            issuer="UBND",
            disclosed_on=D(2026, 3, 2) + dt.timedelta(weeks=n, days=12 if late else 1),
            forms=["portal"],
            today=D(2026, 12, 3),
        )
    criterion = Criterion(
        code="I.4",
        kind=CriterionKind.COMPUTED,
        metric_key="disclosure.on_time_rate",
        metric_full_value=Decimal("100"),
        max_points=Decimal("4"),
    )
    campaign = SimpleNamespace(year=2026, registration_opens=D(2026, 12, 1))
    points, value = computed_score(criterion, unit=commune, campaign=campaign)
    assert value.value == 75.0 and value.basis == 4 and "Sổ công khai" in value.source
    assert points == Decimal("3.00")
