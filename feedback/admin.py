from django.contrib import admin

from feedback.models import Case, Counter, DeadlineRule, RoutingRule


class ReadOnlyAdmin(admin.ModelAdmin):
    """Feedback data changes through its services (with audit and events), never in the admin."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["register_number", "register_year", "category", "status", "handling_unit", "due_on"]
    list_filter = ["status", "category", "channel"]
    exclude = ["contact_encrypted", "code_encrypted", "code_digest", "idempotency_digest"]


admin.site.register(RoutingRule, ReadOnlyAdmin)
admin.site.register(DeadlineRule, ReadOnlyAdmin)
admin.site.register(Counter, ReadOnlyAdmin)
