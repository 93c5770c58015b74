"""Every write of the survey capability: questionnaires, campaigns, tokens and responses."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import math
import re
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor, person
from accounts.models import User
from accounts.scope import can_reach
from core import audit, transitions
from core.models import AuditEntry
from surveys import conf, expressions, sms
from surveys.models import (
    CAMPAIGN_TRANSITIONS,
    VERSION_TRANSITIONS,
    Campaign,
    CampaignForm,
    CampaignState,
    Flag,
    Instrument,
    InstrumentVersion,
    KnownMargin,
    Mode,
    Question,
    QuestionKind,
    Response,
    Section,
    Stratum,
    Token,
    VersionState,
    hash_token,
)
from surveys.permissions import can_create_campaign, can_enter_paper_forms, can_manage_campaign, can_manage_instruments
from surveys.sampling import sample_size
from units.models import Unit, UnitKind

SAMPLE_FILE = Path(__file__).parent / "sample_data" / "pks_forms.json"
MAX_TEXT = 2000


# --- Instruments ------------------------------------------------------------------------------
def _require_instrument_rights(by: Actor) -> None:
    if by is not SYSTEM and not can_manage_instruments(by):
        raise PermissionDenied


def build_sections(version: InstrumentVersion, sections: list[dict[str, Any]]) -> None:
    """Create a version's sections and questions from a spec (the sample JSON or a parsed XLSForm)."""
    for s_pos, s_spec in enumerate(sections, start=1):
        section = Section.objects.create(
            version=version,
            position=s_pos,
            title=s_spec["title"][:300],
            name=s_spec.get("name", ""),
            relevant=s_spec.get("relevant", ""),
            labels=s_spec.get("labels", {}),
            appearance=s_spec.get("appearance", ""),
        )
        for q_pos, q in enumerate(s_spec["questions"], start=1):
            show_if = q.get("show_if") or ["", ""]
            Question.objects.create(
                version=version,
                section=section,
                position=q_pos,
                code=q["code"],
                text=q["text"],
                kind=q["kind"],
                required=q.get("required", True),
                element=q.get("element", ""),
                choices=q.get("choices", []),
                show_if_code=show_if[0],
                show_if_value=show_if[1],
                min_value=q.get("min"),
                max_value=q.get("max"),
                labels=q.get("labels", {}),
                hints=q.get("hints", {}),
                relevant=q.get("relevant", ""),
                constraint=q.get("constraint", ""),
                constraint_messages=q.get("constraint_messages", {}),
                calculation=q.get("calculation", ""),
                appearance=q.get("appearance", ""),
                choice_labels=q.get("choice_labels", {}),
                groups=q.get("groups", []),
            )


def load_instruments(*, by: Actor, data: dict[str, Any] | None = None) -> list[InstrumentVersion]:
    """Create the ready-made instruments (PKS01–PKS07) as published version 1. Idempotent: an
    instrument that already exists is left as it is."""
    _require_instrument_rights(by)
    data = data or json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    created = []
    with transaction.atomic():
        for spec in data["instruments"]:
            if Instrument.objects.filter(code=spec["code"]).exists():
                continue
            instrument = Instrument.objects.create(code=spec["code"], title=spec["title"])
            version = InstrumentVersion.objects.create(
                instrument=instrument, number=1, title=spec["title"], group=spec["group"], intro=spec.get("intro", "")
            )
            build_sections(version, spec["sections"])
            check_version(version)
            _transition(version, VersionState.PUBLISHED, VERSION_TRANSITIONS)
            version.published_at = timezone.now()
            version.save()
            audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=version)
            created.append(version)
    return created


