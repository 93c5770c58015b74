"""The national-scale data set (`manage.py generate_national`): every capability that declares a
`Generator` in its manifest adds its share, in dependency order, at a scale factor of the national
figures (1.0: the 2025 list's 3,321 communes, 10 million feedback cases over three years, a million
survey responses, 30,000 certification files). Each generator draws from its own seeded random
stream, so a run is repeatable, and loads in bulk (core.bulk)."""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.module_loading import import_string

from core import capabilities

YEARS = 3


@dataclass
class Plan:
    scale: float
    seed: int
    end: dt.date
    stdout: Any
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def start(self) -> dt.date:
        """Three years back from `end` (the generated period)."""
        return self.end - dt.timedelta(days=365 * YEARS)

    def count(self, national: int) -> int:
        """`national` scaled, at least one."""
        return max(1, round(national * self.scale))

    def rng(self, name: str) -> random.Random:
        """A random stream of its own for each generator (adding one changes no other's data)."""
        return random.Random(f"{self.seed}:{name}")

    def say(self, text: str) -> None:
        self.stdout.write(text)


def run(plan: Plan, *, only: list[str] | None = None) -> dict[str, float]:
    """Run every declared generator (or the `only` ones, still in dependency order), timing each."""
    for name, generator in capabilities.generator_order():
        if only and name not in only:
            continue
        started = time.monotonic()
        import_string(generator.run)(plan=plan)
        plan.timings[name] = time.monotonic() - started
        plan.say(f"  {name}: {plan.timings[name]:.1f} s")
    return plan.timings


def database_cpu_seconds() -> float | None:
    """CPU seconds the database server's process for this connection has used, when it runs on
    this machine (PostgreSQL, /proc readable); None otherwise. On a shared machine the wall time
    depends on the other load; the CPU time says what the run itself costs."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
