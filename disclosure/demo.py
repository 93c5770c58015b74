"""Demo data: a year of disclosures (December 2025 to today) for a dozen communes of the demo
province (the new Bắc Ninh, 2025 list), written through the services so the register's chain holds,
with the gaps real registers have: late disclosures, photos without time or place (unproven),
postings taken down early, and one commune that never discloses its budget (category 2).
Idempotent: a commune that already has a register is left alone."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from accounts.actors import SYSTEM
from accounts.models import Role, RoleAssignment
from disclosure import services
from disclosure.models import Disclosure, Form, Obligation, Posting
from units.demo import demo_province
from units.models import Unit, UnitKind

COMMUNES = 12
START = dt.date(2025, 12, 1)
# (category, title, issuer) of what a commune discloses in a year.
PLAN: list[tuple[int, str, str]] = [
    (1, "Kế hoạch phát triển kinh tế - xã hội năm 2026", "HĐND xã"),
    (2, "Dự toán ngân sách xã năm 2026", "HĐND xã"),
    (2, "Tình hình thực hiện ngân sách quý I năm 2026", "UBND xã"),
    (2, "Tình hình thực hiện ngân sách 6 tháng đầu năm 2026", "UBND xã"),
    (4, "Quy chế thực hiện dân chủ trong hoạt động của UBND xã", "UBND xã"),
    (13, "Danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã", "UBND xã"),
    (7, "Danh sách hộ nghèo, hộ cận nghèo được bình xét năm 2026", "UBND xã"),
    (8, "Kết quả tiếp nhận, phân bổ tiền, hàng ủng hộ khắc phục hậu quả bão", "UBND xã"),
    (9, "Danh sách công dân gọi nhập ngũ năm 2026", "Hội đồng nghĩa vụ quân sự xã"),
    (11, "Kết quả lấy ý kiến Nhân dân về dự thảo quy hoạch khu dân cư", "UBND xã"),
    (12, "Mức thu phí, lệ phí tại xã năm 2026", "UBND xã"),
    (3, "Phương án bồi thường, hỗ trợ giải phóng mặt bằng tuyến đường liên thôn", "UBND xã"),
]


def _jpeg(taken: dt.datetime | None, lat: float | None, lon: float | None) -> bytes:
    image = Image.new("RGB", (48, 36), (235, 230, 210))
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = timezone.localtime(taken).strftime("%Y:%m:%d %H:%M:%S")
    if lat is not None and lon is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[3] = "N", "E"
        for tag, value in ((2, lat), (4, lon)):
            d = int(value)
            m = int((value - d) * 60)
            s = round(((value - d) * 60 - m) * 60 * 100)
            gps[tag] = (IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 100))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    out.seek(0)
    return out.getvalue()


def _communes() -> list[Unit]:
    province = demo_province()
    staffed = [
        ra.unit
        for ra in RoleAssignment.objects.filter(
            role=Role.COMMUNE_OFFICER, unit__edition="2025", unit__kind=UnitKind.COMMUNE
        ).select_related("unit")
    ]
    others = Unit.objects.filter(parent=province, kind=UnitKind.COMMUNE, latitude__isnull=False).in_force().order_by("code")
    chosen: list[Unit] = []
    for unit in [*staffed, *others]:
        if unit.pk not in {c.pk for c in chosen}:
            chosen.append(unit)
    return chosen[:COMMUNES]


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    obligation_set = services.ensure_obligations(by=SYSTEM)
    obligations = {o.number: o for o in obligation_set.obligations.all()}
    today = timezone.localdate()
    communes = _communes()
    if not communes:
        return
    no_budget = communes[-1]  # the commune that never discloses its budget
    written = 0
    for index, unit in enumerate(communes):
        # Entries other capabilities published (a consultation's summary) are not this demo's.
        if Disclosure.objects.filter(unit=unit, source_key="").exists():
            continue
        rng = random.Random(f"disclosure-{unit.code}")
        services.update_contact(
            by=SYSTEM,
            unit=unit,
            address=f"Trụ sở UBND {unit.name}, {demo_province().name}",
            reception_schedule="Chủ tịch UBND tiếp công dân sáng thứ Năm hằng tuần; công chức tiếp công dân các ngày làm việc trong tuần.",
            phone=f"0204 38{index:02d} {rng.randint(100, 999)}",
            email="",
        )
        villages = list(Unit.objects.filter(parent=unit, kind=UnitKind.VILLAGE).in_force()[:2])
        for n, (number, title, issuer) in enumerate(PLAN):
            if unit.pk == no_budget.pk and number == 2:
                continue
            document_date = START + dt.timedelta(days=n * 28 + rng.randint(0, 10))
            if document_date > today - dt.timedelta(days=2):
                continue
            written += _one(unit, obligations[number], title, issuer, document_date, villages, rng, today)
    stdout.write(f"  Công khai: {written} văn bản trong sổ của {len(communes)} xã (xã không công khai ngân sách: {no_budget.name}).")


def _one(
    unit: Unit,
    obligation: Obligation,
    title: str,
    issuer: str,
    document_date: dt.date,
    villages: list[Unit],
    rng: random.Random,
    today: dt.date,
) -> int:
    roll = rng.random()
    if roll < 0.35 and document_date > today - dt.timedelta(days=60):
        # Registered, never disclosed: overdue.
        services.record_disclosure(
            by=SYSTEM,
            unit=unit,
            obligation=obligation,
            title=title,
            document_number=f"{rng.randint(10, 250)}/QĐ-UBND",
            document_date=document_date,
            issuer=issuer,
            today=today,
        )
        return 1
    delay = rng.choice([1, 2, 3, 3, 4, 6, 9, 14]) if roll < 0.8 else rng.randint(10, 20)  # some late
    disclosed_on = min(document_date + dt.timedelta(days=delay), today)
    forms = [str(f) for f in obligation.forms]
    d = services.record_disclosure(
        by=SYSTEM,
        unit=unit,
        obligation=obligation,
        title=title,
        document_number=f"{rng.randint(10, 250)}/QĐ-UBND",
        document_date=document_date,
        issuer=issuer,
        disclosed_on=disclosed_on,
        forms=forms,
        at_office=True,
        villages=villages if obligation.at_villages else [],
        today=today,
    )
    for posting in Posting.objects.filter(disclosure=d):
        kind = rng.random()
        taken = timezone.make_aware(dt.datetime.combine(disclosed_on, dt.time(8, rng.randint(0, 59))))
        lat = (unit.latitude or 21.27) + rng.uniform(-0.01, 0.01)
        lon = (unit.longitude or 106.19) + rng.uniform(-0.01, 0.01)
        if kind < 0.15:
            content = _jpeg(None, None, None)  # picked from the gallery, no metadata: unproven
        elif kind < 0.2:
            content = _jpeg(taken, lat + 0.6, lon)  # taken far from the commune
        else:
            content = _jpeg(taken, lat, lon)
        services.add_photo(
            by=SYSTEM, posting=posting, upload=io.BytesIO(content), name="niem-yet.jpg", received_at=taken + dt.timedelta(hours=2)
        )
        if obligation.permanent:
            continue
        if rng.random() < 0.15:
            ended = disclosed_on + dt.timedelta(days=rng.randint(8, 25))  # taken down early
        else:
            ended = disclosed_on + dt.timedelta(days=obligation.min_posting_days + rng.randint(0, 5))
        if ended <= today:
            services.end_posting(by=SYSTEM, posting=posting, ended_on=ended, today=today)
    if obligation.loudspeaker_days and Form.LOUDSPEAKER in forms:
        days = obligation.loudspeaker_days if rng.random() > 0.2 else 1
        for i in range(days):
            day = disclosed_on + dt.timedelta(days=i)
            if day <= today:
                services.log_broadcast(by=SYSTEM, disclosure=d, day=day, note="Phát lúc 17h30", today=today)
    return 1
