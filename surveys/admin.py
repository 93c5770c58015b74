"""Read-only admin views: every write goes through services (audit, invariants, anonymity)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from surveys.models import Campaign, Instrument, InstrumentVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
