"""Demo data: a demo user for every role (one shared password, printed last unless the
`quiet_logins` option is set), the provincial steering committee with its groups and one committee
per district with realistic names, set up through the units services by the demo standing office.
Runs after the units' demo (the users sit at real units). Idempotent."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.management.color import color_style
from django.db import transaction

from accounts.actors import SYSTEM
from accounts.models import Role, User
from accounts.services import grant_role
from units import services as unit_services
from units.models import CommitteeMember, SteeringCommittee, Unit, UnitKind

DEMO_PASSWORD = "demo-Grassroots-2024"  # noqa: S105 - printed for the local demo only; load_demo refuses when DEBUG is off

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Thân", "Giáp", "Lương", "Đào", "Hà", "Nông"]
MIDDLE_M = ["Văn", "Đức", "Quang", "Minh", "Xuân", "Hữu", "Tiến", "Thế"]
MIDDLE_F = ["Thị", "Thu", "Thanh", "Ngọc", "Hồng", "Thuý"]
GIVEN_M = ["Hùng", "Dũng", "Thịnh", "Tuấn", "Long", "Hải", "Cường", "Thắng", "Trung", "Bình", "Sơn", "Phúc"]
GIVEN_F = ["Hương", "Lan", "Hạnh", "Mai", "Hà", "Nga", "Thảo", "Huyền", "Yến", "Linh"]

DEMO_USERS = [
    # username, role, where (None: the demo province; "province-CODE": another province in force;
    # a 2024 district code; "commune-of-DISTRICT": the successor of that district's first commune), last, first
    ("quantri", Role.SYSTEM_ADMIN, None, "Quản trị", "Hệ thống"),
    ("tinh.thuongtruc", Role.PROVINCE_OFFICE, None, "Nguyễn Thị", "Hương"),
    ("tinh.lanhdao", Role.PROVINCE_LEADER, None, "Trần Văn", "Thịnh"),
    ("lucnam.bcd", Role.DISTRICT_COMMITTEE, "218", "Giáp Văn", "Hùng"),
    ("lucnam.thamdinh", Role.DISTRICT_APPRAISER, "218", "Lê Thị", "Lan"),
    ("xa.canbo", Role.COMMUNE_OFFICER, "commune-of-218", "Phạm Văn", "Dũng"),
    ("xa.chutich", Role.COMMUNE_CHAIRMAN, "commune-of-218", "Hoàng Đức", "Long"),
    ("lucngan.canbo", Role.COMMUNE_OFFICER, "commune-of-219", "Vũ Thị", "Mai"),
    ("thon.truong", Role.VILLAGE_HEAD, "village-of-218", "Thân Văn", "Phúc"),
    # Another province on the same deployment (units only): its officer sees nothing of Bắc Ninh's.
    ("hanoi.thuongtruc", Role.PROVINCE_OFFICE, "province-01", "Đỗ Thị", "Nga"),
]


def _name(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def _province() -> Unit:
    """The demo province in the structure in force: the new Bắc Ninh (2025 list, code 24)."""
    return Unit.objects.get(kind=UnitKind.PROVINCE, code="24", edition="2025")


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    province = _province()
    with transaction.atomic():
        users = _users(province)
        _committees(province, users)


def finish(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    """Print the demo logins last, so they are what the operator sees when loading ends."""
    if (options or {}).get("quiet_logins"):
        return
    province = _province()
    stdout.write(color_style().SUCCESS(f"\nTài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):"))
    for username, role, where, _last, _first in DEMO_USERS:
        stdout.write(f"  {username:18} {Role(role).label} – {_resolve(province, where).name}")
    if not settings.OTP_REQUIRED:
        stdout.write("  (Chạy thử: đã tắt xác thực hai lớp. Đặt OTP_REQUIRED=1 để bật.)")


def _resolve(province: Unit, where: str | None) -> Unit:
    if where is None:
        return province
    if where.startswith("village-of-"):
        # A village head serves the first village (2025 list) of the commune officer's commune.
        commune = _resolve(province, "commune-of-" + where.removeprefix("village-of-"))
        villages = Unit.objects.filter(kind=UnitKind.VILLAGE, edition=province.edition, path__startswith=province.path)
        village = villages.filter(parent=commune).order_by("code").first() or villages.order_by("code").first()
        assert village is not None, "the demo province has sample villages"
        return village
    if where.startswith("province-"):
        return Unit.objects.in_force().get(kind=UnitKind.PROVINCE, code=where.removeprefix("province-"))
    if where.startswith("commune-of-"):
        # A commune officer serves the commune in force today: the successor of the first commune
        # of the (2024) district named, and sees its predecessors' history through their links.
        district = Unit.objects.get(edition="2024", code=where.removeprefix("commune-of-"))
        old = Unit.objects.filter(parent=district, kind=UnitKind.COMMUNE).select_related("successor").order_by("code").first()
        assert old is not None, "the demo district has communes"
        return old.successor or old
    # A district's staff held their roles until the districts were abolished on 30/06/2025: they
    # keep them on the 2024 unit, for the history they worked on.
    return Unit.objects.get(edition="2024", code=where)


def _users(province: Unit) -> dict[str, tuple[User, Unit, str]]:
    result: dict[str, tuple[User, Unit, str]] = {}
    for username, role, where, last, first in DEMO_USERS:
        unit = _resolve(province, where)
        user, created = User.objects.get_or_create(
            username=username, defaults={"last_name": last, "first_name": first, "email": f"{username}@demo.invalid"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.SYSTEM_ADMIN
            user.is_superuser = role == Role.SYSTEM_ADMIN
            user.save()
        grant_role(user=user, unit=unit, role=role, by=SYSTEM)
        result[username] = (user, unit, role)
    return result


def _committees(province: Unit, users: dict[str, tuple[User, Unit, str]]) -> None:
    """The new province's steering committee. Its members each follow the communes formed from one
    of Bắc Giang's former districts (the districts were abolished on 30/06/2025, so the committees
    below the province are the communes' own: one for each commune with sample villages)."""
    office_user = users["tinh.thuongtruc"][0]
    rng = random.Random(2024)
    if SteeringCommittee.objects.filter(unit=province).exists():
        return
    main = unit_services.create_committee(
        unit=province,
        by=office_user,
        data={
            "kind": SteeringCommittee.Kind.COMMITTEE,
            "name": f"Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở {province.name.replace('Tỉnh', 'tỉnh', 1)}",
            "decision_ref": "Quyết định số 125-QĐ/TU",
        },
    )
    for kind, name in (
        (SteeringCommittee.Kind.STANDING_OFFICE, "Cơ quan thường trực – Ban Dân vận Tỉnh ủy"),
        (SteeringCommittee.Kind.WORKING_GROUP, "Tổ giúp việc Ban Chỉ đạo tỉnh"),
        (SteeringCommittee.Kind.SUBCOMMITTEE, "Tiểu ban Chính quyền thân thiện"),
    ):
        unit_services.create_committee(unit=province, by=office_user, data={"kind": kind, "name": name, "parent": main})
    board: list[tuple[str, str, str, list[Unit]]] = [
        ("Phạm Văn Thịnh", "Trưởng Ban Dân vận Tỉnh ủy", CommitteeMember.Position.STANDING_DEPUTY, []),
        ("Trần Văn Thịnh", "Phó Bí thư Thường trực Tỉnh ủy", CommitteeMember.Position.HEAD, []),
        ("Nguyễn Thị Hương", "Phó Chủ tịch UBND tỉnh", CommitteeMember.Position.DEPUTY, []),
    ]
    former_districts = Unit.objects.filter(kind=UnitKind.DISTRICT, parent__successor=province).order_by("parent__code", "code")
    for i, district in enumerate(former_districts):
        communes = sorted(
            {c.successor for c in Unit.objects.filter(parent=district, successor__isnull=False).select_related("successor") if c.successor},
            key=lambda u: u.code,
        )
        area = district.name.replace("Huyện ", "huyện ").replace("Thành phố ", "thành phố ").replace("Thị xã ", "thị xã ")
        board.append(
            (_name(rng), f"Ủy viên Ban Thường vụ Tỉnh ủy, phụ trách địa bàn {area} (cũ)", CommitteeMember.Position.MEMBER, communes)
        )
        if i % 3 == 0:
            board.append((_name(rng), "Phó Giám đốc Sở Nội vụ", CommitteeMember.Position.MEMBER, []))
    for full_name, title, position, followed in board:
        unit_services.add_member(
            committee=main, by=office_user, data={"full_name": full_name, "job_title": title, "position": position}, followed=followed
        )
    with_villages = Unit.objects.filter(kind=UnitKind.COMMUNE, edition=province.edition, children__kind=UnitKind.VILLAGE)
    for commune in with_villages.distinct().order_by("code"):
        committee = unit_services.create_committee(
            unit=commune,
            by=office_user,
            data={"kind": SteeringCommittee.Kind.COMMITTEE, "name": f"Ban Chỉ đạo thực hiện QCDC ở cơ sở {commune.name}"},
        )
        for title, position in (
            ("Bí thư Đảng ủy", CommitteeMember.Position.HEAD),
            ("Chủ tịch Ủy ban MTTQ", CommitteeMember.Position.STANDING_DEPUTY),
            ("Phó Chủ tịch UBND", CommitteeMember.Position.DEPUTY),
        ):
            unit_services.add_member(
                committee=committee, by=office_user, data={"full_name": _name(rng), "job_title": title, "position": position}
            )
