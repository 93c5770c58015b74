"""Demo data on the demo province's 2025 villages, through the services as the demo village head
and commune officer: a village's household register (invented names), a decided meeting whose
two-thirds vote failed (sent to the commune), a covenant passed and recognised, an online vote in
progress, a closed online vote with its published receipts, a citizen initiative one household
short of the backing it needs, another that reached it and was put to the community, a
commune-wide matter on contributions decided by every village (two thirds of the villages), and two
consultations (one open, one summarised). The summary, the recognised covenant and the commune-wide
result are in the commune's disclosure register when that capability is installed. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from core.workdays import province_calendar
from participation import services
from participation.models import CommuneMatter, Consultation, Household, Initiative, Matter
from units.models import Unit

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Thân", "Giáp", "Đào"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu"]
GIVEN = ["Hùng", "Lan", "Dũng", "Mai", "Long", "Hạnh", "Sơn", "Yến", "Phúc", "Nga", "Tuấn", "Hà"]
# A village's register in the demo holds at most this many households (the sample counts run to 300+).
MAX_HOUSEHOLDS = 60


def _register(village: Unit, head: User, rng: random.Random) -> list[Household]:
    count = min(village.households or 40, MAX_HOUSEHOLDS)
    lines = ["mã hộ,chủ hộ,điện thoại,tình trạng"]
    for i in range(1, count + 1):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        phone = f"09{rng.randrange(10_000_000, 99_999_999)}" if rng.random() < 0.7 else ""
        lines.append(f"{village.code[-6:]}-{i:03d},{name},{phone},{'đã chuyển đi' if i % 29 == 0 else 'đang cư trú'}")
    report = services.import_households(village=village, by=head, content="\n".join(lines).encode(), filename="so-ho.csv")
    assert not report.errors, report.errors
    return list(Household.objects.filter(village=village, status="active").order_by("code"))


def _working_days_ago(days: int) -> dt.date:
    calendar = province_calendar()
    day = timezone.localdate()
    while days > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return day


def _vote(matter: Matter, issued: list[services.IssuedCode], rng: random.Random, share: float, yes_share: float) -> None:
    yes, no = matter.options.order_by("position")
    for item in issued:
        if rng.random() < share:
            option = yes if rng.random() < yes_share else no
            services.cast_vote(code=item.code, matter_id=matter.pk, option_id=option.pk)


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    role = RoleAssignment.objects.filter(role=Role.VILLAGE_HEAD, user__username="thon.truong").select_related("user", "unit").first()
    if role is None:
        return
    if not Matter.objects.filter(village=role.unit).exists():
        _matters(role.user, role.unit, stdout)
    if not Initiative.objects.filter(village=role.unit).exists():
        with transaction.atomic():
            initiative, issued = services.open_initiative(
                village=role.unit,
                by=role.user,
                title="Lắp đèn chiếu sáng đường ngõ xóm Đồng",
                proposal="Đường ngõ xóm Đồng chưa có đèn; đề nghị thôn bàn việc lắp 12 bóng đèn năng lượng mặt trời.",
                proposed_by="Ông Giáp Văn Sơn và 5 hộ",
            )
            for item in issued[: initiative.needed - 1]:
                services.support_initiative(code=item.code)
        with transaction.atomic():
            backed, slips = services.open_initiative(
                village=role.unit,
                by=role.user,
                title="Trồng cây xanh hai bên đường trục thôn",
                proposal="Đề nghị thôn bàn việc trồng 80 cây bóng mát, mỗi hộ nhận chăm sóc cây trước cửa.",
                proposed_by="Bà Đào Thị Yến",
            )
            for item in slips[: backed.needed]:
                services.support_initiative(code=item.code)
            services.put_initiative_to_community(initiative=backed, by=role.user, subject=6, method="meeting")
    officer = RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, unit=role.unit.parent).select_related("user", "unit").first()
    if officer is not None and not Consultation.objects.filter(unit=officer.unit).exists():
        _consultations(officer.user, officer.unit, stdout)
    if officer is not None and not CommuneMatter.objects.filter(commune=officer.unit).exists():
        _commune_wide(officer.user, officer.unit, stdout)


def _commune_wide(officer: User, commune: Unit, stdout: Any) -> None:
    """Contributions to the inter-village road (subject 1) put to every village of the commune by
    household ballot: each village decides by two thirds of all its households, and the commune
    counts the villages; a village or two fall short."""
    rng = random.Random(2113)
    decided_on = _working_days_ago(3)
    with transaction.atomic():
        villages = services.commune_villages(commune, decided_on)
        for village in villages:
            if not Household.objects.filter(village=village).exists():
                _register(village, officer, rng)
        item = services.create_commune_matter(
            commune=commune,
            by=officer,
            subject=1,
            method="ballot",
            title="Mức đóng góp xây dựng đường liên thôn toàn xã (200.000 đồng/hộ)",
            description="Tuyến đường nối các thôn dài 3,2 km; ngân sách tỉnh hỗ trợ 70 %, nhân dân đóng góp phần còn lại.",
            on=decided_on - dt.timedelta(days=10),
        )
        parts = list(item.village_matters.select_related("village").order_by("village__name"))
        for n, matter in enumerate(parts):
            total = Household.objects.filter(village=matter.village, status="active").count()
            # Every third village falls short of two thirds of ALL its households.
            yes_share = 0.55 if n % 3 == 2 else 0.8
            returned = int(total * 0.9)
            yes_votes = min(int(total * yes_share), returned)
            services.announce_matter(matter=matter, by=officer, on=decided_on - dt.timedelta(days=10), meeting_on=decided_on)
            yes, no = matter.options.order_by("position")
            services.record_result(
                matter=matter,
                by=officer,
                decided_on=decided_on,
                votes={yes.pk: yes_votes, no.pk: returned - yes_votes},
                ballots_returned=returned,
                minutes=f"Phát phiếu lấy ý kiến các hộ {matter.village.name}; {returned}/{total} phiếu thu về.",
            )
        services.decide_commune_matter(item=item, by=officer, on=decided_on, reference="21/TB-UBND")
    stdout.write(f"Bàn và quyết định toàn xã: {len(parts)} thôn của {commune.name}")


def _consultations(officer: User, commune: Unit, stdout: Any) -> None:
    """An open consultation with a few opinions, and a closed one with the commune's summary."""
    today = timezone.localdate()
    with transaction.atomic():
        open_one = services.publish_consultation(
            unit=commune,
            by=officer,
            kind="land",
            title="Dự thảo kế hoạch sử dụng đất năm 2027 của xã",
            draft="Dự thảo bố trí đất cho trường mầm non, nhà văn hoá thôn và mở rộng đường liên thôn.",
            clauses=["Mục 1. Đất giáo dục", "Mục 2. Đất văn hoá", "Mục 3. Đất giao thông"],
            published_on=today - dt.timedelta(days=5),
            closes_on=today + dt.timedelta(days=20),
        )
        services.submit_opinion(
            consultation=open_one, text="Đề nghị mở rộng cổng trường mầm non để đón trả trẻ an toàn.", clause="Mục 1. Đất giáo dục"
        )
        services.enter_opinion(
            consultation=open_one,
            by=officer,
            channel="box",
            text="Nhà văn hoá thôn Đồng cần thêm sân thể thao.",
            clause="Mục 2. Đất văn hoá",
            received_on=today - dt.timedelta(days=2),
        )
        closed = services.publish_consultation(
            unit=commune,
            by=officer,
            kind="regulation",
            title="Dự thảo Quy chế thực hiện dân chủ ở cơ sở của xã (sửa đổi)",
            draft="Quy chế sửa đổi bổ sung việc công khai trên cổng thông tin và ứng dụng của tỉnh, biểu quyết trực tuyến của hộ gia đình.",
            clauses=["Điều 5. Công khai", "Điều 9. Biểu quyết trực tuyến"],
            published_on=today - dt.timedelta(days=45),
            closes_on=today - dt.timedelta(days=22),
        )
        texts = [
            ("meeting", "Điều 5. Công khai", "Đề nghị niêm yết cả ở nhà văn hoá thôn, không chỉ trên mạng."),
            ("hotline", "Điều 5. Công khai", "Người cao tuổi không dùng điện thoại thông minh; cần loa truyền thanh."),
            ("box", "Điều 9. Biểu quyết trực tuyến", "Đề nghị cho đổi phiếu đến khi kết thúc."),
            ("meeting", "", "Đề nghị rút ngắn thời gian lấy ý kiến xuống 10 ngày."),
        ]
        opinions = [
            services.enter_opinion(
                consultation=closed, by=officer, channel=ch, clause=cl, text=tx, received_on=today - dt.timedelta(days=40 - i)
            )
            for i, (ch, cl, tx) in enumerate(texts)
        ]
        services.summarise_consultation(
            consultation=closed,
            by=officer,
            summary="UBND xã nhận 4 ý kiến qua hội nghị, hòm thư và đường dây nóng; tiếp thu 2 nhóm, giải trình 1 nhóm.",
            groups=[
                services.GroupAnswer(
                    "Công khai bằng nhiều hình thức",
                    True,
                    "Bổ sung niêm yết tại nhà văn hoá và loa truyền thanh vào Điều 5.",
                    [o.pk for o in opinions[:2]],
                ),
                services.GroupAnswer(
                    "Đổi phiếu biểu quyết trực tuyến", True, "Điều 9 quy định phiếu sau cùng được tính.", [opinions[2].pk]
                ),
                services.GroupAnswer(
                    "Rút ngắn thời gian lấy ý kiến", False, "Luật quy định ít nhất 20 ngày; không thể rút ngắn.", [opinions[3].pk]
                ),
            ],
        )
    stdout.write(f"Lấy ý kiến nhân dân: 2 dự thảo tại {commune.name}")


