"""Back up the database and the uploaded files into a folder (core.backups)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import backups


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp tải lên vào một thư mục (kèm bản kê SHA-256)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="thư mục mới sẽ chứa bản sao lưu")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backups.backup(Path(options["target"]))
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã sao lưu ({manifest['engine']}, {len(manifest['media']['files'])} tệp) vào {options['target']}")
