"""Who may do what with surveys."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach, get_scoped_or_404, role_roots
from surveys.models import Campaign, Stratum
from units.models import Unit

# The province's Mass Mobilisation Commission runs the survey (notice, last paragraph); its standing
# office keeps the questionnaires; district committees may run their own campaigns.
CAMPAIGN_ROLES = frozenset(PROVINCE_ADMIN_ROLES | {Role.DISTRICT_COMMITTEE})


def can_manage_instruments(user: Any) -> bool:
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def can_create_campaign(user: Any, unit: Unit | None = None) -> bool:
    if unit is None:
        return bool(role_roots(user, CAMPAIGN_ROLES))
    return can_reach(user, unit, CAMPAIGN_ROLES)


def can_manage_campaign(user: Any, campaign: Campaign) -> bool:
    return can_reach(user, campaign.unit, CAMPAIGN_ROLES)


def is_commune_staff(user: Any, unit: Unit) -> bool:
    """`user` holds a role at `unit` itself or below it: they work for the commune being surveyed."""
    return any(root.path.startswith(unit.path) for root in role_roots(user))


def can_enter_paper_forms(user: Any, unit: Unit) -> bool:
    """Paper questionnaires of a commune are typed in by staff of a level above it (district or
    province) in whose scope it lies, never by the commune's own staff: the survey rates them, so
    answers they type would count in their own index."""
    return can_reach(user, unit) and not is_commune_staff(user, unit)


def campaign_filter(user: Any) -> Q:
    """Campaigns a user may see: run within their scope, or covering a unit they hold a role at
    (a commune officer sees a province campaign, limited to the commune's results)."""
    q = Q(pk__in=[])
    for root in role_roots(user):
        q |= Q(unit__path__startswith=root.path)
        ancestors = [p for p in root.path.strip("/").split("/") if p]
        q |= Q(unit_id__in=[int(a) for a in ancestors])
    return q


def result_roots(user: Any, campaign: Campaign) -> list[Unit]:
    """The subtrees of the campaign whose results `user` may read."""
    roots = []
    for root in role_roots(user):
        if root.path.startswith(campaign.unit.path):
            roots.append(root)
        elif campaign.unit.path.startswith(root.path):
            roots.append(campaign.unit)
    return roots


def access_campaign(*, actor: Any, campaign_id: int, write: bool = False) -> Campaign:
    """A campaign `actor` may see (campaign_filter) or, with `write`, manage (can_manage_campaign);
    missing and not-yours give the same 404."""
    try:
        campaign = Campaign.objects.select_related("unit").filter(campaign_filter(actor)).distinct().get(pk=campaign_id)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_manage_campaign(actor, campaign):
        raise Http404
    return campaign


def access_stratum(*, actor: Any, stratum_id: int, write: bool = False) -> Stratum:
    """A campaign's commune × form cell within the actor's scope (by its commune; with `write`, only
    for those who may manage its campaign); missing and not-yours are the same 404."""
    stratum = get_scoped_or_404(
        Stratum.objects.select_related("form__campaign__unit", "form__version__instrument", "unit"), actor, pk=stratum_id
    )
    if write and not can_manage_campaign(actor, stratum.form.campaign):
        raise Http404
    return stratum
