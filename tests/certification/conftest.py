"""Certification fixtures: the sample criteria set published, a 2024 campaign open today, and a
helper that takes a commune's file through the real services to a chosen step."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Role
from certification import services
from certification.criteria_io import load_sample_spec
from certification.models import ApprovalChain, Campaign, CriteriaSet, Level, Registration
from units.models import Unit

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


# The fixtures' campaigns run with the district step on the 2024 Bắc Giang units, as the seed's 2023
# and 2024 campaigns did: their "today" is in 2024, before the districts were abolished on 1 July
# 2025. Tests of the two-tier structure (marked two_tier) keep the real date.
IN_2024 = dt.datetime(2024, 5, 15, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _in_2024(request):  # type: ignore[no-untyped-def]
    if request.node.get_closest_marker("two_tier") or request.node.get_closest_marker("e2e"):
        yield
        return
    import time_machine

    with time_machine.travel(IN_2024, tick=True):
        yield


@pytest.fixture
def criteria_set(province_officer) -> CriteriaSet:  # type: ignore[no-untyped-def]
    cs = services.create_criteria_set(spec=load_sample_spec(), by=province_officer)
    return services.publish_criteria_set(criteria_set=cs, by=province_officer)


@pytest.fixture
def national_template(province_officer) -> CriteriaSet:  # type: ignore[no-untyped-def]
    """The sample set as a national template (no province), which a province copies."""
    cs = services.create_criteria_set(spec=load_sample_spec(), by=province_officer)
    CriteriaSet.objects.filter(pk=cs.pk).update(province=None, family="mau-quoc-gia")
    cs.refresh_from_db()
    return services.publish_criteria_set(criteria_set=cs, by=province_officer) if cs.province_id else _publish_template(cs)


def _publish_template(cs: CriteriaSet) -> CriteriaSet:
    CriteriaSet.objects.filter(pk=cs.pk).update(status=CriteriaSet.Status.PUBLISHED, published_at=timezone.now())
    cs.refresh_from_db()
    return cs


def make_campaign(
    by: Any, province: Unit, criteria_set: CriteriaSet, *, year: int = 2024, chain: str = ApprovalChain.COMMUNE_DISTRICT_PROVINCE
) -> Campaign:
    today = timezone.localdate()
    return services.create_campaign(
        by=by,
        province=province,
        year=year,
        name=f"Đánh giá chính quyền thân thiện năm {year}",
        criteria_set=criteria_set,
        approval_chain=chain,
        target_share=Decimal("0.6"),
        registration_opens=today - dt.timedelta(days=10),
        registration_closes=today + dt.timedelta(days=20),
        self_assessment_due=today + dt.timedelta(days=40),
        district_appraisal_due=today + dt.timedelta(days=60) if chain == ApprovalChain.COMMUNE_DISTRICT_PROVINCE else None,
        province_appraisal_due=today + dt.timedelta(days=80),
    )


@pytest.fixture
def campaign(province_officer, bac_giang, criteria_set) -> Campaign:  # type: ignore[no-untyped-def]
    return make_campaign(province_officer, bac_giang, criteria_set)


def full_entries(registration: Registration, *, minus: dict[str, Decimal] | None = None) -> list[services.SelfScoreEntry]:
    minus = minus or {}
    return [
        services.SelfScoreEntry(criterion_id=c.pk, score=c.max_points - minus.get(c.code, Decimal("0")), explanation=f"Kết quả {c.code}")
        for c in registration.campaign.criteria_set.criteria.all()
    ]


def fill_dossier(registration: Registration, by: Any, *, minus: dict[str, Decimal] | None = None) -> None:
    for kind in services.REQUIRED_DOCUMENTS:
        services.upload_document(registration=registration, kind=kind, fileobj=io.BytesIO(PDF), name=f"{kind}.pdf", by=by)
    services.save_self_scores(registration=registration, entries=full_entries(registration, minus=minus), by=by)


def district_scores(registration: Registration, by: Any, *, level: str = Level.DISTRICT, minus: dict[str, Decimal] | None = None) -> None:
    minus = minus or {}
    entries = [
        services.ScoreEntry(criterion_id=c.pk, score=c.max_points - minus.get(c.code, Decimal("0")), comment="Đúng hồ sơ")
        for c in registration.campaign.criteria_set.criteria.all()
    ]
    services.save_appraisal_scores(registration=registration, level=level, entries=entries, by=by)
    if level == Level.PROVINCE:
        # the province's re-scoring counts once its team (here one member, its leader) agreed on it
        services.agree_team_score(registration=registration, level=level, by=by)


@pytest.fixture
def people(make_user, luc_nam, bac_giang) -> Callable[[Unit], dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Users for a commune: officer and chairman; plus district committee, two appraisers, province office."""
    cache: dict[str, Any] = {}

    def for_commune(commune: Unit) -> dict[str, Any]:
        if "province" not in cache:
            cache["province"] = make_user(Role.PROVINCE_OFFICE, bac_giang)
        district = commune.parent
        key = f"d{district.pk}"
        if key not in cache:
            cache[key] = {
                "committee": make_user(Role.DISTRICT_COMMITTEE, district),
                "appraiser": make_user(Role.DISTRICT_APPRAISER, district),
                "appraiser2": make_user(Role.DISTRICT_APPRAISER, district),
            }
        return {
            "officer": make_user(Role.COMMUNE_OFFICER, commune),
            "chairman": make_user(Role.COMMUNE_CHAIRMAN, commune),
            "province": cache["province"],
            **cache[key],
        }

    return for_commune


