"""Read-only admin views: every write goes through services (audit, invariants, anonymity)."""

from __future__ import annotations

from django.contrib import admin

from core.admin_readonly import ReadOnlyAdmin
from surveys.models import Campaign, Instrument, InstrumentVersion


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ["code", "title"]


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["instrument", "number", "state", "published_at"]
    list_filter = ["state"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "year", "state", "anonymous"]
    list_filter = ["state", "year"]
