"""The overview a leader opens in the morning: for their province (or district, or commune) the
recognition target and where each unit stands, the files waiting at each level, the lax-appraisal
flags, overdue feedback and open harassment reports, disclosure on time, periodic reports sent,
overdue tasks and the satisfaction index, each with its trend against the previous period and the
link to the page behind it; the same figures per unit below, and a point map of the communes.

Every figure comes from the capability that owns it through the core metrics registry, read for
all the units at once (core.metrics.compute_many): the reads do not grow with the communes."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.scope import role_roots
from core import metrics
from core.metrics import MetricValue
from steering import conf
from steering.models import OverviewSnapshot
from units.models import Unit, UnitKind

# Who opens the overview: the province's leaders and standing office for the province, a district's
# steering committee for its district, a commune's chairman and officers for their commune.
OVERVIEW_ROLES = frozenset(
    {Role.PROVINCE_LEADER, Role.PROVINCE_OFFICE, Role.DISTRICT_COMMITTEE, Role.COMMUNE_CHAIRMAN, Role.COMMUNE_OFFICER}
)


@dataclass(frozen=True)
class Figure:
    """One figure of the overview. `key` names a metric another capability registers; `now_only`
    marks a current state (files waiting now) whose value at an earlier date is not kept, so it
    has no trend; `target_key` names the figure it is held against (red below it)."""

    key: str
    label: Promise
    now_only: bool = False
    target_key: str = ""


FIGURES: tuple[Figure, ...] = (
    Figure("certification.recognised_share", _("Xã đạt chuẩn chính quyền thân thiện"), target_key="certification.target_share"),
    Figure("certification.waiting_on_commune", _("Hồ sơ chờ xã"), now_only=True),
    Figure("certification.waiting_on_district", _("Hồ sơ chờ huyện"), now_only=True),
    Figure("certification.waiting_on_province", _("Hồ sơ chờ tỉnh"), now_only=True),
    Figure("certification.lax_appraisal_flags", _("Cảnh báo thẩm định dễ dãi"), now_only=True),
    Figure("feedback.overdue_open", _("Phản ánh quá hạn")),
    Figure("feedback.harassment_open", _("Phản ánh sách nhiễu chưa giải quyết"), now_only=True),
    Figure("disclosure.on_time_rate", _("Công khai đúng hạn")),
    Figure("supervision.report_completeness", _("Báo cáo định kỳ đã gửi")),
    Figure("steering.tasks_overdue", _("Nhiệm vụ chỉ đạo quá hạn")),
    Figure("surveys.satisfaction_index", _("Chỉ số hài lòng")),
)
FIGURE_KEYS = tuple(f.key for f in FIGURES)


# --- Periods ------------------------------------------------------------------------------------
PERIOD_KINDS = {"quy": _("Quý"), "6thang": _("6 tháng"), "nam": _("Năm")}


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == "quy":
            return f"Quý {(self.start.month - 1) // 3 + 1}/{self.start.year}"
        if self.kind == "6thang":
            return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {self.start.year}"
        return f"Năm {self.start.year}"

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - dt.timedelta(days=1))


def period_containing(kind: str, day: dt.date) -> Period:
    """The quarter, half year or year ("quy", "6thang", "nam") that holds `day`."""
    months = {"quy": 3, "6thang": 6, "nam": 12}.get(kind)
    if months is None:
        raise ValueError(kind)
    first = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first, 1)
    last_month = first + months - 1
    end = dt.date(day.year, 12, 31) if last_month == 12 else dt.date(day.year, last_month + 1, 1) - dt.timedelta(days=1)
    return Period(kind, start, end)


# --- Scope --------------------------------------------------------------------------------------
def overview_roots(user: Any) -> list[Unit]:
    return role_roots(user, OVERVIEW_ROLES)


def can_open_overview(user: Any) -> bool:
    return bool(overview_roots(user))


def overview_unit(user: Any, chosen: str = "") -> Unit:
    """The unit the overview is about: `chosen` (a unit id) within the user's scope, else their
    highest unit in force. No overview role: 403; a unit outside the scope (or none): 404."""
    roots = overview_roots(user)
    if not roots:
        raise PermissionDenied
    if chosen:
        unit = Unit.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if unit is None or not any(unit.path.startswith(root.path) for root in roots):
            raise Http404
        return unit
    ordered = sorted(roots, key=lambda u: (not u.is_in_force, u.depth, u.name))
    return ordered[0]


# --- Reading ------------------------------------------------------------------------------------
@dataclass
class Cell:
    """A figure's value for one unit, with whether it is red (needs attention)."""

    figure: Figure
    value: MetricValue
    target: MetricValue | None = None
    alert: bool = False

    @property
    def text(self) -> str:
        return display(self.value)


