"""The answer clock of a board's recommendation: the commune answers within conf.ANSWER_DAYS calendar
days of the day it received it (DOMAIN.md: "within 15 days")."""

from __future__ import annotations

import datetime as dt

from supervision import conf
from supervision.models import Recommendation, RecommendationState


def due_on(sent_on: dt.date) -> dt.date:
    return sent_on + dt.timedelta(days=conf.ANSWER_DAYS)


def is_overdue(recommendation: Recommendation, on: dt.date) -> bool:
    """Still unanswered after its due day."""
    return recommendation.state == RecommendationState.SENT and on > recommendation.due_on


def answered_late(recommendation: Recommendation) -> bool:
    return recommendation.answered_on is not None and recommendation.answered_on > recommendation.due_on


def days_left(recommendation: Recommendation, on: dt.date) -> int:
    """Days until the due day (negative once overdue)."""
    return (recommendation.due_on - on).days


def plan_notice_short_by(*, notified_on: dt.date, starts_on: dt.date, notice_days: int) -> int:
    """How many days short of `notice_days` the plan's notice is (0 when on time)."""
    return max(0, notice_days - (starts_on - notified_on).days)