def check_version(version: InstrumentVersion) -> None:
    """The questionnaire is complete and its skip logic refers to earlier questions' real values."""
    questions = list(version.questions.select_related("section").order_by("section__position", "position", "id"))
    if not questions:
        raise ValidationError(_("Phiếu chưa có câu hỏi nào."))
    errors = []
    seen: dict[str, Question] = {}
    codes = {q.code for q in questions}
    for q in questions:
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and not q.choices:
            errors.append(_("Câu “%(code)s” chưa có lựa chọn.") % {"code": q.code})
        for text in (q.relevant, q.constraint, q.calculation, q.section.relevant, *(g.get("relevant", "") for g in q.groups)):
            if not text:
                continue
            try:
                unknown = expressions.references(expressions.parse(text)) - codes
            except expressions.ExpressionError as exc:
                errors.append(_("Câu “%(code)s”: biểu thức “%(e)s” chưa được hỗ trợ: %(why)s") % {"code": q.code, "e": text, "why": exc})
                continue
            if unknown:
                errors.append(
                    _("Câu “%(code)s”: biểu thức “%(e)s” nhắc tới câu không có trong phiếu: %(c)s")
                    % {"code": q.code, "e": text, "c": ", ".join(sorted(unknown))}
                )
        if q.show_if_code:
            earlier = seen.get(q.show_if_code)
            if earlier is None:
                errors.append(
                    _("Câu “%(code)s” chỉ hiện theo câu “%(ref)s”, nhưng câu đó không đứng trước nó.")
                    % {"code": q.code, "ref": q.show_if_code}
                )
            elif earlier.choices and q.show_if_value not in earlier.choice_values():
                errors.append(
                    _("Câu “%(code)s”: “%(value)s” không phải một lựa chọn của câu “%(ref)s”.")
                    % {"code": q.code, "value": q.show_if_value, "ref": q.show_if_code}
                )
        seen[q.code] = q
    if errors:
        raise ValidationError(errors)


def _transition(obj: InstrumentVersion | Campaign, target: str, table: transitions.Transitions) -> None:
    obj.state = transitions.move(
        table, obj.state, target, refusal=_("Không thể chuyển từ “%(a)s” sang trạng thái này.") % {"a": obj.get_state_display()}
    )


def publish_version(*, by: Actor, version: InstrumentVersion) -> InstrumentVersion:
    """Publish a draft; the instrument's earlier published version is retired. From now on the
    version is frozen."""
    _require_instrument_rights(by)
    with transaction.atomic():
        version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
        before = audit.snapshot(version)
        check_version(version)
        _transition(version, VersionState.PUBLISHED, VERSION_TRANSITIONS)
        version.published_at = timezone.now()
        version.save()
        for old in InstrumentVersion.objects.filter(instrument=version.instrument, state=VersionState.PUBLISHED).exclude(pk=version.pk):
            old_before = audit.snapshot(old)
            _transition(old, VersionState.RETIRED, VERSION_TRANSITIONS)
            old.save(update_fields=["state"])
            audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=old, before=old_before)
        audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=version, before=before)
    return version


def start_revision(*, by: Actor, version: InstrumentVersion) -> InstrumentVersion:
    """A new draft copied from `version`: the way to change a questionnaire that is in use."""
    _require_instrument_rights(by)
    with transaction.atomic():
        existing = InstrumentVersion.objects.filter(instrument=version.instrument, state=VersionState.DRAFT).first()
        if existing:
            return existing
        number = (
            InstrumentVersion.objects.filter(instrument=version.instrument).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        draft = InstrumentVersion.objects.create(
            instrument=version.instrument, number=number, title=version.title, group=version.group, intro=version.intro
        )
        for section in version.sections.prefetch_related("questions"):
            new_section = Section.objects.create(version=draft, position=section.position, title=section.title)
            for q in section.questions.all():
                q.pk = None
                q.version = draft
                q.section = new_section
                q.save()
        audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=draft)
    return draft


def _require_draft(version: InstrumentVersion) -> None:
    if not version.is_editable:
        raise ValidationError(_("Phiếu đã ban hành không được sửa trực tiếp; hãy tạo phiên bản mới."))


def save_section(*, by: Actor, version: InstrumentVersion, title: str, section: Section | None = None) -> Section:
    _require_instrument_rights(by)
    with transaction.atomic():
        _require_draft(version)
        before = audit.snapshot(section) if section else None
        if section is None:
            position = version.sections.count() + 1
            section = Section(version=version, position=position)
        section.title = title
        section.save()
        audit.record(actor=by, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE, instance=section, before=before)
    return section


def save_question(*, by: Actor, version: InstrumentVersion, question: Question) -> Question:
    """Add or change a question of a draft (the form has filled `question`)."""
    _require_instrument_rights(by)
    with transaction.atomic():
        _require_draft(version)
        if question.section.version_id != version.pk:
            raise ValidationError(_("Phần không thuộc phiếu này."))
        before = audit.snapshot(Question.objects.get(pk=question.pk)) if question.pk else None
        question.version = version
        if question.pk is None:
            question.position = question.section.questions.count() + 1
        question.full_clean()
        question.save()
        audit.record(actor=by, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE, instance=question, before=before)
    return question


