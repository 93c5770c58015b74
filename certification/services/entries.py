"""The score entries a page or the API sends, checked all together before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from certification.models import Criterion, CriterionKind, Registration
from certification.services._shared import _points


@dataclass
class SelfScoreEntry:
    criterion_id: int
    score: Any = None
    evidence_link: str = ""
    explanation: str = ""
    evidence_upload: tuple[IO[bytes] | File[bytes], str] | None = None  # the file and its name


@dataclass
class ScoreEntry:
    criterion_id: int
    score: Any
    comment: str = ""


AnyEntry = TypeVar("AnyEntry", SelfScoreEntry, ScoreEntry)


def _parse_entries(
    registration: Registration, entries: list[AnyEntry], *, skip_blank: bool
) -> list[tuple[Criterion, Decimal | None, AnyEntry]]:
    """Check every score entry against the campaign's criteria set before anything is written:
    unknown criteria and bad scores are all reported together; computed criteria are ignored, and
    blank scores too when skip_blank (an appraiser leaves a criterion for later)."""
    criteria = {c.pk: c for c in registration.campaign.criteria_set.criteria.all()}
    errors: list[str] = []
    parsed: list[tuple[Criterion, Decimal | None, AnyEntry]] = []
    for entry in entries:
        criterion = criteria.get(entry.criterion_id)
        if criterion is None:
            errors.append(_("Tiêu chí không thuộc bộ tiêu chí của đợt."))
            continue
        if criterion.kind == CriterionKind.COMPUTED:
            continue
        try:
            points = _points(entry.score, criterion)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if points is None and skip_blank:
            continue
        parsed.append((criterion, points, entry))
    if errors:
        raise ValidationError(errors)
    return parsed
