from django.contrib import admin

from core.admin_readonly import ReadOnlyAdmin
from core.models import AuditEntry, CalendarDay, OutboxMessage, StoredFile


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The trail is append-only, even for administrators."""

    list_display = ("at", "actor_label", "action", "model_label", "object_pk", "object_repr")
    list_filter = ("action", "model_label")
    search_fields = ("object_repr", "actor_label")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # ModelAdmin[Model] is not subscriptable at runtime
    list_display = ("created_at", "channel", "recipient", "subject", "status", "attempts")
    list_filter = ("status", "channel")


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # ModelAdmin[Model] is not subscriptable at runtime
    list_display = ("created_at", "original_name", "content_type", "size", "sha256")
    readonly_fields = ("sha256", "size", "content_type")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # ModelAdmin[Model] is not subscriptable at runtime
    list_display = ("date", "kind", "reason")
