"""Whether a board's membership meets the Law's rules (DOMAIN.md, "Inspect and supervise"). Each
failure names the rule it breaks, so the page shows the rule beside the problem."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from supervision import conf
from supervision.models import BoardKind, BoardMember, Position
from units.models import Unit


@dataclass(frozen=True)
class Breach:
    rule: str  # the rule, as the law states it
    problem: str  # what is wrong with this board


def check(*, kind: str, members: Iterable[BoardMember], villages: Iterable[Unit], on: dt.date) -> list[Breach]:
    """The rules the members serving on `on` break (empty when the board is composed as the law
    requires). `villages` are the commune's villages in force on `on`: an inspection board has one
    member for each (unknown villages skip that rule)."""
    serving = [m for m in members if m.serves_on(on)]
    positions = Counter(m.position for m in serving)
    breaches: list[Breach] = []
    minimum = conf.BOARD_MIN_MEMBERS if kind == BoardKind.INSPECTION else conf.INVESTMENT_BOARD_MIN_MEMBERS
    if len(serving) < minimum:
        breaches.append(
            Breach(
                _("Ban có ít nhất %(n)s thành viên.") % {"n": minimum},
                _("Ban đang có %(have)s thành viên.") % {"have": len(serving)},
            )
        )
    if positions[Position.HEAD] != conf.BOARD_HEADS:
        breaches.append(
            Breach(
                _("Ban có %(n)s Trưởng ban.") % {"n": conf.BOARD_HEADS},
                _("Ban đang có %(have)s Trưởng ban.") % {"have": positions[Position.HEAD]},
            )
        )
    if positions[Position.DEPUTY] > conf.BOARD_MAX_DEPUTIES:
        breaches.append(
            Breach(
                _("Ban có không quá %(n)s Phó Trưởng ban.") % {"n": conf.BOARD_MAX_DEPUTIES},
                _("Ban đang có %(have)s Phó Trưởng ban.") % {"have": positions[Position.DEPUTY]},
            )
        )
    if kind == BoardKind.INSPECTION:
        villages = list(villages)
        rule = _("Mỗi thôn, tổ dân phố có %(n)s thành viên Ban Thanh tra nhân dân.") % {"n": conf.BOARD_MEMBERS_PER_VILLAGE}
        per_village = Counter(m.village_id for m in serving if m.village_id is not None)
        for village in villages:
            count = per_village.get(village.pk, 0)
            if count != conf.BOARD_MEMBERS_PER_VILLAGE:
                breaches.append(Breach(rule, _("%(village)s có %(have)s thành viên.") % {"village": village.name, "have": count}))
    return breaches