@dataclass
class Headline(Cell):
    previous: MetricValue | None = None
    label: str = ""
    trend: str = ""  # "better", "worse", "same" or "" (no comparison)
    delta_text: str = ""


@dataclass
class Row:
    unit: Unit
    cells: list[Cell]


@dataclass
class MapPoint:
    unit: Unit
    x: float
    y: float
    cell: Cell
    bin: int  # the legend class (0 worst … 3 best), -1 without data


@dataclass
class Overview:
    unit: Unit
    period: Period
    previous: Period
    headline: list[Headline]
    rows: list[Row]
    selected: Figure
    points: list[MapPoint] = field(default_factory=list)
    legend: list[tuple[int, str, int]] = field(default_factory=list)  # bin, label, count
    unplaced: int = 0  # communes without coordinates
    computed_at: dt.datetime | None = None


def display(value: MetricValue | None) -> str:
    if value is None or value.value is None:
        return "—"
    number = value.value
    text = f"{number:.1f}".replace(".", ",") if number != int(number) else f"{int(number)}"
    return f"{text} %" if value.unit == "%" else text


def _alert(figure: Figure, value: MetricValue, target: MetricValue | None) -> bool:
    if value.value is None:
        return False
    metric = metrics.get(figure.key)
    if target is not None and target.value is not None:
        return value.value < target.value
    if metric is not None and not metric.higher_is_better:
        return value.value > 0
    return value.unit == "%" and value.value < float(conf.OVERVIEW_RATE_ALERT)


def _trend(figure: Figure, now: MetricValue, before: MetricValue | None) -> tuple[str, str]:
    if figure.now_only or before is None or now.value is None or before.value is None:
        return "", ""
    delta = now.value - before.value
    metric = metrics.get(figure.key)
    higher_is_better = metric.higher_is_better if metric else True
    if abs(delta) < 1e-9:
        return "same", "0"
    better = (delta > 0) == higher_is_better
    number = f"{abs(delta):.1f}".replace(".", ",") if abs(delta) != int(abs(delta)) else f"{int(abs(delta))}"
    sign = "+" if delta > 0 else "−"
    suffix = " điểm %" if now.unit == "%" else ""
    return ("better" if better else "worse"), f"{sign}{number}{suffix}"


def children_of(unit: Unit, on: dt.date) -> list[Unit]:
    """The units directly below `unit` in force on `on` (districts, or communes where none)."""
    if unit.kind == UnitKind.COMMUNE:
        return []
    return list(
        Unit.objects.filter(parent=unit, kind__in=(UnitKind.DISTRICT, UnitKind.COMMUNE))
        .in_force(on)
        .order_by("name")
        .only("pk", "name", "path", "kind", "depth", "latitude", "longitude", "parent_id", "valid_from", "valid_to")
    )


def communes_of(unit: Unit, on: dt.date) -> list[Unit]:
    if unit.kind == UnitKind.COMMUNE:
        return [unit]
    return list(
        Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.COMMUNE)
        .in_force(on)
        .order_by("name")
        .only("pk", "name", "path", "kind", "depth", "latitude", "longitude", "parent_id", "valid_from", "valid_to")
    )


def _stored(value: MetricValue) -> dict[str, Any]:
    return {
        "value": value.value,
        "unit": value.unit,
        "basis": value.basis,
        "source": value.source,
        "note": value.note,
        "link": value.link,
        "interval": list(value.interval) if value.interval else None,
    }


