from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import ApiToken, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]  # not subscriptable at runtime
    model = RoleAssignment
    fk_name = "user"
    raw_id_fields = ("unit",)
    extra = 0
    readonly_fields = ("granted_at", "granted_by")


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]  # not subscriptable at runtime
    inlines = [RoleAssignmentInline]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Công tác", {"fields": ("phone", "job_title")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at runtime
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "digest")
