"""The recognition cycle in the typed API: every step calls the same service as the pages, every file
is loaded through the user's scope (missing and not-yours are both 404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from accounts.actors import AuthenticatedHttpRequest
from accounts.api_auth import STAFF_AUTH
from accounts.models import User
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import get_scoped_or_404
from certification import documents, queries, scoring, services
from certification import permissions as perms
from certification.forms import document_response
from certification.models import DocumentTemplate, FileState, ProvinceCheck, ProvinceSample, Recognition, Registration
from core.downloads import CONTENT_TYPES, download
from units.models import Unit, UnitKind

router = Router(tags=["Chính quyền thân thiện / Certification"], auth=STAFF_AUTH)


class CriterionOut(Schema):
    id: int
    code: str
    text: str
    max_points: Decimal
    mandatory_min: Decimal | None
    kind: str
    metric_key: str
    evidence_expected: str


class CriteriaSetOut(Schema):
    id: int
    family: str
    version: int
    name: str
    status: str
    is_sample: bool
    pass_mark: Decimal


class CriteriaSetDetailOut(CriteriaSetOut):
    criteria: list[CriterionOut]
    star_bands: list[tuple[int, Decimal]]


class CertificationCampaignOut(Schema):
    id: int
    year: int
    name: str
    criteria_set_id: int
    approval_chain: str
    target_share: Decimal
    registration_opens: dt.date
    registration_closes: dt.date
    self_assessment_due: dt.date
    district_appraisal_due: dt.date | None
    province_appraisal_due: dt.date


class FileOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    unit_name: str
    district_id: int | None
    state: str
    self_total: Decimal | None
    district_total: Decimal | None
    province_total: Decimal | None
    last_reason: str


class ScoreIn(Schema):
    criterion_id: int
    score: str | None = None
    evidence_link: str = ""
    explanation: str = ""
    comment: str = ""


class ReasonIn(Schema):
    reason: str


class TeamIn(Schema):
    member_ids: list[int]
    leader_id: int


class DeclarationIn(Schema):
    has_conflict: bool
    note: str = ""


class SiteVisitIn(Schema):
    visited_on: dt.date
    participants: str
    findings: str


class DecisionIn(Schema):
    decision_number: str
    decision_date: dt.date
    signer: str
    valid_until: dt.date
    override_reason: str = ""


class AgreeIn(Schema):
    """The leader's agreed scores (criteria left out take the members' identical score) and dissent."""

    scores: list[ScoreIn] = []
    dissent: str = ""


class FileDocumentOut(Schema):
    id: int
    kind: str
    criterion_code: str | None
    file_name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime
    withdrawn_at: dt.datetime | None
    replaced: bool
    url: str


class MemberScoreOut(Schema):
    user_id: int
    user_name: str
    score: Decimal
    comment: str


class CriterionScoresOut(Schema):
    criterion_id: int
    code: str
    max_points: Decimal
    self_score: Decimal | None
    members: list[MemberScoreOut]
    spread: Decimal | None
    agreed: Decimal | None


class AgreementOut(Schema):
    id: int
    level: str
    agreed_by: str
    agreed_at: dt.datetime
    total: Decimal
    dissent: str
    member_scores: dict[str, dict[str, str]]


class ScoresOut(Schema):
    level: str
    criteria: list[CriterionScoresOut]
    agreements: list[AgreementOut]


class AppraisalMemberOut(Schema):
    level: str
    user_id: int
    user_name: str
    is_leader: bool
    declaration: str


class VisitOut(Schema):
    visited_on: dt.date
    participants: str
    findings: str


class TeamAndVisitsOut(Schema):
    members: list[AppraisalMemberOut]
    visits: list[VisitOut]


class RecognitionOut(Schema):
    state: str
    stars: int | None
    total: Decimal | None
    decision_number: str | None
    decision_date: dt.date | None
    valid_until: dt.date | None
    in_force: bool
    revoked_at: dt.datetime | None
    override_reason: str


class CitizenFigureOut(Schema):
    key: str
    label: str
    value: float | None
    unit: str
    basis: int
    interval: tuple[float, float] | None
    note: str
    link: str


class CampaignIn(Schema):
    year: int
    name: str
    criteria_set_id: int
    approval_chain: str
    target_share: Decimal
    registration_opens: dt.date
    registration_closes: dt.date
    self_assessment_due: dt.date
    district_appraisal_due: dt.date | None = None
    province_appraisal_due: dt.date
    province_id: int | None = None


class DocumentOut(Schema):
    id: int
    kind: str
    file_name: str


class TargetOut(Schema):
    unit_id: int
    unit_name: str
    communes: int
    registered: int
    recognised: int
    target_count: int
    still_needed: int


class SampleFileOut(Schema):
    file_id: int
    unit_id: int
    unit_name: str
    stratum: str
    drawn: bool
    district_total: Decimal | None
    province_total: Decimal | None
    checked_at: dt.datetime | None


class SampleOut(Schema):
    id: int
    district_id: int
    district_name: str
    drawn_at: dt.datetime
    seed: str  # 63 bits: as text, so JavaScript clients keep every digit
    share: Decimal
    minimum: int
    population: int
    allocation: dict[str, list[int]]
    drawn: list[int]
    files: list[SampleFileOut]


class GapFileOut(Schema):
    file_id: int
    unit_name: str
    district_total: Decimal
    province_total: Decimal
    gap: Decimal


class QualityDistrictOut(Schema):
    district_id: int
    district_name: str
    registered: int
    proposed: int
    recognised: int
    refused: int
    forwarded: int
    sampled: int
    checked: int
    not_checked: int
    gap_n: int
    gap_mean: float | None
    gap_lci: float | None
    gap_uci: float | None
    gap_files: list[GapFileOut]
    self_inflation: float | None
    compared: int
    copied: int
    copies_self_scores: bool
    communes: int
    communes_with_data: int
    supported: int
    mass_registration: bool
    disagreements: list[str]
    flags: list[str]


class QualityOut(Schema):
    campaign_id: int
    tolerance: float
    figures_at: dt.datetime | None
    districts: list[QualityDistrictOut]


def _file_out(r: Registration) -> dict[str, Any]:
    return {
        "id": r.pk,
        "campaign_id": r.campaign_id,
        "unit_id": r.unit_id,
        "unit_name": r.unit.name,
        "district_id": r.district_id,
        "state": r.state,
        "self_total": r.self_total,
        "district_total": r.district_total,
        "province_total": r.province_total,
        "last_reason": r.last_reason,
    }


def _run(fn: Any, **kwargs: Any) -> Any:
    """Call a service; its refusals become 403 / 422 with the Vietnamese messages."""
    try:
        return fn(**kwargs)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Không có quyền.") from exc
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from exc


def _file(request: AuthenticatedHttpRequest, pk: int) -> Registration:
    return perms.access_file(actor=request.user, file_id=pk)


@router.get("/criteria-sets", response=list[CriteriaSetOut], summary="Các bộ tiêu chí")
def criteria_sets(request: AuthenticatedHttpRequest) -> Any:
    return perms.criteria_sets_for(request.user)


@router.post("/criteria-sets/import", response={201: CriteriaSetOut}, summary="Nhập bộ tiêu chí từ Excel (bản dự thảo)")
def import_criteria_set(request: AuthenticatedHttpRequest, file: File[UploadedFile]) -> Any:
    from certification import criteria_io

    spec = _run(criteria_io.parse_workbook, fileobj=file)
    return Status(201, _run(services.create_criteria_set, spec=spec, by=request.user))


@router.get("/criteria-sets/{pk}", response=CriteriaSetDetailOut, summary="Một bộ tiêu chí")
def criteria_set(request: AuthenticatedHttpRequest, pk: int) -> Any:
    cs = get_object_or_404(perms.criteria_sets_for(request.user), pk=pk)
    return {
        **CriteriaSetOut.from_orm(cs).dict(),
        "criteria": list(cs.criteria.all()),
        "star_bands": [(b.stars, b.min_total) for b in cs.star_bands.all()],
    }


@router.post("/criteria-sets/{pk}/publish", response=CriteriaSetOut, summary="Ban hành")
def publish(request: AuthenticatedHttpRequest, pk: int) -> Any:
    return _run(
        services.publish_criteria_set, criteria_set=get_object_or_404(perms.criteria_sets_for(request.user), pk=pk), by=request.user
    )


@router.post("/criteria-sets/{pk}/revise", response=CriteriaSetOut, summary="Sửa đổi (phiên bản mới)")
def revise(request: AuthenticatedHttpRequest, pk: int) -> Any:
    criteria_set = get_object_or_404(perms.criteria_sets_for(request.user), pk=pk)
    return _run(services.revise_criteria_set, criteria_set=criteria_set, by=request.user)


@router.post("/campaigns", response={201: CertificationCampaignOut}, summary="Tạo đợt đánh giá")
def create_campaign(request: AuthenticatedHttpRequest, payload: CampaignIn) -> Any:
    """For the province of the actor's role; an actor over several provinces (national level)
    names it with `province_id`."""
    data = payload.dict()
    provinces = perms.campaign_provinces(request.user)
    wanted = data.pop("province_id", None)
    province = (
        next((p for p in provinces if p.pk == wanted), None) if wanted is not None else (provinces[0] if len(provinces) == 1 else None)
    )
    if province is None:
        if not provinces:
            raise HttpError(403, "Bạn không có quyền tạo đợt đánh giá.")
        raise HttpError(422, "Chọn tỉnh (province_id) trong phạm vi của bạn.")
    criteria_set = get_object_or_404(perms.criteria_sets_for(request.user), pk=data.pop("criteria_set_id"))
    return Status(201, _run(services.create_campaign, by=request.user, province=province, criteria_set=criteria_set, **data))


@router.get("/campaigns", response=list[CertificationCampaignOut], summary="Các đợt đánh giá")
def campaigns(request: AuthenticatedHttpRequest) -> Any:
    return perms.campaigns_for(request.user)


@router.get("/campaigns/{pk}/files", response=list[FileOut], summary="Hồ sơ trong phạm vi")
def campaign_files(request: AuthenticatedHttpRequest, pk: int) -> Any:
    return [_file_out(r) for r in queries.files_for(request.user, perms.access_campaign(actor=request.user, campaign_id=pk))]


@router.get("/campaigns/{pk}/targets", response=list[TargetOut], summary="Tiến độ so với chỉ tiêu")
def campaign_targets(request: AuthenticatedHttpRequest, pk: int) -> Any:
    rows, total = queries.target_progress(campaign=perms.access_campaign(actor=request.user, campaign_id=pk))
    return [
        {
            "unit_id": r.unit.pk,
            "unit_name": r.unit.name,
            **{k: getattr(r, k) for k in ("communes", "registered", "recognised", "target_count", "still_needed")},
        }
        for r in [*rows, total]
    ]


@router.post("/campaigns/{pk}/register/{unit_id}", response={201: FileOut}, summary="Xã đăng ký")
def register(request: AuthenticatedHttpRequest, pk: int, unit_id: int) -> Any:
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    unit = get_scoped_or_404(Unit.objects.filter(kind=UnitKind.COMMUNE), request.user, unit_path="path", pk=unit_id)
    return Status(201, _file_out(_run(services.register, campaign=campaign, unit=unit, by=request.user)))


@router.post("/campaigns/{pk}/forward/{district_id}", summary="Huyện gửi danh sách lên tỉnh")
def forward(request: AuthenticatedHttpRequest, pk: int, district_id: int) -> dict[str, int]:
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    district = get_scoped_or_404(Unit.objects.filter(kind=UnitKind.DISTRICT), request.user, unit_path="path", pk=district_id)
    result = _run(services.forward_district, campaign=campaign, district=district, by=request.user)
    return {"file_count": result.file_count}


@router.get("/campaigns/{pk}/samples", response=list[SampleOut], summary="Mẫu kiểm tra của tỉnh (hồ sơ được chọn, hạt giống)")
def campaign_samples(request: AuthenticatedHttpRequest, pk: int) -> Any:
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    districts = _run(perms.quality_districts, user=request.user, campaign=campaign)
    samples = (
        ProvinceSample.objects.filter(campaign=campaign)
        .select_related("district")
        .prefetch_related(Prefetch("checks", ProvinceCheck.objects.select_related("registration__unit").order_by("pk")))
    )
    if districts is not None:
        samples = samples.filter(district_id__in=districts)
    return [
        {
            "id": s.pk,
            "district_id": s.district_id,
            "district_name": s.district.name,
            "drawn_at": s.drawn_at,
            "seed": str(s.seed),
            "share": s.share,
            "minimum": s.minimum,
            "population": s.population,
            "allocation": s.allocation,
            "drawn": s.drawn,
            "files": [
                {
                    "file_id": c.registration_id,
                    "unit_id": c.registration.unit_id,
                    "unit_name": c.registration.unit.name,
                    "stratum": c.stratum,
                    "drawn": c.drawn,
                    "district_total": c.district_total,
                    "province_total": c.province_total,
                    "checked_at": c.checked_at,
                }
                for c in s.checks.all()
            ],
        }
        for s in samples
    ]


@router.get("/campaigns/{pk}/appraisal-quality", response=QualityOut, summary="Chất lượng thẩm định theo huyện (từ mẫu kiểm tra)")
def appraisal_quality(request: AuthenticatedHttpRequest, pk: int) -> Any:
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    districts = _run(perms.quality_districts, user=request.user, campaign=campaign)
    quality = queries.appraisal_quality(campaign=campaign, districts=districts)
    return {
        "campaign_id": campaign.pk,
        "tolerance": quality.tolerance,
        "figures_at": quality.figures_at,
        "districts": [
            {
                "district_id": r.district.pk,
                "district_name": r.district.name,
                "gap_n": r.gap.n,
                "gap_mean": r.gap.mean,
                "gap_lci": r.gap.lci,
                "gap_uci": r.gap.uci,
                "gap_files": [
                    {
                        "file_id": g.file_id,
                        "unit_name": g.unit,
                        "district_total": g.district_total,
                        "province_total": g.province_total,
                        "gap": g.gap,
                    }
                    for g in r.gap_files
                ],
                "copies_self_scores": r.copies_self_scores,
                **{
                    k: getattr(r, k)
                    for k in (
                        "registered",
                        "proposed",
                        "recognised",
                        "refused",
                        "forwarded",
                        "sampled",
                        "checked",
                        "not_checked",
                        "self_inflation",
                        "compared",
                        "copied",
                        "communes",
                        "communes_with_data",
                        "supported",
                        "mass_registration",
                        "disagreements",
                        "flags",
                    )
                },
            }
            for r in quality.rows
        ],
    }


@router.post("/files/{pk}/province-check", response=FileOut, summary="Tổ thẩm định tỉnh ghi nhận đã tự thẩm định lại hồ sơ")
def province_check(request: AuthenticatedHttpRequest, pk: int) -> Any:
    return _simple(pk, request, services.complete_province_check)


@router.get("/files/{pk}", response=FileOut, summary="Một hồ sơ")
def file_detail(request: AuthenticatedHttpRequest, pk: int) -> Any:
    return _file_out(_file(request, pk))


@router.put("/files/{pk}/self-scores", response=FileOut, summary="Lưu nháp tự chấm điểm")
def self_scores(request: AuthenticatedHttpRequest, pk: int, payload: list[ScoreIn]) -> Any:
    reg = _file(request, pk)
    entries = [services.SelfScoreEntry(p.criterion_id, p.score, p.evidence_link, p.explanation) for p in payload]
    _run(services.save_self_scores, registration=reg, entries=entries, by=request.user)
    reg.refresh_from_db()
    return _file_out(reg)


def _simple(pk: int, request: AuthenticatedHttpRequest, fn: Any, **kwargs: Any) -> Any:
    reg = _file(request, pk)
    _run(fn, registration=reg, by=request.user, **kwargs)
    reg.refresh_from_db()
    return _file_out(reg)


@router.post("/files/{pk}/documents", response={201: DocumentOut}, summary="Tải lên tài liệu hồ sơ")
def upload_document(request: AuthenticatedHttpRequest, pk: int, kind: Form[str], file: File[UploadedFile]) -> Any:
    reg = _file(request, pk)
    doc = _run(services.upload_document, registration=reg, kind=kind, fileobj=file, name=file.name or "tep", by=request.user)
    return Status(201, {"id": doc.pk, "kind": doc.kind, "file_name": doc.file.original_name})


def _document_out(d: Any) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "id": d.pk,
        "kind": d.kind,
        "criterion_code": d.criterion.code if d.criterion_id else None,
        "file_name": d.file.original_name,
        "content_type": d.file.content_type,
        "size": d.file.size,
        "uploaded_at": d.uploaded_at,
        "withdrawn_at": d.withdrawn_at,
        "replaced": d.replaced,
        "url": reverse("certification:evidence", args=[d.pk]),
    }


@router.get("/files/{pk}/documents", response=list[FileDocumentOut], summary="Tài liệu hồ sơ và tệp kiểm chứng (cả lịch sử)")
def file_documents(request: AuthenticatedHttpRequest, pk: int) -> Any:
    return [_document_out(d) for d in _file(request, pk).documents.select_related("file", "criterion")]


@router.get("/documents/{doc_id}/content", summary="Mở tài liệu (PDF/ảnh xem trực tiếp, loại khác tải về)")
def document_content(request: AuthenticatedHttpRequest, doc_id: int) -> Any:
    return document_response(perms.access_document(actor=request.user, document_id=doc_id))


@router.post("/files/{pk}/evidence/{criterion_id}", response={201: FileDocumentOut}, summary="Đính kèm tệp kiểm chứng cho một tiêu chí")
def attach_evidence(
    request: AuthenticatedHttpRequest, pk: int, criterion_id: int, file: File[UploadedFile], replace: Form[int | None] = None
) -> Any:
    reg = _file(request, pk)
    doc = _run(
        services.attach_evidence,
        registration=reg,
        criterion_id=criterion_id,
        fileobj=file,
        name=file.name or "tep",
        by=request.user,
        replace=replace,
    )
    return Status(201, _document_out(doc))


@router.post("/files/{pk}/documents/{doc_id}/withdraw", response=FileDocumentOut, summary="Rút tài liệu (giữ trong lịch sử)")
def withdraw_document(request: AuthenticatedHttpRequest, pk: int, doc_id: int) -> Any:
    return _document_out(_run(services.withdraw_document, registration=_file(request, pk), document_id=doc_id, by=request.user))


@router.get("/files/{pk}/scores/{level}", response=ScoresOut, summary="Điểm của từng thành viên, độ chênh và điểm thống nhất")
def read_scores(request: AuthenticatedHttpRequest, pk: int, level: str) -> Any:
    """For the file's appraisers, its deciders and the district or province over it; a commune sees
    only the agreed scores (its own appraisers' individual scores are theirs)."""
    reg = _file(request, pk)
    if level not in ("district", "province"):
        raise HttpError(404, "Không có cấp này.")
    insider = perms.can_run_district_step(request.user, reg) or perms.can_run_province_step(request.user, reg)
    insider = insider or perms.membership(request.user, reg, level) is not None
    table = services.member_score_table(reg, level) if insider else {}
    selfs = {s.criterion_id: s.score for s in reg.self_scores.all()}
    agreed = {s.criterion_id: s.score for s in reg.appraisal_scores.filter(level=level)}
    criteria = []
    for c in reg.campaign.criteria_set.criteria.all():
        own = table.get(c.pk, {})
        values = [r.score for r in own.values()]
        criteria.append(
            {
                "criterion_id": c.pk,
                "code": c.code,
                "max_points": c.max_points,
                "self_score": selfs.get(c.pk),
                "members": [{"user_id": r.user_id, "user_name": str(r.user), "score": r.score, "comment": r.comment} for r in own.values()],
                "spread": (max(values) - min(values)) if len(values) > 1 else None,
                "agreed": agreed.get(c.pk),
            }
        )
    agreements = [
        {
            "id": a.pk,
            "level": a.level,
            "agreed_by": str(a.agreed_by),
            "agreed_at": a.agreed_at,
            "total": a.total,
            "dissent": a.dissent,
            "member_scores": a.member_scores if insider else {},
        }
        for a in reg.agreements.filter(level=level).select_related("agreed_by")
    ]
    return {"level": level, "criteria": criteria, "agreements": agreements}


@router.get("/files/{pk}/team", response=TeamAndVisitsOut, summary="Tổ thẩm định và biên bản kiểm tra thực tế")
def team_and_visits(request: AuthenticatedHttpRequest, pk: int) -> Any:
    reg = _file(request, pk)
    return {
        "members": [
            {"level": m.level, "user_id": m.user_id, "user_name": str(m.user), "is_leader": m.is_leader, "declaration": m.declaration}
            for m in reg.members.select_related("user")
        ],
        "visits": [{"visited_on": v.visited_on, "participants": v.participants, "findings": v.findings} for v in reg.site_visits.all()],
    }


@router.get("/files/{pk}/recognition", response=RecognitionOut, summary="Số sao, quyết định và hiệu lực của hồ sơ")
def recognition_of(request: AuthenticatedHttpRequest, pk: int) -> Any:
    from django.utils import timezone

    reg = _file(request, pk)
    rec = getattr(reg, "recognition", None)
    return {
        "state": reg.state,
        "stars": rec.stars if rec else None,
        "total": rec.total if rec else None,
        "decision_number": rec.decision_number if rec else None,
        "decision_date": rec.decision_date if rec else None,
        "valid_until": rec.valid_until if rec else None,
        "in_force": bool(rec and reg.state == "recognised" and rec.revoked_at is None and rec.valid_until >= timezone.localdate()),
        "revoked_at": rec.revoked_at if rec else None,
        "override_reason": rec.override_reason if rec else "",
    }


@router.get(
    "/files/{pk}/citizens", response=list[CitizenFigureOut], summary="Ý kiến người dân trong kỳ của đợt (phản ánh, đánh giá, khảo sát)"
)
def citizens(request: AuthenticatedHttpRequest, pk: int) -> Any:
    reg = _file(request, pk)
    if not (perms.can_run_district_step(request.user, reg) or perms.can_run_province_step(request.user, reg)) and not any(
        perms.membership(request.user, reg, level) for level in ("district", "province")
    ):
        raise HttpError(403, "Chỉ cấp thẩm định và quyết định xem được số liệu này.")
    return [
        {
            "key": f.key,
            "label": f.label,
            "value": f.value.value,
            "unit": f.value.unit,
            "basis": f.value.basis,
            "interval": f.value.interval,
            "note": f.value.note,
            "link": f.value.link,
        }
        for f in scoring.citizen_figures(unit=reg.unit, campaign=reg.campaign)
    ]


@router.post("/files/{pk}/submit", response=FileOut, summary="Chủ tịch xã ký duyệt và nộp")
def submit(request: AuthenticatedHttpRequest, pk: int) -> Any:
    return _simple(pk, request, services.submit_self_assessment)


@router.put("/files/{pk}/team/{level}", response=FileOut, summary="Lập tổ thẩm định")
def team(request: AuthenticatedHttpRequest, pk: int, level: str, payload: TeamIn) -> Any:
    users = {u.pk: u for u in User.objects.filter(pk__in=[*payload.member_ids, payload.leader_id])}
    if payload.leader_id not in users or any(i not in users for i in payload.member_ids):
        raise HttpError(422, "Thành viên không tồn tại.")
    return _simple(
        pk, request, services.set_team, level=level, members=[users[i] for i in payload.member_ids], leader=users[payload.leader_id]
    )


@router.post("/files/{pk}/declaration/{level}", response=FileOut, summary="Cam kết xung đột lợi ích")
def declaration(request: AuthenticatedHttpRequest, pk: int, level: str, payload: DeclarationIn) -> Any:
    return _simple(pk, request, services.declare_interest, level=level, has_conflict=payload.has_conflict, note=payload.note)


@router.put("/files/{pk}/scores/{level}", response=FileOut, summary="Điểm riêng của thành viên tổ thẩm định (huyện/tỉnh)")
def appraisal_scores(request: AuthenticatedHttpRequest, pk: int, level: str, payload: list[ScoreIn]) -> Any:
    entries = [services.ScoreEntry(p.criterion_id, p.score, p.comment) for p in payload]
    return _simple(pk, request, services.save_appraisal_scores, level=level, entries=entries)


@router.post("/files/{pk}/site-visit", response=FileOut, summary="Biên bản kiểm tra thực tế")
def site_visit(request: AuthenticatedHttpRequest, pk: int, payload: SiteVisitIn) -> Any:
    return _simple(pk, request, services.record_site_visit, **payload.dict())


@router.post("/files/{pk}/agree", response=FileOut, summary="Tổ trưởng ghi điểm thống nhất của tổ (cấp huyện)")
def agree(request: AuthenticatedHttpRequest, pk: int) -> Any:
    return _simple(pk, request, services.agree_team_score)


@router.post("/files/{pk}/agree/{level}", response=FileOut, summary="Tổ trưởng ghi điểm thống nhất của tổ (huyện/tỉnh)")
def agree_at(request: AuthenticatedHttpRequest, pk: int, level: str, payload: AgreeIn) -> Any:
    entries = [services.ScoreEntry(p.criterion_id, p.score, p.comment) for p in payload.scores]
    return _simple(pk, request, services.agree_team_score, level=level, entries=entries, dissent=payload.dissent)


@router.post("/files/{pk}/propose", response=FileOut, summary="Huyện đề nghị công nhận")
def propose(request: AuthenticatedHttpRequest, pk: int) -> Any:
    return _simple(pk, request, services.district_propose)


@router.post("/files/{pk}/recognise", response=FileOut, summary="Quyết định công nhận")
def recognise(request: AuthenticatedHttpRequest, pk: int, payload: DecisionIn) -> Any:
    return _simple(pk, request, services.recognise, **payload.dict())


REASONED = {
    "district-return": services.district_return,
    "district-decline": services.district_decline,
    "send-back": services.province_send_back,
    "refuse": services.refuse,
    "reopen": services.reopen,
    "revoke": services.revoke,
}


@router.post("/files/{pk}/{action}", response=FileOut, summary="Trả lại / không đề nghị / không công nhận / mở lại / thu hồi (kèm lý do)")
def reasoned(request: AuthenticatedHttpRequest, pk: int, action: str, payload: ReasonIn) -> Any:
    if action not in REASONED:
        raise HttpError(404, "Không có thao tác này.")
    return _simple(pk, request, REASONED[action], reason=payload.reason)


# --- Documents in the state format ----------------------------------------------------------------
DocumentFormat = Literal["pdf", "docx"]
_FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "PDF hoặc Word (thể thức Nghị định 30/2020/NĐ-CP)",
            "content": {CONTENT_TYPES[f]: {"schema": {"type": "string", "format": "binary"}} for f in documents.FORMATS},
        }
    }
}


