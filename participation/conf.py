"""Numbers the Law on Implementing Democracy at the Grassroots (10/2022/QH15) and Decree 59/2023
fix for community decisions, each with its source (DOMAIN.md, "Discuss and decide"); environment
knobs (rate limits) are read from settings when used."""

from __future__ import annotations

from fractions import Fraction

from core.knobs import read_from_settings

# Law 10/2022, art. 15: the six subjects the community discusses and decides.
SUBJECT_COUNT = 6
# Art. 21.2 (and Decree 59/2023 art. 5): subjects 1–2 pass with AT LEAST two thirds of all the
# village's households; subjects 3–6 with MORE THAN half. Counted over all households, not those present.
AT_LEAST_TWO_THIRDS_SUBJECTS = frozenset({1, 2})
TWO_THIRDS = Fraction(2, 3)
HALF = Fraction(1, 2)
# Art. 21.3: a commune-wide matter under subjects 1–2 needs two thirds of the villages.
COMMUNE_WIDE_VILLAGES = Fraction(2, 3)
# Art. 19.2 and Decree 59/2023 art. 5: online voting only for subject 6, and only when MORE THAN
# half of the village's households agreed to vote online.
ONLINE_SUBJECTS = frozenset({6})
ONLINE_AGREEMENT = Fraction(1, 2)
# Art. 22: the record goes to the commune within 5 working days; the commune recognises it
# (covenants, village heads) within 5 working days of receiving it.
SEND_WORKING_DAYS = 5
RECOGNISE_WORKING_DAYS = 5
# Art. 16: a proposal backed by at least 10 % of the village's households must be put to the community.
INITIATIVE_SHARE = Fraction(1, 10)

# One-time codes: ten characters from an alphabet without look-alikes (0/O, 1/I/L), ~49 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
RECEIPT_LENGTH = 8

# Environment settings (grassroots/settings.py, README): per-client limits on the public vote and
# code lookups (a burst, then a sustained rate per hour), against guessing codes.
VOTE_BURST: int
VOTE_PER_HOUR: float

__getattr__ = read_from_settings(
    __name__,
    {"VOTE_BURST": "PARTICIPATION_VOTE_BURST", "VOTE_PER_HOUR": "PARTICIPATION_VOTE_PER_HOUR"},
)

# Law 10/2022 art. 27 and DOMAIN.md "Give opinions": a consultation runs at least 20 days from
# publication; a kind may need longer (the province's regulation), never less.
CONSULTATION_MIN_DAYS = {
    "plan": 20,
    "land": 20,
    "project": 20,
    "boundary": 20,
    "regulation": 20,
    "decision": 20,
}
OPINION_MAX_CHARS = 5000

# What counts as a disclosure (Law 10/2022 art. 11, DOMAIN.md "Disclosure"), written into the
# commune's register through core.disclosures when the act is done:
# - the commune's summary of a consultation and what it took up: category 11 (art. 11.11);
CONSULTATION_DISCLOSURE_CATEGORY = 11
# - a recognised community decision on people's contributions to infrastructure (subject 1) and on
#   the community's contributions, funds and assets (subject 2): category 5, "the funds ... and the
#   contributions mobilised from the people" (art. 11.5); a village covenant (subject 3), which
#   Decree 61/2023 requires to be made public once recognised: category 14, "other contents the
#   law requires" (art. 11.14). Elections (subjects 4–5) and other self-managed matters (6) are
#   published on the commune's page but are not register disclosures.
DISCLOSURE_CATEGORY_BY_SUBJECT = {1: 5, 2: 5, 3: 14}
