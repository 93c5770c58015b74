"""The dashboards' summary tables (models.DailyTally, models.MonthlyTally): what queries.figures()
and queries.child_figures() count, per commune and day (and month) of reception, so that a
province's or the nation's dashboard adds up a few thousand rows instead of counting millions of
cases.

Kept current: every save or deletion of a case writes its commune and day to models.TallyBacklog in
the same transaction (signals below), and queues refresh() after the commit (core.jobs); the
periodic job `feedback-refresh-tallies` catches up whatever a lost task left. refresh() recomputes
each stale day from the cases (idempotent: running it twice gives the same rows) and the months
holding them from the days. rebuild() recomputes everything in two INSERT … SELECT statements (after
a bulk load: the demo, the national-scale generator)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from feedback import queries
from feedback.models import TALLY_CATEGORY_FIELDS, TALLY_CHANNEL_FIELDS, Case, DailyTally, MonthlyTally, Tally, TallyBacklog

MEASURES = [
    "total",
    "answered",
    "on_time",
    "reopened",
    "escalated",
    "harassment",
    *TALLY_CATEGORY_FIELDS.values(),
    *TALLY_CHANNEL_FIELDS.values(),
]
BATCH = 500


def _case_measures() -> dict[str, Any]:
    measures: dict[str, Any] = {
        "total": Count("id"),
        "answered": Count("id", filter=Q(answered_at__isnull=False)),
        "on_time": Count("id", filter=Q(answered_on_time=True)),
        "reopened": Count("id", filter=Q(reopen_count__gt=0)),
        "escalated": Count("id", filter=Q(escalation_level__gt=0)),
        "harassment": Count("id", filter=Q(category__in=queries.HARASSMENT)),
    }
    measures |= {field: Count("id", filter=Q(category=value)) for value, field in TALLY_CATEGORY_FIELDS.items()}
    measures |= {field: Count("id", filter=Q(channel=value)) for value, field in TALLY_CHANNEL_FIELDS.items()}
    return measures


def _daily_rows(cases: QuerySet[Case]) -> QuerySet[Any]:
    """The daily tallies of `cases`, columns in the order _insert() names them."""
    register = When_(When(queries.sensitive(), then=F("register_unit_id")), default=Value(None), output_field=IntegerField())
    return (
        cases.order_by()
        .annotate(t_unit=F("concerned_unit_id"), t_day=TruncDate("received_at"), t_register=register)
        .values("t_unit", "t_day", "t_register")
        .annotate(**_case_measures())
        .values_list("t_unit", "t_day", "t_register", *MEASURES)
    )


def _monthly_rows(days: QuerySet[DailyTally]) -> QuerySet[Any]:
    return (
        days.order_by()
        .annotate(t_unit=F("unit_id"), t_month=TruncMonth("day"), t_register=F("sensitive_register_id"))
        .values("t_unit", "t_month", "t_register")
        .annotate(**{f"s_{m}": Sum(m) for m in MEASURES})
        .values_list("t_unit", "t_month", "t_register", *[f"s_{m}" for m in MEASURES])
    )


def _insert(model: type[Tally], rows: QuerySet[Any]) -> None:
    """INSERT INTO the tally table SELECT … (the aggregate runs in the database, nothing comes back)."""
    sql, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ["unit_id", "day", "sensitive_register_id", *MEASURES])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) {sql}", params)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def recompute(keys: Iterable[tuple[int, dt.date]]) -> None:
    """Recompute the daily tallies of the given (commune, day) pairs from the cases, and the monthly
    tallies of their (commune, month) pairs from the days."""
    keys = sorted(set(keys))
    for i in range(0, len(keys), BATCH):
        chunk = keys[i : i + BATCH]
        days_q, cases_q, months_q, month_days_q = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
        for unit_id, day in chunk:
            start, end = _day_bounds(day)
            days_q |= Q(unit_id=unit_id, day=day)
            cases_q |= Q(concerned_unit_id=unit_id, received_at__gte=start, received_at__lt=end)
        for unit_id, month in sorted({(u, _month_start(d)) for u, d in chunk}):
            months_q |= Q(unit_id=unit_id, day=month)
            month_days_q |= Q(unit_id=unit_id, day__gte=month, day__lt=_next_month(month))
        with transaction.atomic():
            DailyTally.objects.filter(days_q).delete()
            _insert(DailyTally, _daily_rows(Case.objects.filter(cases_q)))
            MonthlyTally.objects.filter(months_q).delete()
            _insert(MonthlyTally, _monthly_rows(DailyTally.objects.filter(month_days_q)))


def refresh(*, limit: int = 5000) -> int:
    """Bring the tallies of the stale days (models.TallyBacklog) up to date; returns how many
    backlog rows were done. The backlog rows read first are deleted after the recompute: a case
    saved meanwhile leaves a row of its own for the next run."""
    done = 0
    while True:
        with transaction.atomic():
            backlog = list(
                TallyBacklog.objects.select_for_update(skip_locked=True).order_by("id").values_list("id", "unit_id", "day")[:limit]
            )
            if not backlog:
                return done
            recompute((unit_id, day) for _id, unit_id, day in backlog)
            TallyBacklog.objects.filter(id__in=[row[0] for row in backlog]).delete()
            done += len(backlog)
        if len(backlog) < limit:
            return done


def rebuild() -> None:
    """Every tally recomputed from the cases (after a bulk load that wrote no backlog)."""
    with transaction.atomic():
        TallyBacklog.objects.all().delete()
        DailyTally.objects.all().delete()
        MonthlyTally.objects.all().delete()
        _insert(DailyTally, _daily_rows(Case.objects.all()))
        _insert(MonthlyTally, _monthly_rows(DailyTally.objects.all()))


# --- Marking stale days -----------------------------------------------------------------------
def _key(unit_id: int | None, received_at: dt.datetime | None) -> tuple[int, dt.date] | None:
    if unit_id is None or received_at is None:
        return None
    return unit_id, timezone.localtime(received_at).date()


def _remember(sender: type[Case], instance: Case, **kwargs: Any) -> None:
    """The commune and day a case had when read (a save that moves it makes both stale)."""
    values = instance.__dict__  # not the attributes: a deferred field must not cost a query
    instance._tally_key = _key(values.get("concerned_unit_id"), values.get("received_at"))  # type: ignore[attr-defined]


def mark_stale(case: Case) -> bool:
    """Record the case's commune and day (and those it had when read, if it moved) as stale, in the
    caller's transaction; False when there is nothing to mark."""
    keys = {k for k in (_key(case.concerned_unit_id, case.received_at), getattr(case, "_tally_key", None)) if k is not None}
    TallyBacklog.objects.bulk_create([TallyBacklog(unit_id=unit_id, day=day) for unit_id, day in keys])
    _remember(Case, case)
    return bool(keys)


def connect(handler: Any) -> None:
    """Run `handler` (feedback.tasks.on_case_written: mark_stale() and the refresh queued after the
    commit) on every save and deletion of a case; called from FeedbackConfig.ready()."""
    post_init.connect(_remember, sender=Case, dispatch_uid="feedback.summaries.read")
    post_save.connect(handler, sender=Case, dispatch_uid="feedback.summaries.saved")
    post_delete.connect(handler, sender=Case, dispatch_uid="feedback.summaries.deleted")
