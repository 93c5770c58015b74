"""The demo: a finished province-wide campaign for all four groups, quickly, idempotently."""

from __future__ import annotations

import io
import time

from surveys import demo, queries
from surveys.models import Campaign, CampaignState, Response


def test_demo_campaign_is_populated_fast_and_once(bac_giang) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    started = time.monotonic()
    demo.load(stdout=out)
    assert time.monotonic() - started < 40
    campaign = Campaign.objects.get(title=demo.TITLE_2024)
    assert campaign.state == CampaignState.CLOSED
    assert set(campaign.forms.values_list("group", flat=True)) == {"citizens", "officials", "organisations", "businesses"}
    count = Response.objects.filter(stratum__form__campaign=campaign).count()
    assert 2000 < count < 8000
    districts = queries.index_cells(view=queries.reading(campaign=campaign), by="district")
    assert len(districts) == 10 and all(c.share is not None for c in districts)
    shares = [c.share.est for c in districts if c.share]
    assert max(shares) - min(shares) > 0.02  # districts differ
    assert queries.year_comparison(campaign=campaign, roots=[bac_giang])
    demo.load(stdout=out)
    assert Response.objects.filter(stratum__form__campaign=campaign).count() == count
