"""Defaults the province may change. Each cites where it comes from."""

from __future__ import annotations

from core.knobs import read_from_settings

# SIPAS and the province's PKS forms count a respondent as satisfied when they answer 4 or 5 on the
# 5-point scale (DOMAIN.md, "Satisfaction measurement": usual definition, unverified).
# (Environment settings, grassroots/settings.py and README, read when used: see the __getattr__ below.)
SATISFIED_FROM: int
LIKERT_MIN = 1
LIKERT_MAX = 5

# Results resting on fewer responses than this are suppressed (statistics-office practice for
# small cells; the campaign may set its own threshold).
DEFAULT_MIN_RESPONSES: int

# Sample design defaults (SIPAS uses stratified random sampling; 95 % confidence, ±5 points).
DEFAULT_CONFIDENCE = 0.95
DEFAULT_MARGIN = 0.05
DEFAULT_PROPORTION = 0.5

# Population per commune and group when no figure is known: households for citizens (Unit.households),
# else these planning figures (a commune office has about 20–25 officials, Decree 33/2023/NĐ-CP).
DEFAULT_POPULATION = {"citizens": 2500, "officials": 23, "organisations": 30, "businesses": 40}

# The questionnaire citizens answer about the commune chairman (PKS02 in the province's seven
# forms, DOMAIN.md "Friendly government"): the chairman responsibility rating reads its index.
CHAIRMAN_INSTRUMENT = "PKS02"

# A questionnaire answered faster than this many seconds per question is flagged as implausibly fast.
FAST_SECONDS_PER_QUESTION = 2
# Straight-lining: at least this many Likert items all answered the same; on a shorter form (PKS02,
# PKS03, PKS05, PKS06 have fewer), all of its Likert items when it has at least the short minimum.
STRAIGHT_LINE_MIN_ITEMS = 6
STRAIGHT_LINE_SHORT_MIN_ITEMS = 3
# Near duplicate: another response in the same stratum answering at least this many questions with
# at most this many answers different.
NEAR_DUPLICATE_MIN_ANSWERS = 6
NEAR_DUPLICATE_MAX_DIFFERENT = 1
# Which responses the index leaves out (the campaign page says how many), by their flags:
# - all but one of a set of exact duplicates carrying a free-text answer longer than
#   DUPLICATE_TEXT_CHARS (identical Likert-only patterns happen honestly: flagged, kept); the one
#   kept is the one with the smallest random id, never the first to arrive;
# - a response answered implausibly fast that is also straight-lined or a (near) duplicate.
DUPLICATE_TEXT_CHARS = 20

# Respondent verification by SMS (the province's current system asks for a phone number and a
# one-time code, DOMAIN.md): code lifetime, resend wait and wrong tries allowed.
PHONE_CODE_SECONDS = 300
PHONE_CODE_RESEND_SECONDS = 60
PHONE_CODE_TRIES = 5

# Raking to known population margins (iterative proportional fitting): the shares entered for one
# variable must sum to 1 within this tolerance; the fit stops when every margin is met to RAKE_TOL
# (relative) or after RAKE_MAX_ITER sweeps (usual survey-practice settings, issue #5).
MARGIN_SUM_TOLERANCE = 0.01
RAKE_TOL = 1e-6
RAKE_MAX_ITER = 50

# XLSForm import: an .xlsx is a zip of XML, so a small upload can unpack to gigabytes or describe a
# sheet of a million rows by one far-away cell. Before openpyxl reads anything the zip members'
# declared sizes and the sheets' extent are checked against these caps (a real KoboToolbox/ODK
# questionnaire has a few hundred rows and a few dozen columns), and the import runs as a job that
# stops at the time limit (the parse checks the same deadline when the job runs in-process).
XLSFORM_MAX_UPLOAD = 2 * 1024 * 1024
XLSFORM_MAX_UNPACKED: int
XLSFORM_MAX_MEMBERS = 200
XLSFORM_MAX_ROWS: int
XLSFORM_MAX_COLUMNS: int
XLSFORM_IMPORT_SECONDS: int
# The public API: answers accepted and token look-ups per client (core.ratelimit buckets).
SUBMIT_BURST: int
SUBMIT_PER_HOUR: float
LOOKUP_BURST: int
LOOKUP_PER_HOUR: float

FROM_SETTINGS = {
    "SATISFIED_FROM": "SURVEYS_SATISFIED_FROM",
    "DEFAULT_MIN_RESPONSES": "SURVEYS_MIN_RESPONSES",
    "XLSFORM_MAX_UNPACKED": "SURVEYS_XLSFORM_MAX_UNPACKED",
    "XLSFORM_MAX_ROWS": "SURVEYS_XLSFORM_MAX_ROWS",
    "XLSFORM_MAX_COLUMNS": "SURVEYS_XLSFORM_MAX_COLUMNS",
    "XLSFORM_IMPORT_SECONDS": "SURVEYS_XLSFORM_IMPORT_SECONDS",
    "SUBMIT_BURST": "SURVEYS_SUBMIT_BURST",
    "SUBMIT_PER_HOUR": "SURVEYS_SUBMIT_PER_HOUR",
    "LOOKUP_BURST": "SURVEYS_LOOKUP_BURST",
    "LOOKUP_PER_HOUR": "SURVEYS_LOOKUP_PER_HOUR",
}
__getattr__ = read_from_settings(__name__, FROM_SETTINGS)
