"""Read-only API: campaigns in scope and their satisfaction index with 95 % intervals."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from accounts.api_auth import STAFF_AUTH
from surveys import queries, statistics
from surveys.models import Campaign, Group
from surveys.permissions import access_campaign, campaign_filter, result_roots

router = Router(tags=["surveys"])


class CampaignOut(Schema):
    id: int
    title: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    state: str
    anonymous: bool


class CellOut(Schema):
    key: str
    label: str
    n: int | None
    suppressed: bool
    share: float | None
    share_lci: float | None
    share_uci: float | None
    mean: float | None
    mean_lci: float | None
    mean_uci: float | None
    rank_best: int | None
    rank_worst: int | None


class WeightingOut(Schema):
    adjusted: bool
    variables: list[str]
    label: str


class IndexOut(Schema):
    campaign: CampaignOut
    weighting: WeightingOut
    elements: list[CellOut]
    breakdown: list[CellOut]


def _cell(c: statistics.IndexCell) -> CellOut:
    return CellOut(
        key=c.key,
        label=c.label,
        n=c.n,
        suppressed=c.suppressed,
        share=c.share.est if c.share else None,
        share_lci=c.share.lci if c.share else None,
        share_uci=c.share.uci if c.share else None,
        mean=c.mean.est if c.mean else None,
        mean_lci=c.mean.lci if c.mean else None,
        mean_uci=c.mean.uci if c.mean else None,
        rank_best=c.rank_best,
        rank_worst=c.rank_worst,
    )


@router.get("/campaigns", response=list[CampaignOut], auth=STAFF_AUTH)
def list_campaigns(request: HttpRequest) -> list[Campaign]:
    return list(Campaign.objects.filter(campaign_filter(request.user)).distinct()[:200])


@router.get("/campaigns/{campaign_id}/index", response=IndexOut, auth=STAFF_AUTH)
def campaign_index(request: HttpRequest, campaign_id: int, by: str = "district", group: str = "") -> IndexOut:
    """Index per element, and per `by` (district, commune or group); cells under the campaign's
    threshold, and those hidden so that no other cell can be worked out from them, are suppressed
    (no figures, no count). Shares are rounded to 0.001 (0.1 point), mean scores to 0.01."""
    campaign = access_campaign(actor=request.user, campaign_id=campaign_id)
    view = queries.reading(
        campaign=campaign, roots=result_roots(request.user, campaign), group=group if group in Group.values else statistics.ALL
    )
    by = by if by in ("district", "commune", "group") else "district"
    weighting = queries.weighting(campaign)
    return IndexOut(
        campaign=CampaignOut.from_orm(campaign),
        weighting=WeightingOut(adjusted=weighting.adjusted, variables=list(weighting.variables), label=weighting.label),
        elements=[_cell(c) for c in queries.element_cells(view=view)],
        breakdown=[_cell(c) for c in queries.index_cells(view=view, by=by)],
    )
