"""Numbers the province sets for the friendly-government recognition, each with its source. The
criteria set rows (pass mark, star bands) and the campaign rows (deadlines, target share) are the
real configuration; these are only the defaults new rows start from."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

# Notice (thông báo kết luận), task 3: 60 % of communes recognised in 2024; DOMAIN.md: 30 % in 2023,
# 100 % by 2025. A campaign row stores its own share; this is the form's starting value.
DEFAULT_TARGET_SHARE = Decimal(getattr(settings, "CERTIFICATION_DEFAULT_TARGET_SHARE", "0.60"))

# Bắc Giang's point bands were not found; Đồng Nai (2025) uses 4★ ≥ 95, 3★ ≥ 90, 2★ ≥ 80 and 1★
# below 80 down to the pass mark (DOMAIN.md). A new criteria set starts from these rows.
DEFAULT_STAR_BANDS: tuple[tuple[int, Decimal], ...] = ((4, Decimal("95")), (3, Decimal("90")), (2, Decimal("80")), (1, Decimal("70")))
DEFAULT_PASS_MARK = Decimal(getattr(settings, "CERTIFICATION_DEFAULT_PASS_MARK", "70"))

# A recognition is reviewed every year by the province's scheme; the decision states its own
# validity. The form proposes the end of the following year.
DEFAULT_VALIDITY_YEARS = int(getattr(settings, "CERTIFICATION_DEFAULT_VALIDITY_YEARS", 1))

# The years a campaign may be created for: a typo such as 0 or 20245 is refused rather than stored.
CAMPAIGN_FIRST_YEAR, CAMPAIGN_LAST_YEAR = 2020, 2100

# Reminders go out this many days before each campaign deadline (and on the day).
REMINDER_DAYS_BEFORE: tuple[int, ...] = tuple(getattr(settings, "CERTIFICATION_REMINDER_DAYS_BEFORE", (7, 2)))

# Appraisal quality: a proposed commune scoring in the top star band is flagged when a citizens'
# figure registered by another capability is below FLAG_BELOW (or, for "lower is better" figures such
# as harassment reports, above FLAG_ABOVE). The province's standing office tunes these.
FLAG_METRICS: tuple[str, ...] = tuple(
    getattr(
        settings,
        "CERTIFICATION_FLAG_METRICS",
        ("feedback.on_time_rate", "feedback.counter_satisfaction", "feedback.harassment_reports", "surveys.satisfaction_index"),
    )
)
FLAG_BELOW = float(getattr(settings, "CERTIFICATION_FLAG_BELOW", 60))
FLAG_ABOVE = float(getattr(settings, "CERTIFICATION_FLAG_ABOVE", 0))
