from django.core.management.base import BaseCommand, CommandError, CommandParser

from units.importing import STRUCTURES, import_all_provinces, import_official_units


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính của một tỉnh (hoặc mọi tỉnh) từ danh mục chính thức (gói vietnamadminunits)."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--province", help="Mã tỉnh theo danh mục (ví dụ 24)")
        which.add_argument("--all", action="store_true", help="Mọi tỉnh của danh mục (34 tỉnh theo danh mục 2025)")
        parser.add_argument("--structure", choices=STRUCTURES, default="2025", help="2024: tỉnh–huyện–xã; 2025: tỉnh–xã")

    def handle(self, *args: object, **options: object) -> None:
        structure = str(options["structure"])
        try:
            if options["all"]:
                report = import_all_provinces(structure=structure)
            else:
                report = import_official_units(province_code=str(options["province"]), structure=structure)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
