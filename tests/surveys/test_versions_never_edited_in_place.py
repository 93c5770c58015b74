"""A published questionnaire is frozen; changes go into a new version, which retires the old one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.actors import SYSTEM
from core.models import AuditEntry
from surveys import services
from surveys.models import InstrumentVersion, Question, VersionState


def test_ready_made_forms_are_seven_with_elements(instruments) -> None:  # type: ignore[no-untyped-def]
    assert sorted(instruments) == [f"PKS0{i}" for i in range(1, 8)]
    likert = Question.objects.filter(kind="likert")
    assert likert.exists() and not likert.filter(element="").exists()
    assert services.load_instruments(by=SYSTEM) == []  # idempotent


def test_published_version_cannot_be_edited(instruments, province_officer) -> None:  # type: ignore[no-untyped-def]
    version = instruments["PKS07"]
    with pytest.raises(ValidationError):
        services.save_section(by=province_officer, version=version, title="Thêm")
    with pytest.raises(ValidationError):
        services.delete_question(by=province_officer, question=version.questions.first())


def test_revision_then_publish_retires_the_old_version(instruments, province_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    old = instruments["PKS07"]
    draft = services.start_revision(by=province_officer, version=old)
    assert draft.number == 2 and draft.questions.count() == old.questions.count()
    client = client_for(province_officer)
    section = draft.sections.first()
    response = client.post(
        f"/staff/khao-sat/phieu/{draft.pk}/",
        {
            "action": "question",
            "q-section": section.pk,
            "q-code": "q10",
            "q-text": "Câu mới",
            "q-kind": "likert",
            "q-required": "on",
            "q-element": "access",
        },
    )
    assert response.status_code == 302
    assert draft.questions.filter(code="q10").exists()
    assert not old.questions.filter(code="q10").exists()
    # a Likert question without its element is refused, what was typed is kept
    response = client.post(
        f"/staff/khao-sat/phieu/{draft.pk}/",
        {"action": "question", "q-section": section.pk, "q-code": "q11", "q-text": "Thiếu yếu tố", "q-kind": "likert"},
    )
    assert response.status_code == 200 and "Thiếu yếu tố" in response.content.decode()
    assert not draft.questions.filter(code="q11").exists()
    services.publish_version(by=province_officer, version=draft)
    old.refresh_from_db()
    assert old.state == VersionState.RETIRED
    assert AuditEntry.objects.filter(model_label="surveys.InstrumentVersion", object_pk=str(draft.pk)).exists()


def test_skip_rule_must_point_to_an_earlier_question(instruments, province_officer) -> None:  # type: ignore[no-untyped-def]
    draft = services.start_revision(by=province_officer, version=instruments["PKS02"])
    Question.objects.filter(version=draft, code="q1").update(show_if_code="q6", show_if_value="x")
    with pytest.raises(ValidationError):
        services.publish_version(by=province_officer, version=draft)
    assert InstrumentVersion.objects.get(pk=draft.pk).state == VersionState.DRAFT


def test_only_the_province_office_edits(instruments, district_officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.start_revision(by=district_officer, version=instruments["PKS07"])
