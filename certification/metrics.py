"""Figures other capabilities read by key (core.metrics): where the communes stand against the
recognition target, the files waiting at each level, the districts' lax-appraisal flags. Each is
read for many units at once in a fixed number of queries (the steering overview over every commune
of a province); a unit's predecessors count with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from certification import queries
from certification.models import Campaign, DistrictTarget, FileState, Registration
from core.metrics import MetricValue
from units.models import Unit, UnitKind
from units.structure import LineageIndex

SOURCE = "Hồ sơ đánh giá, công nhận chính quyền thân thiện"
S = FileState
# Whose turn it is on a file still moving, by level.
WAITING_ON = {
    "commune": (S.REGISTERED, S.RETURNED_TO_COMMUNE),
    "district": (S.SUBMITTED, S.RETURNED_TO_DISTRICT, S.DISTRICT_PROPOSED),
    "province": (S.AT_PROVINCE,),
}


def _none(note: str, link: str = "") -> MetricValue:
    return MetricValue(None, "", 0, SOURCE, note=note, link=link)


def _campaigns(units: Iterable[Unit], end: dt.date) -> dict[int, Campaign]:
    """Each unit's latest campaign of a year up to `end`'s: its province's, or the campaign of a
    province it succeeded (a 2024 campaign for a commune of the 2025 list)."""
    campaigns = list(Campaign.objects.filter(year__lte=end.year).select_related("province", "province__successor").order_by("-year"))
    out: dict[int, Campaign] = {}
    for unit in units:
        for campaign in campaigns:
            province = campaign.province
            paths = [province.path] + ([province.successor.path] if province.successor else [])
            if any(unit.path.startswith(p) or p.startswith(unit.path) for p in paths):
                out[unit.pk] = campaign
                break
    return out


def recognised_share_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Per unit: the share of the communes in force on `end` in its subtree that hold a recognition
    in force on `end` (not revoked), theirs or a predecessor commune's. For a commune: 100 or 0, the
    note its latest file's state. No figure (None, never 0) where no commune has ever registered."""
    if not units:
        return {}
    own = LineageIndex(units)
    communes = list(Unit.objects.filter(own.q("path"), kind=UnitKind.COMMUNE).in_force(end).only("pk", "path"))
    index = LineageIndex(communes)
    recognised: set[int] = set()
    latest: dict[int, tuple[int, str]] = {}  # commune → (year, state) of its (or a predecessor's) latest file
    files = Registration.objects.filter(index.q("unit__path"), campaign__year__lte=end.year).values_list(
        "unit__path", "campaign__year", "state", "recognition__valid_until", "recognition__revoked_at", "recognition__decision_date"
    )
    for path, year, state, valid_until, revoked_at, decided_on in files:
        owners = index.owners(path)
        if state == S.RECOGNISED and revoked_at is None and decided_on is not None and decided_on <= end <= valid_until:
            recognised |= owners
        for owner in owners:
            if owner not in latest or year > latest[owner][0]:
                latest[owner] = (year, state)
    campaigns = _campaigns(units, end)
    out: dict[int, MetricValue] = {}
    for unit in units:
        inside = [c.pk for c in communes if c.path.startswith(unit.path)]
        campaign = campaigns.get(unit.pk)
        link = reverse("certification:targets", args=[campaign.pk]) if campaign else ""
        if not inside:
            out[unit.pk] = MetricValue(None, "%", 0, SOURCE, note="Không có xã nào đang hoạt động trong đơn vị.", link=link)
            continue
        if not any(pk in latest for pk in inside):
            out[unit.pk] = MetricValue(None, "%", 0, SOURCE, note="Chưa có hồ sơ đăng ký đánh giá, công nhận.", link=link)
            continue
        held = sum(1 for pk in inside if pk in recognised)
        if len(inside) == 1:
            note = str(S(latest[inside[0]][1]).label) if inside[0] in latest else "Chưa có hồ sơ đăng ký đánh giá, công nhận."
        else:
            note = f"{held}/{len(inside)} xã đang giữ công nhận đạt chuẩn."
        out[unit.pk] = MetricValue(round(100 * held / len(inside), 1), "%", len(inside), SOURCE, note=own.note(unit.pk, note), link=link)
    return out


