"""Demo data for a local trial: every capability's demo loader (declared in its manifest, see
core.capabilities), in dependency order — the units and sample villages, the demo users and steering
committees, then each capability's data. Idempotent: a second run only tops up what is missing."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import capabilities


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu để chạy thử: đơn vị hành chính đang có hiệu lực (34 tỉnh, thành phố; tỉnh Bắc Ninh mới đầy đủ) "
        "cùng lịch sử 2023–2024 của tỉnh Bắc Giang, Ban Chỉ đạo, tài khoản mẫu cho mọi vai trò."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Không in danh sách tài khoản mẫu")

    def handle(self, *args: object, **options: object) -> None:
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError("Dữ liệu mẫu chỉ dùng khi chạy thử (DEBUG=1); không nạp vào hệ thống thật.")
        try:
            capabilities.demo_order()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        capabilities.run_demo(stdout=self.stdout, options=options)
