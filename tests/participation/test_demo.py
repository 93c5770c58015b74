"""The demo shows every part of the capability: a failed two-thirds meeting, votes open and closed
with receipts, an initiative put to the community, a commune-wide matter decided by the villages,
consultations, and the entries they make in the commune's disclosure register; a second run adds
nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from core import capabilities
from disclosure import chain
from disclosure.models import Disclosure
from participation.models import CommuneMatter, CommuneMatterState, Consultation, Initiative, Matter, MatterState

pytestmark = pytest.mark.django_db


def test_demo_shows_every_part_and_runs_once(bac_giang, monkeypatch, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(capabilities, "registry", capabilities.registry.subset("units", "accounts", "disclosure", "participation"))
    call_command("load_demo", stdout=io.StringIO())
    counts = (Matter.objects.count(), CommuneMatter.objects.count(), Consultation.objects.count(), Disclosure.objects.count())
    assert Matter.objects.filter(subject=1, method="meeting", passed=False, commune_matter__isnull=True).exists()
    assert Matter.objects.filter(state=MatterState.VOTING).exists() and Matter.objects.filter(method="online", state="decided").exists()
    assert Initiative.objects.filter(matter__isnull=False).exists() and Initiative.objects.filter(state="collecting").exists()
    item = CommuneMatter.objects.get()
    assert item.state == CommuneMatterState.DECIDED and item.villages_total == item.village_matters.count() >= 2
    commune = item.commune
    published = Disclosure.objects.filter(unit=commune).exclude(source_key="")
    assert {d.source_key.split(":")[0] for d in published} == {
        "participation.consultation",
        "participation.matter",
        "participation.commune_matter",
    }
    # The disclosure demo still fills the commune's own register, and the chain holds.
    assert Disclosure.objects.filter(unit=commune, source_key="").exists()
    assert chain.verify(commune).ok
    call_command("load_demo", stdout=io.StringIO())
    assert counts == (Matter.objects.count(), CommuneMatter.objects.count(), Consultation.objects.count(), Disclosure.objects.count())
