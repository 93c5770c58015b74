"""Restore a backup (core.backups) into the configured, empty database and media folder."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from core import backups


class Command(BaseCommand):
    help = "Khôi phục bản sao lưu vào cơ sở dữ liệu và thư mục tệp đang cấu hình (phải trống)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="thư mục bản sao lưu")

    def handle(self, *args: Any, **options: Any) -> None:
        database = connections["default"].settings_dict
        connections.close_all()
        try:
            manifest = backups.restore(Path(options["source"]), database=database, media_root=Path(settings.MEDIA_ROOT))
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã khôi phục bản sao lưu ngày {manifest['created_at']} ({len(manifest['media']['files'])} tệp).")
