"""The demo: a finished province-wide campaign for all four groups, idempotently (its speed is measured
by bench/, never in a unit test)."""

from __future__ import annotations

import io

import pytest

from accounts.actors import SYSTEM
from surveys import demo, queries, services
from surveys.models import Campaign, CampaignState, Response, Stratum
from units.importing import import_official_units
from units.models import Unit, UnitKind


def test_demo_campaign_is_populated_once(bac_giang) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    demo.load(stdout=out)
    campaign = Campaign.objects.get(title=demo.TITLE_2024)
    assert campaign.state == CampaignState.CLOSED
    assert set(campaign.forms.values_list("group", flat=True)) == {"citizens", "officials", "organisations", "businesses"}
    count = Response.objects.filter(stratum__form__campaign=campaign).count()
    assert 2000 < count < 8000
    districts = queries.index_cells(view=queries.reading(campaign=campaign), by="district")
    assert len(districts) == 10 and all(c.share is not None for c in districts)
    shares = [c.share.est for c in districts if c.share]
    assert max(shares) - min(shares) > 0.02  # districts differ
    years = queries.year_comparison(campaign=campaign, roots=[bac_giang])
    # 2023 fielded citizens only: like with like, only citizens are compared, each change tested
    assert years["possible"] and "Người dân" in years["note"] and {r["group"] for r in years["rows"]} == {"Người dân"}
    assert all(r["p"] is not None and 0 <= r["p"] <= 1 for r in years["rows"])
    demo.load(stdout=out)
    assert Response.objects.filter(stratum__form__campaign=campaign).count() == count


@pytest.fixture
def bac_ninh_2025(bac_giang) -> Unit:  # type: ignore[no-untyped-def]
    import_official_units(province_code="24", structure="2025")
    return Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")


def test_the_open_2026_campaign_fields_all_seven_forms_on_2025_communes(bac_ninh_2025) -> None:  # type: ignore[no-untyped-def]
    services.load_instruments(by=SYSTEM)
    out = io.StringIO()
    demo.load_open_campaign(stdout=out)
    campaign = Campaign.objects.get(title=demo.TITLE_2026)
    assert campaign.state == CampaignState.OPEN and campaign.unit == bac_ninh_2025
    fielded = sorted(campaign.forms.values_list("version__instrument__code", flat=True))
    assert fielded == ["PKS01", "PKS02", "PKS03", "PKS04", "PKS05", "PKS06", "PKS07"]
    units = set(Stratum.objects.filter(form__campaign=campaign).values_list("unit__edition", flat=True))
    assert units == {"2025"}
    for code in fielded:
        assert Response.objects.filter(stratum__form__campaign=campaign, stratum__form__version__instrument__code=code).exists()
    demo.load_open_campaign(stdout=out)
    assert Campaign.objects.filter(title=demo.TITLE_2026).count() == 1
