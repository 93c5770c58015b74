"""The pass rule counts all households of the village, with its arithmetic (Law 10/2022 art. 21)."""

from __future__ import annotations

import pytest

from participation import rules


@pytest.mark.parametrize(
    ("subject", "total", "needed"),
    [(1, 12, 8), (2, 10, 7), (1, 9, 6), (3, 12, 7), (6, 11, 6), (4, 10, 6), (5, 1, 1), (1, 1, 1)],
)
def test_votes_needed(subject: int, total: int, needed: int) -> None:
    assert rules.votes_needed(subject, total) == needed


def test_two_thirds_is_at_least_and_half_is_more_than() -> None:
    # 8 of 12 is exactly two thirds: enough for subjects 1–2; 6 of 12 is exactly half: not enough for 3–6.
    assert rules.assess(1, 12, [("Đồng ý", 8)])[0].passed
    assert not rules.assess(1, 12, [("Đồng ý", 7)])[0].passed
    assert not rules.assess(3, 12, [("Đồng ý", 6)])[0].passed
    assert rules.assess(3, 12, [("Đồng ý", 7)])[0].passed


def test_counted_over_all_households_not_those_present() -> None:
    # 9 of 10 present agree, but the village has 15 households: 9 < 10 = two thirds of 15.
    result = rules.assess(1, 15, [("Đồng ý", 9), ("Không đồng ý", 1)])[0]
    assert not result.passed
    assert result.explanation() == "Đồng ý: 9/15 hộ = 60.0%; cần ít nhất 10 hộ → không đạt"


def test_no_household_no_result() -> None:
    with pytest.raises(ValueError, match="chưa có hộ"):
        rules.assess(6, 0, [("Đồng ý", 0)])


def test_online_only_for_subject_six_and_more_than_half_agreeing() -> None:
    assert rules.online_allowed(6, 12, 7)
    assert not rules.online_allowed(6, 12, 6)
    assert not rules.online_allowed(1, 12, 12)


def test_commune_wide_matters() -> None:
    assert rules.commune_wide_passes(1, 6, 9)
    assert not rules.commune_wide_passes(2, 5, 9)
    assert rules.commune_wide_passes(3, 5, 9)
    assert not rules.commune_wide_passes(3, 4, 8)


def test_initiative_needs_ten_percent() -> None:
    assert rules.initiative_needed(125) == 13
    assert rules.initiative_needed(120) == 12
