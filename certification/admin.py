"""Read-only admin views: every change to these records goes through the services (and the audit
trail), so the admin only lets the system administrator look."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from certification.models import Campaign, CriteriaSet, Recognition, Registration


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnly):
    list_display = ("name", "version", "status", "pass_mark")


@admin.register(Campaign)
class CampaignAdmin(ReadOnly):
    list_display = ("year", "name", "approval_chain", "target_share")


@admin.register(Registration)
class RegistrationAdmin(ReadOnly):
    list_display = ("unit", "campaign", "state", "self_total", "district_total", "province_total")
    list_filter = ("campaign", "state")
    list_select_related = ("unit", "campaign")


@admin.register(Recognition)
class RecognitionAdmin(ReadOnly):
    list_display = ("registration", "stars", "decision_number", "decision_date", "valid_until", "revoked_at")
    list_select_related = ("registration__unit",)
