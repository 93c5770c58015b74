from typing import Any

from django.core.management.base import BaseCommand

from accounts.actors import SYSTEM
from surveys import services


class Command(BaseCommand):
    help = "Nạp bảy phiếu khảo sát mẫu PKS01–PKS07 (surveys/sample_data/pks_forms.json) nếu chưa có."

    def handle(self, *args: Any, **options: Any) -> None:
        created = services.load_instruments(by=SYSTEM)
        self.stdout.write(f"Đã nạp {len(created)} phiếu.")
