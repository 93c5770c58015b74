"""The approval chain follows the unit structure: with the 2025 two-tier units a campaign configured
commune → province skips the district step entirely (submit goes to the province; a send-back
returns to the commune)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from certification import services
from certification.models import ApprovalChain, FileState, Level
from tests.certification.conftest import fill_dossier, make_campaign
from tests.certification.test_full_cycle import DECISION
from units.importing import import_official_units
from units.models import Unit, UnitKind

pytestmark = [pytest.mark.django_db, pytest.mark.two_tier]


def test_commune_to_province(province_officer, make_user, national_template):
    template = national_template
    import_official_units(province_code="24", structure="2025")
    province = Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")
    commune = Unit.objects.filter(edition="2025", kind=UnitKind.COMMUNE, path__startswith=province.path).first()
    assert commune.parent == province
    office = make_user(Role.PROVINCE_OFFICE, province)
    own_set = services.publish_criteria_set(criteria_set=services.copy_template(template=template, province=province, by=office), by=office)
    campaign = make_campaign(office, province, own_set, year=2026, chain=ApprovalChain.COMMUNE_PROVINCE)
    criteria_set = own_set
    officer, chairman = make_user(Role.COMMUNE_OFFICER, commune), make_user(Role.COMMUNE_CHAIRMAN, commune)
    reg = services.register(campaign=campaign, unit=commune, by=officer)
    assert reg.district is None
    fill_dossier(reg, officer)
    services.submit_self_assessment(registration=reg, by=chairman)
    reg.refresh_from_db()
    assert reg.state == FileState.AT_PROVINCE

    services.province_send_back(registration=reg, reason="Bổ sung ảnh", by=office)
    reg.refresh_from_db()
    assert reg.state == FileState.RETURNED_TO_COMMUNE
    services.submit_self_assessment(registration=reg, by=chairman)

    services.set_team(registration=reg, level=Level.PROVINCE, members=[office], leader=office, by=office)
    services.declare_interest(registration=reg, level=Level.PROVINCE, has_conflict=False, by=office)
    in_2026 = {**DECISION, "decision_date": dt.date(2026, 11, 1), "valid_until": dt.date(2027, 12, 31)}
    with pytest.raises(ValidationError, match="Chưa có điểm thẩm định"):
        services.recognise(registration=reg, by=office, **in_2026)
    # a 2024 commune is refused on a 2026 decision, its successor named
    with pytest.raises(ValidationError, match=r"không có hiệu lực|chỉ có hiệu lực"):
        services.recognise(registration=reg, by=office, **DECISION)
    entries = [services.ScoreEntry(c.pk, c.max_points) for c in criteria_set.criteria.all()]
    services.save_appraisal_scores(registration=reg, level=Level.PROVINCE, entries=entries, by=office)
    services.agree_team_score(registration=reg, level=Level.PROVINCE, by=office)
    recognition = services.recognise(
        registration=reg, by=office, **{**DECISION, "decision_date": dt.date(2026, 11, 1), "valid_until": dt.date(2027, 12, 31)}
    )
    assert recognition.stars == 4


def test_district_chain_needs_a_district_deadline(province_officer, bac_giang, criteria_set):
    with pytest.raises(ValidationError):
        services.create_campaign(
            by=province_officer,
            province=bac_giang,
            year=2030,
            name="x",
            criteria_set=criteria_set,
            approval_chain=ApprovalChain.COMMUNE_DISTRICT_PROVINCE,
            target_share=__import__("decimal").Decimal("0.6"),
            registration_opens=dt.date(2030, 1, 1),
            registration_closes=dt.date(2030, 2, 1),
            self_assessment_due=dt.date(2030, 3, 1),
            province_appraisal_due=dt.date(2030, 5, 1),
        )
