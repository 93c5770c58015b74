"""Who may see and write a commune's supervision records. A board belongs to its commune: the
commune's officials and the levels above it (in the actor's scope) see it; the commune's officials
and the province's standing office record what the board does (the board has no accounts of its own:
the commune's democracy office keeps its records); the commune's chairman and officials answer its
recommendations. Missing and out-of-scope give the same 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import Role
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach, get_scoped_or_404, scope_queryset
from supervision.models import Board, Meeting, Recommendation
from units.models import Unit, UnitKind

RECORD_ROLES = frozenset(PROVINCE_ADMIN_ROLES | {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN})
ANSWER_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN})


def can_record(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, RECORD_ROLES)


def can_answer(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, ANSWER_ROLES)


def visible_boards(user: Any) -> Any:
    return scope_queryset(Board.objects.select_related("unit"), user)


def access_board(*, actor: Any, board_id: int, write: bool = False) -> Board:
    board = get_scoped_or_404(Board.objects.select_related("unit"), actor, pk=board_id)
    if write and not can_record(actor, board.unit):
        raise Http404
    return board


def access_recommendation(*, actor: Any, recommendation_id: int, write: bool = False) -> Recommendation:
    """With `write`, only for those who answer it (the commune)."""
    recommendation = get_scoped_or_404(
        Recommendation.objects.select_related("board__unit"), actor, unit_path="board__unit__path", pk=recommendation_id
    )
    if write and not can_answer(actor, recommendation.board.unit):
        raise Http404
    return recommendation


def access_meeting(*, actor: Any, meeting_id: int, write: bool = False) -> Meeting:
    """A dialogue or village conference in the actor's scope; with `write`, for those who record the
    commune's supervision records."""
    meeting = get_scoped_or_404(Meeting.objects.select_related("unit", "unit__parent"), actor, pk=meeting_id)
    commune = meeting.unit.parent if meeting.unit.kind == UnitKind.VILLAGE else meeting.unit
    if write and (commune is None or not can_record(actor, commune)):
        raise Http404
    return meeting
