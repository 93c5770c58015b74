"""Who may do what with criteria sets, campaigns and communes' files. Services call these; templates
use them to hide buttons. Scope comes from accounts.scope (a role at a unit covers its subtree)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach, get_scoped_or_404, role_roots
from certification.models import AppraisalMember, Campaign, CriteriaSet, DossierDocument, Level, Registration
from units.models import Unit, UnitKind

COMMUNE_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN})
DISTRICT_ROLES = frozenset({Role.DISTRICT_COMMITTEE, Role.DISTRICT_APPRAISER})
PROVINCE_ROLES = frozenset({*PROVINCE_ADMIN_ROLES, Role.PROVINCE_LEADER})
PROVINCE_DECIDERS = PROVINCE_ROLES


def can_manage_criteria(user: Any) -> bool:
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def can_manage_set(user: Any, criteria_set: CriteriaSet) -> bool:
    """A province's set: its administrators; a national template: administrators at the national level."""
    if criteria_set.province is not None:
        return can_reach(user, criteria_set.province, PROVINCE_ADMIN_ROLES)
    return any(root.kind == UnitKind.NATION for root in role_roots(user, PROVINCE_ADMIN_ROLES))


def criteria_sets_for(user: Any) -> QuerySet[CriteriaSet]:
    """The national templates and the sets of the provinces the user works in or under."""
    q = Q(province__isnull=True)
    for root in role_roots(user):
        q |= Q(province__path__startswith=root.path) | Q(province_id__in=root.ancestor_ids())
    return CriteriaSet.objects.filter(q)


def campaign_provinces(user: Any) -> list[Unit]:
    """The provinces in force whose campaigns `user` may create: those where (or above which) they
    hold a province administrator's role; a national-level administrator picks among all."""
    from units.queries import provinces_in_force

    return [p for p in provinces_in_force().order_by("name") if can_reach(user, p, PROVINCE_ADMIN_ROLES)]


def can_manage_campaign(user: Any, campaign: Campaign) -> bool:
    return can_reach(user, campaign.province, PROVINCE_ADMIN_ROLES)


def can_edit_document_template(user: Any, province: Unit) -> bool:
    """The texts of a province's decisions and certificates are its administrators' to edit."""
    return can_reach(user, province, PROVINCE_ADMIN_ROLES)


def can_register(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, COMMUNE_ROLES)


def can_edit_file(user: Any, registration: Registration) -> bool:
    return can_reach(user, registration.unit, COMMUNE_ROLES)


def can_sign_off(user: Any, registration: Registration) -> bool:
    """The commune chairman signs off the submission (Bắc Giang's dossier: "Tờ trình của UBND xã")."""
    return can_reach(user, registration.unit, {Role.COMMUNE_CHAIRMAN})


def can_run_district_step(user: Any, registration: Registration) -> bool:
    """The district steering committee forms the team and proposes or returns the file."""
    return registration.district is not None and can_reach(user, registration.district, {Role.DISTRICT_COMMITTEE})


def can_run_province_step(user: Any, registration: Registration) -> bool:
    return can_reach(user, registration.campaign.province, PROVINCE_ROLES)


def level_roles(level: str) -> frozenset[str]:
    return DISTRICT_ROLES if level == Level.DISTRICT else PROVINCE_ROLES


def level_unit(registration: Registration, level: str) -> Unit | None:
    return registration.district if level == Level.DISTRICT else registration.campaign.province


def can_form_team(user: Any, registration: Registration, level: str) -> bool:
    if level == Level.DISTRICT:
        return can_run_district_step(user, registration)
    return can_reach(user, registration.campaign.province, PROVINCE_ADMIN_ROLES)


def membership(user: Any, registration: Registration, level: str) -> AppraisalMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return AppraisalMember.objects.filter(registration=registration, level=level, user=user).first()


def can_score(user: Any, registration: Registration, level: str) -> bool:
    """A member of the team at `level`, within scope, who declared no conflict of interest.
    A member who declared a conflict (or has not declared yet) is blocked."""
    unit = level_unit(registration, level)
    if unit is None or not can_reach(user, unit, level_roles(level)):
        return False
    member = membership(user, registration, level)
    return member is not None and member.declaration == AppraisalMember.Declaration.NO_CONFLICT


def quality_districts(user: Any, campaign: Campaign) -> list[int] | None:
    """The districts whose appraisal-quality figures `user` may see in `campaign`: every one (None)
    for the province; its own for a district's committee or appraiser; nobody else sees them."""
    if can_reach(user, campaign.province, PROVINCE_ROLES):
        return None
    own = [u.pk for u in role_roots(user, DISTRICT_ROLES) if u.kind == UnitKind.DISTRICT and u.path.startswith(campaign.province.path)]
    if not own:
        raise PermissionDenied
    return own


def can_lead(user: Any, registration: Registration, level: str) -> bool:
    member = membership(user, registration, level)
    return can_score(user, registration, level) and member is not None and member.is_leader


# --- Loading scoped objects --------------------------------------------------------------------
# A campaign is a province-wide round: every commune of the province may register in it, every
# district appraises in it. So anyone holding a role at the campaign's province, at a unit inside it
# or above it sees the campaign (each then sees only the files of their own scope, files_for());
# someone with no role in that province does not, and gets the same 404 as for a missing campaign.
# Changing it (write=True) is for the province's administrators (can_manage_campaign).
def campaigns_for(actor: Any, *, write: bool = False) -> QuerySet[Campaign]:
    """The campaigns `actor` may see (or, with `write`, manage)."""
    q = Q(pk__in=[])
    for root in role_roots(actor, PROVINCE_ADMIN_ROLES if write else None):
        q |= Q(province__path__startswith=root.path)
        if not write:
            q |= Q(province_id__in=root.ancestor_ids())
    return Campaign.objects.filter(q)


def access_campaign(*, actor: Any, campaign_id: int, write: bool = False) -> Campaign:
    """One campaign `actor` may see (or manage); missing and not-yours are the same 404."""
    try:
        return campaigns_for(actor, write=write).select_related("criteria_set", "province").get(pk=campaign_id)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def access_file(*, actor: Any, file_id: int, write: bool = False) -> Registration:
    """One commune's file within the actor's scope; missing and not-yours are the same 404. With
    `write`, only for roles that act on files at some step (commune, district, province);
    which step each may take is the service's check."""
    roles = (COMMUNE_ROLES | DISTRICT_ROLES | PROVINCE_ROLES) if write else None
    return get_scoped_or_404(
        Registration.objects.select_related("campaign__criteria_set", "campaign__province", "unit", "district", "signed_off_by"),
        actor,
        roles=roles,
        pk=file_id,
    )


def access_document(*, actor: Any, document_id: int) -> DossierDocument:
    """One dossier document or evidence file of a file within the actor's scope (current or in
    the history); missing and not-yours are the same 404."""
    return get_scoped_or_404(
        DossierDocument.objects.select_related("file", "registration__unit", "criterion"),
        actor,
        unit_path="registration__unit__path",
        pk=document_id,
    )
