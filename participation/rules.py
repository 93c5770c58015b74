"""The pass rule (Law 10/2022 art. 21): thresholds count ALL households of the village, not those
present; subjects 1–2 need at least two thirds, 3–6 more than half; a commune-wide matter under
subjects 1–2 needs two thirds of the villages. Each result carries its arithmetic for the page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from participation import conf


def votes_needed(subject: int, households_total: int) -> int:
    """The fewest households whose votes pass a matter of `subject` in a village of `households_total`."""
    if subject in conf.AT_LEAST_TWO_THIRDS_SUBJECTS:
        return math.ceil(conf.TWO_THIRDS * households_total)
    return math.floor(conf.HALF * households_total) + 1


def rule_text(subject: int) -> str:
    if subject in conf.AT_LEAST_TWO_THIRDS_SUBJECTS:
        return _("ít nhất hai phần ba (2/3) tổng số hộ của thôn (Luật 10/2022, Điều 21)")
    return _("trên một nửa (1/2) tổng số hộ của thôn (Luật 10/2022, Điều 21)")


@dataclass(frozen=True)
class Arithmetic:
    label: str
    votes: int
    households_total: int
    needed: int
    passed: bool

    @property
    def share(self) -> float:
        return 100 * self.votes / self.households_total if self.households_total else 0.0

    def explanation(self) -> str:
        verdict = _("đạt") if self.passed else _("không đạt")
        return _("%(label)s: %(v)d/%(t)d hộ = %(p).1f%%; cần ít nhất %(n)d hộ → %(verdict)s") % {
            "label": self.label,
            "v": self.votes,
            "t": self.households_total,
            "p": self.share,
            "n": self.needed,
            "verdict": verdict,
        }


def assess(subject: int, households_total: int, votes_by_option: list[tuple[str, int]]) -> list[Arithmetic]:
    """The arithmetic for every option; at most one can pass (any threshold is above half)."""
    if households_total <= 0:
        raise ValueError(_("Thôn chưa có hộ nào trong sổ hộ: không tính được kết quả."))
    needed = votes_needed(subject, households_total)
    return [Arithmetic(label, votes, households_total, needed, votes >= needed) for label, votes in votes_by_option]


def online_allowed(subject: int, households_total: int, households_agreed: int) -> bool:
    """Art. 19.2: only subject 6, and only when more than half of all households agreed."""
    return (
        subject in conf.ONLINE_SUBJECTS and households_total > 0 and Fraction(households_agreed, households_total) > conf.ONLINE_AGREEMENT
    )


def commune_wide_passes(subject: int, villages_passed: int, villages_total: int) -> bool:
    """A commune-wide matter: under subjects 1–2 two thirds of the villages must pass it; otherwise
    more than half."""
    if villages_total <= 0:
        return False
    share = Fraction(villages_passed, villages_total)
    if subject in conf.AT_LEAST_TWO_THIRDS_SUBJECTS:
        return share >= conf.COMMUNE_WIDE_VILLAGES
    return share > conf.HALF


def initiative_needed(households_total: int) -> int:
    """Art. 16: the backing a citizen initiative needs (at least 10 % of the households)."""
    return math.ceil(conf.INITIATIVE_SHARE * households_total)


def villages_needed(subject: int, villages_total: int) -> int:
    """The fewest villages that pass a commune-wide matter of `subject` (art. 21.3)."""
    if subject in conf.AT_LEAST_TWO_THIRDS_SUBJECTS:
        return math.ceil(conf.COMMUNE_WIDE_VILLAGES * villages_total)
    return math.floor(conf.HALF * villages_total) + 1


def commune_rule_text(subject: int) -> str:
    if subject in conf.AT_LEAST_TWO_THIRDS_SUBJECTS:
        return _("ít nhất hai phần ba (2/3) tổng số thôn, tổ dân phố của xã (Luật 10/2022, Điều 21)")
    return _("trên một nửa (1/2) tổng số thôn, tổ dân phố của xã")


@dataclass(frozen=True)
class VillageCount:
    """One option of a commune-wide matter: the villages where it passed (each by its own rule over
    all its households) against all the commune's villages."""

    label: str
    villages_passed: int
    villages_total: int
    needed: int
    passed: bool

    @property
    def share(self) -> float:
        return 100 * self.villages_passed / self.villages_total if self.villages_total else 0.0

    def explanation(self) -> str:
        verdict = _("đạt") if self.passed else _("không đạt")
        return _("%(label)s: %(v)d/%(t)d thôn thông qua = %(p).1f%%; cần ít nhất %(n)d thôn → %(verdict)s") % {
            "label": self.label,
            "v": self.villages_passed,
            "t": self.villages_total,
            "p": self.share,
            "n": self.needed,
            "verdict": verdict,
        }


def assess_commune(subject: int, villages_total: int, passed_by_option: list[tuple[str, int]]) -> list[VillageCount]:
    """The commune-wide arithmetic for every option, from the number of villages where it passed."""
    if villages_total <= 0:
        raise ValueError(_("Xã chưa có thôn, tổ dân phố nào: không tính được kết quả toàn xã."))
    needed = villages_needed(subject, villages_total)
    return [
        VillageCount(label, n, villages_total, needed, commune_wide_passes(subject, n, villages_total)) for label, n in passed_by_option
    ]