def delete_question(*, by: Actor, question: Question) -> None:
    _require_instrument_rights(by)
    with transaction.atomic():
        _require_draft(question.version)
        before = audit.snapshot(question)
        audit.record(actor=by, action=AuditEntry.Action.DELETE, instance=question, before=before)
        question.delete()


# --- Campaigns ----------------------------------------------------------------------------------
def default_population(*, unit: Unit, group: str) -> int:
    return known_population(unit=unit, group=group)[0]


def known_population(*, unit: Unit, group: str) -> tuple[int, str]:
    """The stratum's population and its source: the commune's households from the unit register
    for citizens, else an assumed size with no source (no finite population correction then)."""
    if group == "citizens" and unit.households:
        return unit.households, _("Số hộ theo danh mục đơn vị hành chính")
    return int(conf.DEFAULT_POPULATION[group]), ""


def create_campaign(
    *,
    by: Actor,
    unit: Unit,
    title: str,
    year: int,
    starts_on: dt.date,
    ends_on: dt.date,
    forms: list[tuple[str, InstrumentVersion]],
    anonymous: bool = True,
    verify_phone: bool = False,
    margin: float = conf.DEFAULT_MARGIN,
    confidence: float = conf.DEFAULT_CONFIDENCE,
    proportion: float = conf.DEFAULT_PROPORTION,
    min_responses: int | None = None,
    populations: dict[tuple[int, str], int] | None = None,
    population_source: str = "",
) -> Campaign:
    """A campaign over every commune under `unit`, one stratum per commune × form, each with the
    sample size (quota) the margin of error needs given its population."""
    if by is not SYSTEM and not can_create_campaign(by, unit):
        raise PermissionDenied
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if not forms:
        raise ValidationError(_("Chọn ít nhất một phiếu cho một nhóm đối tượng."))
    for _group, version in forms:
        if version.state != VersionState.PUBLISHED:
            raise ValidationError(_("Chỉ dùng được phiếu đã ban hành (%(v)s).") % {"v": version})
    populations = populations or {}
    communes = list(Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.COMMUNE, valid_to__isnull=True).order_by("path"))
    if unit.kind == UnitKind.COMMUNE:
        communes = [unit]
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title,
            unit=unit,
            year=year,
            starts_on=starts_on,
            ends_on=ends_on,
            anonymous=anonymous,
            verify_phone=verify_phone,
            margin=margin,
            confidence=confidence,
            proportion=proportion,
            min_responses=conf.DEFAULT_MIN_RESPONSES if min_responses is None else min_responses,
            created_by=person(by),
        )
        strata = []
        for group, version in forms:
            form = CampaignForm.objects.create(campaign=campaign, group=group, version=version)
            for commune in communes:
                population, source = known_population(unit=commune, group=group)
                if populations.get((commune.pk, group)):
                    population, source = populations[(commune.pk, group)], population_source
                quota = sample_size(margin=margin, confidence=confidence, proportion=proportion, population=population)
                strata.append(
                    Stratum(
                        form=form,
                        unit=commune,
                        population=population,
                        population_source=source,
                        quota=quota,
                        open_key=secrets.token_hex(8),
                    )
                )
        Stratum.objects.bulk_create(strata, batch_size=1000)
        audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=campaign, unit_path=unit.path)
    return campaign


def set_populations(*, by: Actor, campaign: Campaign, group: str, values: dict[str, int], source: str) -> int:
    """Population sizes of the campaign's strata of `group`, by commune code (households, officials
    on the payroll...), with where they come from. The weights use them at once and the finite
    population correction once every stratum has one; quotas already fielded stay. Returns the
    number of strata changed."""
    if by is not SYSTEM and not can_manage_campaign(by, campaign):
        raise PermissionDenied
    source = source.strip()
    errors = []
    if not source:
        errors.append(_("Hãy ghi nguồn số liệu (ví dụ: số hộ theo sổ hộ khẩu điện tử tháng 6/2026)."))
    strata = {s.unit.code: s for s in Stratum.objects.filter(form__campaign=campaign, form__group=group).select_related("unit")}
    unknown = sorted(set(values) - set(strata))
    if unknown:
        errors.append(_("Mã xã không có trong đợt khảo sát (nhóm này): %(c)s.") % {"c": ", ".join(unknown)})
    if any(v <= 0 for v in values.values()):
        errors.append(_("Quy mô phải là số nguyên dương."))
    if not values:
        errors.append(_("Hãy nhập ít nhất một dòng «mã xã = số»."))
    if errors:
        raise ValidationError({"values": errors})
    with transaction.atomic():
        changed = []
        for code, population in values.items():
            stratum = strata[code]
            before = {"population": stratum.population, "population_source": stratum.population_source}
            stratum.population, stratum.population_source = population, source[:200]
            changed.append(stratum)
            audit.record(
                actor=by,
                action=AuditEntry.Action.UPDATE,
                instance=stratum,
                before=before,
                after={"population": population, "population_source": stratum.population_source},
                unit_path=stratum.unit.path,
            )
        Stratum.objects.bulk_update(changed, ["population", "population_source"])
    return len(changed)


