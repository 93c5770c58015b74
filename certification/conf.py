"""Numbers the province sets for the friendly-government recognition, each with its source. The
criteria set rows (pass mark, star bands) and the campaign rows (deadlines, target share) are the
real configuration; these are only the defaults new rows start from."""

from __future__ import annotations

from decimal import Decimal

from core.knobs import read_from_settings

# Notice (thông báo kết luận), task 3: 60 % of communes recognised in 2024; DOMAIN.md: 30 % in 2023,
# 100 % by 2025. A campaign row stores its own share; this is the form's starting value.
DEFAULT_TARGET_SHARE = Decimal("0.60")

# Bắc Giang's point bands were not found; Đồng Nai (2025) uses 4★ ≥ 95, 3★ ≥ 90, 2★ ≥ 80 and 1★
# below 80 down to the pass mark (DOMAIN.md). A new criteria set starts from these rows.
DEFAULT_STAR_BANDS: tuple[tuple[int, Decimal], ...] = ((4, Decimal("95")), (3, Decimal("90")), (2, Decimal("80")), (1, Decimal("70")))
DEFAULT_PASS_MARK = Decimal("70")

# The years a campaign may be created for: a typo such as 0 or 20245 is refused rather than stored.
CAMPAIGN_FIRST_YEAR, CAMPAIGN_LAST_YEAR = 2020, 2100

# Environment settings (grassroots/settings.py, README), read when used:
# reminders go out this many days before each campaign deadline (and on the day);
REMINDER_DAYS_BEFORE: tuple[int, ...]
# appraisal quality: a proposed commune scoring in the top star band is flagged when a citizens'
# figure registered by another capability (FLAG_METRICS) is below FLAG_BELOW (or, for "lower is
# better" figures such as harassment reports, above FLAG_ABOVE).
FLAG_METRICS: tuple[str, ...]
FLAG_BELOW: float
FLAG_ABOVE: float
# the province's check (see grassroots/settings.py): the share of each forwarded batch drawn for the
# province's own appraisal and its minimum size; the gap in points beyond which a sampled file is
# flagged; the excess of registrations over the communes whose citizens' figures support them.
SAMPLE_SHARE: float
SAMPLE_MIN: int
GAP_TOLERANCE: float
MASS_REGISTRATION_EXCESS: float
# a commune holding a recognition still in force may register in a later campaign (re-recognition,
# the notice's yearly review); off, it waits until its recognition lapses;
REREGISTER_WHILE_VALID: bool
# a new recognition's validity, in years from the decision (the decision form's starting value).
VALIDITY_YEARS: int
FROM_SETTINGS = {
    "REREGISTER_WHILE_VALID": "CERTIFICATION_REREGISTER_WHILE_VALID",
    "VALIDITY_YEARS": "CERTIFICATION_VALIDITY_YEARS",
    "REMINDER_DAYS_BEFORE": "CERTIFICATION_REMINDER_DAYS_BEFORE",
    "FLAG_METRICS": "CERTIFICATION_FLAG_METRICS",
    "FLAG_BELOW": "CERTIFICATION_FLAG_BELOW",
    "FLAG_ABOVE": "CERTIFICATION_FLAG_ABOVE",
    "SAMPLE_SHARE": "CERTIFICATION_SAMPLE_SHARE",
    "SAMPLE_MIN": "CERTIFICATION_SAMPLE_MIN",
    "GAP_TOLERANCE": "CERTIFICATION_GAP_TOLERANCE",
    "MASS_REGISTRATION_EXCESS": "CERTIFICATION_MASS_REGISTRATION_EXCESS",
}
__getattr__ = read_from_settings(__name__, FROM_SETTINGS)
