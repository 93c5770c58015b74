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
    # username, role, where (None: the province; a district code; a commune code), last, first
    ("quantri", Role.SYSTEM_ADMIN, None, "Quản trị", "Hệ thống"),
    ("tinh.thuongtruc", Role.PROVINCE_OFFICE, None, "Nguyễn Thị", "Hương"),
    ("tinh.lanhdao", Role.PROVINCE_LEADER, None, "Trần Văn", "Thịnh"),
    ("lucnam.bcd", Role.DISTRICT_COMMITTEE, "218", "Giáp Văn", "Hùng"),
    ("lucnam.thamdinh", Role.DISTRICT_APPRAISER, "218", "Lê Thị", "Lan"),
    ("xa.canbo", Role.COMMUNE_OFFICER, "commune-of-218", "Phạm Văn", "Dũng"),
    ("xa.chutich", Role.COMMUNE_CHAIRMAN, "commune-of-218", "Hoàng Đức", "Long"),
    ("lucngan.canbo", Role.COMMUNE_OFFICER, "commune-of-219", "Vũ Thị", "Mai"),
]


def _name(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def _province() -> Unit:
    return Unit.objects.get(kind=UnitKind.PROVINCE, code="24", edition="2024")


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
    if where.startswith("commune-of-"):
        district = Unit.objects.get(edition="2024", code=where.removeprefix("commune-of-"))
        return Unit.objects.filter(parent=district, kind=UnitKind.COMMUNE).order_by("code").first()  # type: ignore[return-value]  # the demo district has communes
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
    office_user = users["tinh.thuongtruc"][0]
    rng = random.Random(2024)
    if SteeringCommittee.objects.filter(unit=province).exists():
        return
    districts = list(Unit.objects.filter(parent=province, kind=UnitKind.DISTRICT).order_by("code"))
    main = unit_services.create_committee(
        unit=province,
        by=office_user,
        data={
            "kind": SteeringCommittee.Kind.COMMITTEE,
            "name": "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh Bắc Giang",
            "decision_ref": "Quyết định số 1250-QĐ/TU",
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
    for i, district in enumerate(districts):
        board.append((_name(rng), f"Ủy viên Ban Thường vụ Tỉnh ủy, phụ trách {district.name}", CommitteeMember.Position.MEMBER, [district]))
        if i % 3 == 0:
            board.append((_name(rng), "Phó Giám đốc Sở Nội vụ", CommitteeMember.Position.MEMBER, []))
    for full_name, title, position, followed in board:
        unit_services.add_member(
            committee=main, by=office_user, data={"full_name": full_name, "job_title": title, "position": position}, followed=followed
        )
    for district in districts:
        committee = unit_services.create_committee(
            unit=district,
            by=office_user,
            data={"kind": SteeringCommittee.Kind.COMMITTEE, "name": f"Ban Chỉ đạo thực hiện QCDC ở cơ sở {district.name}"},
        )
        communes = list(Unit.objects.filter(parent=district, kind=UnitKind.COMMUNE).order_by("code"))
        unit_services.add_member(
            committee=committee,
            by=office_user,
            data={"full_name": _name(rng), "job_title": f"Bí thư {district.type_name} ủy", "position": CommitteeMember.Position.HEAD},
        )
        unit_services.add_member(
            committee=committee,
            by=office_user,
            data={"full_name": _name(rng), "job_title": "Trưởng Ban Dân vận", "position": CommitteeMember.Position.STANDING_DEPUTY},
        )
        chunk = max(1, len(communes) // 4)
        for k in range(4):
            followed = communes[k * chunk : (k + 1) * chunk] if k < 3 else communes[3 * chunk :]
            unit_services.add_member(
                committee=committee,
                by=office_user,
                data={
                    "full_name": _name(rng),
                    "job_title": rng.choice(["Chủ tịch MTTQ", "Phó Chủ tịch UBND", "Trưởng phòng Nội vụ", "Chánh Văn phòng"]),
                    "position": CommitteeMember.Position.MEMBER,
                },
                followed=followed,
            )
