"""Reads of feedback cases shared by the staff pages, the API, the dashboard and the metrics."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.scope import scope_queryset
from core.text import search_key
from feedback import conf
from feedback.models import (
    CONDUCT_CATEGORIES,
    OPEN,
    PROTECTED_KINDS,
    Case,
    CaseEvent,
    Counter,
    CounterRating,
    DailyTally,
    Kind,
    MonthlyTally,
    Score,
    Status,
)
from units.models import Unit, UnitKind
from units.structure import lineage, with_predecessors


def cases_for(user: Any) -> QuerySet[Case]:
    """Cases whose handling unit lies within the user's scope."""
    return scope_queryset(Case.objects.select_related("concerned_unit", "handling_unit"), user, unit_path="handling_unit__path")


def filter_cases(qs: QuerySet[Case], *, status: str = "", overdue: bool = False, category: str = "", q: str = "") -> QuerySet[Case]:
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if overdue:
        qs = overdue_cases(qs)
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(concerned_unit__search_text__contains=search_key(q)))
    return qs


def overdue_cases(qs: QuerySet[Case], *, today: dt.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    return qs.filter(status__in=OPEN, due_on__lt=today).exclude(status=Status.AWAITING_INFO)


def forwarding_overdue(qs: QuerySet[Case], *, today: dt.date | None = None) -> QuerySet[Case]:
    """Cases classed outside the unit's competence and not forwarded within the Decree 20/2008
    period (conf.FORWARD_WORKING_DAYS)."""
    today = today or timezone.localdate()
    return qs.filter(status__in=OPEN, forward_due_on__lt=today)


def overdue_by_unit(user: Any) -> list[dict[str, Any]]:
    """Overdue open cases per handling unit within the user's scope, most first."""
    rows = overdue_cases(cases_for(user)).values("handling_unit_id", "handling_unit__name").annotate(n=Count("id")).order_by("-n")
    return [dict(r) for r in rows]


def public_events(case: Case) -> QuerySet[CaseEvent]:
    """The citizen-facing steps of a case (its tracking timeline); internal steps are left out, and
    a step's note is for the reporter only when `note_for_reporter`."""
    return case.events.filter(public=True).select_related("to_unit")


def published_for_unit(unit: Unit, *, limit: int = 10) -> QuerySet[Case]:
    """Answered feedback about a commune, or about the communes it was formed from (their cases
    come with their own `concerned_unit`, for the page to label), that the reporter allowed and a
    moderator published (with a moderated summary and answer: feedback.moderation)."""
    return (
        Case.objects.select_related("concerned_unit")
        .filter(
            concerned_unit__in=lineage(unit),
            kind=Kind.FEEDBACK,
            allow_publication=True,
            published_at__isnull=False,
            status__in=(Status.ANSWERED, Status.CLOSED),
        )
        .order_by("-published_at")[:limit]
    )


@dataclass
class Figures:
    total: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    answered: int = 0
    answered_on_time: int = 0
    overdue: int = 0
    reopened: int = 0
    escalated: int = 0
    median_days_to_answer: float | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    harassment_reports: int = 0
    # Reports about the unit handled elsewhere (routed away from it), released only as whole-period
    # totals of at least conf.ROUTED_AWAY_MIN_CASES (see routed_away_release); None when withheld,
    # which is also what "none" looks like, so the figure reveals nothing below the threshold.
    handled_elsewhere: int | None = None
    harassment_handled_elsewhere: int | None = None
    # Of `total`, the cases about the units this one was formed from (before 1 July 2025), and
    # those units' names: a figure over a period spanning the merger follows the predecessors.
    from_predecessors: int = 0
    predecessors: list[str] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.answered_on_time / self.answered, 1) if self.answered else None

    @property
    def reopen_rate(self) -> float | None:
        return round(100 * self.reopened / self.answered, 1) if self.answered else None

    @property
    def rating_total(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfaction(self) -> float | None:
        total = self.rating_total
        return round(100 * self.ratings.get(Score.SATISFIED, 0) / total, 1) if total else None


def _in_subtree(unit: Unit, lookup: str) -> Q:
    return Q(**{f"{lookup}__path__startswith": unit.path})


def _in_lineage(units: list[Unit], lookup: str) -> Q:
    """Rows about `units`' subtrees (a unit and its predecessors: units.structure.lineage). A unit
    inside another's subtree adds nothing: only the outermost are tested (a province's children
    and their predecessors are one or a few path prefixes, not hundreds)."""
    q = Q(pk__in=[])
    kept: list[str] = []
    for unit in sorted(units, key=lambda u: u.path):
        if not any(unit.path.startswith(path) for path in kept):
            kept.append(unit.path)
            q |= _in_subtree(unit, lookup)
    return q


def release_window(start: dt.date, end: dt.date, *, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The whole blocks of conf.ROUTED_AWAY_PERIOD_MONTHS calendar months (counted from January:
    quarters by default) that lie inside [start, end] and have already ended; None if there is
    none. Figures of reports routed away from a unit are counted over this window only, so no day,
    week or running month can be singled out."""
    months = max(1, conf.ROUTED_AWAY_PERIOD_MONTHS)
    today = today or timezone.localdate()
    end = min(end, today - dt.timedelta(days=1))
    index = start.year * 12 + start.month - 1
    if start.day != 1:
        index += 1
    index += (-index) % months  # the first block boundary on or after start
    first = dt.date(index // 12, index % 12 + 1, 1)
    last_index = first.year * 12 + first.month - 1
    window_end: dt.date | None = None
    while True:
        block_end_index = last_index + months
        block_end = dt.date(block_end_index // 12, block_end_index % 12 + 1, 1) - dt.timedelta(days=1)
        if block_end > end:
            break
        window_end, last_index = block_end, block_end_index
    return (first, window_end) if window_end is not None else None


def routed_away(unit: Unit) -> Q:
    """Sensitive reports (about officials' conduct, complaints, denunciations) that the routing rules
    registered outside `unit`'s subtree, i.e. handled above it because they concern its own staff.
    Ordinary reports that were escalated for lateness or transferred are not routed away: they stay
    in the unit's figures."""
    return sensitive() & ~_in_subtree(unit, "register_unit")


def sensitive() -> Q:
    """Reports about officials' conduct, complaints and denunciations: routed by their own rules."""
    return Q(about_officials=True) | Q(category__in=CONDUCT_CATEGORIES) | Q(kind__in=PROTECTED_KINDS)


def _released(count: int) -> int | None:
    return count if count >= conf.ROUTED_AWAY_MIN_CASES else None


HARASSMENT = ["conduct_harassment", "conduct_extra_demands"]


def _period_split(start: dt.date, end: dt.date) -> tuple[list[tuple[dt.date, dt.date]], tuple[dt.date, dt.date] | None]:
    """[start, end] as the day ranges read from the daily tallies (the partial months at either end)
    and the whole months read from the monthly tallies (first days of the first and last month)."""
    first_month = start if start.day == 1 else (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    after_end = end + dt.timedelta(days=1)
    last_month_end = after_end.replace(day=1)  # the first day after the last whole month
    if first_month >= last_month_end:
        return [(start, end)], None
    days = []
    if start < first_month:
        days.append((start, first_month - dt.timedelta(days=1)))
    if last_month_end <= end:
        days.append((last_month_end, end))
    last_whole = (last_month_end - dt.timedelta(days=1)).replace(day=1)
    return days, (first_month, last_whole)


def _tally_sums(where: Q, start: dt.date, end: dt.date, sums: dict[str, Any], *, by: str | None = None) -> dict[Any, dict[str, int]]:
    """The tallies matching `where` over [start, end] added up (`sums`: name → Sum(...) expression),
    per value of `by` (a lookup such as "unit__path"), or under the key None: whole months from the
    monthly table, the days of partial months from the daily one."""
    day_ranges, months = _period_split(start, end)
    parts: list[QuerySet[Any]] = []
    for first, last in day_ranges:
        parts.append(DailyTally.objects.filter(where, day__gte=first, day__lte=last))
    if months is not None:
        parts.append(MonthlyTally.objects.filter(where, day__gte=months[0], day__lte=months[1]))
    out: dict[Any, dict[str, int]] = {}
    aliased = {f"s_{name}": expression for name, expression in sums.items()}  # not a column's name
    for qs in parts:
        rows = qs.values(by).annotate(**aliased).order_by() if by else [qs.aggregate(**aliased)]
        for row in rows:
            key = row.get(by) if by else None
            totals = out.setdefault(key, dict.fromkeys(sums, 0))
            for name in sums:
                totals[name] += row[f"s_{name}"] or 0
    return out


def _tally_away(unit: Unit) -> Q:
    """routed_away() in the tallies' terms: sensitive cases registered outside `unit`'s subtree."""
    return Q(sensitive_register__isnull=False) & ~Q(sensitive_register__path__startswith=unit.path)


def figures(*, unit: Unit, start: dt.date, end: dt.date, seen_from: Unit | None = None, from_cases: bool = False) -> Figures:
    """The dashboard's figures for cases about communes in `unit`'s subtree received in [start, end],
    and the ratings of its counters in that period, as `seen_from` (a unit at or above `unit`;
    `unit` itself by default) may see them. A handful of aggregate queries, no N+1: the counts come
    from the summary tables (feedback.summaries), or, `from_cases`, from the cases themselves (the
    same figures, as the tests and the benchmark check); the overdue count and the median time to
    answer always from the cases (the open ones, and the answered ones of the period).

    Cases routed away from `seen_from` (routed_away(): about its own officials, complaints,
    denunciations, registered by a level above) never appear by day, category or channel: only
    their total (and the harassment total) over release_window(), each when at least
    conf.ROUTED_AWAY_MIN_CASES. Every other case counts in full. The unit above that handles them
    sees them in full."""
    from feedback.models import TALLY_CATEGORY_FIELDS, TALLY_CHANNEL_FIELDS, Category, Channel

    viewpoint = seen_from if seen_from is not None and unit.path.startswith(seen_from.path) else unit
    history = lineage(unit)
    about = Case.objects.filter(_in_lineage(history, "concerned_unit"))
    away_q = routed_away(viewpoint)
    cases = about.exclude(away_q).filter(received_at__date__gte=start, received_at__date__lte=end)
    f = Figures()
    window = release_window(start, end)
    categories, channels = dict(Category.choices), dict(Channel.choices)
    if from_cases:
        if window is not None:
            away = about.filter(away_q, received_at__date__gte=window[0], received_at__date__lte=window[1])
            counts = away.aggregate(total=Count("id"), harassment=Count("id", filter=Q(category__in=HARASSMENT)))
            f.handled_elsewhere, f.harassment_handled_elsewhere = _released(counts["total"]), _released(counts["harassment"])
        agg = cases.aggregate(
            total=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            on_time=Count("id", filter=Q(answered_on_time=True)),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
            escalated=Count("id", filter=Q(escalation_level__gt=0)),
            harassment=Count("id", filter=Q(category__in=HARASSMENT)),
            from_predecessors=Count("id", filter=~_in_subtree(unit, "concerned_unit")),
        )
        by_category = {r["category"]: r["n"] for r in cases.values("category").annotate(n=Count("id")).order_by()}
        by_channel = {r["channel"]: r["n"] for r in cases.values("channel").annotate(n=Count("id")).order_by()}
    else:
        mine = _in_lineage(history, "unit")
        if window is not None:
            counts = _tally_sums(mine & _tally_away(viewpoint), *window, {"total": Sum("total"), "harassment": Sum("harassment")})[None]
            f.handled_elsewhere, f.harassment_handled_elsewhere = _released(counts["total"]), _released(counts["harassment"])
        columns = ["total", "answered", "on_time", "reopened", "escalated", "harassment"]
        sums = {c: Sum(c) for c in [*columns, *TALLY_CATEGORY_FIELDS.values(), *TALLY_CHANNEL_FIELDS.values()]}
        sums["from_predecessors"] = Sum("total", filter=~_in_subtree(unit, "unit"))
        agg = _tally_sums(mine & ~_tally_away(viewpoint), start, end, sums)[None]
        by_category = {value: agg[field] for value, field in TALLY_CATEGORY_FIELDS.items() if agg[field]}
        by_channel = {value: agg[field] for value, field in TALLY_CHANNEL_FIELDS.items() if agg[field]}
    f.total, f.answered, f.answered_on_time = agg["total"], agg["answered"], agg["on_time"]
    f.from_predecessors = agg["from_predecessors"]
    f.predecessors = [u.name for u in history[1:]]
    f.reopened, f.escalated = agg["reopened"], agg["escalated"]
    f.harassment_reports = agg["harassment"] + (f.harassment_handled_elsewhere or 0)
    # Same rule as overdue_cases(): only open cases, through the (status, due_on) index.
    f.overdue = cases.filter(_overdue_q()).count()
    f.by_category = [(str(categories.get(k, k)), n) for k, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))]
    f.by_channel = [(str(channels.get(k, k)), n) for k, n in sorted(by_channel.items(), key=lambda kv: (-kv[1], kv[0]))]
    durations = [
        (a - r).total_seconds() / 86400
        for r, a in cases.filter(answered_at__isnull=False).values_list("received_at", "answered_at")
        if a is not None
    ]
    f.median_days_to_answer = round(statistics.median(durations), 1) if durations else None
    ratings = CounterRating.objects.filter(_in_lineage(history, "counter__unit"), at__date__gte=start, at__date__lte=end)
    f.ratings = {r["score"]: r["n"] for r in ratings.values("score").annotate(n=Count("id"))}
    return f


def _overdue_q() -> Q:
    return Q(status__in=[s for s in OPEN if s != Status.AWAITING_INFO], due_on__lt=timezone.localdate())


def child_figures(
    *, unit: Unit, start: dt.date, end: dt.date, limit: int = 60, seen_from: Unit | None = None, from_cases: bool = False
) -> list[tuple[Unit, Figures]]:
    """The headline figures (volume, on-time answers, overdue, counter satisfaction) for each unit
    directly below `unit`, as `seen_from` (`unit` by default) sees them, the same numbers as
    figures(unit=child, seen_from=...): without the cases routed away from `seen_from`. A fixed
    number of queries whatever the number of children (the children, their predecessors, one per
    generation, then the tallies (or, `from_cases`, the cases), the overdue open cases and the
    ratings counted per commune once and added up into the child whose subtree, or whose
    predecessor's, holds the commune)."""
    viewpoint = seen_from if seen_from is not None and unit.path.startswith(seen_from.path) else unit
    children = list(Unit.objects.filter(parent=unit).exclude(kind=UnitKind.VILLAGE).order_by("name")[:limit])
    by_child = {child.pk: Figures() for child in children}
    # Each child's predecessors (a 2025 commune's 2024 communes) count as that child; the unit's
    # own predecessors widen the cases read. One walk for both (a query per generation).
    owner = {child.pk: child.pk for child in children}
    related = with_predecessors([unit, *children])
    successor_of = {u.pk: u.successor_id for u in related}
    for pk in successor_of:
        step: int | None = pk
        hops = 0
        while step is not None and step not in owner and hops < 10:
            step, hops = successor_of.get(step), hops + 1
        if step is not None and step in owner:
            owner[pk] = owner[step]

    def child_of(path: str) -> int | None:
        for part in reversed(path.strip("/").split("/")):
            if int(part) in owner:
                return owner[int(part)]
        return None

    # The unit, its children and every predecessor of either: cases about any of them count into
    # the child whose subtree (or whose predecessor's) holds the commune.
    history = related
    cases = Case.objects.filter(_in_lineage(history, "concerned_unit"), received_at__date__gte=start, received_at__date__lte=end).exclude(
        routed_away(viewpoint)
    )
    per_commune: dict[Any, Any]
    if from_cases:
        per_commune = {
            row["concerned_unit__path"]: row
            for row in cases.values("concerned_unit__path").annotate(
                total=Count("id"),
                answered=Count("id", filter=Q(answered_at__isnull=False)),
                on_time=Count("id", filter=Q(answered_on_time=True)),
            )
        }
    else:
        per_commune = _tally_sums(
            _in_lineage(history, "unit") & ~_tally_away(viewpoint),
            start,
            end,
            {"total": Sum("total"), "answered": Sum("answered"), "on_time": Sum("on_time")},
            by="unit__path",
        )
    overdue = {r["concerned_unit__path"]: r["n"] for r in cases.filter(_overdue_q()).values("concerned_unit__path").annotate(n=Count("id"))}
    for path, row in per_commune.items():
        f = by_child.get(child_of(path) or 0)
        if f is not None:
            f.total += row["total"]
            f.answered += row["answered"]
            f.answered_on_time += row["on_time"]
    for path, n in overdue.items():
        f = by_child.get(child_of(path) or 0)
        if f is not None:
            f.overdue += n
    ratings = (
        CounterRating.objects.filter(_in_lineage(history, "counter__unit"), at__date__gte=start, at__date__lte=end)
        .values("counter__unit__path", "score")
        .annotate(n=Count("id"))
    )
    for rating in ratings:
        f = by_child.get(child_of(rating["counter__unit__path"]) or 0)
        if f is not None:
            f.ratings[rating["score"]] = f.ratings.get(rating["score"], 0) + rating["n"]
    return [(child, by_child[child.pk]) for child in children]


def counter_ratings(*, unit: Unit, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Ratings per counter and month within `unit`'s subtree."""
    rows = (
        CounterRating.objects.filter(_in_subtree(unit, "counter__unit"), at__date__gte=start, at__date__lte=end)
        .annotate(month=TruncMonth("at"))
        .values("counter_id", "counter__name", "counter__unit__name", "month")
        .annotate(
            total=Count("id"),
            satisfied=Count("id", filter=Q(score=Score.SATISFIED)),
            acceptable=Count("id", filter=Q(score=Score.ACCEPTABLE)),
            not_satisfied=Count("id", filter=Q(score=Score.NOT_SATISFIED)),
        )
        .order_by("counter__unit__name", "counter__name", "month")
    )
    return [dict(r) for r in rows]


def counters_for(user: Any) -> QuerySet[Counter]:
    return scope_queryset(Counter.objects.select_related("unit").annotate(rating_count=Count("ratings")), user)