def _recognition(registration: Registration) -> Recognition:
    recognition = Recognition.objects.filter(registration=registration).first()
    if recognition is None:
        raise HttpError(404, "Hồ sơ chưa có quyết định công nhận.")
    return recognition


@router.get("/files/{pk}/decision/{fmt}", summary="Quyết định công nhận (PDF/Word)", openapi_extra=_FILE_RESPONSE)
def decision_document(request: AuthenticatedHttpRequest, pk: int, fmt: DocumentFormat) -> HttpResponse:
    content, filename = documents.recognition_decision_file(_recognition(_file(request, pk)), fmt)
    return download(content, filename)


@router.get("/files/{pk}/certificate/{fmt}", summary="Giấy công nhận (PDF/Word)", openapi_extra=_FILE_RESPONSE)
def certificate(request: AuthenticatedHttpRequest, pk: int, fmt: DocumentFormat) -> HttpResponse:
    registration = _file(request, pk)
    if registration.state != FileState.RECOGNISED:
        raise HttpError(404, "Hồ sơ không có công nhận còn hiệu lực.")
    content, filename = documents.certificate_file(_recognition(registration), fmt)
    return download(content, filename)


@router.get("/campaigns/{pk}/decision-list/{fmt}", summary="Danh sách công nhận (PDF/Word)", openapi_extra=_FILE_RESPONSE)
def decision_list(request: AuthenticatedHttpRequest, pk: int, fmt: DocumentFormat) -> HttpResponse:
    campaign = perms.access_campaign(actor=request.user, campaign_id=pk)
    content, filename = documents.decision_list_file(campaign, queries.recognised_in(request.user, campaign), fmt)
    return download(content, filename)


