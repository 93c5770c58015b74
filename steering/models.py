"""Directives of a steering committee (notices, plans, decisions, conclusions) and their tasks; the
owners' progress reports; the directive owner's acceptance or return of a task."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions
from core.models import StoredFile
from units.models import CommitteeMember, Unit


class Directive(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "notice", _("Thông báo")
        PLAN = "plan", _("Kế hoạch")
        DECISION = "decision", _("Quyết định")
        CONCLUSION = "conclusion", _("Kết luận")

    # The unit whose steering committee issued the directive and accepts its tasks (in force on its date).
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="directives")
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices, default=Kind.NOTICE)
    number = models.CharField(_("số, ký hiệu"), max_length=100)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("người, cơ quan ban hành"), max_length=300)
    title = models.CharField(_("trích yếu"), max_length=500)
    file = models.ForeignKey(StoredFile, verbose_name=_("tệp văn bản"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class TaskState(models.TextChoices):
    OPEN = "open", _("Chưa báo cáo")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Đề nghị công nhận hoàn thành")
    RETURNED = "returned", _("Bị trả lại")
    DONE = "done", _("Đã hoàn thành")


class TaskAction(models.TextChoices):
    REPORT = "report", _("Báo cáo tiến độ")
    SUBMIT = "submit", _("Báo cáo hoàn thành")
    ACCEPT = "accept", _("Công nhận hoàn thành")
    RETURN = "return", _("Trả lại")


_OPEN_STATES = (TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.RETURNED)
TASK_TRANSITIONS = transitions.table(
    [
        (_OPEN_STATES, TaskAction.REPORT, TaskState.IN_PROGRESS),
        (_OPEN_STATES, TaskAction.SUBMIT, TaskState.SUBMITTED),
        ((TaskState.SUBMITTED,), TaskAction.ACCEPT, TaskState.DONE),
        ((TaskState.SUBMITTED,), TaskAction.RETURN, TaskState.RETURNED),
    ]
)


class DirectiveTask(models.Model):
    directive = models.ForeignKey(Directive, verbose_name=_("văn bản chỉ đạo"), on_delete=models.PROTECT, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    body = models.TextField(_("nội dung"), blank=True)
    # The owning units (in force on the directive's date) and, in words, agencies that are no unit
    # (a party committee, a newspaper): both are listed as the task's owners.
    owners = models.ManyToManyField(Unit, verbose_name=_("đơn vị chủ trì"), related_name="steering_tasks", blank=True)
    owner_agencies = models.CharField(_("cơ quan chủ trì khác"), max_length=500, blank=True)
    follower = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("thành viên BCĐ theo dõi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_tasks",
    )
    deadline_text = models.CharField(_("thời hạn (như văn bản ghi)"), max_length=100)
    due_on = models.DateField(_("hạn hoàn thành"))
    expected_output = models.CharField(_("sản phẩm dự kiến"), max_length=500, blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_on = models.DateField(_("ngày công nhận hoàn thành"), null=True, blank=True)

    class Meta:
        ordering = ["directive", "number"]
        constraints = [models.UniqueConstraint(fields=["directive", "number"], name="steering_task_number_unique")]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.state != TaskState.DONE and self.due_on < today


class TaskReport(models.Model):
    """One step in a task's life: an owner's progress report, or the directive owner's acceptance or
    return (with its reason)."""

    task = models.ForeignKey(DirectiveTask, on_delete=models.CASCADE, related_name="reports")
    action = models.CharField(_("thao tác"), max_length=20, choices=TaskAction.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung"))
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    document = models.ForeignKey(StoredFile, verbose_name=_("tài liệu"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("báo cáo nhiệm vụ")
        verbose_name_plural = _("báo cáo nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.task}"


# --- Members guide their localities; good practices and criticism (issue 15, tasks 5 and 8) -------
class GuidanceKind(models.TextChoices):
    VISIT = "visit", _("Về địa bàn hướng dẫn, kiểm tra")
    WORKING_SESSION = "working_session", _("Làm việc với cấp ủy, chính quyền")
    URGING = "urging", _("Đôn đốc")


class GuidanceEntry(models.Model):
    """One guidance visit or urging of a committee member in a locality they follow (task 8),
    recorded by the member or the committee's secretariat; an urging may be about a task."""

    member = models.ForeignKey(CommitteeMember, verbose_name=_("thành viên BCĐ"), on_delete=models.PROTECT, related_name="guidance")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("hình thức"), max_length=20, choices=GuidanceKind.choices)
    happened_on = models.DateField(_("ngày"))
    content = models.TextField(_("nội dung"))
    task = models.ForeignKey(
        DirectiveTask, verbose_name=_("nhiệm vụ được đôn đốc"), null=True, blank=True, on_delete=models.PROTECT, related_name="urgings"
    )
    file = models.ForeignKey(StoredFile, verbose_name=_("tệp kèm theo"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("hoạt động hướng dẫn, đôn đốc")
        verbose_name_plural = _("hoạt động hướng dẫn, đôn đốc")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.unit} ({self.happened_on:%d/%m/%Y})"


class PracticeState(models.TextChoices):
    PROPOSED = "proposed", _("Chờ tỉnh xem xét")
    PUBLISHED = "published", _("Đã đăng trên cổng thông tin")
    UNPUBLISHED = "unpublished", _("Đã gỡ khỏi cổng thông tin")


class PracticeAction(models.TextChoices):
    PUBLISH = "publish", _("Đăng trên cổng thông tin")
    UNPUBLISH = "unpublish", _("Gỡ khỏi cổng thông tin")


PRACTICE_TRANSITIONS = transitions.table(
    [
        ((PracticeState.PROPOSED, PracticeState.UNPUBLISHED), PracticeAction.PUBLISH, PracticeState.PUBLISHED),
        ((PracticeState.PUBLISHED,), PracticeAction.UNPUBLISH, PracticeState.UNPUBLISHED),
    ]
)


class GoodPractice(models.Model):
    """A unit's good practice in implementing grassroots democracy (task 5: "biểu dương"), which
    the province reviews and may publish on the public portal."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tên mô hình, cách làm"), max_length=300)
    body = models.TextField(_("nội dung"))
    period_start = models.DateField(_("thực hiện từ ngày"))
    period_end = models.DateField(_("đến ngày"), null=True, blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=PracticeState.choices, default=PracticeState.PROPOSED)
    published_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("mô hình, cách làm hay")
        verbose_name_plural = _("mô hình, cách làm hay")

    def __str__(self) -> str:
        return self.title


class PracticeAttachment(models.Model):
    """A photo (stored without its EXIF data, so no location reaches the portal) or a document."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey(StoredFile, verbose_name=_("tệp"), on_delete=models.PROTECT, related_name="+")
    is_photo = models.BooleanField(_("là ảnh"), default=False)
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)

    class Meta:
        ordering = ["-is_photo", "pk"]
        verbose_name = _("ảnh, tài liệu của mô hình")
        verbose_name_plural = _("ảnh, tài liệu của mô hình")

    def __str__(self) -> str:
        return self.caption or self.file.original_name


