"""Read-only admin views: every change to these records goes through the services (and the audit
trail), so the admin only lets the system administrator look."""

from __future__ import annotations

from django.contrib import admin

from certification.models import Campaign, CriteriaSet, Recognition, Registration
from core.admin_readonly import ReadOnlyAdmin


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdmin):
    list_display = ("name", "version", "status", "pass_mark")


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("year", "name", "approval_chain", "target_share")


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("unit", "campaign", "state", "self_total", "district_total", "province_total")
    list_filter = ("campaign", "state")
    list_select_related = ("unit", "campaign")


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdmin):
    list_display = ("registration", "stars", "decision_number", "decision_date", "valid_until", "revoked_at")
    list_select_related = ("registration__unit",)