def change_campaign_state(*, by: Actor, campaign: Campaign, target: str) -> Campaign:
    if by is not SYSTEM and not can_manage_campaign(by, campaign):
        raise PermissionDenied
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = audit.snapshot(campaign)
        _transition(campaign, target, CAMPAIGN_TRANSITIONS)
        campaign.save(update_fields=["state"])
        audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=campaign, before=before, unit_path=campaign.unit.path)
    return campaign


def margin_questions(campaign: Campaign) -> dict[str, Question]:
    """Single-choice questions of the campaign's instruments, by code (a margin variable names one)."""
    out: dict[str, Question] = {}
    for q in Question.objects.filter(version__campaign_forms__campaign=campaign, kind=QuestionKind.SINGLE).order_by("id"):
        out.setdefault(q.code, q)
    return out


def _margin_snapshot(campaign: Campaign) -> dict[str, Any]:
    return {"margins": {f"{m.variable}={m.category}": m.share for m in KnownMargin.objects.filter(campaign=campaign)}}


def set_margins(
    *, by: Actor, campaign: Campaign, variable: str, values: dict[str, float], totals: bool = False, label: str = ""
) -> list[KnownMargin]:
    """Replace the known margin of `variable` (a single-choice question code) with `values`
    ({category: share}, or {category: population count} when `totals`, turned into shares)."""
    if by is not SYSTEM and not can_manage_campaign(by, campaign):
        raise PermissionDenied
    questions = margin_questions(campaign)
    question = questions.get(variable)
    if question is None:
        raise ValidationError(
            {"variable": _("Không có câu hỏi chọn một có mã «%(code)s» trong phiếu của đợt khảo sát.") % {"code": variable}}
        )
    allowed = {
        c
        for q in Question.objects.filter(version__campaign_forms__campaign=campaign, code=variable, kind=QuestionKind.SINGLE)
        for c in q.choice_values()
    }
    errors = []
    if not values:
        errors.append(_("Hãy nhập ít nhất một lựa chọn và giá trị."))
    unknown = sorted(set(values) - allowed)
    if unknown:
        errors.append(
            _("Lựa chọn %(bad)s không có trong câu hỏi «%(code)s» (có: %(ok)s).")
            % {"bad": ", ".join(unknown), "code": variable, "ok": ", ".join(sorted(allowed))}
        )
    if any(not math.isfinite(v) or v <= 0 for v in values.values()):
        # A category nobody belongs to is left out rather than given 0 (it would zero weights).
        errors.append(_("Giá trị phải là số dương; bỏ dòng của lựa chọn không có ai."))
    total = sum(v for v in values.values() if math.isfinite(v))
    if not errors and total <= 0:
        errors.append(_("Tổng các giá trị phải lớn hơn 0."))
    if not errors and not totals and abs(total - 1) > conf.MARGIN_SUM_TOLERANCE:
        errors.append(
            _("Tổng tỷ lệ của «%(code)s» là %(sum)s, phải bằng 1 (sai lệch tối đa %(tol)s).")
            % {"code": variable, "sum": f"{total:.3f}".replace(".", ","), "tol": f"{conf.MARGIN_SUM_TOLERANCE}".replace(".", ",")}
        )
    if errors:
        raise ValidationError({"values": errors})
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = _margin_snapshot(campaign)
        KnownMargin.objects.filter(campaign=campaign, variable=variable).delete()
        rows = KnownMargin.objects.bulk_create(
            KnownMargin(campaign=campaign, variable=variable, label=label or question.text[:100], category=c, share=v / total)
            for c, v in sorted(values.items())
        )
        audit.record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            instance=campaign,
            before=before,
            after=_margin_snapshot(campaign),
            unit_path=campaign.unit.path,
        )
    return rows