class Criticism(models.Model):
    """A unit criticised for lax implementation (task 5: "phê phán"): the document that says so
    and what the unit has done since."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị bị phê bình"), on_delete=models.PROTECT, related_name="+")
    criticised_on = models.DateField(_("ngày phê bình"))
    reason = models.TextField(_("lý do"))
    document_ref = models.CharField(_("văn bản phê bình (số, ký hiệu)"), max_length=200)
    document = models.ForeignKey(
        StoredFile, verbose_name=_("tệp văn bản"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follow_up = models.TextField(_("kết quả khắc phục"), blank=True)
    follow_up_on = models.DateField(_("ngày ghi nhận khắc phục"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-criticised_on", "-pk"]
        verbose_name = _("đơn vị bị phê bình")
        verbose_name_plural = _("đơn vị bị phê bình")

    def __str__(self) -> str:
        return f"{self.unit} – {self.document_ref}"


# --- end of members, practices and criticism ------------------------------------------------------
# --- The overview (steering/overview.py) ---------------------------------------------------------
class OverviewSnapshot(models.Model):
    """The overview's figures of one unit for one period, as computed at `computed_at`: the
    figures of the unit, the units below it and its communes, and the unit's figures for the
    previous period. Some figures take seconds to compute (the weighted satisfaction index), so a
    morning job computes them and the page reads the day's snapshot; a leader may recompute."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=10)
    period_start = models.DateField()
    computed_on = models.DateField()  # the day (Asia/Ho_Chi_Minh) the figures are as of
    computed_at = models.DateTimeField()
    # {"now": {key: {unit id: value}}, "before": {key: value}}, each value a MetricValue's fields
    figures = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_kind", "period_start", "computed_on"], name="steering_overview_snapshot_day")
        ]
        verbose_name = _("số liệu tổng quan đã tính")
        verbose_name_plural = _("số liệu tổng quan đã tính")

    def __str__(self) -> str:
        return f"{self.unit} – {self.period_kind} {self.period_start:%d/%m/%Y} ({self.computed_at:%d/%m/%Y %H:%M})"


