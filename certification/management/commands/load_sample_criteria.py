"""Load the shipped sample criteria set ("Bộ tiêu chí mẫu") as a published set, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, RoleAssignment
from certification import criteria_io, services
from certification.models import CriteriaSet


class Command(BaseCommand):
    help = "Nạp bộ tiêu chí mẫu (đã ban hành) – tỉnh thay thế bằng bộ chính thức."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-user", help="tên đăng nhập của cán bộ cơ quan thường trực tỉnh thực hiện")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = criteria_io.load_sample_spec()
        if CriteriaSet.objects.filter(family=spec.family).exists():
            self.stdout.write("Bộ tiêu chí mẫu đã có.")
            return
        qs = RoleAssignment.objects.filter(role__in=[Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICE]).select_related("user")
        if options.get("as_user"):
            qs = qs.filter(user__username=options["as_user"])
        assignment = qs.first()
        if assignment is None:
            raise CommandError("Cần một tài khoản quản trị hoặc cơ quan thường trực tỉnh (--as-user).")
        cs = services.create_criteria_set(spec=spec, by=assignment.user)
        services.publish_criteria_set(criteria_set=cs, by=assignment.user)
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {cs} ({cs.criteria.count()} tiêu chí)."))
