"""Demo data: the seven PKS questionnaires and a finished 2024 province-wide campaign across Bắc
Giang's communes for all four groups (a few thousand simulated responses with realistic variation
by district, commune, element and group), plus a smaller 2023 campaign for the year comparison,
both on the 2024 units; and an open 2026 campaign over the new Bắc Ninh's 2025 communes fielding all
seven PKS forms (each with its own sample, quota and QR codes), where a person can answer a form."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.actors import SYSTEM
from surveys import services
from surveys.models import Campaign, CampaignState, InstrumentVersion, Mode, Question, QuestionKind, Response, Stratum, VersionState
from units.models import Unit, UnitKind

TITLE_2024 = "Khảo sát sự hài lòng về chính quyền thân thiện năm 2024"
TITLE_2023 = "Khảo sát sự hài lòng về chính quyền thân thiện năm 2023"
FORMS_2024 = {"citizens": "PKS07", "officials": "PKS01", "organisations": "PKS03", "businesses": "PKS04"}
TITLE_2026 = "Khảo sát dân chủ ở cơ sở và sự hài lòng năm 2026 (7 phiếu PKS)"
# All seven forms: PKS02, PKS03, PKS05, PKS06 and PKS07 for citizens, PKS01 officials, PKS04 businesses.
FORMS_2026 = [
    ("officials", "PKS01"),
    ("citizens", "PKS02"),
    ("citizens", "PKS03"),
    ("businesses", "PKS04"),
    ("citizens", "PKS05"),
    ("citizens", "PKS06"),
    ("citizens", "PKS07"),
]
PER_COMMUNE = {"citizens": (10, 16), "officials": (3, 6), "organisations": (2, 4), "businesses": (2, 5)}
GROUP_SHIFT = {"citizens": 0.0, "officials": 0.35, "organisations": 0.1, "businesses": -0.2}
ELEMENT_SHIFT = {
    "access": 0.15,
    "procedures": -0.25,
    "officials": 0.1,
    "results": 0.0,
    "feedback": -0.35,
    "participation": -0.15,
    "transparency": -0.05,
    "accountability": -0.3,
}
COMMENTS = [
    "Cán bộ một cửa hướng dẫn tận tình, cảm ơn xã.",
    "Mong xã niêm yết rõ hơn các khoản phí.",
    "Thời gian chờ còn lâu vào buổi sáng.",
    "Nên có thêm chỗ ngồi chờ và nước uống.",
    "Đề nghị trả lời phản ánh nhanh hơn, có hẹn ngày cụ thể.",
    "Họp thôn nên thông báo sớm hơn để bà con sắp xếp.",
    "Cổng thông tin của xã cần cập nhật thường xuyên.",
]


def _answers(questions: list[Question], level: float, rng: random.Random) -> tuple[dict[str, Any], int]:
    answers: dict[str, Any] = {}
    for q in questions:
        if q.show_if_code and not services.is_shown(q, answers):
            continue
        if q.kind == QuestionKind.LIKERT:
            value = level + ELEMENT_SHIFT.get(q.element, 0) + rng.gauss(0, 0.8)
            answers[q.code] = max(1, min(5, round(value)))
        elif q.kind == QuestionKind.SINGLE:
            weights = [6] + [1] * (len(q.choices) - 1)
            answers[q.code] = rng.choices([c[0] for c in q.choices], weights=weights)[0]
        elif q.kind == QuestionKind.MULTIPLE:
            answers[q.code] = sorted({c[0] for c in q.choices if rng.random() < 0.4})
        elif q.kind == QuestionKind.NUMBER:
            answers[q.code] = rng.randint(0, 8)
        elif rng.random() < 0.12:
            answers[q.code] = rng.choice(COMMENTS)
    return {k: v for k, v in answers.items() if v != []}, rng.randint(90, 600)


def _campaign(
    *,
    province: Unit,
    title: str,
    year: int,
    forms: list[tuple[str, str]],
    rng: random.Random,
    scale: float,
    period: tuple[dt.date, dt.date] | None = None,
    state: str = CampaignState.CLOSED,
) -> int:
    versions = {(g, code): InstrumentVersion.objects.get(instrument__code=code, state=VersionState.PUBLISHED) for g, code in forms}
    starts_on, ends_on = period or (dt.date(year, 9, 1), dt.date(year, 10, 31))
    campaign = services.create_campaign(
        by=SYSTEM,
        unit=province,
        title=title,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        forms=[(g, v) for (g, _code), v in versions.items()],
        margin=0.1,
        min_responses=5,
    )
    by_version = {v.pk: v for v in versions.values()}
    questions = {pk: list(v.questions.select_related("section").order_by("section__position", "position")) for pk, v in by_version.items()}
    district_level = {d.pk: rng.gauss(0, 0.25) for d in Unit.objects.filter(parent=province, kind=UnitKind.DISTRICT)}
    responses, strata = [], []
    for stratum in Stratum.objects.filter(form__campaign=campaign).select_related("unit", "form"):
        level = (
            3.75
            + (year - 2023) * 0.15
            + district_level.get(stratum.unit.parent_id or 0, 0)
            + rng.gauss(0, 0.3)
            + GROUP_SHIFT[stratum.form.group]
        )
        low, high = PER_COMMUNE[stratum.form.group]
        count = min(stratum.quota, max(1, round(rng.randint(low, high) * scale)))
        version = by_version[stratum.form.version_id]
        stratum.open_received = 0
        for _i in range(count):
            answers, seconds = _answers(questions[version.pk], level, rng)
            flags = services.quality_flags(version, answers, seconds)
            mode = rng.choices([Mode.OPEN, Mode.TOKEN, Mode.INTERVIEWER], weights=[5, 3, 2])[0]
            stratum.open_received += mode == Mode.OPEN
            responses.append(
                Response(
                    stratum=stratum,
                    mode=mode,
                    duration_seconds=seconds,
                    answers=answers,
                    flags=flags,
                    excluded=services.is_excluded(flags, answers),
                    fingerprint=hashlib.sha256(json.dumps(answers, sort_keys=True, ensure_ascii=False).encode()).hexdigest(),
                )
            )
        stratum.received = count
        strata.append(stratum)
    Response.objects.bulk_create(responses, batch_size=2000)
    Stratum.objects.bulk_update(strata, ["received", "open_received"], batch_size=1000)
    Campaign.objects.filter(pk=campaign.pk).update(state=state)
    return len(responses)


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    services.load_instruments(by=SYSTEM)
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="24", edition="2024").first()
    if province is None:
        stdout.write("surveys: chưa có đơn vị Bắc Giang (2024), bỏ qua.")
        return
    if Campaign.objects.filter(title=TITLE_2024, unit=province).exists():
        stdout.write("surveys: đã có dữ liệu mẫu.")
        load_open_campaign(stdout=stdout)
        return
    rng = random.Random(2024)
    with transaction.atomic():
        n_2023 = _campaign(province=province, title=TITLE_2023, year=2023, forms=[("citizens", "PKS07")], rng=rng, scale=0.6)
        n_2024 = _campaign(province=province, title=TITLE_2024, year=2024, forms=list(FORMS_2024.items()), rng=rng, scale=1.0)
    stdout.write(f"surveys: 7 phiếu PKS, {n_2024} phiếu trả lời năm 2024 và {n_2023} năm 2023.")
    load_open_campaign(stdout=stdout)


def load_open_campaign(*, stdout: Any) -> None:
    """The open 2026 campaign over the new Bắc Ninh's communes (2025 list), all seven forms fielded,
    with a few simulated answers so that each form's results show."""
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="24", edition="2025").first()
    if province is None:
        stdout.write("surveys: chưa có tỉnh Bắc Ninh (2025), bỏ qua đợt khảo sát 2026.")
        return
    if Campaign.objects.filter(title=TITLE_2026, unit=province).exists():
        return
    with transaction.atomic():
        n = _campaign(
            province=province,
            title=TITLE_2026,
            year=2026,
            forms=FORMS_2026,
            rng=random.Random(2026),
            scale=0.35,
            period=(dt.date(2026, 11, 16), dt.date(2026, 12, 31)),
            state=CampaignState.OPEN,
        )
    stdout.write(f"surveys: đợt khảo sát 2026 đang mở, 7 phiếu PKS, {n} phiếu trả lời mẫu.")
