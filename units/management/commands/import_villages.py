from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from units.importing import import_villages


class Command(BaseCommand):
    help = "Nạp thôn, tổ dân phố (kèm số hộ) từ tệp CSV hoặc Excel: cột mã xã, tên thôn, loại, mã thôn, số hộ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--edition", default="2024", help="Danh mục đơn vị của các xã trong tệp (2024 hoặc 2025)")

    def handle(self, *args: object, **options: str) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        try:
            report = import_villages(content=path.read_bytes(), filename=path.name, edition=options["edition"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for row, message in report.errors:
            self.stderr.write(f"Dòng {row}: {message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} dòng lỗi; chưa nạp dòng nào.")
        self.stdout.write(self.style.SUCCESS(report.summary()))
