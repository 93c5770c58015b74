"""Recompute every commune's disclosure register chain (or one commune's) and report the first
broken entry; exits with status 1 when any chain is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disclosure import chain, queries
from units.models import Unit


class Command(BaseCommand):
    help = "Kiểm tra chuỗi mã băm của sổ công khai (mục bị sửa, bị xoá, bản ghi sửa ngoài sổ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commune", help="mã xã (danh mục 2025 trừ khi có --edition)")
        parser.add_argument("--edition", default="2025")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["commune"]:
            units = list(Unit.objects.filter(edition=options["edition"], code=options["commune"]))
            if not units:
                raise CommandError(f"Không tìm thấy xã mã {options['commune']} (danh mục {options['edition']}).")
        else:
            units = list(queries.units_with_register())
        broken = 0
        for unit in units:
            verdict = chain.verify(unit)
            if verdict.ok:
                self.stdout.write(f"{unit.code} {unit.name}: {verdict.entries} mục, nguyên vẹn. Mã cuối: {verdict.head}")
            else:
                broken += 1
                self.stdout.write(f"{unit.code} {unit.name}: HỎNG từ mục số {verdict.broken_seq}: {verdict.problem}")
        if broken:
            raise CommandError(f"{broken} sổ công khai bị hỏng chuỗi.")
