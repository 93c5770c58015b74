"""The staff home lists open campaigns the user can reach, and nothing for an outsider."""

from __future__ import annotations


def test_open_campaign_on_staff_home(campaign, commune_officer, outsider, client_for) -> None:  # type: ignore[no-untyped-def]
    home = client_for(commune_officer).get("/staff/")
    assert home.status_code == 200 and campaign.title in home.content.decode()
    assert campaign.title not in client_for(outsider).get("/staff/").content.decode()