def _restored(data: dict[str, Any] | None) -> MetricValue:
    if data is None:
        return MetricValue(None, "", 0, "", note="Không có số liệu.")
    interval = data.get("interval")
    return MetricValue(
        data["value"], data["unit"], data["basis"], data["source"], data["note"], data["link"], tuple(interval) if interval else None
    )


def compute_figures(*, unit: Unit, period: Period, today: dt.date) -> dict[str, Any]:
    """Every figure of the overview of `unit` (the unit, the units below it, its communes) for
    `period` to `today`, and the unit's figures over the whole previous period: two bulk reads
    per figure, whatever the number of communes. The result is stored as it is (JSON)."""
    previous = period.previous()
    end = min(period.end, today)
    rows_units = children_of(unit, today)
    communes = communes_of(unit, today) if unit.kind != UnitKind.COMMUNE else []
    units = list({u.pk: u for u in [unit, *rows_units, *communes]}.values())
    keys = {f.key for f in FIGURES} | {f.target_key for f in FIGURES if f.target_key}
    now = {}
    for key in sorted(keys):
        found = metrics.compute_many(key, units=units, start=period.start, end=end)
        now[key] = {str(pk): _stored(value) for pk, value in found.items()}
    before = {
        f.key: _stored(metrics.compute_many(f.key, units=[unit], start=previous.start, end=previous.end)[unit.pk])
        for f in FIGURES
        if not f.now_only
    }
    return {"now": now, "before": before, "rows": [u.pk for u in rows_units], "communes": [u.pk for u in communes]}


def snapshot(*, unit: Unit, kind: str, today: dt.date, refresh: bool = False) -> OverviewSnapshot:
    """The day's figures of `unit` for the period of `kind` holding `today`: the stored ones
    (computed by the morning job or an earlier reader today), or computed now and stored."""
    period = period_containing(kind, today)
    key: dict[str, Any] = {"unit": unit, "period_kind": kind, "period_start": period.start, "computed_on": today}
    existing = None if refresh else OverviewSnapshot.objects.filter(**key).first()
    if existing is not None:
        return existing
    figures = compute_figures(unit=unit, period=period, today=today)
    stored, _created = OverviewSnapshot.objects.update_or_create(**key, defaults={"figures": figures, "computed_at": timezone.now()})
    return stored


def refresh_overviews(*, today: dt.date | None = None, kind: str = "quy") -> int:
    """The morning job: compute the day's overview of every unit in force where someone holds an
    overview role, so that the page a leader opens reads stored figures. Returns how many."""
    today = today or timezone.localdate()
    units = Unit.objects.filter(role_assignments__role__in=list(OVERVIEW_ROLES)).in_force(today).distinct()
    count = 0
    for unit in units:
        snapshot(unit=unit, kind=kind, today=today, refresh=True)
        count += 1
    return count


def read_overview(
    *, unit: Unit, kind: str = "quy", selected: str = "", today: dt.date | None = None, with_rows: bool = True, refresh: bool = False
) -> Overview:
    """The overview of `unit` for the period of `kind` holding `today` (to date), against the whole
    previous period: headline figures with their trend, the units below (and, on a map, every
    commune) with the same figures, coloured by `selected`. Reads the day's snapshot (computing it
    if there is none): a fixed number of queries, whatever the number of units."""
    today = today or timezone.localdate()
    period = period_containing(kind, today)
    stored = snapshot(unit=unit, kind=kind, today=today, refresh=refresh)
    data = stored.figures
    wanted = [*data["rows"], *data["communes"]] if with_rows else []
    known = Unit.objects.in_bulk(wanted) if wanted else {}
    rows_units = [known[pk] for pk in data["rows"] if pk in known]
    communes = [known[pk] for pk in data["communes"] if pk in known]

    def value(key: str, u: Unit) -> MetricValue:
        return _restored(data["now"].get(key, {}).get(str(u.pk)))

    def cell(figure: Figure, u: Unit) -> Cell:
        current = value(figure.key, u)
        target = value(figure.target_key, u) if figure.target_key else None
        return Cell(figure, current, target, _alert(figure, current, target))

    headline = []
    for figure in FIGURES:
        base = cell(figure, unit)
        before = None if figure.now_only else _restored(data["before"].get(figure.key))
        trend, delta = _trend(figure, base.value, before)
        headline.append(
            Headline(figure, base.value, base.target, base.alert, previous=before, label=str(figure.label), trend=trend, delta_text=delta)
        )
    rows = [Row(u, [cell(f, u) for f in FIGURES]) for u in rows_units]
    chosen = next((f for f in FIGURES if f.key == selected), FIGURES[0])
    result = Overview(unit, period, period.previous(), headline, rows, chosen, computed_at=stored.computed_at)
    if communes:
        _place_points(result, communes, [cell(chosen, c) for c in communes])
    return result


