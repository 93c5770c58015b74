"""Delete stored upload files that no StoredFile row points to (left behind when the transaction
that uploaded them rolled back). Files younger than --min-age-hours are kept: their row may still
be on its way."""

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from core.models import StoredFile
from core.uploads import stored_names


class Command(BaseCommand):
    help = "Xoá tệp tải lên không còn bản ghi (do giao dịch bị huỷ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--min-age-hours", type=float, default=24.0)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - dt.timedelta(hours=float(options["min_age_hours"]))
        known = set(StoredFile.objects.values_list("file", flat=True))
        removed = 0
        for name in stored_names("uploads"):
            if name in known:
                continue
            if default_storage.get_modified_time(name) > cutoff:
                continue
            removed += 1
            if not options["dry_run"]:
                default_storage.delete(name)
            self.stdout.write(name)
        self.stdout.write(self.style.SUCCESS(f"{removed} tệp mồ côi{' (chạy thử, chưa xoá)' if options['dry_run'] else ' đã xoá'}."))
