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
