"""Run the jobs Celery beat would schedule, once, in this process: for the embedded mode (no broker),
called from cron (e.g. every day at 06:00), or by an operator to catch up after downtime. The jobs
are the ones the capabilities' manifests declare (core.capabilities.beat_schedule)."""

from typing import Any

from celery import current_app
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import capabilities


class Command(BaseCommand):
    help = "Chạy một lần các công việc định kỳ (chuyển cấp phản ánh quá hạn, nhắc hạn, gửi thông báo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", default=[], help="Tên công việc định kỳ (lặp lại được)")

    def handle(self, *args: Any, **options: Any) -> None:
        current_app.loader.import_default_modules()
        schedule = capabilities.beat_schedule()
        names = list(options["only"]) or list(schedule)
        unknown = [n for n in names if n not in schedule]
        if unknown:
            raise CommandError(f"Không có công việc: {', '.join(unknown)}. Có: {', '.join(schedule)}")
        for name in names:
            task = current_app.tasks[schedule[name]["task"]]
            result = task.apply().get()
            self.stdout.write(f"{name}: {result}")
