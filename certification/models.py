"""Friendly-government recognition: criteria sets (versioned), yearly campaigns, each commune's file
(registration → self-assessment → district appraisal → provincial decision) and its recognition.

The file's life is one state enum (`FileState`) and one table of allowed moves (`TRANSITIONS`);
certification.services is the only code that moves a file, always through `Registration.check_move`."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import transitions
from core.models import StoredFile
from units.models import Unit


class _DecimalShape(TypedDict):
    max_digits: int
    decimal_places: int


# Every score and mark: up to 9999.99 points.
POINTS: _DecimalShape = {"max_digits": 6, "decimal_places": 2}


class CriteriaSet(models.Model):
    """One version of a criteria set. Published versions are immutable; revising makes a new draft
    version of the same family, so every campaign stays pinned to the version it was run under."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã ban hành")

    # The province whose set this is; None for a national template a province copies (copy_template).
    province = models.ForeignKey(
        Unit, verbose_name=_("tỉnh"), null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=True
    )
    family = models.SlugField(_("mã bộ tiêu chí"), max_length=60)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    is_sample = models.BooleanField(_("bộ mẫu (tỉnh thay thế)"), default=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    pass_mark = models.DecimalField(_("điểm đạt chuẩn"), **POINTS, validators=[MinValueValidator(0)])
    revised_from = models.ForeignKey(
        "self", verbose_name=_("sửa đổi từ"), null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)

    class Meta:
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["province", "family", "version"], name="criteria_set_version_unique"),
            models.UniqueConstraint(
                fields=["family", "version"], condition=Q(province__isnull=True), name="criteria_template_version_unique"
            ),
        ]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class StarBand(models.Model):
    """ "Đạt chuẩn và nâng sao": a total of at least `min_total` earns `stars` (highest band wins)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="star_bands")
    stars = models.PositiveSmallIntegerField(_("số sao"), validators=[MinValueValidator(1)])
    min_total = models.DecimalField(_("tổng điểm tối thiểu"), **POINTS)

    class Meta:
        ordering = ["-stars"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "stars"], name="star_band_unique")]
        verbose_name = _("mức sao")
        verbose_name_plural = _("mức sao")

    def __str__(self) -> str:
        return f"{self.stars}★ ≥ {self.min_total}"


class CriterionGroup(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("mã nhóm"), max_length=20)
    name = models.CharField(_("tên nhóm"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_group_code_unique")]
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class CriterionKind(models.TextChoices):
    SCORED = "scored", _("Chấm điểm")
    YES_NO = "yes_no", _("Có/Không")
    COMPUTED = "computed", _("Tính từ số liệu hệ thống")


class Criterion(models.Model):
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("mã tiêu chí"), max_length=20)
    text = models.TextField(_("nội dung"))
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS, validators=[MinValueValidator(Decimal("0.01"))])
    mandatory_min = models.DecimalField(
        _("điểm liệt (tối thiểu)"), **POINTS, null=True, blank=True, help_text=_("Dưới mức này đơn vị không đạt, dù tổng điểm cao.")
    )
    evidence_expected = models.TextField(_("tài liệu kiểm chứng"), blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.SCORED)
    metric_key = models.CharField(_("mã số liệu"), max_length=80, blank=True)
    metric_full_value = models.DecimalField(_("mức số liệu đạt điểm tối đa"), max_digits=10, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique"),
            models.CheckConstraint(
                condition=~Q(kind="computed") | (~Q(metric_key="") & Q(metric_full_value__isnull=False)),
                name="criterion_computed_has_metric",
            ),
            models.CheckConstraint(
                condition=Q(mandatory_min__isnull=True) | Q(mandatory_min__lte=models.F("max_points")),
                name="criterion_mandatory_within_max",
            ),
        ]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def __str__(self) -> str:
        return f"{self.code} – {self.text[:60]}"

    def clean(self) -> None:
        if self.kind == CriterionKind.COMPUTED and (not self.metric_key or self.metric_full_value is None):
            raise ValidationError(_("Tiêu chí tính từ số liệu cần mã số liệu và mức đạt điểm tối đa."))
        if self.mandatory_min is not None and self.max_points is not None and self.mandatory_min > self.max_points:
            raise ValidationError(_("Điểm liệt không được lớn hơn điểm tối đa."))


class ApprovalChain(models.TextChoices):
    # The three-level structure in force until 30/06/2025; districts were abolished from 01/07/2025
    # (Resolution 202/2025/QH15), after which communes report straight to the province.
    COMMUNE_DISTRICT_PROVINCE = "cdp", _("Xã → Huyện → Tỉnh")
    COMMUNE_PROVINCE = "cp", _("Xã → Tỉnh")


class Campaign(models.Model):
    """One year's recognition round in a province, pinned to a published criteria set version."""

    province = models.ForeignKey(Unit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("tên đợt"), max_length=300)
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="campaigns")
    approval_chain = models.CharField(
        _("quy trình"), max_length=3, choices=ApprovalChain.choices, default=ApprovalChain.COMMUNE_DISTRICT_PROVINCE
    )
    target_share = models.DecimalField(_("chỉ tiêu (tỷ lệ xã đạt)"), max_digits=4, decimal_places=3)
    registration_opens = models.DateField(_("mở đăng ký"))
    registration_closes = models.DateField(_("hạn đăng ký"))
    self_assessment_due = models.DateField(_("hạn tự đánh giá"))
    district_appraisal_due = models.DateField(_("hạn thẩm định cấp huyện"), null=True, blank=True)
    province_appraisal_due = models.DateField(_("hạn thẩm định cấp tỉnh"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="campaign_one_per_year"),
            models.CheckConstraint(condition=Q(target_share__gte=0) & Q(target_share__lte=1), name="campaign_target_share_range"),
            models.CheckConstraint(
                condition=Q(registration_closes__gte=models.F("registration_opens")), name="campaign_registration_window"
            ),
        ]
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")

    def __str__(self) -> str:
        return self.name

    @property
    def has_district_step(self) -> bool:
        return self.approval_chain == ApprovalChain.COMMUNE_DISTRICT_PROVINCE


