"""Defaults of the Law on Grassroots Democracy (Law 10/2022/QH15, arts. 30–45; DOMAIN.md, "Inspect and
supervise"). Each cites where it comes from; the answer clock is an environment setting."""

from __future__ import annotations

from core.knobs import read_from_settings

# People's Inspection Board (Ban thanh tra nhân dân): one member per village or residential group,
# at least 5 members, one head and at most 2 deputies (DOMAIN.md).
BOARD_MIN_MEMBERS = 5
BOARD_MEMBERS_PER_VILLAGE = 1
BOARD_HEADS = 1
BOARD_MAX_DEPUTIES = 2
# A board's term follows the Fatherland Front committee's term at the commune (5 years).
BOARD_TERM_YEARS = 5
# Community Investment Supervision Board: one per programme or project, at least 5 members; the
# supervision plan is notified at least 45 days before supervision starts (DOMAIN.md).
INVESTMENT_BOARD_MIN_MEMBERS = 5
INVESTMENT_PLAN_NOTICE_DAYS = 45
# Dialogue conferences: at least one a year between the commune and its people; every village holds
# an annual conference at year end, notified at least 5 days before (DOMAIN.md).
DIALOGUES_PER_YEAR = 1
VILLAGE_CONFERENCE_NOTICE_DAYS = 5
# The board reports to the Fatherland Front committee every quarter (DOMAIN.md).
REPORTS_PER_YEAR = 4

# The commune answers a recommendation within this many calendar days (DOMAIN.md: "within 15 days";
# the Law counts calendar days), and is reminded this many days before (environment settings,
# grassroots/settings.py and README, read when used).
ANSWER_DAYS: int
REMINDER_DAYS_BEFORE: int

FROM_SETTINGS = {
    "ANSWER_DAYS": "SUPERVISION_ANSWER_DAYS",
    "REMINDER_DAYS_BEFORE": "SUPERVISION_REMINDER_DAYS_BEFORE",
}
__getattr__ = read_from_settings(__name__, FROM_SETTINGS)
