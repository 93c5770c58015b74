"""Demo data: the sample criteria set and a 2024 campaign across Bắc Giang's 192 communes with a
realistic spread — recognised at 1–4 stars, refused, revoked, waiting at the district or the
province, drafts, and communes that did not register. Two districts appraise laxly (their scores
track the communes' own; in 2024 Lục Ngạn copies them outright while Lục Nam corrects them) and
the province's check samples are drawn, so the appraisal-quality page has something to show. Built with
bulk_create (seconds); idempotent."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts.models import Role, RoleAssignment
from accounts.scope import can_reach
from certification import conf, criteria_io, documents, sampling, services
from certification.models import (
    DOSSIER_KINDS,
    AppraisalMember,
    AppraisalScore,
    ApprovalChain,
    Campaign,
    CriteriaSet,
    DistrictForward,
    DocumentTemplate,
    DossierDocument,
    FileState,
    Level,
    ProvinceCheck,
    ProvinceSample,
    Recognition,
    Registration,
    SelfScore,
    SiteVisit,
)
from core.uploads import store_upload
from units.demo import demo_province
from units.models import Unit, UnitKind

S = FileState
YEAR = 2024
LAX_DISTRICTS = ("219", "220")  # Lục Ngạn, Sơn Động: district scores barely differ from self-scores
# In 2024 Lục Ngạn's team copies every self-score, while Lục Nam's corrects the inflated ones; the
# province's check sample of each district is drawn (seeded: the year and the district's code).
COPYING_DISTRICT, CORRECTING_DISTRICT = "219", "218"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Share of communes ending in each state (the rest did not register).
SPREAD = [
    (S.RECOGNISED, 0.36),
    (S.REFUSED, 0.07),
    (S.REVOKED, 0.01),
    (S.AT_PROVINCE, 0.08),
    (S.DISTRICT_PROPOSED, 0.06),
    (S.SUBMITTED, 0.08),
    (S.DISTRICT_DECLINED, 0.03),
    (S.RETURNED_TO_COMMUNE, 0.04),
    (S.REGISTERED, 0.10),
]
# The previous round (2023, target 30 %, DOMAIN.md): every file decided, so the target chart has a past.
SPREAD_2023 = [(S.RECOGNISED, 0.30), (S.REFUSED, 0.08), (S.DISTRICT_DECLINED, 0.05)]
DECISIONS = {2023: ("1890/QĐ-UBND", dt.date(2023, 12, 15)), 2024: ("2150/QĐ-UBND", dt.date(2024, 12, 20))}


def _q(value: float) -> Decimal:
    return (Decimal(str(value)) * 2).quantize(Decimal("1")) / 2  # half points, as officials score


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    """The 2023 and 2024 campaigns stay on the 2024 Bắc Giang units with the district step; the 2026
    campaign of the new Bắc Ninh (commune → province) runs on the 2025 communes, in progress."""
    _document_templates(stdout)
    province = Unit.objects.get(edition="2024", kind=UnitKind.PROVINCE, code="24")
    if Campaign.objects.filter(province=province, year=YEAR).exists():
        stdout.write("Chính quyền thân thiện: dữ liệu mẫu đã có.")
        return
    # The standing office of the province, or of the province in force it became part of (whose
    # scope includes its predecessors' records).
    office = next(
        (
            ra
            for ra in RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICE).select_related("user", "unit").order_by("pk")
            if can_reach(ra.user, province, {Role.PROVINCE_OFFICE})
        ),
        None,
    )
    if office is None:
        stdout.write("Chính quyền thân thiện: cần tài khoản cơ quan thường trực tỉnh.")
        return
    by = office.user
    with transaction.atomic():
        spec = criteria_io.load_sample_spec()
        criteria_set = CriteriaSet.objects.filter(family=spec.family, province=province, status=CriteriaSet.Status.PUBLISHED).first()
        if criteria_set is None:
            draft = services.create_criteria_set(spec=spec, by=by, province=province)
            criteria_set = services.publish_criteria_set(criteria_set=draft, by=by)
        for year, share, spread in ((2023, "0.30", SPREAD_2023), (YEAR, "0.60", SPREAD)):
            campaign = services.create_campaign(
                by=by,
                province=province,
                year=year,
                name=f"Đánh giá, công nhận xã, phường, thị trấn đạt chuẩn chính quyền thân thiện năm {year}",
                criteria_set=criteria_set,
                approval_chain=ApprovalChain.COMMUNE_DISTRICT_PROVINCE,
                target_share=Decimal(share),
                registration_opens=dt.date(year, 3, 1),
                registration_closes=dt.date(year, 4, 30),
                self_assessment_due=dt.date(year, 6, 30),
                district_appraisal_due=dt.date(year, 8, 31),
                province_appraisal_due=dt.date(year, 10, 31),
            )
            _files(campaign, criteria_set, by, spread)
        new_province = province.successor
        if new_province is not None:
            _campaign_2026(new_province, spec, by)
    stdout.write(f"Chính quyền thân thiện: {Registration.objects.filter(campaign__province=province).count()} hồ sơ năm 2023 và {YEAR}.")


def _document_templates(stdout: Any) -> None:
    """The texts of the decisions, saved as each province's own (editable on the staff page): for the
    new Bắc Ninh and for the provinces it was formed from, whose 2023–2024 records print with them."""
    try:
        province = demo_province()
    except Unit.DoesNotExist:  # a database holding only the earlier list
        return
    office = RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICE, unit=province).select_related("user").first()
    if office is None:
        return
    for each in (province, *province.predecessors.filter(kind=UnitKind.PROVINCE)):
        if not DocumentTemplate.objects.filter(province=each).exists():
            start = documents.template_for(each)
            texts = {name: getattr(start, name) for name in DocumentTemplate.TEXT_FIELDS}
            services.save_document_template(province=each, texts=texts, executors_article=start.executors_article, by=office.user)
            stdout.write(f"Chính quyền thân thiện: mẫu văn bản công nhận của {each.name}.")


def _files(campaign: Campaign, criteria_set: CriteriaSet, by: Any, spread: Sequence[tuple[str, float]]) -> None:
    year = campaign.year
    rng = random.Random(year)
    criteria = list(criteria_set.criteria.all())
    bands = sorted(((b.stars, b.min_total) for b in criteria_set.star_bands.all()), reverse=True)
    communes = list(
        Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=campaign.province.path).select_related("parent").order_by("code")
    )
    demo_commune = Unit.objects.filter(parent__code="218", parent__edition="2024", kind=UnitKind.COMMUNE).order_by("code").first()
    states: list[str | None] = []
    for spread_state, share in spread:
        states += [spread_state] * round(share * len(communes))
    states += [None] * (len(communes) - len(states))
    rng.shuffle(states)
    stored = store_upload(io.BytesIO(PDF), name="ho-so-mau.pdf", by=by)
    appraiser = RoleAssignment.objects.filter(role=Role.DISTRICT_APPRAISER, unit__code="218").select_related("user").first()

    regs: list[Registration] = []
    plans: list[tuple[Registration, dict[int, Decimal], dict[int, Decimal], dict[int, Decimal]]] = []
    for unit, state in zip(communes, states, strict=True):
        if unit == demo_commune and year == YEAR:
            state = S.REGISTERED  # the demo commune officer can self-assess at once
        if state is None:
            continue
        assert unit.parent is not None  # a commune always lies in a district
        lax = unit.parent.code in LAX_DISTRICTS
        strength = rng.uniform(0.86, 1.0) if state in (S.RECOGNISED, S.REVOKED) else rng.uniform(0.7, 0.95)
        if lax:  # weaker communes whose district proposes them anyway
            strength = rng.uniform(0.7, 0.9)
        self_s, district_s, province_s = {}, {}, {}
        for c in criteria:
            m = float(c.max_points)
            if c.kind == "yes_no":
                own = m if rng.random() < strength + 0.1 else 0.0
            else:
                own = min(m, m * rng.uniform(strength, 1.0) + 0.5)
            self_s[c.pk] = _q(own)
            cut = rng.uniform(0, 0.05 if lax else 0.15) * m
            if year == YEAR and unit.parent.code == COPYING_DISTRICT:
                cut = 0.0
            elif year == YEAR and unit.parent.code == CORRECTING_DISTRICT:
                cut = rng.uniform(0.05, 0.15) * m
            district_s[c.pk] = max(Decimal("0"), _q(own - cut)) if c.kind != "yes_no" else self_s[c.pk]
            extra = rng.uniform(0.12, 0.35) * m if lax else rng.uniform(0, 0.06) * m
            province_s[c.pk] = max(Decimal("0"), _q(float(district_s[c.pk]) - extra)) if c.kind != "yes_no" else district_s[c.pk]
            if c.kind == "computed":  # the platform's figure: nobody re-scores it
                district_s[c.pk] = province_s[c.pk] = self_s[c.pk]
        if state in (S.RECOGNISED, S.REVOKED) and not lax:
            province_s = dict(district_s)  # the province confirmed the district's scores
        total_p = sum(province_s.values(), Decimal("0"))
        failed = any(c.mandatory_min is not None and province_s[c.pk] < c.mandatory_min for c in criteria)
        passed = total_p >= criteria_set.pass_mark and not failed
        if state in (S.RECOGNISED, S.REVOKED) and not passed:
            state = S.REFUSED
        if state == S.REFUSED and passed:
            state = S.RECOGNISED
        reg = Registration(
            campaign=campaign,
            unit=unit,
            district=unit.parent,
            state=state,
            registered_by=by,
        )
        if state not in (S.REGISTERED,):
            reg.self_total = sum(self_s.values(), Decimal("0"))
            reg.submitted_at = dt.datetime(year, 6, rng.randint(1, 28), 9, tzinfo=dt.UTC)
        if state in (S.DISTRICT_DECLINED, S.DISTRICT_PROPOSED, S.AT_PROVINCE, S.RECOGNISED, S.REFUSED, S.REVOKED):
            reg.district_total = sum(district_s.values(), Decimal("0"))
            reg.district_agreed_at = dt.datetime(year, 8, rng.randint(1, 28), 9, tzinfo=dt.UTC)
        if state in (S.RECOGNISED, S.REFUSED, S.REVOKED):
            reg.province_total = total_p
            reg.province_rescored = province_s != district_s
        if state == S.RETURNED_TO_COMMUNE:
            reg.last_reason = "Thiếu ảnh Bộ phận Một cửa và biên bản hội nghị thôn."
        if state == S.DISTRICT_DECLINED:
            reg.last_reason = "Còn phản ánh về thái độ cán bộ một cửa chưa được xử lý."
        if state == S.REFUSED:
            reg.refusal_reason = reg.last_reason = "Sau khi tỉnh chấm lại, tổng điểm không đạt hoặc không đạt điểm liệt."
        regs.append(reg)
        plans.append((reg, self_s, district_s, province_s))
    Registration.objects.bulk_create(regs)

    self_rows, appraisal_rows, docs, visits, recognitions, members = [], [], [], [], [], []
    for reg, self_s, district_s, province_s in plans:
        if reg.state != S.REGISTERED or rng.random() < 0.5:
            for c in criteria:
                self_rows.append(
                    SelfScore(registration=reg, criterion=c, score=self_s[c.pk], explanation=f"Có tài liệu kiểm chứng mục {c.code}.")
                )
        if reg.state == S.REGISTERED:
            continue
        docs += [DossierDocument(registration=reg, kind=k, file=stored) for k in DOSSIER_KINDS]
        if reg.district_total is None:
            continue
        for c in criteria:
            if c.kind == "computed":
                continue
            appraisal_rows.append(AppraisalScore(registration=reg, level=Level.DISTRICT, criterion=c, score=district_s[c.pk], scored_by=by))
        visits.append(
            SiteVisit(
                registration=reg,
                visited_on=dt.date(year, 8, 10),
                participants="Tổ thẩm định huyện",
                findings="Cơ bản đúng hồ sơ.",
                recorded_by=by,
            )
        )
        if appraiser is not None and reg.district_id == appraiser.unit_id:
            members.append(
                AppraisalMember(
                    registration=reg,
                    level=Level.DISTRICT,
                    user=appraiser.user,
                    is_leader=True,
                    declaration=AppraisalMember.Declaration.NO_CONFLICT,
                )
            )
        if reg.province_rescored:
            for c in criteria:
                if province_s[c.pk] != district_s[c.pk]:
                    appraisal_rows.append(
                        AppraisalScore(registration=reg, level=Level.PROVINCE, criterion=c, score=province_s[c.pk], scored_by=by)
                    )
        if reg.state in (S.RECOGNISED, S.REVOKED):
            total = reg.province_total or Decimal("0")
            stars = next((s for s, m in bands if total >= m), 1)
            recognitions.append(
                Recognition(
                    registration=reg,
                    stars=stars,
                    total=total,
                    decision_number=DECISIONS[year][0],
                    decision_date=DECISIONS[year][1],
                    signer="Trần Văn Hòa",  # a fictitious Vice-Chairman: the position comes from the texts
                    # 2023 decisions held until the 2024 round opened (the province reviews yearly)
                    valid_until=dt.date(2025, 12, 31) if year == YEAR else dt.date(2024, 2, 29),
                    revoked_at=dt.datetime(2025, 3, 5, 9, tzinfo=dt.UTC) if reg.state == S.REVOKED else None,
                    revoked_reason="Vụ việc công chức một cửa gây phiền hà đã được kết luận." if reg.state == S.REVOKED else "",
                )
            )
    SelfScore.objects.bulk_create(self_rows, batch_size=2000)
    AppraisalScore.objects.bulk_create(appraisal_rows, batch_size=2000)
    DossierDocument.objects.bulk_create(docs, batch_size=2000)
    SiteVisit.objects.bulk_create(visits)
    AppraisalMember.objects.bulk_create(members)
    Recognition.objects.bulk_create(recognitions)
    if year == YEAR:
        _samples(campaign, plans, criteria, by)


def _samples(
    campaign: Campaign,
    plans: Sequence[tuple[Registration, dict[int, Decimal], dict[int, Decimal], dict[int, Decimal]]],
    criteria: Any,
    by: Any,
) -> None:
    """Each district forwarded twice: the files since decided (their sample re-appraised by the
    province before the decisions) and the files still waiting at the province (their sample not
    yet re-appraised, so the province has its check to do before deciding them)."""
    bands = [(b.stars, b.min_total) for b in campaign.criteria_set.star_bands.all()]
    committees = {ra.unit_id: ra.user for ra in RoleAssignment.objects.filter(role=Role.DISTRICT_COMMITTEE, unit__parent=campaign.province)}
    have = set(
        AppraisalScore.objects.filter(registration__campaign=campaign, level=Level.PROVINCE).values_list("registration_id", "criterion_id")
    )
    batches: dict[tuple[int, bool], list[tuple[Registration, dict[int, Decimal], dict[int, Decimal]]]] = {}
    for reg, _self_s, district_s, province_s in plans:
        if reg.state in (S.RECOGNISED, S.REFUSED, S.REVOKED, S.AT_PROVINCE) and reg.district is not None:
            batches.setdefault((reg.district.pk, reg.state != S.AT_PROVINCE), []).append((reg, district_s, province_s))
    now = dt.datetime(YEAR, 10, 1, 9, tzinfo=dt.UTC)
    extra_scores, rescored = [], []
    for (district_id, decided), files in sorted(batches.items(), key=lambda kv: (kv[0][0], not kv[0][1])):
        district = files[0][0].district
        assert district is not None
        forwarder = committees.get(district_id, by)
        forward = DistrictForward.objects.create(campaign=campaign, district=district, forwarded_by=forwarder, file_count=len(files))
        strata = {reg.pk: sampling.band_of(reg.district_total, bands) for reg, _d, _p in files}
        result = sampling.draw(
            [sampling.Candidate(pk, stratum) for pk, stratum in strata.items()],
            share=conf.SAMPLE_SHARE,
            minimum=max(1, conf.SAMPLE_MIN),
            seed=int(f"{YEAR}{district.code}{int(decided)}"),
        )
        sample = ProvinceSample.objects.create(
            campaign=campaign,
            district=district,
            forward=forward,
            seed=result.seed,
            share=Decimal(str(result.share)).quantize(Decimal("0.001")),
            minimum=result.minimum,
            population=len(files),
            allocation={k: list(v) for k, v in result.allocation.items()},
            drawn=list(result.drawn),
            drawn_by=forwarder,
        )
        checks = []
        for reg, _district_s, province_s in files:
            drawn = reg.pk in result.drawn
            checked = drawn and decided
            if checked:
                extra_scores += [
                    AppraisalScore(registration=reg, level=Level.PROVINCE, criterion=c, score=province_s[c.pk], scored_by=by)
                    for c in criteria
                    if c.kind != "computed" and (reg.pk, c.pk) not in have
                ]
                rescored.append(reg.pk)
            checks.append(
                ProvinceCheck(
                    sample=sample,
                    registration=reg,
                    stratum=strata[reg.pk],
                    drawn=drawn,
                    district_total=reg.district_total,
                    province_total=sum((province_s[c.pk] for c in criteria), Decimal("0")) if checked else None,
                    checked_at=now if checked else None,
                    checked_by=by if checked else None,
                )
            )
        ProvinceCheck.objects.bulk_create(checks)
    AppraisalScore.objects.bulk_create(extra_scores, batch_size=2000)
    Registration.objects.filter(pk__in=rescored).update(province_rescored=True)


def _campaign_2026(province: Unit, spec: Any, by: Any) -> None:
    """The new Bắc Ninh's 2026 round (commune → province, no district since 1 July 2025) on the 2025
    communes, in progress: the demo commune officer's commune still self-assessing (to attach
    evidence), a few files registered, a few waiting at the province for its team to score."""
    criteria_set = services.publish_criteria_set(criteria_set=services.create_criteria_set(spec=spec, by=by, province=province), by=by)
    year = 2026
    campaign = Campaign.objects.create(
        province=province,
        year=year,
        name=f"Đánh giá, công nhận xã, phường đạt chuẩn chính quyền thân thiện năm {year}",
        criteria_set=criteria_set,
        approval_chain=ApprovalChain.COMMUNE_PROVINCE,
        target_share=Decimal("1.00"),  # the notice's path: 100 % by the end of the term
        registration_opens=dt.date(year, 3, 1),
        registration_closes=dt.date(year, 4, 30),
        self_assessment_due=dt.date(year, 6, 30),
        province_appraisal_due=dt.date(year, 12, 31),
    )
    officer = RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, unit__edition="2025").select_related("unit").order_by("pk").first()
    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE, edition="2025", path__startswith=province.path).order_by("code")[:30])
    own = officer.unit if officer is not None else None
    if own is not None and own not in communes:
        communes.insert(0, own)
    rng = random.Random(year)
    criteria = list(criteria_set.criteria.all())
    stored = store_upload(io.BytesIO(PDF), name="ho-so-mau.pdf", by=by)
    for i, unit in enumerate(communes):
        state = S.REGISTERED if unit == own or i % 3 == 0 else S.AT_PROVINCE
        reg = Registration.objects.create(campaign=campaign, unit=unit, district=None, state=state, registered_by=by)
        scores = {c.pk: _q(float(c.max_points) * rng.uniform(0.8, 1.0)) if c.kind != "yes_no" else c.max_points for c in criteria}
        if state == S.REGISTERED:
            continue
        SelfScore.objects.bulk_create(
            [
                SelfScore(registration=reg, criterion=c, score=scores[c.pk], explanation=f"Có tài liệu kiểm chứng mục {c.code}.")
                for c in criteria
            ]
        )
        DossierDocument.objects.bulk_create([DossierDocument(registration=reg, kind=k, file=stored) for k in DOSSIER_KINDS])
        reg.self_total = sum(scores.values(), Decimal("0"))
        reg.submitted_at = dt.datetime(year, 6, rng.randint(1, 28), 9, tzinfo=dt.UTC)
        reg.save(update_fields=["self_total", "submitted_at"])