def remove_margins(*, by: Actor, campaign: Campaign, variable: str) -> None:
    if by is not SYSTEM and not can_manage_campaign(by, campaign):
        raise PermissionDenied
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = _margin_snapshot(campaign)
        KnownMargin.objects.filter(campaign=campaign, variable=variable).delete()
        audit.record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            instance=campaign,
            before=before,
            after=_margin_snapshot(campaign),
            unit_path=campaign.unit.path,
        )


def close_ended_campaigns(*, today: dt.date | None = None) -> int:
    """Close every open campaign whose period has ended (run daily); returns how many."""
    today = today or timezone.localdate()
    closed = 0
    for campaign in Campaign.objects.filter(state=CampaignState.OPEN, ends_on__lt=today).select_related("unit"):
        change_campaign_state(by=SYSTEM, campaign=campaign, target=CampaignState.CLOSED)
        closed += 1
    return closed


def issue_tokens(*, by: Actor, stratum: Stratum, count: int) -> list[str]:
    """`count` new one-time tokens for a stratum. The raw values are returned once (for the QR slips),
    in random order, and only their digests stored."""
    if by is not SYSTEM and not can_manage_campaign(by, stratum.form.campaign):
        raise PermissionDenied
    if not 1 <= count <= 1000:
        raise ValidationError({"count": _("Số mã mời phải từ 1 đến 1000.")})
    raws = [secrets.token_urlsafe(12) for _i in range(count)]
    with transaction.atomic():
        Token.objects.bulk_create([Token(stratum=stratum, digest=hash_token(r)) for r in raws])
        # Slips are printed in this order: shuffled, so a slip's place in the pile (who got the
        # first ones) says nothing about the token rows' creation order.
        secrets.SystemRandom().shuffle(raws)
        audit.record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            instance=stratum,
            before={"tokens": stratum.tokens.count() - count},
            after={"tokens": stratum.tokens.count()},
            unit_path=stratum.unit.path,
            reason=_("Phát hành mã mời"),
        )
    return raws


# --- Answers --------------------------------------------------------------------------------------
def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def is_shown(question: Question, answers: dict[str, Any]) -> bool:
    """Skip logic: the builder's rule (an earlier answer is the given value) and the form's
    relevance expressions: the question's own, its nested groups' and its section's."""
    if question.show_if_code:
        earlier = answers.get(question.show_if_code)
        if isinstance(earlier, list):
            if question.show_if_value not in earlier:
                return False
        elif earlier is None or str(earlier) != question.show_if_value:
            return False
    conditions = [question.section.relevant, *(g.get("relevant", "") for g in question.groups), question.relevant]
    return all(expressions.holds(text, answers) for text in conditions if text)


def calculated(version: InstrumentVersion, answers: dict[str, Any]) -> dict[str, str]:
    """The form's calculations for these answers, as shown (calculations are displayed, not stored)."""
    values: dict[str, Any] = dict(answers)
    out: dict[str, str] = {}
    for q in version.questions.filter(kind=QuestionKind.CALCULATE).order_by("section__position", "position", "id"):
        value = expressions.evaluate(expressions.parse(q.calculation), values)
        values[q.code] = value
        out[q.code] = expressions.display(value)
    return out