class DistrictTarget(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="district_targets")
    district = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    target_share = models.DecimalField(_("chỉ tiêu"), max_digits=4, decimal_places=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "district"], name="district_target_unique")]

    def __str__(self) -> str:
        return f"{self.district} – {self.target_share}"


class DistrictForward(models.Model):
    """The district sent its list to the province (once every file of the district was decided)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="forwards")
    district = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    forwarded_at = models.DateTimeField(auto_now_add=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.district} → tỉnh ({self.file_count})"


class FileState(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký – đang tự đánh giá")
    RETURNED_TO_COMMUNE = "returned_commune", _("Trả lại xã để bổ sung")
    SUBMITTED = "submitted", _("Đã nộp – chờ huyện thẩm định")
    DISTRICT_PROPOSED = "district_proposed", _("Huyện đề nghị công nhận – chờ gửi tỉnh")
    DISTRICT_DECLINED = "district_declined", _("Huyện không đề nghị")
    AT_PROVINCE = "at_province", _("Chờ tỉnh thẩm định")
    RETURNED_TO_DISTRICT = "returned_district", _("Tỉnh trả lại huyện")
    RECOGNISED = "recognised", _("Đã công nhận")
    REFUSED = "refused", _("Không công nhận")
    REVOKED = "revoked", _("Đã thu hồi công nhận")


S = FileState
# (from, action) → to. The only list of allowed moves of a commune's file.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.REGISTERED, "submit_to_district"): S.SUBMITTED,
    (S.RETURNED_TO_COMMUNE, "submit_to_district"): S.SUBMITTED,
    (S.REGISTERED, "submit_to_province"): S.AT_PROVINCE,  # chain without districts
    (S.RETURNED_TO_COMMUNE, "submit_to_province"): S.AT_PROVINCE,
    (S.SUBMITTED, "district_propose"): S.DISTRICT_PROPOSED,
    (S.SUBMITTED, "district_return"): S.RETURNED_TO_COMMUNE,
    (S.SUBMITTED, "district_decline"): S.DISTRICT_DECLINED,
    (S.RETURNED_TO_DISTRICT, "district_propose"): S.DISTRICT_PROPOSED,
    (S.RETURNED_TO_DISTRICT, "district_return"): S.RETURNED_TO_COMMUNE,
    (S.RETURNED_TO_DISTRICT, "district_decline"): S.DISTRICT_DECLINED,
    (S.DISTRICT_PROPOSED, "forward"): S.AT_PROVINCE,
    (S.AT_PROVINCE, "province_return_district"): S.RETURNED_TO_DISTRICT,
    (S.AT_PROVINCE, "province_return_commune"): S.RETURNED_TO_COMMUNE,  # chain without districts
    (S.AT_PROVINCE, "recognise"): S.RECOGNISED,
    (S.AT_PROVINCE, "refuse"): S.REFUSED,
    (S.RECOGNISED, "reopen"): S.AT_PROVINCE,
    (S.REFUSED, "reopen"): S.AT_PROVINCE,
    (S.RECOGNISED, "revoke"): S.REVOKED,
}
COMMUNE_EDITABLE = frozenset({S.REGISTERED, S.RETURNED_TO_COMMUNE})
DISTRICT_PENDING = frozenset({S.SUBMITTED, S.RETURNED_TO_DISTRICT})
DECIDED = frozenset({S.RECOGNISED, S.REFUSED, S.REVOKED})


class Level(models.TextChoices):
    DISTRICT = "district", _("Cấp huyện")
    PROVINCE = "province", _("Cấp tỉnh")


class Registration(models.Model):
    """A commune's file in one campaign: its registration, dossier, self-assessment and appraisals."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="registrations")
    unit = models.ForeignKey(Unit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Unit, verbose_name=_("huyện"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("trạng thái"), max_length=20, choices=FileState.choices, default=FileState.REGISTERED, db_index=True)
    registered_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    self_total = models.DecimalField(_("tổng điểm tự chấm"), **POINTS, null=True, blank=True)
    district_total = models.DecimalField(_("điểm thẩm định huyện"), **POINTS, null=True, blank=True)
    district_agreed_at = models.DateTimeField(_("tổ thống nhất điểm lúc"), null=True, blank=True)
    province_total = models.DecimalField(_("điểm thẩm định tỉnh"), **POINTS, null=True, blank=True)
    province_rescored = models.BooleanField(_("tỉnh chấm lại"), default=False)
    last_reason = models.TextField(_("lý do gần nhất"), blank=True)
    refusal_reason = models.TextField(_("lý do không công nhận"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="registration_one_per_campaign")]
        verbose_name = _("hồ sơ đăng ký")
        verbose_name_plural = _("hồ sơ đăng ký")

    def __str__(self) -> str:
        return f"{self.unit} – {self.campaign.year}"

    def check_move(self, action: str) -> str:
        """The state `action` leads to (core.transitions.move over TRANSITIONS), or a refusal."""
        return transitions.move(
            TRANSITIONS,
            self.state,
            action,
            refusal=_("Không thể thực hiện thao tác này khi hồ sơ đang ở trạng thái “%(state)s”.") % {"state": self.get_state_display()},
        )

    def can_move(self, action: str) -> bool:
        return transitions.can_move(TRANSITIONS, self.state, action)

    @property
    def is_locked_for_commune(self) -> bool:
        return self.state not in COMMUNE_EDITABLE


class DocumentKind(models.TextChoices):
    SUBMISSION = "submission", _("Tờ trình của UBND xã")
    RESULTS_REPORT = "results_report", _("Báo cáo kết quả thực hiện")
    SELF_SCORING_SHEET = "self_scoring", _("Bảng tự chấm điểm")
    APPROVED_REGISTRATION = "approved_registration", _("Đăng ký đã được cấp trên phê duyệt")
    EVIDENCE = "evidence", _("Tài liệu kiểm chứng theo tiêu chí")


# The dossier's required documents; per-criterion evidence (EVIDENCE) is attached to a criterion.
DOSSIER_KINDS = tuple(k for k in DocumentKind.values if k != DocumentKind.EVIDENCE)
# Types a browser may show inline (checked by content when the file was stored); others download.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


class DossierDocument(models.Model):
    """A file of the commune's dossier: one of the required documents, or the evidence of one
    criterion. Replacing or withdrawing a file never deletes it: the old row is marked withdrawn
    (who, when) and stays in the file's history."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("loại tài liệu"), max_length=30, choices=DocumentKind.choices)
    criterion = models.ForeignKey(
        "Criterion", verbose_name=_("tiêu chí"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("rút lúc"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replaced = models.BooleanField(_("được thay bằng tệp mới"), default=False)

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="evidence") & Q(criterion__isnull=False)) | (~Q(kind="evidence") & Q(criterion__isnull=True)),
                name="dossier_document_evidence_has_criterion",
            ),
        ]
        verbose_name = _("tài liệu hồ sơ")
        verbose_name_plural = _("tài liệu hồ sơ")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None

    @property
    def opens_inline(self) -> bool:
        return self.file.content_type in INLINE_TYPES


class SelfScore(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="self_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("điểm tự chấm"), **POINTS, null=True, blank=True)
    evidence_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence_link = models.URLField(_("đường dẫn tài liệu"), blank=True)
    explanation = models.TextField(_("giải trình"), blank=True)
    metric_value = models.DecimalField(_("số liệu hệ thống"), max_digits=10, decimal_places=2, null=True, blank=True)
    metric_note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "criterion"], name="self_score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_file_id or self.evidence_link or self.explanation.strip())


class AppraisalMember(models.Model):
    class Declaration(models.TextChoices):
        PENDING = "pending", _("Chưa cam kết")
        NO_CONFLICT = "no_conflict", _("Cam kết không xung đột lợi ích")
        CONFLICT = "conflict", _("Có xung đột lợi ích")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="members")
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+")
    is_leader = models.BooleanField(_("tổ trưởng"), default=False)
    declaration = models.CharField(_("cam kết"), max_length=12, choices=Declaration.choices, default=Declaration.PENDING)
    declaration_note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_leader", "id"]
        constraints = [models.UniqueConstraint(fields=["registration", "level", "user"], name="appraisal_member_unique")]
        verbose_name = _("thành viên tổ thẩm định")
        verbose_name_plural = _("thành viên tổ thẩm định")

    def __str__(self) -> str:
        return f"{self.user} ({self.level})"


class MemberScore(models.Model):
    """One team member's own score for one criterion at one level. Only that member writes it;
    the team's agreed score (AppraisalScore) is a separate act of the leader."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="member_scores")
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("điểm"), **POINTS)
    comment = models.TextField(_("nhận xét"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "level", "user", "criterion"], name="member_score_unique"),
        ]
        verbose_name = _("điểm của thành viên tổ thẩm định")
        verbose_name_plural = _("điểm của thành viên tổ thẩm định")

    def __str__(self) -> str:
        return f"{self.level} {self.user_id} {self.criterion_id}: {self.score}"