def _matters(head: User, village: Unit, stdout: Any) -> None:
    rng = random.Random(13)
    with transaction.atomic():
        households = _register(village, head, rng)
        total = len(households)
        # A meeting on contributions to a road (subject 1): most households agree, but fewer than
        # two thirds of ALL the village's households: not passed.
        held = _working_days_ago(4)
        road = services.create_matter(
            village=village,
            by=head,
            subject=1,
            method="meeting",
            title="Mức đóng góp làm đường bê tông liên xóm (150.000 đồng/hộ)",
            description="Đường dài 420 m; Nhà nước hỗ trợ xi măng, nhân dân đóng góp tiền công và cát, đá.",
            on=held - dt.timedelta(days=7),
        )
        services.announce_matter(matter=road, by=head, on=held - dt.timedelta(days=7), meeting_on=held)
        present = households[: int(total * 0.8)]
        yes_votes = int(total * 0.6)
        yes, no = road.options.order_by("position")
        services.record_result(
            matter=road,
            by=head,
            decided_on=held,
            votes={yes.pk: yes_votes, no.pk: len(present) - yes_votes},
            minutes=(
                f"Hội nghị thôn ngày {held:%d/%m/%Y}, {len(present)}/{total} hộ có đại diện. "
                "Ý kiến chưa đồng ý tập trung vào mức đóng góp của hộ nghèo, hộ cận nghèo. "
                "Thôn sẽ đưa ra hội nghị lần hai với mức miễn, giảm cho các hộ này."
            ),
            attendance=[(h, h.head_name) for h in present],
        )
        services.send_to_commune(matter=road, by=head, on=_working_days_ago(2))
        # The village covenant (subject 3), decided by household ballot, recognised by the commune.
        covenant = services.create_matter(
            village=village,
            by=head,
            subject=3,
            method="ballot",
            title="Sửa đổi hương ước: giữ gìn vệ sinh, phân loại rác tại hộ",
            on=_working_days_ago(20),
        )
        services.announce_matter(matter=covenant, by=head, on=_working_days_ago(20), meeting_on=_working_days_ago(14))
        yes, no = covenant.options.order_by("position")
        services.record_result(
            matter=covenant,
            by=head,
            decided_on=_working_days_ago(14),
            votes={yes.pk: int(total * 0.75), no.pk: int(total * 0.1)},
            ballots_returned=int(total * 0.75) + int(total * 0.1),
            minutes="Phát phiếu lấy ý kiến các hộ; Tổ kiểm phiếu gồm 3 người do hội nghị bầu.",
        )
        services.send_to_commune(matter=covenant, by=head, on=_working_days_ago(12))
        officer = RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, unit=village.parent).select_related("user").first()
        if officer is not None:
            services.recognise_matter(matter=covenant, by=officer.user, on=_working_days_ago(9), reference="15/QĐ-UBND")
        # Two online votes (subject 6): one closed with its published receipts, one in progress.
        for title, in_progress in (
            ("Chọn ngày tổng vệ sinh hằng tháng của thôn", False),
            ("Chọn mẫu cổng chào thôn (kinh phí xã hội hoá)", True),
        ):
            matter = services.create_matter(
                village=village, by=head, subject=6, method="online", title=title, options=["Phương án 1", "Phương án 2"]
            )
            services.record_online_agreement(
                matter=matter, by=head, households_agreed=total // 2 + 3, agreed_on=_working_days_ago(6), basis="Biên bản hội nghị thôn"
            )
            services.announce_matter(
                matter=matter, by=head, on=timezone.localdate(), closes_at=timezone.now() + dt.timedelta(days=5, hours=2)
            )
            issued = services.open_vote(matter=matter, by=head)
            _vote(matter, issued, rng, share=0.45 if in_progress else 0.8, yes_share=0.7)
            if not in_progress:
                # Demo only: the vote ran last week, so its closing time is moved into the past.
                Matter.objects.filter(pk=matter.pk).update(closes_at=timezone.now() - dt.timedelta(days=1))
                matter.refresh_from_db()
                services.close_vote(matter=matter, by=head)
    stdout.write(f"Bàn và quyết định: sổ {total} hộ và 4 nội dung tại {village.name} ({village.parent.name if village.parent else ''})")