def validate_answers(
    version: InstrumentVersion, raw: dict[str, Any], *, require_complete: bool = True, language: str = ""
) -> dict[str, Any]:
    """Clean the raw answers against the questionnaire: types and ranges, choices, required
    questions, and no answer to a question its skip rule hides. Errors by question code."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    known = set()
    for q in version.questions.select_related("section").order_by("section__position", "position", "id"):
        if not q.takes_answer:
            continue  # notes and calculations: nothing to answer (a value sent for one is refused below)
        known.add(q.code)
        value = raw.get(q.code)
        if isinstance(value, str):
            value = value.strip()
        if not is_shown(q, clean):
            if not _is_blank(value):
                errors[q.code] = _("Câu này không áp dụng theo câu trả lời trước; không được trả lời.")
            continue
        if _is_blank(value):
            if q.required and require_complete:
                errors[q.code] = _("Vui lòng trả lời câu này.")
            continue
        try:
            clean[q.code] = _clean_value(q, value, _constraint_message(q, language))
            if q.constraint and not expressions.holds(q.constraint, clean, clean[q.code]):
                raise ValidationError(_constraint_message(q, language) or _("Câu trả lời không thoả điều kiện của phiếu."))
        except ValidationError as exc:
            clean.pop(q.code, None)
            errors[q.code] = exc.messages[0]
    for code in raw:
        if code not in known and not _is_blank(raw[code]):
            errors[code] = _("Phiếu không có câu “%(code)s”.") % {"code": code}
    if errors:
        raise ValidationError(errors)
    return clean


def _constraint_message(q: Question, language: str) -> str:
    """The form's own message for a broken constraint, in the respondent's language if it has one."""
    return str(q.constraint_messages.get(language) or next(iter(q.constraint_messages.values()), ""))


def _clean_value(q: Question, value: Any, message: str = "") -> Any:
    if q.kind == QuestionKind.LIKERT:
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if not conf.LIKERT_MIN <= number <= conf.LIKERT_MAX:
            raise ValidationError(_("Chọn một mức từ %(a)s đến %(b)s.") % {"a": conf.LIKERT_MIN, "b": conf.LIKERT_MAX})
        return number
    if q.kind == QuestionKind.SINGLE:
        if str(value) not in q.choice_values():
            raise ValidationError(_("Lựa chọn không hợp lệ."))
        return str(value)
    if q.kind == QuestionKind.MULTIPLE:
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        if any(v not in q.choice_values() for v in values):
            raise ValidationError(_("Lựa chọn không hợp lệ."))
        return sorted(set(values))
    if q.kind == QuestionKind.DATE:
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ValidationError(_("Nhập ngày theo dạng năm-tháng-ngày.")) from exc
    if q.kind in (QuestionKind.NUMBER, QuestionKind.INTEGER):
        try:
            amount = float(str(value).replace(",", "."))
        except ValueError as exc:
            raise ValidationError(_("Nhập một số.")) from exc
        if not math.isfinite(amount):
            raise ValidationError(_("Nhập một số."))
        if q.kind == QuestionKind.INTEGER and not amount.is_integer():
            raise ValidationError(_("Nhập một số nguyên."))
        low, high = (None if b is None else f"{b:g}" for b in (q.min_value, q.max_value))
        if message and ((q.min_value is not None and amount < q.min_value) or (q.max_value is not None and amount > q.max_value)):
            raise ValidationError(message)
        if q.min_value is not None and amount < q.min_value:
            raise ValidationError(
                _("Số phải từ %(a)s đến %(b)s.") % {"a": low, "b": high} if high else _("Số phải từ %(a)s trở lên.") % {"a": low}
            )
        if q.max_value is not None and amount > q.max_value:
            raise ValidationError(
                _("Số phải từ %(a)s đến %(b)s.") % {"a": low, "b": high} if low else _("Số không được lớn hơn %(b)s.") % {"b": high}
            )
        return int(amount) if amount.is_integer() else amount
    text = str(value)
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Tối đa %(n)s ký tự.") % {"n": MAX_TEXT})
    return text


def quality_flags(version: InstrumentVersion, answers: dict[str, Any], duration_seconds: int | None) -> list[str]:
    """Straight-lining (a rule that also fits short forms) and implausibly fast completion
    (duplicates are flagged on save, against the stratum's other responses)."""
    flags: list[str] = []
    questions = list(version.questions.all())
    items = [q for q in questions if q.kind == QuestionKind.LIKERT]
    likert = [answers[q.code] for q in items if q.code in answers]
    needed = min(conf.STRAIGHT_LINE_MIN_ITEMS, max(conf.STRAIGHT_LINE_SHORT_MIN_ITEMS, len(items)))
    if len(likert) >= needed and len(set(likert)) == 1:
        flags.append(Flag.STRAIGHT_LINE)
    if duration_seconds is not None and duration_seconds < conf.FAST_SECONDS_PER_QUESTION * len(answers):
        flags.append(Flag.TOO_FAST)
    return flags


def duplicate_flags(stratum: Stratum, answers: dict[str, Any], fingerprint: str) -> tuple[list[str], list[Response]]:
    """DUPLICATE: another response of the stratum has exactly these answers (all of them);
    NEAR_DUPLICATE: another differs in at most conf.NEAR_DUPLICATE_MAX_DIFFERENT answers of at
    least conf.NEAR_DUPLICATE_MIN_ANSWERS. Returns the flags and the other responses concerned,
    which get the same flag (flagging only the later one would tell the order of arrival)."""
    same = list(Response.objects.filter(stratum=stratum, fingerprint=fingerprint))
    if same:
        return [Flag.DUPLICATE], same
    if len(answers) < conf.NEAR_DUPLICATE_MIN_ANSWERS:
        return [], []
    near = []
    for other in Response.objects.filter(stratum=stratum).iterator(chunk_size=500):
        keys = set(answers) | set(other.answers)
        if len(keys) - len(answers) > conf.NEAR_DUPLICATE_MAX_DIFFERENT:
            continue
        if sum(1 for k in keys if answers.get(k) != other.answers.get(k)) <= conf.NEAR_DUPLICATE_MAX_DIFFERENT:
            near.append(other)
    return ([Flag.NEAR_DUPLICATE], near) if near else ([], [])


def is_excluded(flags: list[str], answers: dict[str, Any], *, kept_copy: bool = False) -> bool:
    """The documented rule (conf.DUPLICATE_TEXT_CHARS) leaving a response out of the index:
    `kept_copy` is True for the one copy of an exact-duplicate set that stays."""
    with_text = any(isinstance(v, str) and len(v) > conf.DUPLICATE_TEXT_CHARS for v in answers.values())
    if Flag.DUPLICATE in flags and with_text and not kept_copy:
        return True
    return Flag.TOO_FAST in flags and any(f in flags for f in (Flag.STRAIGHT_LINE, Flag.NEAR_DUPLICATE, Flag.DUPLICATE))


def _flag_others(others: list[Response], flag: str, new: Response) -> None:
    """Give the other responses of a (near) duplicate set the same flag, and keep exactly one
    copy of an exact-duplicate set in the index: the one with the smallest random id."""
    for other in others:
        if flag not in other.flags:
            other.flags = [*other.flags, flag]
    if flag == Flag.DUPLICATE:
        keep = min([new, *others], key=lambda r: str(r.pk))
        for r in [new, *others]:
            r.excluded = is_excluded(r.flags, r.answers, kept_copy=r is keep)
    else:
        for other in others:
            other.excluded = is_excluded(other.flags, other.answers)
    Response.objects.bulk_update([*others, new], ["flags", "excluded"])


def keyed_digest(value: str) -> str:
    """An HMAC of `value` under the site key: not reversible by guessing phone numbers without it."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


PHONE_PATTERN = re.compile(r"^0\d{9}$")


def request_phone_code(*, stratum: Stratum, phone: str) -> None:
    """Send a one-time code to a Vietnamese mobile number for an open link of a campaign that
    verifies respondents. The number is never stored: only its keyed digest, in the cache, for the
    code's lifetime."""
    phone = re.sub(r"[\s.-]", "", phone)
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    if not PHONE_PATTERN.match(phone):
        raise ValidationError({"phone": _("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0.")})
    key = f"surveys:otp:{stratum.pk}:{keyed_digest(phone)}"
    if cache.get(key + ":wait"):
        raise ValidationError({"phone": _("Mã vừa được gửi; vui lòng chờ một phút rồi thử lại.")})
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(key, {"code": keyed_digest(code), "tries": 0}, conf.PHONE_CODE_SECONDS)
    cache.set(key + ":wait", True, conf.PHONE_CODE_RESEND_SECONDS)
    sms.get_backend().send(phone, _("Mã xác minh khảo sát: %(c)s (hiệu lực 5 phút).") % {"c": code})


def confirm_phone_code(*, stratum: Stratum, phone: str, code: str) -> str:
    """Check the code; return the phone's keyed digest that the session keeps until the answers
    are sent (it is stored only in the stratum's sorted set, never with the response)."""
    phone = re.sub(r"[\s.-]", "", phone)
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    digest = keyed_digest(phone)
    key = f"surveys:otp:{stratum.pk}:{digest}"
    entry = cache.get(key)
    if not entry or entry["tries"] >= conf.PHONE_CODE_TRIES:
        raise ValidationError({"code": _("Mã đã hết hạn; vui lòng yêu cầu mã mới.")})
    if not hmac.compare_digest(entry["code"], keyed_digest(code.strip())):
        entry["tries"] += 1
        cache.set(key, entry, conf.PHONE_CODE_SECONDS)
        raise ValidationError({"code": _("Mã xác minh không đúng.")})
    cache.delete(key)
    if digest in Stratum.objects.get(pk=stratum.pk).answered_phones:
        raise ValidationError({"phone": _("Số điện thoại này đã trả lời khảo sát này.")})
    return digest


def own_commune_refusal(unit: Unit) -> str:
    """Why a commune's own staff may not type in its paper questionnaires (permissions.can_enter_paper_forms)."""
    return _(
        "Cán bộ, công chức của %(unit)s không được tự nhập phiếu khảo sát cho đơn vị mình; "
        "phiếu giấy do cán bộ cấp huyện hoặc cấp tỉnh nhập."
    ) % {"unit": unit.name}


class SubmissionRefused(Exception):
    """The token was used, the stratum's quota is reached, or this device already answered."""


def submit_response(
    *,
    stratum: Stratum,
    raw: dict[str, Any],
    mode: str,
    token: str = "",
    device_id: str = "",
    duration_seconds: int | None = None,
    phone_digest: str = "",
    by: User | None = None,
    complete: bool = True,
    language: str = "",
) -> Response:
    """Store one questionnaire. A token answers once (a conditional UPDATE, safe under concurrent
    submissions); a full stratum takes no more; an open link takes one answer per device. The stored
    response has a random id, no date or time, and no link to the token or the device."""
    campaign = stratum.form.campaign
    version = stratum.form.version
    if campaign.state != CampaignState.OPEN:
        raise SubmissionRefused(_("Đợt khảo sát không mở để nhận phiếu."))
    if mode == Mode.INTERVIEWER:
        if by is None or not can_reach(by, stratum.unit):
            raise PermissionDenied
        if not can_enter_paper_forms(by, stratum.unit):
            raise SubmissionRefused(own_commune_refusal(stratum.unit))
    elif not complete:
        raise ValidationError(_("Chỉ phiếu giấy nhập dở mới được lưu chưa hoàn thành."))
    answers = validate_answers(version, raw, require_complete=complete, language=language)
    with transaction.atomic():
        if mode == Mode.TOKEN:
            used = Token.objects.filter(stratum=stratum, digest=hash_token(token), used=False).update(used=True)
            if used != 1:
                raise SubmissionRefused(_("Mã mời không hợp lệ hoặc đã được sử dụng."))
        elif mode == Mode.OPEN:
            locked = Stratum.objects.select_for_update().get(pk=stratum.pk)
            device = keyed_digest(device_id)
            if not device_id or device in locked.answered_devices:
                raise SubmissionRefused(_("Thiết bị này đã gửi phiếu cho khảo sát này."))
            changed = ["answered_devices"]
            locked.answered_devices = sorted([*locked.answered_devices, device])
            if locked.form.campaign.verify_phone:
                phone = phone_digest or ""
                if not phone or phone in locked.answered_phones:
                    raise SubmissionRefused(_("Số điện thoại chưa được xác minh hoặc đã trả lời khảo sát này."))
                locked.answered_phones = sorted([*locked.answered_phones, phone])
                changed.append("answered_phones")
            locked.save(update_fields=changed)
        # Only sampled respondents (token, open link) fill the quota: typed-in paper forms never
        # take the places the sample needs, so staff entry cannot crowd respondents out.
        # The open link has its own quota; an invited respondent (a token, so in the probability
        # sample) is always heard: their one-time token is the only limit on them.
        if complete and mode == Mode.OPEN:
            counted = Stratum.objects.filter(pk=stratum.pk, open_received__lt=F("quota")).update(
                received=F("received") + 1, open_received=F("open_received") + 1
            )
            if counted != 1:
                raise SubmissionRefused(_("Đã đủ số phiếu cần thu qua đường dẫn mở ở địa bàn và nhóm này; cảm ơn ông/bà."))
        elif complete and mode == Mode.TOKEN:
            Stratum.objects.filter(pk=stratum.pk).update(received=F("received") + 1)
        fingerprint = hashlib.sha256(json.dumps(answers, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        duplicates, others = duplicate_flags(stratum, answers, fingerprint)
        flags = quality_flags(version, answers, duration_seconds) + duplicates
        response = Response.objects.create(
            stratum=stratum,
            mode=mode,
            is_complete=complete,
            duration_seconds=duration_seconds,
            answers=answers,
            flags=flags,
            excluded=is_excluded(flags, answers),
            fingerprint=fingerprint,
            entered_by=by if mode == Mode.INTERVIEWER else None,
        )
        if others:
            _flag_others(others, duplicates[0], response)
    return response
