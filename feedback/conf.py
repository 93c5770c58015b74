"""Numbers the law or the province sets for feedback, each with its source. Deadlines per category
live in DeadlineRule rows (the province edits them); these are the defaults those rows start from."""

from __future__ import annotations

from core.knobs import read_from_settings

# Decree 20/2008/ND-CP, art. 14: a report outside the receiving body's competence is forwarded to
# the competent body within 5 working days.
FORWARD_WORKING_DAYS = 5

# Decree 20/2008 sets no general answer deadline; sector rules use 3–10 working days (DOMAIN.md).
# The province's default is the upper end; it edits the DeadlineRule rows on the deadlines page.
DEFAULT_WORKING_DAYS = {
    "democracy_not_disclosed": 10,
    "democracy_not_consulted": 10,
    "democracy_without_people": 10,
    "conduct_harassment": 5,  # Decree 61/2018, art. 5: a ban; the province answers it first
    "conduct_extra_demands": 5,
    "conduct_delay": 5,
    "facilities": 10,
    "other": 10,
    # Law on Complaints 02/2011/QH13, art. 28 and Law on Denunciations 25/2018/QH14, art. 30 count
    # their time limits from acceptance; the province keeps 30 working days unless it decides otherwise.
    "complaint": 30,
    "denunciation": 30,
}
DEFAULT_SOURCES = {
    "complaint": "Luật Khiếu nại 2011, Điều 28",
    "denunciation": "Luật Tố cáo 2018, Điều 30",
}
DEFAULT_SOURCE = "Nghị định 20/2008/NĐ-CP; thời hạn do UBND tỉnh quy định"

# Environment settings (grassroots/settings.py, README), read when used (see the __getattr__ below).
# A reminder goes to the handling unit this many working days before the due date.
REMINDER_WORKING_DAYS: int
# The reporter may reopen an answered case within this many days of the answer.
REOPEN_DAYS: int

# Abuse resistance (no third-party CAPTCHA): a form filled faster than this is a robot's;
# per-client token buckets (a burst, then a sustained rate per hour: settings.py explains the
# defaults); one rating per device per counter per window.
MIN_FILL_SECONDS: int
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
SUBMIT_BURST: int
SUBMIT_PER_HOUR: float
RATING_BURST: int
RATING_PER_HOUR: float
TRACK_BURST: int
TRACK_PER_HOUR: float
RATING_WINDOW_SECONDS: int

# The longest description a report may have; a longer one is refused with this limit stated.
MAX_DESCRIPTION_CHARS = 10000

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES: int
ATTACHMENT_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"]

# Reports about a unit that the routing sends above it (about its own officials, complaints,
# denunciations: queries.routed_away) never show in that unit's own figures one by one. They are counted
# only over whole blocks of this many calendar months that have already ended (3: calendar
# quarters), and only when at least this many fell in them; never by day, category or channel.
ROUTED_AWAY_MIN_CASES: int
ROUTED_AWAY_PERIOD_MONTHS: int

FROM_SETTINGS = {
    name: f"FEEDBACK_{name}"
    for name in (
        "REMINDER_WORKING_DAYS",
        "REOPEN_DAYS",
        "MIN_FILL_SECONDS",
        "SUBMIT_BURST",
        "SUBMIT_PER_HOUR",
        "RATING_BURST",
        "RATING_PER_HOUR",
        "TRACK_BURST",
        "TRACK_PER_HOUR",
        "RATING_WINDOW_SECONDS",
        "MAX_ATTACHMENT_BYTES",
        "ROUTED_AWAY_MIN_CASES",
        "ROUTED_AWAY_PERIOD_MONTHS",
    )
}
__getattr__ = read_from_settings(__name__, FROM_SETTINGS)