# --- The map ------------------------------------------------------------------------------------
MAP_WIDTH = 640.0
MAP_PAD = 16.0


def _bins(figure: Figure, cell: Cell) -> int:
    """The legend class of a commune's value: 0–3, worst to best; -1 without data."""
    value = cell.value.value
    if value is None:
        return -1
    metric = metrics.get(figure.key)
    if metric is not None and not metric.higher_is_better:
        return 3 if value == 0 else 2 if value <= 2 else 1 if value <= 5 else 0
    if cell.target is not None and cell.target.value is not None:
        return 3 if value >= cell.target.value else 0
    alert = float(conf.OVERVIEW_RATE_ALERT)
    return 3 if value >= 95 else 2 if value >= alert else 1 if value >= 50 else 0


def _legend_labels(figure: Figure) -> dict[int, str]:
    metric = metrics.get(figure.key)
    if metric is not None and not metric.higher_is_better:
        return {3: "0", 2: "1–2", 1: "3–5", 0: "> 5", -1: str(_("Chưa có số liệu"))}
    if figure.target_key:
        return {3: str(_("Đạt chỉ tiêu")), 0: str(_("Chưa đạt chỉ tiêu")), -1: str(_("Chưa có số liệu"))}
    alert = display(MetricValue(float(conf.OVERVIEW_RATE_ALERT), "%", 0, ""))
    return {3: "≥ 95 %", 2: f"{alert} – 95 %", 1: f"50 % – {alert}", 0: "< 50 %", -1: str(_("Chưa có số liệu"))}


def _place_points(result: Overview, communes: list[Unit], cells: list[Cell]) -> None:
    """Project the communes' points (equirectangular, longitude scaled by the cosine of the mean
    latitude) into an SVG box MAP_WIDTH wide, and count each legend class."""
    placed = [(c, cell) for c, cell in zip(communes, cells, strict=True) if c.latitude is not None and c.longitude is not None]
    result.unplaced = len(communes) - len(placed)
    labels = _legend_labels(result.selected)
    counts = dict.fromkeys(labels, 0)
    if placed:
        lats = [c.latitude or 0.0 for c, _cell in placed]
        lons = [c.longitude or 0.0 for c, _cell in placed]
        scale_x = math.cos(math.radians(sum(lats) / len(lats)))
        width = max((max(lons) - min(lons)) * scale_x, 1e-6)
        height = max(max(lats) - min(lats), 1e-6)
        k = (MAP_WIDTH - 2 * MAP_PAD) / max(width, height)
        for commune, cell in placed:
            x = MAP_PAD + ((commune.longitude or 0.0) - min(lons)) * scale_x * k
            y = MAP_PAD + (max(lats) - (commune.latitude or 0.0)) * k
            b = _bins(result.selected, cell)
            counts[b] = counts.get(b, 0) + 1
            result.points.append(MapPoint(commune, round(x, 1), round(y, 1), cell, b))
    result.legend = [(b, labels[b], counts.get(b, 0)) for b in labels]


def map_height(result: Overview) -> float:
    return max((p.y for p in result.points), default=0.0) + MAP_PAD
