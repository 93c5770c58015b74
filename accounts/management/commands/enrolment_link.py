"""An operator's way to the first second factor: the first system administrator (created with
`createsuperuser` or by the demo) has no administrator above to issue the link from the pages."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from accounts import services
from accounts.actors import SYSTEM
from accounts.models import User


class Command(BaseCommand):
    help = "Cấp đường dẫn thiết lập xác thực hai lớp dùng một lần cho một tài khoản (in ra màn hình)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập")
        parser.add_argument("--site-url", default="", help="Địa chỉ trang, ví dụ https://dcs.bacgiang.gov.vn (để gửi thư và in đủ địa chỉ)")

    def handle(self, *args: object, **options: object) -> None:
        user = User.objects.filter(username=str(options["username"])).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {options['username']}.")
        site_url = str(options["site_url"] or "").rstrip("/")
        raw = services.issue_enrolment_link(user=user, by=SYSTEM, site_url=site_url)
        self.stdout.write(f"{site_url}{reverse('accounts:enrol', args=[raw])}")
        self.stdout.write(f"Dùng một lần, hết hạn sau {settings.TWO_FACTOR_ENROLMENT_HOURS} giờ.")
