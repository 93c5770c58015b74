from django.contrib import admin

from units.models import CommitteeMember, SteeringCommittee, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "edition", "kind", "parent", "valid_to")
    list_filter = ("edition", "kind")
    search_fields = ("name", "code", "search_text")
    raw_id_fields = ("parent", "successor")


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "kind", "is_active")
    list_filter = ("kind",)
    raw_id_fields = ("unit", "parent")

    # Committees are changed through the staff pages so every change is audited: read-only here.
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "position", "committee")
    raw_id_fields = ("committee", "user")
    filter_horizontal = ("followed_units",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
