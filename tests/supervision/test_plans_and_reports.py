"""An investment board's plan is notified at least 45 days before supervision starts (the rule and the
shortfall are shown); quarterly reports to the Fatherland Front, one per quarter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.actors import SYSTEM
from supervision import services
from supervision.models import BoardKind
from tests.supervision.conftest import TERM_START

pytestmark = pytest.mark.django_db


@pytest.fixture
def investment(commune):  # type: ignore[no-untyped-def]
    return services.create_board(
        by=SYSTEM,
        unit=commune,
        kind=BoardKind.INVESTMENT,
        name="GSĐT",
        project="Đường trục xã",
        term_start=TERM_START,
        term_end=dt.date(2026, 12, 31),
    )


def _plan(board, notified_on, starts_on=dt.date(2026, 4, 1)):  # type: ignore[no-untyped-def]
    return services.save_plan(
        by=SYSTEM,
        board=board,
        title="Kế hoạch",
        content="Giám sát thi công.",
        notified_on=notified_on,
        starts_on=starts_on,
        ends_on=dt.date(2026, 10, 1),
    )


def test_forty_five_days_notice(investment):
    assert _plan(investment, dt.date(2026, 2, 15)).pk  # exactly 45 days before 01/04
    with pytest.raises(ValidationError) as refusal:
        _plan(investment, dt.date(2026, 2, 16))
    assert refusal.value.message_dict["notified_on"] == [
        "Kế hoạch giám sát đầu tư được thông báo ít nhất 45 ngày trước khi bắt đầu giám sát; thông báo ngày 16/02/2026 thiếu 1 ngày."
    ]


def test_an_inspection_boards_plan_only_precedes_its_start(board):
    assert _plan(board, dt.date(2026, 3, 30)).pk
    with pytest.raises(ValidationError, match="trước khi bắt đầu"):
        _plan(board, dt.date(2026, 4, 2))


def test_one_report_per_quarter_sent_after_it_began(board):
    services.record_quarterly_report(by=SYSTEM, board=board, year=2026, quarter=1, content="Báo cáo quý một.", sent_on=dt.date(2026, 3, 28))
    with pytest.raises(ValidationError, match="đã gửi báo cáo quý 1/2026"):
        services.record_quarterly_report(
            by=SYSTEM, board=board, year=2026, quarter=1, content="Báo cáo quý một.", sent_on=dt.date(2026, 3, 29)
        )
    with pytest.raises(ValidationError, match="sau khi quý bắt đầu"):
        services.record_quarterly_report(
            by=SYSTEM, board=board, year=2026, quarter=3, content="Báo cáo quý ba.", sent_on=dt.date(2026, 6, 30)
        )
    with pytest.raises(ValidationError, match="Quý từ 1 đến 4"):
        services.record_quarterly_report(
            by=SYSTEM, board=board, year=2026, quarter=5, content="Báo cáo quý năm.", sent_on=dt.date(2026, 6, 30)
        )
