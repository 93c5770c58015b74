"""Demo data: the seven PKS questionnaires and a finished 2024 province-wide campaign across Bắc
Giang's communes for all four groups (a few thousand simulated responses with realistic variation
by district, commune, element and group), plus a smaller 2023 campaign for the year comparison."""

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


def _campaign(*, province: Unit, title: str, year: int, forms: dict[str, str], rng: random.Random, scale: float) -> int:
    versions = {g: InstrumentVersion.objects.get(instrument__code=code, state=VersionState.PUBLISHED) for g, code in forms.items()}
    campaign = services.create_campaign(
        by=SYSTEM,
        unit=province,
        title=title,
        year=year,
        starts_on=dt.date(year, 9, 1),
        ends_on=dt.date(year, 10, 31),
        forms=list(versions.items()),
        margin=0.1,
        min_responses=5,
    )
    questions = {g: list(v.questions.select_related("section").order_by("section__position", "position")) for g, v in versions.items()}
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
        version = versions[stratum.form.group]
        for _i in range(count):
            answers, seconds = _answers(questions[stratum.form.group], level, rng)
            flags = services.quality_flags(version, answers, seconds)
            responses.append(
                Response(
                    stratum=stratum,
                    mode=rng.choices([Mode.OPEN, Mode.TOKEN, Mode.INTERVIEWER], weights=[5, 3, 2])[0],
                    duration_seconds=seconds,
                    answers=answers,
                    flags=flags,
                    fingerprint=hashlib.sha256(json.dumps(answers, sort_keys=True, ensure_ascii=False).encode()).hexdigest(),
                )
            )
        stratum.received = count
        strata.append(stratum)
    Response.objects.bulk_create(responses, batch_size=2000)
    Stratum.objects.bulk_update(strata, ["received"], batch_size=1000)
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.CLOSED)
    return len(responses)


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    services.load_instruments(by=SYSTEM)
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="24", edition="2024").first()
    if province is None:
        stdout.write("surveys: chưa có đơn vị Bắc Giang (2024), bỏ qua.")
        return
    if Campaign.objects.filter(title=TITLE_2024, unit=province).exists():
        stdout.write("surveys: đã có dữ liệu mẫu.")
        return
    rng = random.Random(2024)
    with transaction.atomic():
        n_2023 = _campaign(province=province, title=TITLE_2023, year=2023, forms={"citizens": "PKS07"}, rng=rng, scale=0.6)
        n_2024 = _campaign(province=province, title=TITLE_2024, year=2024, forms=FORMS_2024, rng=rng, scale=1.0)
    stdout.write(f"surveys: 7 phiếu PKS, {n_2024} phiếu trả lời năm 2024 và {n_2023} năm 2023.")
