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
from accounts.scope import can_reach, get_scoped_or_404, role_roots, scope_queryset
from supervision.models import Board, Meeting, Recommendation, ReportForm, UnitReport
from units.models import Unit, UnitKind
from units.structure import lineage_paths

RECORD_ROLES = frozenset(PROVINCE_ADMIN_ROLES | {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN})
ANSWER_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN})
# The periodic report: the commune's officials write and submit their own; the level above (the
# district's steering committee before the merger, the province's standing office) reviews it and
# the province edits the forms.
REPORT_ROLES = ANSWER_ROLES
REVIEW_ROLES = frozenset(PROVINCE_ADMIN_ROLES | {Role.DISTRICT_COMMITTEE})
FORM_ROLES = PROVINCE_ADMIN_ROLES


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


def can_write_report(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, REPORT_ROLES)


def can_review_report_unit(user: Any, reviewer: Unit) -> bool:
    return can_reach(user, reviewer, REVIEW_ROLES)


def can_review_report(user: Any, report: UnitReport) -> bool:
    """Only those holding a reviewing role over the level the report goes up to."""
    return can_review_report_unit(user, report.reviewer)


def can_edit_forms(user: Any, province: Unit) -> bool:
    return can_reach(user, province, FORM_ROLES)


def can_manage_forms(user: Any) -> bool:
    """Holds the province's standing office (or system) role somewhere: may open the form pages at
    all (anyone else gets 403); each form is then loaded within that scope (another province's: 404)."""
    return bool(role_roots(user, FORM_ROLES))


def editable_forms(user: Any) -> Any:
    """Every version of the forms of the provinces where `user` edits forms."""
    return scope_queryset(ReportForm.objects.select_related("province", "published_by"), user, unit_path="province__path", roles=FORM_ROLES)


def visible_reports(user: Any) -> Any:
    return scope_queryset(UnitReport.objects.select_related("unit", "reviewer", "form"), user)


def access_report(*, actor: Any, report_id: int, write: bool = False) -> UnitReport:
    """A report in the actor's scope; with `write`, for the reporting unit's officials or its
    reviewer (the service then checks which of the two acts)."""
    report = get_scoped_or_404(UnitReport.objects.select_related("unit", "reviewer", "form"), actor, pk=report_id)
    if write and not (can_write_report(actor, report.unit) or can_review_report(actor, report)):
        raise Http404
    return report


def access_form(*, actor: Any, form_id: int, write: bool = False) -> ReportForm:
    """A form of a province in the actor's scope (communes read their province's forms through
    their reports; the form pages are the province's)."""
    form = get_scoped_or_404(ReportForm.objects.select_related("province"), actor, unit_path="province__path", pk=form_id)
    if write and not can_edit_forms(actor, form.province):
        raise Http404
    return form


def in_province(form: ReportForm, unit: Unit) -> bool:
    """`unit` lies in the form's province or in one of the provinces it was formed from (the
    districts and communes of the 2024 list report on the new province's form for their periods)."""
    return any(unit.path.startswith(path) for path in lineage_paths(form.province))


def review_level(user: Any, form: ReportForm, chosen: str | None = None) -> Unit | None:
    """The level whose compiled report `user` reads: the province when they review there, else a
    district (2024 list, in the form's province or one it was formed from) where they review, the
    one `chosen` (its id) when given; None for anyone else."""
    if can_review_report_unit(user, form.province):
        return form.province
    districts = [r for r in role_roots(user, REVIEW_ROLES) if r.kind == UnitKind.DISTRICT and in_province(form, r)]
    if chosen:
        return next((d for d in districts if str(d.pk) == chosen), None)
    return districts[0] if districts else None
