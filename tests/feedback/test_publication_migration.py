"""The migration that makes notes internal by default keeps the reporter's notes visible and
withdraws cases published under the old, unmoderated rules."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from feedback import services
from feedback.models import CaseEvent, RegisterClass

pytestmark = pytest.mark.django_db
migration = importlib.import_module("feedback.migrations.0002_publication_moderated_texts_internal_notes")


def test_old_events_and_publications_are_brought_under_the_new_rules(make_case, doi_ngo, commune_officer):
    case = make_case(doi_ngo)
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    case = services.answer_case(case=case, by=commune_officer, answer="Xã đã sửa xong.")
    CaseEvent.objects.update(note_for_reporter=False, public=True)  # as the old code left them
    type(case).objects.filter(pk=case.pk).update(published_at=timezone.now(), public_summary="Nguyên văn phản ánh")
    migration.internal_by_default(apps, None)
    flags = dict(CaseEvent.objects.values_list("action", "note_for_reporter"))
    assert flags == {"submit": True, "accept": False, "answer": True}
    case.refresh_from_db()
    assert case.published_at is None
