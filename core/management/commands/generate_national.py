"""Generate the national-scale data set on the configured database (core.generation)."""

from __future__ import annotations

import time
from typing import cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core import capabilities, generation


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu quy mô toàn quốc (3.321 xã theo danh mục 2025, 10 triệu phản ánh trong 3 năm, 1 triệu phiếu khảo sát, "
        "30.000 hồ sơ công nhận) theo hệ số --scale, nạp hàng loạt (COPY trên PostgreSQL)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="Hệ số quy mô (1 = toàn quốc; 0.01 = 1 %%)")
        parser.add_argument("--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)")
        parser.add_argument("--only", nargs="*", default=None, help="Chỉ chạy phần của các năng lực này (vẫn theo thứ tự phụ thuộc)")

    def handle(self, *args: object, **options: object) -> None:
        scale = float(options["scale"])  # type: ignore[arg-type]
        if not 0 < scale <= 10:
            raise CommandError("Hệ số quy mô phải lớn hơn 0 và không quá 10.")
        only = cast("list[str] | None", options["only"]) or None
        known = [name for name, _g in capabilities.generator_order()]
        unknown = [name for name in only or [] if name not in known]
        if unknown:
            raise CommandError(f"Không có phần sinh dữ liệu của: {', '.join(unknown)} (có: {', '.join(known)}).")
        plan = generation.Plan(scale=scale, seed=int(options["seed"]), end=timezone.localdate(), stdout=self.stdout)  # type: ignore[call-overload]
        started, cpu, db_cpu = time.monotonic(), time.process_time(), generation.database_cpu_seconds()
        generation.run(plan, only=only)
        used = time.process_time() - cpu
        db_used = generation.database_cpu_seconds()
        db_text = f", máy chủ CSDL {db_used - db_cpu:.1f} s" if db_used is not None and db_cpu is not None else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong trong {time.monotonic() - started:.1f} s (hệ số {scale:g}); thời gian CPU: lệnh {used:.1f} s{db_text}."
            )
        )