# --- end of the overview's models ----------------------------------------------------------------


# --- The chairman responsibility rating (task 9) ------------------------------------------------
# The method is data a province edits and versions: its components (which platform figure, its
# weight, its direction and scale, the least data it needs) and its bands. A published version is
# never edited; a rating keeps the version it was computed with.


class MethodState(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã ban hành")
    RETIRED = "retired", _("Ngừng áp dụng")


class RatingMethod(models.Model):
    province = models.ForeignKey(Unit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="rating_methods")
    version = models.PositiveSmallIntegerField(_("phiên bản"))
    title = models.CharField(_("tên phương pháp"), max_length=300)
    basis = models.CharField(_("căn cứ"), max_length=500, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=MethodState.choices, default=MethodState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["province", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["province", "version"], name="steering_rating_method_version"),
            models.UniqueConstraint(
                fields=["province"], condition=models.Q(state="published"), name="steering_rating_method_one_published"
            ),
        ]
        verbose_name = _("phương pháp xếp loại chủ tịch UBND")
        verbose_name_plural = _("phương pháp xếp loại chủ tịch UBND")

    def __str__(self) -> str:
        return f"{self.title} (phiên bản {self.version})"


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")


class Scale(models.TextChoices):
    # A share in %: the score is the share (or 100 minus it when lower is better).
    PERCENT = "percent", _("Tỷ lệ (%)")
    # A count of events: 100 minus `points_per_item` for each (lower is better), at least 0.
    COUNT = "count", _("Số vụ việc (trừ điểm mỗi vụ)")


class RatingComponent(models.Model):
    method = models.ForeignKey(RatingMethod, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    metric_key = models.CharField(_("nguồn số liệu trên nền tảng"), max_length=100)
    label = models.CharField(_("thành phần"), max_length=300)
    weight = models.DecimalField(_("trọng số"), max_digits=6, decimal_places=2)
    direction = models.CharField(_("chiều"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    scale = models.CharField(_("thang"), max_length=10, choices=Scale.choices, default=Scale.PERCENT)
    points_per_item = models.DecimalField(_("điểm trừ mỗi vụ việc"), max_digits=6, decimal_places=2, default=0)
    min_denominator = models.PositiveIntegerField(_("số liệu tối thiểu (mẫu số)"), default=1)

    class Meta:
        ordering = ["method", "order"]
        constraints = [
            models.UniqueConstraint(fields=["method", "metric_key"], name="steering_rating_component_metric"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="steering_rating_component_weight_positive"),
        ]
        verbose_name = _("thành phần xếp loại")
        verbose_name_plural = _("thành phần xếp loại")

    def __str__(self) -> str:
        return self.label


class RatingBand(models.Model):
    """A score of at least `min_score` earns this band (the highest band reached wins)."""

    method = models.ForeignKey(RatingMethod, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("mức xếp loại"), max_length=100)
    min_score = models.DecimalField(_("điểm tối thiểu"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["method", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["method", "min_score"], name="steering_rating_band_threshold")]
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_score}"


class ChairmanRating(models.Model):
    """One unit's chairman rated over a period with one method version; the components' figures
    are kept as they were read (RatingFigure), so the rating can be traced and reprinted."""

    method = models.ForeignKey(RatingMethod, verbose_name=_("phương pháp"), on_delete=models.PROTECT, related_name="ratings")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="chairman_ratings")
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=1, null=True, blank=True)
    band = models.CharField(_("xếp loại"), max_length=100, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-period_end", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["method", "unit", "period_start", "period_end"], name="steering_rating_one_per_period"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="steering_rating_period_order"),
        ]
        verbose_name = _("xếp loại trách nhiệm chủ tịch UBND")
        verbose_name_plural = _("xếp loại trách nhiệm chủ tịch UBND")

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class RatingFigure(models.Model):
    """One component of a rating as computed: the figure read from the platform (value, numerator,
    denominator, source, link to the records), its score, and the weight it carried once the
    components without enough data were left out (`included` False, score None)."""

    rating = models.ForeignKey(ChairmanRating, on_delete=models.CASCADE, related_name="figures")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    metric_key = models.CharField(_("nguồn số liệu"), max_length=100)
    label = models.CharField(_("thành phần"), max_length=300)
    weight = models.DecimalField(_("trọng số"), max_digits=6, decimal_places=2)
    weight_used = models.FloatField(_("trọng số áp dụng (%)"), null=True, blank=True)
    value = models.FloatField(_("giá trị"), null=True, blank=True)
    measure = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    numerator = models.FloatField(_("tử số"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("mẫu số"), default=0)
    min_denominator = models.PositiveIntegerField(_("mẫu số tối thiểu"), default=0)
    score = models.FloatField(_("điểm thành phần"), null=True, blank=True)
    included = models.BooleanField(_("được tính"), default=False)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    link = models.CharField(_("liên kết đến hồ sơ"), max_length=500, blank=True)

    class Meta:
        ordering = ["rating", "order"]
        verbose_name = _("thành phần của kết quả xếp loại")
        verbose_name_plural = _("thành phần của kết quả xếp loại")

    def __str__(self) -> str:
        return self.label


# --- The committee's work (issue 15): meetings, dissemination and training, inspections ------------
# Committees and their members live in `units` (SteeringCommittee, CommitteeMember); they are named
# by label here so this block adds no import to the module's head.


class RegimePeriod(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    YEAR = "year", _("Năm")


class MeetingRegime(models.Model):
    """How often a steering committee must meet (its working rules: e.g. once a quarter). A row on
    a unit is the default for every committee in that unit's subtree (the nearest such unit wins);
    a row on a committee overrides it for that committee."""

    unit = models.ForeignKey(Unit, verbose_name=_("áp dụng cho đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    committee = models.OneToOneField(
        "units.SteeringCommittee",
        verbose_name=_("ban chỉ đạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_regime",
    )
    period = models.CharField(_("kỳ"), max_length=10, choices=RegimePeriod.choices, default=RegimePeriod.QUARTER)
    meetings_per_period = models.PositiveSmallIntegerField(_("số cuộc họp tối thiểu mỗi kỳ"), default=1)
    basis = models.CharField(_("căn cứ (quy chế hoạt động)"), max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True, committee__isnull=False) | models.Q(unit__isnull=False, committee__isnull=True),
                name="steering_regime_unit_xor_committee",
            ),
            models.UniqueConstraint(fields=["unit"], condition=models.Q(unit__isnull=False), name="steering_regime_unit_unique"),
            models.CheckConstraint(condition=models.Q(meetings_per_period__gte=1), name="steering_regime_at_least_one"),
        ]
        verbose_name = _("chế độ họp")
        verbose_name_plural = _("chế độ họp")

    def __str__(self) -> str:
        return str(_("%(n)s cuộc họp mỗi %(period)s") % {"n": self.meetings_per_period, "period": str(self.get_period_display()).lower()})


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Dự kiến")
    HELD = "held", _("Đã họp")
    CANCELLED = "cancelled", _("Đã hủy")


class MeetingAction(models.TextChoices):
    HOLD = "hold", _("ghi nhận đã họp")
    CANCEL = "cancel", _("hủy cuộc họp")


MEETING_TRANSITIONS = transitions.table(
    [
        ((MeetingState.SCHEDULED,), MeetingAction.HOLD, MeetingState.HELD),
        ((MeetingState.SCHEDULED,), MeetingAction.CANCEL, MeetingState.CANCELLED),
    ]
)


class Meeting(models.Model):
    """A meeting of a steering committee: scheduled, then held (with attendance, minutes and
    conclusions) or cancelled."""

    committee = models.ForeignKey(
        "units.SteeringCommittee", verbose_name=_("ban chỉ đạo"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("nội dung cuộc họp"), max_length=300)
    scheduled_on = models.DateField(_("ngày dự kiến"))
    held_on = models.DateField(_("ngày họp"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chaired_by = models.CharField(_("người chủ trì"), max_length=200, blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=MeetingState.choices, default=MeetingState.SCHEDULED)
    minutes = models.ForeignKey(StoredFile, verbose_name=_("biên bản"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancel_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)
    # The conclusion notice the meeting's conclusions are issued under, once one becomes a task.
    directive = models.OneToOneField(
        Directive, verbose_name=_("thông báo kết luận"), null=True, blank=True, on_delete=models.PROTECT, related_name="meeting"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_on", "-pk"]
        indexes = [models.Index(fields=["committee", "state", "held_on"], name="steering_meeting_held_idx")]
        verbose_name = _("cuộc họp ban chỉ đạo")
        verbose_name_plural = _("cuộc họp ban chỉ đạo")

    def __str__(self) -> str:
        return f"{self.title} ({(self.held_on or self.scheduled_on):%d/%m/%Y})"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("units.CommitteeMember", verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("có mặt"))
    note = models.CharField(_("ghi chú (lý do vắng, người dự thay)"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "member_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="steering_attendance_unique")]
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")

    def __str__(self) -> str:
        return f"{self.member_id}: {'+' if self.present else '-'}"


class MeetingConclusion(models.Model):
    """One conclusion of a held meeting; when it assigns work, the task it became."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung kết luận"))
    task = models.OneToOneField(
        DirectiveTask, verbose_name=_("nhiệm vụ"), null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_conclusion"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="steering_conclusion_number_unique")]
        verbose_name = _("kết luận cuộc họp")
        verbose_name_plural = _("kết luận cuộc họp")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class Organisation(models.Model):
    """A party committee, agency or organisation that is not an administrative unit but must
    disseminate the Law (notice, footnote 1: "some party committees directly under the Provincial
    Party Committee have not yet held sessions on the Law"): the province keeps the list."""

    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Cấp ủy, đảng ủy trực thuộc")
        AGENCY = "agency", _("Cơ quan, sở, ban, ngành")
        MASS_ORGANISATION = "mass_organisation", _("MTTQ, tổ chức chính trị - xã hội")
        PRESS = "press", _("Cơ quan báo chí")

    province = models.ForeignKey(Unit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên"), max_length=300)
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    # The locality it leads (a district's party committee), if any: its sessions count for that unit.
    unit = models.ForeignKey(Unit, verbose_name=_("địa bàn"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["province", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="steering_organisation_name_unique")]
        verbose_name = _("cấp ủy, cơ quan, tổ chức")
        verbose_name_plural = _("cấp ủy, cơ quan, tổ chức")

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    DISSEMINATION = "dissemination", _("Hội nghị quán triệt, tuyên truyền")
    TRAINING = "training", _("Tập huấn, bồi dưỡng")


class SessionTopic(models.TextChoices):
    LAW = "law", _("Luật Thực hiện dân chủ ở cơ sở")
    GUIDANCE = "guidance", _("Văn bản hướng dẫn thi hành Luật")
    FRIENDLY_GOVERNMENT = "friendly_government", _("Chính quyền thân thiện")
    OTHER = "other", _("Nội dung khác")


class DisseminationSession(models.Model):
    """A session disseminating the Law (hội nghị quán triệt, tuyên truyền) or a training, held by a
    unit's authorities or by an organisation (then `unit` is the organisation's locality or province)."""

    kind = models.CharField(_("hình thức"), max_length=20, choices=SessionKind.choices)
    topic = models.CharField(_("chủ đề"), max_length=30, choices=SessionTopic.choices, default=SessionTopic.LAW)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cấp ủy, cơ quan tổ chức"), null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField(_("tên hội nghị, lớp"), max_length=300)
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    audience = models.CharField(_("thành phần tham dự"), max_length=300, blank=True)
    participants = models.PositiveIntegerField(_("số người tham dự"))
    document = models.ForeignKey(StoredFile, verbose_name=_("tài liệu"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("hội nghị quán triệt, lớp tập huấn")
        verbose_name_plural = _("hội nghị quán triệt, lớp tập huấn")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class MediaCoverage(models.Model):
    """An item of media coverage (notice, task 5): an article, a broadcast, a column on the Law."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Bài báo in, báo điện tử")
        BROADCAST = "broadcast", _("Phóng sự, chương trình phát thanh, truyền hình")
        COLUMN = "column", _("Chuyên trang, chuyên mục")
        ONLINE = "online", _("Cổng thông tin, mạng xã hội")

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại tin, bài"), max_length=20, choices=Kind.choices)
    outlet = models.CharField(_("cơ quan báo chí, kênh"), max_length=200)
    title = models.CharField(_("tiêu đề"), max_length=300)
    published_on = models.DateField(_("ngày đăng, phát"))
    url = models.URLField(_("đường dẫn"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("tin, bài tuyên truyền")
        verbose_name_plural = _("tin, bài tuyên truyền")

    def __str__(self) -> str:
        return f"{self.outlet}: {self.title}"


class InspectionPlan(models.Model):
    """A steering committee's plan of inspections and supervision (kế hoạch kiểm tra, giám sát)."""

    committee = models.ForeignKey(
        "units.SteeringCommittee", verbose_name=_("ban chỉ đạo"), on_delete=models.PROTECT, related_name="inspection_plans"
    )
    number = models.CharField(_("số, ký hiệu"), max_length=100)
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    adopted_on = models.DateField(_("ngày ban hành"))
    scope = models.TextField(_("nội dung kiểm tra, giám sát"), blank=True)
    file = models.ForeignKey(StoredFile, verbose_name=_("tệp kế hoạch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-adopted_on", "-pk"]
        verbose_name = _("kế hoạch kiểm tra, giám sát")
        verbose_name_plural = _("kế hoạch kiểm tra, giám sát")

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"


class VisitState(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    DONE = "done", _("Đã kiểm tra")
    CANCELLED = "cancelled", _("Đã hủy")


class VisitAction(models.TextChoices):
    RECORD = "record", _("ghi kết quả kiểm tra")
    CANCEL = "cancel", _("hủy đợt kiểm tra")


VISIT_TRANSITIONS = transitions.table(
    [
        ((VisitState.PLANNED,), VisitAction.RECORD, VisitState.DONE),
        ((VisitState.PLANNED,), VisitAction.CANCEL, VisitState.CANCELLED),
    ]
)


class InspectionVisit(models.Model):
    """One visit of a plan to a unit: planned, then done (with findings and recommendations) or cancelled."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="visits")
    target = models.ForeignKey(Unit, verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("ngày dự kiến"))
    visited_on = models.DateField(_("ngày kiểm tra"), null=True, blank=True)
    team = models.CharField(_("đoàn kiểm tra"), max_length=300, blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=VisitState.choices, default=VisitState.PLANNED)
    summary = models.TextField(_("nhận xét chung"), blank=True)
    report = models.ForeignKey(
        StoredFile, verbose_name=_("báo cáo kết quả"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The notice of the visit's results its recommendations are issued under, once one becomes a task.
    directive = models.OneToOneField(
        Directive, verbose_name=_("thông báo kết quả"), null=True, blank=True, on_delete=models.PROTECT, related_name="inspection_visit"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")

    def __str__(self) -> str:
        return f"{self.target} ({(self.visited_on or self.planned_on):%d/%m/%Y})"


class InspectionFinding(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Ưu điểm")
        SHORTCOMING = "shortcoming", _("Tồn tại, hạn chế")
        VIOLATION = "violation", _("Sai phạm")

    visit = models.ForeignKey(InspectionVisit, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("nội dung"))

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = _("kết quả kiểm tra")
        verbose_name_plural = _("kết quả kiểm tra")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:80]}"


class InspectionRecommendation(models.Model):
    """A recommendation of a visit; its follow-up is the task it became."""

    visit = models.ForeignKey(InspectionVisit, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung kiến nghị"))
    task = models.OneToOneField(
        DirectiveTask, verbose_name=_("nhiệm vụ"), null=True, blank=True, on_delete=models.PROTECT, related_name="inspection_recommendation"
    )

    class Meta:
        ordering = ["visit", "number"]
        constraints = [models.UniqueConstraint(fields=["visit", "number"], name="steering_recommendation_number_unique")]
        verbose_name = _("kiến nghị sau kiểm tra")
        verbose_name_plural = _("kiến nghị sau kiểm tra")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


# --- end of the committee's work ---------------------------------------------------------------------