class DocumentTemplateIn(Schema):
    parent_body: str = ""
    issuing_body: str
    issuer_name: str
    symbol: str
    authority: str
    decision_summary: str
    legal_bases: str
    articles: str
    executors_article: int | None = None
    recipients: str
    signature_titles: str
    annex_title: str
    annex_summary: str
    certificate_title: str
    certificate_authority: str
    certificate_text: str
    certificate_signature_titles: str


class DocumentTemplateOut(DocumentTemplateIn):
    province_id: int
    saved: bool
    updated_at: dt.datetime | None


def _template_province(request: AuthenticatedHttpRequest, province_id: int) -> Unit:
    return get_scoped_or_404(
        Unit.objects.filter(kind=UnitKind.PROVINCE), request.user, unit_path="path", roles=PROVINCE_ADMIN_ROLES, pk=province_id
    )


def _template_out(template: DocumentTemplate) -> dict[str, Any]:
    return {
        **{name: getattr(template, name) for name in DocumentTemplate.TEXT_FIELDS},
        "executors_article": template.executors_article,
        "province_id": template.province_id,
        "saved": template.pk is not None,
        "updated_at": template.updated_at if template.pk is not None else None,
    }


@router.get("/document-templates/{province_id}", response=DocumentTemplateOut, summary="Mẫu văn bản công nhận của tỉnh")
def document_template(request: AuthenticatedHttpRequest, province_id: int) -> Any:
    return _template_out(documents.template_for(_template_province(request, province_id)))


@router.put("/document-templates/{province_id}", response=DocumentTemplateOut, summary="Sửa mẫu văn bản công nhận (ghi nhật ký)")
def save_document_template(request: AuthenticatedHttpRequest, province_id: int, payload: DocumentTemplateIn) -> Any:
    data = payload.dict()
    executors = data.pop("executors_article")
    template = _run(
        services.save_document_template,
        province=_template_province(request, province_id),
        texts=data,
        executors_article=executors,
        by=request.user,
    )
    return _template_out(template)
