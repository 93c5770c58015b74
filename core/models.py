"""The few shared records: the audit trail, the notifications outbox, stored files and the
province's own calendar changes (extra days off, make-up working days)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change to a record of legal weight: who, when, what before and after.

    Written by core.audit inside the same transaction as the change itself, never by a signal.
    `unit_path` copies the materialised path of the unit the record belongs to, so the trail can be
    scoped to a user's subtree with one prefix query.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Sửa")
        DELETE = "delete", _("Xoá")

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True, on_delete=models.PROTECT)
    actor_label = models.CharField(_("người thực hiện (tên)"), max_length=200, blank=True)
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    model_label = models.CharField(_("loại bản ghi"), max_length=100, db_index=True)
    object_pk = models.CharField(_("mã bản ghi"), max_length=64)
    object_repr = models.CharField(_("bản ghi"), max_length=300)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model_label", "object_pk"])]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.model_label}#{self.object_pk}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class OutboxMessage(models.Model):
    """A notification to deliver, written in the same transaction as the change that caused it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    created_at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=20, default="email")
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True, null=True, unique=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("thông báo chờ gửi")
        verbose_name_plural = _("hàng đợi thông báo")

    def __str__(self) -> str:
        return f"{self.channel}:{self.recipient} {self.subject}"


class StoredFile(models.Model):
    """An uploaded file, checked by content and stored with its SHA-256 through Django storage."""

    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    file = models.FileField(upload_to="uploads/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class CalendarDay(models.Model):
    """A province-declared change to the national calendar: an extra day off, or a Saturday/Sunday
    declared a make-up working day (ngày làm bù)."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Ngày nghỉ bổ sung")
        WORKING_DAY = "work", _("Ngày làm việc bù")

    # The province that declared the change; blank for a change that applies to every province on
    # the deployment (the national default). A province's calendar is the national one, the blank
    # rows, then its own rows on top (core.workdays.province_calendar).
    province = models.ForeignKey("units.Unit", verbose_name=_("tỉnh"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=4, choices=Kind.choices)
    reason = models.CharField(_("lý do"), max_length=300)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["province", "date"], name="calendar_day_unique_per_province"),
            models.UniqueConstraint(fields=["date"], condition=models.Q(province__isnull=True), name="calendar_day_unique_national"),
        ]
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("lịch làm việc của tỉnh")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class RateBucket(models.Model):
    """A token bucket of core.ratelimit: how many requests one client (a keyed hash, never an
    address) may still make in one scope. Shared by every worker through the database."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="core_ratebucket_unique")]
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:8]} {self.tokens:.1f}"
