"""Bulk loading for the national-scale generator and the summary tables' rebuilds: rows go in with
PostgreSQL's COPY (psycopg's `cursor.copy`), or with batched INSERTs on SQLite. No model save, no
signal: the caller brings derived tables (the summaries) up to date itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

BATCH = 5000


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in `columns`' order; column names as in the table, e.g. `unit_id`)
    into `model`'s table; returns the number of rows written."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        return written
    adapt = connection.ops.adapt_datetimefield_value  # aware datetimes stored in UTC, as the ORM does
    rows = (tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row) for row in rows)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - quoted names, values as parameters
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def analyze(*models: type[models.Model]) -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL; autovacuum would come later,
    and until then a join over millions of fresh rows may be planned as over none)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def first_free_id(model: type[models.Model]) -> int:
    """The first primary key free after the table's highest (the generator numbers its
    rows itself, to link children to parents without reading them back). Call reset_sequence()
    after the COPY so that later inserts go on from the highest."""
    highest = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
    return int(highest) + 1


def reset_sequence(model: type[models.Model]) -> None:
    """After rows were written with explicit ids: PostgreSQL's sequence continues from the highest
    (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
