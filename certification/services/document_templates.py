"""The province's texts for its recognition documents (decision, annex, certificate): edited by the
province's administrators, every change audited with its before and after."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils.translation import gettext as _

from accounts.models import User
from certification import permissions as perms
from certification.models import CERTIFICATE_PLACEHOLDERS, DECISION_PLACEHOLDERS, DocumentTemplate
from certification.services._shared import CREATE, UPDATE, _require, _too_long
from core import audit
from core.audit import snapshot
from units.models import Unit

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
REQUIRED = frozenset(DocumentTemplate.TEXT_FIELDS) - {"parent_body"}


def _label(name: str) -> str:
    field = DocumentTemplate._meta.get_field(name)
    assert isinstance(field, Field)
    label = str(field.verbose_name)
    return label[:1].upper() + label[1:]


def _check(texts: Mapping[str, str], executors_article: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name, message in _too_long(DocumentTemplate, **texts).items():
        add(name, message)
    for name in DocumentTemplate.TEXT_FIELDS:
        value = texts[name]
        if name in REQUIRED and not value.strip():
            add(name, _("“%(label)s” không được để trống.") % {"label": _label(name)})
        allowed = (
            DECISION_PLACEHOLDERS
            if name in DocumentTemplate.DECISION_FIELDS
            else CERTIFICATE_PLACEHOLDERS
            if name in DocumentTemplate.CERTIFICATE_FIELDS
            else {}
        )
        for key in PLACEHOLDER.findall(value):
            if key not in allowed:
                known = ", ".join(f"{{{k}}}" for k in allowed) or _("không có")
                add(name, _("“{%(key)s}” không phải là chỗ điền dùng được ở đây (dùng được: %(known)s).") % {"key": key, "known": known})
    articles = DocumentTemplate(articles=texts["articles"]).article_list()
    if executors_article is not None and not 1 <= executors_article <= len(articles):
        add(
            "executors_article",
            _("Quyết định chỉ có %(n)s điều: không có Điều %(k)s để ghi “Như Điều %(k)s” ở nơi nhận.")
            % {"n": len(articles), "k": executors_article},
        )
    return errors


def save_document_template(*, province: Unit, texts: Mapping[str, str], executors_article: int | None, by: User) -> DocumentTemplate:
    """Save `province`'s document texts (all of them at once, as the page shows them). Refused for
    anyone but the province's administrators; an empty required text, a text too long, a
    placeholder the text cannot use or an executors' article the decision does not have is
    refused with every problem named, and nothing is saved."""
    _require(perms.can_edit_document_template(by, province))
    clean = {name: (texts.get(name) or "").strip().replace("\r\n", "\n") for name in DocumentTemplate.TEXT_FIELDS}
    errors = _check(clean, executors_article)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        template = DocumentTemplate.objects.select_for_update().filter(province=province).first()
        before = snapshot(template) if template is not None else None
        if template is None:
            template = DocumentTemplate(province=province)
        for name, value in clean.items():
            setattr(template, name, value)
        template.executors_article = executors_article
        template.updated_by = by
        template.save()
        audit.record(actor=by, action=CREATE if before is None else UPDATE, instance=template, before=before, unit_path=province.path)
    return template