class TeamAgreement(models.Model):
    """The team's agreed score at one level, recorded by its leader: who agreed, when, the total,
    each member's own scores at that moment and any dissent. A later agreement supersedes it."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="agreements")
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tổ trưởng ghi"), on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(_("thống nhất lúc"), auto_now_add=True)
    total = models.DecimalField(_("tổng điểm thống nhất"), **POINTS)
    dissent = models.TextField(_("ý kiến khác"), blank=True)
    member_scores = models.JSONField(_("điểm của từng thành viên lúc thống nhất"), default=dict, blank=True)

    class Meta:
        ordering = ["-agreed_at", "-id"]
        verbose_name = _("điểm thống nhất của tổ")
        verbose_name_plural = _("điểm thống nhất của tổ")

    def __str__(self) -> str:
        return f"{self.level} {self.total}"


class AppraisalScore(models.Model):
    """The appraisal team's agreed score for one criterion at one level, written only by the
    leader's agreement (services.agree_team_score); changes are audited."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="appraisal_scores")
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("điểm"), **POINTS)
    comment = models.TextField(_("nhận xét"), blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "level", "criterion"], name="appraisal_score_unique")]

    def __str__(self) -> str:
        return f"{self.level} {self.criterion_id}: {self.score}"


class SiteVisit(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="site_visits")
    visited_on = models.DateField(_("ngày kiểm tra thực tế"))
    participants = models.TextField(_("thành phần"))
    findings = models.TextField(_("kết quả kiểm tra"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.visited_on:%d/%m/%Y}"


class Recognition(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="recognition")
    stars = models.PositiveSmallIntegerField(_("số sao"))
    total = models.DecimalField(_("tổng điểm"), **POINTS)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    signer = models.CharField(_("người ký"), max_length=200)
    valid_until = models.DateField(_("hiệu lực đến"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_reason = models.TextField(_("lý do thu hồi"), blank=True)
    # Recognised although the citizens' register held an open harassment case against the commune:
    # the decider's reasoned, attributable override of the knockout criterion.
    override_reason = models.TextField(_("lý do vẫn công nhận khi có phản ánh sách nhiễu"), blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")

    def __str__(self) -> str:
        return f"{self.decision_number} – {self.registration.unit}"


# Placeholders the province may write in its document texts, by the document they appear in.
DECISION_PLACEHOLDERS = {"nam": _("năm của đợt"), "so_don_vi": _("số đơn vị được công nhận trong quyết định")}
CERTIFICATE_PLACEHOLDERS = {
    "nam": _("năm của đợt"),
    "don_vi": _("tên đơn vị được công nhận"),
    "so_sao": _("số sao"),
    "so_quyet_dinh": _("số, ký hiệu quyết định"),
    "ngay_quyet_dinh": _("ngày quyết định (dd/mm/yyyy)"),
    "hieu_luc_den": _("ngày hết hiệu lực (dd/mm/yyyy)"),
}


class DocumentTemplate(models.Model):
    """The texts of a province's recognition documents in the state format (Decree 30/2020/ND-CP):
    the decision, its annex and the certificate. The province edits them on a staff page
    (certification.services.save_document_template, audited with before/after); a province that
    has not yet saved its own prints `DocumentTemplate.defaults_for(province)`. Multi-line fields
    hold one item per line; in `articles` a blank line separates two articles."""

    province = models.OneToOneField(Unit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+")
    parent_body = models.CharField(_("cơ quan chủ quản (nếu có)"), max_length=200, blank=True)
    issuing_body = models.TextField(_("tên cơ quan ban hành (mỗi dòng một dòng in)"), max_length=300)
    issuer_name = models.CharField(_("tên cơ quan ban hành trong câu"), max_length=200)
    symbol = models.CharField(_("ký hiệu quyết định"), max_length=30)
    authority = models.CharField(_("thẩm quyền ban hành (dòng trên phần căn cứ)"), max_length=200)
    decision_summary = models.CharField(_("trích yếu quyết định"), max_length=500)
    legal_bases = models.TextField(_("căn cứ ban hành (mỗi dòng một căn cứ)"), max_length=5000)
    articles = models.TextField(_("các điều (cách nhau bởi một dòng trống)"), max_length=10000)
    executors_article = models.PositiveSmallIntegerField(
        _("điều giao trách nhiệm thi hành"),
        null=True,
        blank=True,
        help_text=_("Nơi nhận ghi “Như Điều …” cho điều này; để trống nếu không có điều nào nêu nơi thi hành."),
    )
    recipients = models.TextField(_("nơi nhận (mỗi dòng một nơi, dòng cuối là nơi lưu)"), max_length=3000)
    signature_titles = models.TextField(_("thẩm quyền và chức vụ người ký quyết định (mỗi dòng một dòng)"), max_length=300)
    annex_title = models.CharField(_("tên phụ lục"), max_length=100)
    annex_summary = models.CharField(_("trích yếu phụ lục"), max_length=500)
    certificate_title = models.CharField(_("tên giấy công nhận"), max_length=100)
    certificate_authority = models.CharField(_("thẩm quyền cấp giấy công nhận"), max_length=200)
    certificate_text = models.TextField(_("nội dung giấy công nhận (mỗi dòng một dòng)"), max_length=2000)
    certificate_signature_titles = models.TextField(_("thẩm quyền và chức vụ người ký giấy công nhận"), max_length=300)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    TEXT_FIELDS = (
        "parent_body",
        "issuing_body",
        "issuer_name",
        "symbol",
        "authority",
        "decision_summary",
        "legal_bases",
        "articles",
        "recipients",
        "signature_titles",
        "annex_title",
        "annex_summary",
        "certificate_title",
        "certificate_authority",
        "certificate_text",
        "certificate_signature_titles",
    )
    # Which placeholders each text may use (the others print as written).
    DECISION_FIELDS = ("decision_summary", "legal_bases", "articles", "annex_summary")
    CERTIFICATE_FIELDS = ("certificate_text",)

    class Meta:
        verbose_name = _("mẫu văn bản công nhận")
        verbose_name_plural = _("mẫu văn bản công nhận")

    def __str__(self) -> str:
        return f"{self.province}"

    def article_list(self) -> list[str]:
        """The articles: paragraphs separated by a blank line; inside one, a line break starts
        another paragraph of the same article."""
        blocks, current = [], []
        for line in self.articles.replace("\r\n", "\n").split("\n"):
            if line.strip():
                current.append(line.strip())
            elif current:
                blocks.append("\n".join(current))
                current = []
        if current:
            blocks.append("\n".join(current))
        return blocks

    @classmethod
    def defaults_for(cls, province: Unit, *, two_tier: bool) -> DocumentTemplate:
        """The starting texts for `province` (unsaved): the bases in force for a province of the
        two-tier structure (`two_tier`), or for one of the earlier list."""
        name = province.name  # "Tỉnh Bắc Ninh", "Thành phố Hà Nội"
        in_sentence = name[:1].lower() + name[1:]
        communes = "xã, phường" if two_tier else "xã, phường, thị trấn"
        standard = "“Chính quyền thân thiện, vì Nhân dân phục vụ”"
        local_government_law = (
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
            if two_tier
            else "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; "
            "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
            "địa phương ngày 22 tháng 11 năm 2019;"
        )
        return cls(
            province=province,
            issuing_body=f"Ủy ban nhân dân\n{name}",
            issuer_name=f"Ủy ban nhân dân {in_sentence}",
            symbol="QĐ-UBND",
            authority=f"Ủy ban nhân dân {in_sentence}",
            decision_summary=f"Về việc công nhận {communes} đạt chuẩn {standard} năm {{nam}}",
            legal_bases="\n".join(
                (
                    local_government_law,
                    "Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;",
                    f"Căn cứ Bộ tiêu chí đánh giá, công nhận {communes} đạt chuẩn {standard} của tỉnh;",
                    "Căn cứ kết quả thẩm định hồ sơ đề nghị công nhận năm {nam};",
                    "Theo đề nghị của Giám đốc Sở Nội vụ.",
                )
            ),
            articles="\n\n".join(
                (
                    f"Công nhận {{so_don_vi}} {communes} đạt chuẩn {standard} năm {{nam}} (có danh sách kèm theo).",
                    "Quyết định này có hiệu lực kể từ ngày ký. Thời hạn công nhận của từng đơn vị ghi tại danh sách kèm theo.",
                    f"Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Nội vụ; Thủ trưởng các cơ quan, đơn vị có liên quan "
                    f"và Chủ tịch Ủy ban nhân dân các {communes} có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
                )
            ),
            executors_article=3,
            recipients="\n".join(
                (
                    "Thường trực Tỉnh ủy;",
                    "Thường trực HĐND tỉnh;",
                    "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
                    "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh;",
                    "Lưu: VT, NC.",
                )
            ),
            signature_titles="TM. Ủy ban nhân dân\nKT. Chủ tịch\nPhó Chủ tịch",
            annex_title="Danh sách",
            annex_summary=f"{communes[:1].upper()}{communes[1:]} đạt chuẩn {standard} năm {{nam}}",
            certificate_title="Giấy công nhận",
            certificate_authority=f"Chủ tịch Ủy ban nhân dân {in_sentence}",
            certificate_text=f"Đạt chuẩn {standard} năm {{nam}}\nMức đạt: {{so_sao}} sao",
            certificate_signature_titles="KT. Chủ tịch\nPhó Chủ tịch",
        )


class ProvinceSample(models.Model):
    """One draw of the province's check, made when a district forwards: a stratified random sample
    (certification.sampling) of the files it forwarded, which the province appraises itself before
    any of that district's files are decided. The seed and the drawn list are kept, so the draw can
    be re-done and compared."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="samples")
    district = models.ForeignKey(Unit, verbose_name=_("huyện"), on_delete=models.PROTECT, related_name="+")
    forward = models.OneToOneField(DistrictForward, on_delete=models.CASCADE, related_name="sample")
    seed = models.BigIntegerField(_("hạt giống ngẫu nhiên"))
    share = models.DecimalField(_("tỷ lệ chọn mẫu"), max_digits=4, decimal_places=3)
    minimum = models.PositiveSmallIntegerField(_("số hồ sơ tối thiểu"))
    population = models.PositiveIntegerField(_("số hồ sơ gửi lên"))
    allocation = models.JSONField(_("phân bổ theo tầng"), default=dict)  # stratum -> [files, drawn]
    drawn = models.JSONField(_("hồ sơ được chọn"), default=list)  # file ids in the order drawn
    drawn_at = models.DateTimeField(_("chọn mẫu lúc"), auto_now_add=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["campaign", "district__name", "drawn_at"]
        verbose_name = _("mẫu kiểm tra của tỉnh")
        verbose_name_plural = _("mẫu kiểm tra của tỉnh")

    def __str__(self) -> str:
        return f"{self.district} – {len(self.drawn)}/{self.population}"

    @property
    def share_percent(self) -> float:
        return round(float(self.share) * 100, 1)


class ProvinceCheck(models.Model):
    """A forwarded file's place in the province's check: drawn (the province must appraise it
    itself) or recorded as not drawn. `province_total` and `checked_at` are set when the province
    team completes its own appraisal of the file."""

    sample = models.ForeignKey(ProvinceSample, on_delete=models.CASCADE, related_name="checks")
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="province_check")
    stratum = models.CharField(_("tầng (mức sao huyện đề nghị)"), max_length=2)
    drawn = models.BooleanField(_("được chọn kiểm tra"))
    district_total = models.DecimalField(_("điểm huyện khi gửi"), **POINTS, null=True, blank=True)
    province_total = models.DecimalField(_("điểm tỉnh thẩm định lại"), **POINTS, null=True, blank=True)
    checked_at = models.DateTimeField(_("tỉnh thẩm định xong lúc"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("kiểm tra của tỉnh")
        verbose_name_plural = _("kiểm tra của tỉnh")

    def __str__(self) -> str:
        return f"{self.registration_id}: {'mẫu' if self.drawn else 'không chọn'}"

    @property
    def pending(self) -> bool:
        return self.drawn and self.checked_at is None


class CitizenFigure(models.Model):
    """A commune's citizens' figure (a core.metrics key) over the campaign's period, as read at the
    last refresh (when a district forwards, or when the province asks). The appraisal-quality page
    reads these rows instead of computing every figure of every commune on each view."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="citizen_figures")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("mã số liệu"), max_length=80)
    value = models.FloatField(_("giá trị"), null=True, blank=True)
    measure = models.CharField(_("đơn vị đo"), max_length=20, blank=True)
    basis = models.PositiveIntegerField(_("số quan sát"), default=0)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "key"], name="citizen_figure_unique")]
        verbose_name = _("số liệu người dân")
        verbose_name_plural = _("số liệu người dân")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.key} = {self.value}"
