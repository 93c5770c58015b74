from django.contrib import admin

from core.admin_readonly import ReadOnlyAdmin
from units.models import CommitteeMember, SteeringCommittee, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # ModelAdmin[Model] is not subscriptable at runtime
    list_display = ("name", "code", "edition", "kind", "parent", "valid_to")
    list_filter = ("edition", "kind")
    search_fields = ("name", "code", "search_text")
    raw_id_fields = ("parent", "successor")


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(ReadOnlyAdmin):
    """Committees change through the staff pages, so every change is audited."""

    list_display = ("name", "unit", "kind", "is_active")
    list_filter = ("kind",)
    raw_id_fields = ("unit", "parent")


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "position", "committee")
    raw_id_fields = ("committee", "user")
    filter_horizontal = ("followed_units",)