def to_district(campaign: Campaign, commune: Unit, p: dict[str, Any], *, minus: dict[str, Decimal] | None = None) -> Registration:
    reg = services.register(campaign=campaign, unit=commune, by=p["officer"])
    fill_dossier(reg, p["officer"], minus=minus)
    return services.submit_self_assessment(registration=reg, by=p["chairman"])


def district_appraise(reg: Registration, p: dict[str, Any], *, minus: dict[str, Decimal] | None = None) -> Registration:
    services.set_team(
        registration=reg, level=Level.DISTRICT, members=[p["appraiser"], p["appraiser2"]], leader=p["appraiser"], by=p["committee"]
    )
    for who in ("appraiser", "appraiser2"):
        services.declare_interest(registration=reg, level=Level.DISTRICT, has_conflict=False, by=p[who])
    district_scores(reg, p["appraiser"], minus=minus)
    district_scores(reg, p["appraiser2"], minus=minus)
    services.record_site_visit(
        registration=reg, visited_on=timezone.localdate(), participants="Tổ thẩm định", findings="Đúng thực tế", by=p["appraiser"]
    )
    services.agree_team_score(registration=reg, by=p["appraiser"])
    return services.district_propose(registration=reg, by=p["committee"])


def province_recheck(reg: Registration, p: dict[str, Any], *, minus: dict[str, Decimal] | None = None) -> None:
    """The province team (the province officer leading) scores every criterion itself and records
    that it re-appraised the file."""
    if not reg.members.filter(level=Level.PROVINCE, user=p["province"]).exists():
        services.set_team(registration=reg, level=Level.PROVINCE, members=[p["province"]], leader=p["province"], by=p["province"])
        services.declare_interest(registration=reg, level=Level.PROVINCE, has_conflict=False, by=p["province"])
    district_scores(reg, p["province"], level=Level.PROVINCE, minus=minus)
    services.complete_province_check(registration=reg, by=p["province"])


def check_samples(campaign: Campaign, district: Unit, p: dict[str, Any]) -> list[Registration]:
    """Re-appraise at the province every sampled file of `district` still waiting (full marks less
    nothing: the province agrees with a perfect file); returns those files."""
    from certification.models import ProvinceCheck

    waiting = [
        c.registration
        for c in ProvinceCheck.objects.filter(
            registration__campaign=campaign, registration__district=district, drawn=True, checked_at__isnull=True
        ).select_related("registration__campaign__criteria_set", "registration__unit")
    ]
    for reg in waiting:
        province_recheck(reg, p)
    return waiting