def recognised_share(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return recognised_share_many(units=[unit], start=start, end=end)[unit.pk]


def target_share_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Per unit: the recognition target (share of communes) of its latest campaign: the district's
    own target where the campaign set one, else the province's."""
    campaigns = _campaigns(units, end)
    district_targets = {
        (t.campaign_id, t.district_id): t.target_share for t in DistrictTarget.objects.filter(campaign__in=set(campaigns.values()))
    }
    out: dict[int, MetricValue] = {}
    for unit in units:
        campaign = campaigns.get(unit.pk)
        if campaign is None:
            out[unit.pk] = _none("Chưa có đợt đánh giá nào.")
            continue
        share = district_targets.get((campaign.pk, unit.pk), campaign.target_share)
        link = reverse("certification:targets", args=[campaign.pk])
        out[unit.pk] = MetricValue(round(float(share) * 100, 1), "%", 1, SOURCE, note=str(campaign), link=link)
    return out


def target_share(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return target_share_many(units=[unit], start=start, end=end)[unit.pk]


def _waiting_many(level: str, units: list[Unit], end: dt.date) -> dict[int, MetricValue]:
    if not units:
        return {}
    index = LineageIndex(units)
    campaigns = _campaigns(units, end)
    counts: dict[int, int] = {unit.pk: 0 for unit in units}
    rows = Registration.objects.filter(
        index.q("unit__path"), campaign__in=set(campaigns.values()), state__in=WAITING_ON[level]
    ).values_list("unit__path", "campaign_id")
    for path, campaign_id in rows:
        for owner in index.owners(path):
            if campaigns.get(owner) and campaigns[owner].pk == campaign_id:
                counts[owner] += 1
    out: dict[int, MetricValue] = {}
    for unit in units:
        campaign = campaigns.get(unit.pk)
        if campaign is None:
            out[unit.pk] = _none("Chưa có đợt đánh giá nào.")
            continue
        states = WAITING_ON[level]
        link = reverse("certification:campaign_detail", args=[campaign.pk]) + "?" + urlencode({"state": states[0]})
        note = f"{campaign}: hồ sơ đang ở bước " + ", ".join(str(S(s).label) for s in states) + " (hiện tại)."
        out[unit.pk] = MetricValue(float(counts[unit.pk]), "hồ sơ", counts[unit.pk], SOURCE, note=index.note(unit.pk, note), link=link)
    return out


def waiting_on_commune_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Files of the latest campaign waiting on the commune (self-assessment, or returned to it), now."""
    return _waiting_many("commune", units, end)


def waiting_on_district_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Files of the latest campaign waiting on the district (appraisal, or sending to the province), now."""
    return _waiting_many("district", units, end)


def waiting_on_province_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Files of the latest campaign waiting on the province's appraisal, now."""
    return _waiting_many("province", units, end)


def waiting_on_commune(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return _waiting_many("commune", [unit], end)[unit.pk]


def waiting_on_district(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return _waiting_many("district", [unit], end)[unit.pk]


def waiting_on_province(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return _waiting_many("province", [unit], end)[unit.pk]


def lax_appraisal_flags_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Per unit: the appraisal-quality flags (copied self-scores, sampled files far from the
    province's score, inflation, mass registration, recognitions contradicting citizens' figures)
    raised on the districts in its subtree in the latest campaign with a district step. A commune
    has no appraisal team: no figure."""
    campaigns = _campaigns(units, end)
    index = LineageIndex(units)
    out: dict[int, MetricValue] = {}
    by_campaign: dict[int, list[Any]] = {}
    for distinct in {c.pk: c for c in campaigns.values()}.values():
        if distinct.has_district_step:
            by_campaign[distinct.pk] = queries.appraisal_quality(campaign=distinct).rows
    for unit in units:
        campaign = campaigns.get(unit.pk)
        if campaign is None or campaign.pk not in by_campaign:
            out[unit.pk] = _none("Không có đợt đánh giá có bước thẩm định cấp huyện.")
            continue
        link = reverse("certification:quality", args=[campaign.pk])
        if unit.kind not in (UnitKind.PROVINCE, UnitKind.DISTRICT):
            out[unit.pk] = _none("Chỉ tính cho tổ thẩm định cấp huyện.", link)
            continue
        rows = [r for r in by_campaign[campaign.pk] if unit.pk in index.owners(r.district.path)]
        flags = sum(len(r.flags) for r in rows)
        flagged = [r.district.name for r in rows if r.flags]
        note = f"{campaign}: " + (
            f"{len(flagged)} huyện có cảnh báo ({', '.join(flagged)})." if flagged else "không huyện nào có cảnh báo."
        )
        out[unit.pk] = MetricValue(float(flags), "cảnh báo", len(rows), SOURCE, note=note, link=link)
    return out


def lax_appraisal_flags(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return lax_appraisal_flags_many(units=[unit], start=start, end=end)[unit.pk]
