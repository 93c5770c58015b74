"""A board's composition against the Law's rules: at least 5 members, one head, at most 2 deputies,
one member per village; each failure names its rule; the service refuses a second head, a third
deputy and a second member for one village."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.actors import SYSTEM
from supervision import queries, services
from supervision.models import BoardKind, Position
from tests.supervision.conftest import TERM_START

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 3)


def test_a_full_board_breaks_no_rule(board):
    assert queries.board_breaches(board, TODAY) == []


def test_each_breach_names_its_rule(commune, villages):
    board = services.create_board(
        by=SYSTEM, unit=commune, kind=BoardKind.INSPECTION, name="Ban", term_start=TERM_START, term_end=dt.date(2030, 9, 30)
    )
    services.add_member(by=SYSTEM, board=board, full_name="A", position=Position.DEPUTY, village=villages[0], term_start=TERM_START)
    services.add_member(by=SYSTEM, board=board, full_name="B", position=Position.MEMBER, village=villages[1], term_start=TERM_START)
    breaches = queries.board_breaches(board, TODAY)
    rules = [b.rule for b in breaches]
    assert "Ban có ít nhất 5 thành viên." in rules
    assert "Ban có 1 Trưởng ban." in rules
    village_breaches = [b for b in breaches if b.rule.startswith("Mỗi thôn")]
    assert [b.problem for b in village_breaches] == [f"Thôn {i} có 0 thành viên." for i in range(3, 7)]
    assert next(b for b in breaches if b.rule == "Ban có ít nhất 5 thành viên.").problem == "Ban đang có 2 thành viên."


def test_a_member_whose_term_ended_no_longer_counts(board):
    head = board.members.get(position=Position.HEAD)
    services.end_membership(by=SYSTEM, member=head, on=dt.date(2026, 6, 30))
    rules = [b.rule for b in queries.board_breaches(board, TODAY)]
    assert "Ban có 1 Trưởng ban." in rules and "Mỗi thôn, tổ dân phố có 1 thành viên Ban Thanh tra nhân dân." in rules
    assert queries.board_breaches(board, dt.date(2026, 6, 1)) == []


def test_service_refuses_second_head_third_deputy_second_member_of_a_village(board, villages):
    with pytest.raises(ValidationError, match="Ban có 1 Trưởng ban"):
        services.add_member(by=SYSTEM, board=board, full_name="X", position=Position.HEAD, term_start=TERM_START)
    with pytest.raises(ValidationError, match="không quá 2 Phó Trưởng ban"):
        services.add_member(by=SYSTEM, board=board, full_name="X", position=Position.DEPUTY, term_start=TERM_START)
    with pytest.raises(ValidationError, match="Thôn 1 đã có"):
        services.add_member(by=SYSTEM, board=board, full_name="X", position=Position.MEMBER, village=villages[0], term_start=TERM_START)
    assert board.members.count() == 6


def test_village_of_another_commune_is_refused(board, other_commune):
    from units.models import Unit, UnitKind

    foreign = Unit.objects.create(parent=other_commune, kind=UnitKind.VILLAGE, edition="2025", code="X-1", name="Thôn lạ")
    with pytest.raises(ValidationError, match="Chọn một thôn"):
        services.add_member(by=SYSTEM, board=board, full_name="X", position=Position.MEMBER, village=foreign, term_start=TERM_START)


def test_minimum_is_a_setting_of_conf(board, monkeypatch):
    from supervision import conf

    monkeypatch.setattr(conf, "BOARD_MIN_MEMBERS", 7)
    assert [b.rule for b in queries.board_breaches(board, TODAY)] == ["Ban có ít nhất 7 thành viên."]


def test_investment_board_needs_a_project_and_five_members(commune):
    with pytest.raises(ValidationError, match="nhập tên chương trình, dự án"):
        services.create_board(
            by=SYSTEM, unit=commune, kind=BoardKind.INVESTMENT, name="GSĐT", term_start=TERM_START, term_end=dt.date(2026, 12, 31)
        )
    b = services.create_board(
        by=SYSTEM,
        unit=commune,
        kind=BoardKind.INVESTMENT,
        name="GSĐT",
        project="Đường trục xã",
        term_start=TERM_START,
        term_end=dt.date(2026, 12, 31),
    )
    services.add_member(by=SYSTEM, board=b, full_name="A", position=Position.HEAD, term_start=TERM_START)
    assert [x.rule for x in queries.board_breaches(b, TODAY)] == ["Ban có ít nhất 5 thành viên."]


def test_one_inspection_board_per_commune_and_term(board, commune):
    with pytest.raises(ValidationError, match="mỗi xã một ban"):
        services.create_board(
            by=SYSTEM, unit=commune, kind=BoardKind.INSPECTION, name="Ban 2", term_start=dt.date(2027, 1, 1), term_end=dt.date(2031, 1, 1)
        )


def test_a_board_is_set_up_at_a_commune_in_force(bac_giang, bac_ninh):
    from units.models import Unit, UnitKind
    from units.structure import UnitNotInForce

    old = Unit.objects.filter(edition="2024", kind=UnitKind.COMMUNE, successor__isnull=False).select_related("successor").first()
    with pytest.raises(UnitNotInForce) as refusal:
        services.create_board(
            by=SYSTEM, unit=old, kind=BoardKind.INSPECTION, name="Ban", term_start=TERM_START, term_end=dt.date(2030, 9, 30)
        )
    assert refusal.value.successor == old.successor
    assert old.successor.name in refusal.value.messages[0]
    with pytest.raises(ValidationError, match="cấp xã"):
        services.create_board(
            by=SYSTEM, unit=bac_ninh, kind=BoardKind.INSPECTION, name="Ban", term_start=TERM_START, term_end=dt.date(2030, 9, 30)
        )
