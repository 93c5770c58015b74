from django.contrib import admin

from core.admin_readonly import ReadOnlyAdmin
from feedback.models import Case, Counter, DeadlineRule, RoutingRule


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["register_number", "register_year", "category", "status", "handling_unit", "due_on"]
    list_filter = ["status", "category", "channel"]
    exclude = ["contact_encrypted", "code_encrypted", "code_digest", "idempotency_digest"]


admin.site.register(RoutingRule, ReadOnlyAdmin)
admin.site.register(DeadlineRule, ReadOnlyAdmin)
admin.site.register(Counter, ReadOnlyAdmin)
