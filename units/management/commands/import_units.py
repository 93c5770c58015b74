from django.core.management.base import BaseCommand, CommandError, CommandParser

from units.importing import STRUCTURES, import_official_units


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính của một tỉnh từ danh mục chính thức (gói vietnamadminunits)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True, help="Mã tỉnh theo danh mục (ví dụ 24)")
        parser.add_argument("--structure", choices=STRUCTURES, default="2024", help="2024: tỉnh–huyện–xã; 2025: tỉnh–xã")

    def handle(self, *args: object, **options: str) -> None:
        try:
            report = import_official_units(province_code=options["province"], structure=options["structure"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
